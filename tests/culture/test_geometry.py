"""Bad geometry is refused (or repaired) with its reason: the issue's bad-input list."""

import io
import json
import zipfile

import pytest
import shapefile
import shapely
from pyproj import Transformer

from minsheng.core.errors import ValidationFailed
from minsheng.culture import geometry
from tests.culture.conftest import A, square

BOWTIE = {"type": "Polygon", "coordinates": [[[117.70, 39.00], [117.71, 39.01],
                                              [117.71, 39.00], [117.70, 39.01],
                                              [117.70, 39.00]]]}


def test_a_valid_polygon_passes_unchanged():
    [shape] = geometry.read_geojson(json.dumps(square(*A, 100)))
    assert shape.geometry.geom_type == "Polygon" and shape.notes == []


def test_self_intersecting_polygon_is_refused_with_the_reason():
    with pytest.raises(ValidationFailed) as error:
        geometry.read_geojson(BOWTIE)
    assert "Self-intersection" in str(error.value.message)
    assert error.value.details["field"] == "geometry"


def test_self_intersecting_polygon_is_repaired_when_asked_and_the_repair_is_noted():
    [shape] = geometry.read_geojson(BOWTIE, repair=True)
    assert shapely.is_valid(shape.geometry)
    assert shape.geometry.geom_type == "MultiPolygon"
    assert any("Self-intersection" in n for n in shape.notes)


def test_a_ring_enclosing_nothing_cannot_be_repaired():
    flat = {"type": "Polygon", "coordinates": [[[117.70, 39.0], [117.71, 39.0],
                                                [117.72, 39.0], [117.70, 39.0]]]}
    with pytest.raises(ValidationFailed, match="cannot be repaired"):
        geometry.read_geojson(flat, repair=True)


def test_coordinates_outside_the_district_are_refused():
    with pytest.raises(ValidationFailed, match="outside the district"):
        geometry.read_geojson(square(116.40, 39.90, 100))  # Beijing


def test_swapped_latitude_and_longitude_are_named_as_such():
    swapped = {"type": "Point", "coordinates": [A[1], A[0]]}
    with pytest.raises(ValidationFailed, match="swapped"):
        geometry.read_geojson(swapped, polygon_only=False)


def test_projected_coordinates_without_a_crs_are_refused():
    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    x, y = to_mercator.transform(*A)
    with pytest.raises(ValidationFailed, match="look projected"):
        geometry.read_geojson({"type": "Point", "coordinates": [x, y]}, polygon_only=False)


def test_a_polygon_in_another_crs_is_transformed_to_wgs84():
    to_gk = Transformer.from_crs(4326, 4548, always_xy=True)
    poly = shapely.geometry.shape(square(*A, 100))
    projected = shapely.transform(poly, lambda xy: __import__("numpy").column_stack(
        to_gk.transform(xy[:, 0], xy[:, 1])))
    data = {"type": "Feature", "properties": {},
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}},
            "geometry": shapely.geometry.mapping(projected)}
    [shape] = geometry.read_geojson(data)
    assert shape.geometry.equals_exact(poly, 1e-7)
    assert any("4548" in n or "Gauss" in n for n in shape.notes)


def test_an_unknown_crs_is_refused():
    with pytest.raises(ValidationFailed, match="Unknown coordinate system"):
        geometry.read_geojson(square(*A, 100), crs="EPSG:999999")


def test_a_zone_must_be_a_polygon():
    with pytest.raises(ValidationFailed, match="must be a polygon"):
        geometry.read_geojson({"type": "Point", "coordinates": list(A)})


def test_malformed_geojson_is_refused():
    with pytest.raises(ValidationFailed, match="Not valid GeoJSON"):
        geometry.read_geojson("{not json")
    with pytest.raises(ValidationFailed, match="not a readable geometry"):
        geometry.read_geojson({"type": "Polygon", "coordinates": [[[117.7, 39.0]]]})


def _kml(*layers):
    folders = "".join(
        f"<Folder><name>{name}</name>" + "".join(
            f"<Placemark><name>{pm}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
            + " ".join(f"{x},{y},0" for x, y in square(*A, size)["coordinates"][0])
            + "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
            for pm, size in marks) + "</Folder>" for name, marks in layers)
    return (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document>{folders}</Document></kml>").encode()


def test_kml_with_several_layers_is_refused_naming_them():
    content = _kml(("保护范围", [("WB0001", 100)]), ("底图", [("道路", 900)]))
    with pytest.raises(ValidationFailed) as error:
        geometry.read_kml(content)
    assert "保护范围" in str(error.value.message) and "底图" in str(error.value.message)
    assert error.value.details["field"] == "layer"


def test_kml_layer_chosen_is_imported_alone():
    content = _kml(("保护范围", [("WB0001", 100)]), ("底图", [("道路", 900)]))
    shapes = geometry.read_kml(content, layer="保护范围")
    assert [s.name for s in shapes] == ["WB0001"]
    with pytest.raises(ValidationFailed, match="no layer"):
        geometry.read_kml(content, layer="不存在")


def _shapefile_zip(polygon, prj: str | None) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as w:
        w.field("site", "C", 20)
        w.field("kind", "C", 20)
        w.poly([list(polygon.exterior.coords)])
        w.record("WB0001", "protection")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("zones.shp", shp.getvalue())
        z.writestr("zones.shx", shx.getvalue())
        z.writestr("zones.dbf", dbf.getvalue())
        if prj:
            z.writestr("zones.prj", prj)
    return out.getvalue()


def test_zipped_shapefile_with_its_prj_is_read_and_transformed():
    from pyproj import CRS

    to_gk = Transformer.from_crs(4326, 4548, always_xy=True)
    poly = shapely.geometry.shape(square(*A, 100))
    projected = shapely.Polygon([to_gk.transform(x, y) for x, y in poly.exterior.coords])
    content = _shapefile_zip(projected, CRS.from_epsg(4548).to_wkt("WKT1_ESRI"))
    [shape] = geometry.read_file("zones.zip", content)
    assert shape.properties["site"] == "WB0001"
    assert shape.geometry.buffer(0).symmetric_difference(poly).area < poly.area * 1e-6


def test_a_zip_without_the_shapefile_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ValidationFailed, match="lacks"):
        geometry.read_file("x.zip", out.getvalue())
    with pytest.raises(ValidationFailed, match="Upload GeoJSON"):
        geometry.read_file("x.dwg", b"...")
