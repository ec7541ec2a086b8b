from __future__ import annotations

import io

from django.http import HttpResponse

from minsheng.core.spreadsheets import write_xlsx
from minsheng.culture import geometry
from minsheng.culture.config import setting
from minsheng.culture.services import exports


def xlsx_response(a, name: str, title: str, header: list[str], rows) -> HttpResponse:
    rows = list(rows)
    buffer = io.BytesIO()
    write_xlsx(buffer, [(title, header, rows)])
    exports.export_record(actor=a, name=name, rows=len(rows))
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def map_settings() -> dict:
    """What the map script needs besides the shapes: the optional tile layer."""
    return {"tiles": setting("MAP_TILES_URL"), "attribution": setting("MAP_TILES_ATTRIBUTION"),
            "bounds": list(setting("DISTRICT_BOUNDS"))}


def read_shapes(data: dict, *, polygon_only: bool) -> list[geometry.Shape]:
    """The geometry of a GeometryInput form: the uploaded file, else the pasted GeoJSON,
    else (a check form) the point typed in."""
    upload = data.get("file")
    options = {"repair": data.get("repair", False), "polygon_only": polygon_only}
    if upload:
        return geometry.read_file(upload.name, upload.read(), crs=data.get("crs") or None,
                                  layer=data.get("layer") or "", **options)
    if (data.get("geometry") or "").strip():
        return geometry.read_geojson(data["geometry"], crs=data.get("crs") or None, **options)
    import shapely

    return [geometry.finish(shapely.Point(data["lon"], data["lat"]), polygon_only=False)]
