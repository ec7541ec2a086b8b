"""The national list of notifiable diseases, shipped as package data (data/*.csv; sources in
data/SOURCES.md). Loading it into the database is `services.diseases_sync`."""

from __future__ import annotations

import csv
import json
from importlib import resources

# Fields that come from the national list; a district's detection configuration (method,
# params, detection_enabled) is its own unless it asks for the national one back.
NATIONAL_FIELDS = ["name_zh", "name_en", "klass", "icd10", "report_hours"]
CONFIGURATION_FIELDS = ["method", "params"]


def disease_rows() -> list[dict]:
    text = resources.files("minsheng.health").joinpath("data/notifiable_diseases.csv")
    with text.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["params"] = json.loads(row["params"] or "{}")
        row["report_hours"] = int(row["report_hours"])
        row["klass"] = row.pop("class")
    return rows


def sync_diseases(model=None, *, keep_configuration: bool = True) -> tuple[int, int]:
    """Load the national list as the platform (kept for callers that predate the service;
    `model` is ignored)."""
    from minsheng.core.access import system_actor
    from minsheng.health.services import diseases_sync

    return diseases_sync(actor=system_actor(), keep_configuration=keep_configuration)
