"""Geometry in: GeoJSON, KML and Shapefile to shapely geometries in WGS-84 (lon, lat),
refused or repaired with the reason in words. Every rule a drawn or imported shape must
pass lives here, so the page, the API and the CLI refuse the same input the same way.

Done with shapely (GEOS) and pyproj (PROJ); nothing is hand-written geometry."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

import shapely
from django.utils.translation import gettext as _
from lxml import etree
from pyproj import CRS, Transformer
from shapely.geometry import mapping, shape

from minsheng.core.errors import ValidationFailed
from minsheng.culture.config import setting

WGS84 = CRS.from_epsg(4326)
KML_NS = "{http://www.opengis.net/kml/2.2}"


@dataclass
class Shape:
    """One geometry ready to store: WGS-84, valid, inside the district."""

    geometry: object  # shapely geometry
    name: str = ""
    properties: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # transformed from ..., repaired ...

    @property
    def geojson(self) -> dict:
        return mapping(self.geometry)


def _refuse(message: str, field_name: str = "geometry") -> ValidationFailed:
    return ValidationFailed(message, field=field_name)


# --- coordinate systems -----------------------------------------------------------------

def _crs_of(value) -> CRS | None:
    """A GeoJSON 2008 `crs` member or a name like 'EPSG:3857'; None for none given."""
    if not value:
        return None
    name = value
    if isinstance(value, dict):
        name = (value.get("properties") or {}).get("name", "")
    try:
        return CRS.from_user_input(str(name))
    except Exception as exc:  # pyproj.exceptions.CRSError
        raise _refuse(_("Unknown coordinate system: %s") % name) from exc


def to_wgs84(geom, crs: CRS | None, notes: list[str]):
    if crs is None or crs.equals(WGS84, ignore_axis_order=True):
        return geom
    if crs.is_geographic and crs.ellipsoid and crs.ellipsoid.name.startswith("CGCS2000"):
        # CGCS2000 and WGS-84 coincide within centimetres: no transformation needed.
        notes.append(_("Coordinates in %s taken as WGS-84 (they agree within centimetres).")
                     % crs.name)
        return geom
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    notes.append(_("Transformed from %s to WGS-84.") % crs.name)
    return shapely.transform(geom, lambda xy: _apply(transformer, xy))


def _apply(transformer, xy):
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def metric_transformer():
    return Transformer.from_crs(WGS84, CRS.from_user_input(setting("METRIC_CRS")),
                                always_xy=True)


def to_metric(geom, transformer=None):
    transformer = transformer or metric_transformer()
    return shapely.transform(geom, lambda xy: _apply(transformer, xy))


# --- the rules every shape passes ---------------------------------------------------------

def _inside_bounds(bounds, box) -> bool:
    return (bounds[0] >= box[0] and bounds[1] >= box[1] and bounds[2] <= box[2]
            and bounds[3] <= box[3])


def check_position(geom) -> None:
    """Refuse projected coordinates given as degrees, swapped lat/lon, and positions
    outside the district, each with its own reason."""
    minx, miny, maxx, maxy = geom.bounds
    box = tuple(setting("DISTRICT_BOUNDS"))
    if _inside_bounds(geom.bounds, box):
        return
    if _inside_bounds((miny, minx, maxy, maxx), box):
        raise _refuse(_("Latitude and longitude appear swapped: GeoJSON lists longitude "
                        "first (e.g. [117.7, 39.0])."))
    if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
        raise _refuse(_("The coordinates are not longitude/latitude degrees (values up to "
                        "%(v).0f): they look projected. Give the coordinate system (e.g. "
                        "EPSG:3857 or EPSG:4548) and import again.") % {
                          "v": max(abs(minx), abs(maxx), abs(miny), abs(maxy))})
    raise _refuse(_("The shape lies outside the district (%(b)s); first point %(p)s.") % {
        "b": "{:.2f},{:.2f} – {:.2f},{:.2f}".format(*box),
        "p": "{:.5f}, {:.5f}".format(*_first_point(geom))})


def _first_point(geom):
    return shapely.get_coordinates(geom)[0]


def _polygonal(geom):
    """The polygon parts of a repaired geometry (make_valid may add stray lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def check_validity(geom, *, repair: bool, notes: list[str]):
    """Refuse an invalid polygon with GEOS's reason, or repair it when asked (GEOS
    make_valid: a bow-tie becomes two triangles; a ring that encloses nothing is refused)."""
    if geom.is_empty:
        raise _refuse(_("The shape is empty."))
    if shapely.is_valid(geom):
        return geom
    reason = shapely.is_valid_reason(geom)
    if not repair:
        raise _refuse(_("The polygon is invalid (%s). Correct it, or tick “repair” to "
                        "let the platform repair it.") % reason)
    fixed = _polygonal(shapely.make_valid(geom))
    if fixed is None or fixed.is_empty or fixed.area == 0:
        raise _refuse(_("The polygon is invalid (%s) and cannot be repaired: nothing of "
                        "it encloses an area.") % reason)
    parts = len(getattr(fixed, "geoms", [fixed]))
    if parts > 1:
        notes.append(_("Repaired into %d parts.") % parts)
    notes.append(_("Repaired: %s") % reason)
    return fixed


def finish(geom, *, crs=None, repair=False, polygon_only=True, name="", properties=None,
           notes=None) -> Shape:
    notes = list(notes or [])
    if polygon_only and geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise _refuse(_("A zone must be a polygon (got %s).") % geom.geom_type)
    if not polygon_only and geom.geom_type not in ("Point", "Polygon", "MultiPolygon"):
        raise _refuse(_("A project location must be a point or a polygon (got %s).")
                      % geom.geom_type)
    if crs is None:
        check_position(geom)  # before anything: degrees, swapped, outside
    geom = to_wgs84(geom, crs, notes)
    check_position(geom)
    if geom.geom_type != "Point":
        geom = check_validity(geom, repair=repair, notes=notes)
    return Shape(geom, name=name, properties=properties or {}, notes=notes)


# --- readers --------------------------------------------------------------------------------

def _shape_of(geometry: dict, where: str):
    try:
        return shape(geometry)
    except Exception as exc:  # shapely raises several kinds for malformed coordinates
        raise _refuse(_("%(w)s: not a readable geometry (%(e)s).") % {"w": where, "e": exc}) \
            from exc


def read_geojson(data, *, crs=None, repair=False, polygon_only=True) -> list[Shape]:
    """A Geometry, Feature or FeatureCollection (text or parsed)."""
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise _refuse(_("Not valid GeoJSON: %s") % exc) from exc
    if not isinstance(data, dict) or "type" not in data:
        raise _refuse(_("Not valid GeoJSON: a geometry, feature or feature collection is "
                        "expected."))
    crs = _crs_of(crs) or _crs_of(data.get("crs"))
    if data["type"] == "FeatureCollection":
        features = data.get("features") or []
    elif data["type"] == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    if not features:
        raise _refuse(_("The file holds no features."))
    shapes = []
    for n, feature in enumerate(features, 1):
        where = _("Feature %d") % n
        props = feature.get("properties") or {}
        if not feature.get("geometry"):
            raise _refuse(_("%s has no geometry.") % where)
        geom = _shape_of(feature["geometry"], where)
        try:
            shapes.append(finish(geom, crs=crs, repair=repair, polygon_only=polygon_only,
                                 name=str(props.get("name", ""))[:200], properties=props))
        except ValidationFailed as error:
            if len(features) == 1:
                raise
            raise _refuse(f"{where}: {error.message}") from error
    return shapes


def _kml_coords(text: str):
    points = []
    for token in (text or "").split():
        parts = token.split(",")
        points.append((float(parts[0]), float(parts[1])))
    return points


def _kml_geometry(placemark):
    polys = []
    for poly in placemark.iter(f"{KML_NS}Polygon"):
        outer = poly.find(f"{KML_NS}outerBoundaryIs//{KML_NS}coordinates")
        inner = [_kml_coords(c.text) for c in
                 poly.findall(f"{KML_NS}innerBoundaryIs//{KML_NS}coordinates")]
        polys.append(shapely.Polygon(_kml_coords(outer.text), inner))
    if polys:
        return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
    point = placemark.find(f".//{KML_NS}Point/{KML_NS}coordinates")
    if point is not None:
        return shapely.Point(_kml_coords(point.text)[0])
    return None


def kml_layers(content: bytes) -> dict[str, list]:
    """Placemarks by layer (the innermost Folder, else the Document)."""
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False,
                                                         no_network=True))
    except etree.XMLSyntaxError as exc:
        raise _refuse(_("Not valid KML: %s") % exc) from exc
    layers: dict[str, list] = {}
    for placemark in root.iter(f"{KML_NS}Placemark"):
        parent = placemark.getparent()
        while parent is not None and parent.tag not in (f"{KML_NS}Folder",
                                                        f"{KML_NS}Document"):
            parent = parent.getparent()
        name = parent.findtext(f"{KML_NS}name") if parent is not None else None
        layers.setdefault(name or _("(unnamed layer)"), []).append(placemark)
    return layers


