"""The national list of notifiable diseases, shipped as package data (data/*.csv; sources in
data/SOURCES.md)."""

from __future__ import annotations

import csv
import json
from importlib import resources


def disease_rows() -> list[dict]:
    text = resources.files("minsheng.health").joinpath("data/notifiable_diseases.csv")
    with text.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["params"] = json.loads(row["params"] or "{}")
        row["report_hours"] = int(row["report_hours"])
        row["klass"] = row.pop("class")
    return rows


def sync_diseases(model, *, keep_configuration: bool = True) -> tuple[int, int]:
    """Insert missing diseases and refresh names/codes of known ones. A district's detection
    configuration (method, params) is kept unless `keep_configuration` is False."""
    created = updated = 0
    existing = {d.code: d for d in model.objects.all()}
    for row in disease_rows():
        found = existing.get(row["code"])
        if found is None:
            model.objects.create(**row)
            created += 1
            continue
        fields = ["name_zh", "name_en", "klass", "icd10", "report_hours"]
        if not keep_configuration:
            fields += ["method", "params"]
        for f in fields:
            setattr(found, f, row[f])
        found.save(update_fields=fields)
        updated += 1
    return created, updated
