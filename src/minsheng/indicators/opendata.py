"""Open data: published indicators as CSV and JSON with metadata (aggregates only; no
personal data). Only approved, unflagged values are published."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from minsheng.core.models import Area
from minsheng.indicators import engine, frames

LICENSE = "CC BY 4.0"


def published_rows():
    indicators = list(frames.published_indicators())
    by_code = frames.indicator_frames(indicators)
    areas = {a.id: a for a in Area.objects.all()}
    meta, rows = [], []
    for i in indicators:
        frame, kind = by_code[i.code]
        meta.append({"code": i.code, "name": i.name, "unit": i.unit, "formula": i.formula,
                     "period": kind, "description": i.description,
                     "department": i.department.name if i.department else ""})
        for a, p, v, z in frame[["area", "period", "value", "div_by_zero"]].itertuples(
                index=False):
            if z or v != v:
                continue
            area = areas[int(a)]
            rows.append({"indicator": i.code, "area_code": area.code, "area_name": area.name,
                         "area_level": area.level, "period": engine.period_label(p, kind),
                         "value": round(float(v), i.decimals)})
    return meta, rows


def as_json() -> dict:
    meta, rows = published_rows()
    return {"title": "民生指标开放数据", "license": LICENSE,
            "generated_at": timezone.now().isoformat(), "indicators": meta, "values": rows}


def as_csv() -> str:
    _, rows = published_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["indicator", "area_code", "area_name",
                                             "area_level", "period", "value"])
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()  # BOM: opens correctly in Chinese Excel