def read_kml(content: bytes, *, layer: str = "", repair=False, polygon_only=True):
    """KML is always WGS-84. Several layers: the caller names one (refused otherwise, with
    the layers listed), so a survey's base lines are never imported as zones."""
    layers = kml_layers(content)
    if not layers:
        raise _refuse(_("The KML holds no placemarks."))
    if layer:
        if layer not in layers:
            raise _refuse(_("The KML has no layer “%(l)s”; its layers: %(all)s.") % {
                "l": layer, "all": "、".join(layers)}, "layer")
        chosen = layers[layer]
    elif len(layers) > 1:
        raise _refuse(_("The KML has %(n)d layers (%(all)s): choose the one to import.")
                      % {"n": len(layers), "all": "、".join(layers)}, "layer")
    else:
        chosen = next(iter(layers.values()))
    shapes = []
    for n, placemark in enumerate(chosen, 1):
        name = placemark.findtext(f"{KML_NS}name") or ""
        try:
            geom = _kml_geometry(placemark)
        except (AttributeError, ValueError, IndexError) as exc:
            raise _refuse(_("Placemark %(n)d (%(name)s): unreadable coordinates.")
                          % {"n": n, "name": name}) from exc
        if geom is None:
            continue
        props = {d.get("name"): d.findtext(f"{KML_NS}value") for d in
                 placemark.iter(f"{KML_NS}Data")}
        try:
            shapes.append(finish(geom, repair=repair, polygon_only=polygon_only,
                                 name=name[:200], properties={"name": name, **props}))
        except ValidationFailed as error:
            raise _refuse(f"{name or n}: {error.message}") from error
    if not shapes:
        raise _refuse(_("The chosen layer holds no polygons."))
    return shapes


def read_shapefile(content: bytes, *, repair=False, polygon_only=True):
    """A zipped Shapefile (.shp, .shx, .dbf, and .prj for its coordinate system)."""
    import shapefile  # pyshp

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise _refuse(_("A Shapefile is uploaded as one .zip with its .shp, .shx and .dbf."))\
            from exc
    names = {n.rsplit(".", 1)[-1].lower(): n for n in archive.namelist() if "." in n}
    if not {"shp", "dbf"} <= set(names):
        raise _refuse(_("The .zip lacks the .shp or .dbf part of the Shapefile."))
    crs = None
    if "prj" in names:
        crs = _crs_of(archive.read(names["prj"]).decode("utf-8", "replace"))
    reader = shapefile.Reader(shp=io.BytesIO(archive.read(names["shp"])),
                              dbf=io.BytesIO(archive.read(names["dbf"])),
                              shx=io.BytesIO(archive.read(names["shx"]))
                              if "shx" in names else None, encoding="utf-8")
    shapes = []
    for n, record in enumerate(reader.iterShapeRecords(), 1):
        props = record.record.as_dict()
        geom = _shape_of(record.shape.__geo_interface__, _("Record %d") % n)
        try:
            shapes.append(finish(geom, crs=crs, repair=repair, polygon_only=polygon_only,
                                 name=str(props.get("name", ""))[:200], properties=props))
        except ValidationFailed as error:
            raise _refuse(_("Record %(n)d: %(m)s") % {"n": n, "m": error.message}) from error
    return shapes


def read_file(name: str, content: bytes, *, crs=None, layer="", repair=False,
              polygon_only=True) -> list[Shape]:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("json", "geojson"):
        return read_geojson(content, crs=crs, repair=repair, polygon_only=polygon_only)
    if suffix == "kml":
        return read_kml(content, layer=layer, repair=repair, polygon_only=polygon_only)
    if suffix == "zip":
        return read_shapefile(content, repair=repair, polygon_only=polygon_only)
    raise _refuse(_("Upload GeoJSON (.geojson/.json), KML (.kml) or a zipped Shapefile "
                    "(.zip)."), "file")
