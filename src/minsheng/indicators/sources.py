"""Sources computed from the core registry: resident population and population by age group
(the denominators of per-capita and enrolment indicators).

Each runs ONE grouped query over the people table (area x birth month x status x status
month) and derives every month's counts from it with numpy, so a million residents cost one
scan, not one query per month or a loop per person.
"""

from __future__ import annotations

import datetime

import numpy as np
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.indicators.engine import period_end, periods
from minsheng.indicators.registry import Source, register_source

# (code suffix, Chinese name, first age, last age or None)
AGE_GROUPS = [
    ("0_2", "0-2岁常住人口", 0, 2),
    ("3_5", "3-5岁常住人口", 3, 5),
    ("6_14", "6-14岁常住人口", 6, 14),
    ("15_59", "15-59岁常住人口", 15, 59),
    ("60_plus", "60岁及以上常住人口", 60, None),
]


def _population_groups():
    from minsheng.core.models import Person

    rows = (Person.objects.values("residence_area_id", "status")
            .annotate(by=ExtractYear("birth_date"), bm=ExtractMonth("birth_date"),
                      sy=ExtractYear("status_date"), sm=ExtractMonth("status_date"))
            .values_list("residence_area_id", "status", "by", "bm", "sy", "sm")
            .annotate(n=Count("id")).order_by())
    data = list(rows)
    if not data:
        return None
    area = np.array([r[0] for r in data])
    living = np.array([r[1] == "living" for r in data])
    birth = np.array([r[2] * 12 + r[3] - 1 for r in data])
    left = np.array([(r[4] * 12 + r[5] - 1) if r[4] is not None else 10**9 for r in data])
    left = np.where(living, 10**9, left)
    n = np.array([r[6] for r in data], dtype=float)
    return area, birth, left, n


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _counts(groups, reference: datetime.date, lo: int | None = None, hi: int | None = None):
    """People resident at the end of the month of ``reference`` (born by then, not yet
    deceased or moved out), optionally with an age in [lo, hi] years in whole months."""
    area, birth, left, n = groups
    m = _month_index(reference)
    mask = (birth <= m) & (left > m)
    age_months = m - birth
    if lo is not None:
        mask &= age_months >= lo * 12
    if hi is not None:
        mask &= age_months < (hi + 1) * 12
    if not mask.any():
        return {}
    ids, inverse = np.unique(area[mask], return_inverse=True)
    sums = np.bincount(inverse, weights=n[mask])
    return dict(zip(ids.tolist(), sums.tolist(), strict=True))


def resident_population(start: datetime.date, end: datetime.date):
    groups = _population_groups()
    if groups is None:
        return
    for p in periods(start, end, "month"):
        for area_id, count in _counts(groups, period_end(p, "month")).items():
            yield area_id, p, count


def _age_group(lo: int, hi: int | None):
    def compute(start: datetime.date, end: datetime.date):
        groups = _population_groups()
        if groups is None:
            return
        for p in periods(start, end, "year"):
            reference = min(period_end(p, "year"), end)
            for area_id, count in _counts(groups, reference, lo, hi).items():
                yield area_id, p, count
    return compute


def _age_group_description(ages: str) -> str:
    return gettext("Living residents aged %(ages)s at the year's end (core registry).") % {
        "ages": ages}


_age_group_text = lazy(_age_group_description, str)


def register_core_sources() -> None:
    register_source(Source(
        code="core.resident_population", name="常住人口", unit="人", period="month",
        aggregation="last", compute=resident_population,
        description=_("Living residents by residence area at each month's end (core "
                      "registry).")))
    for suffix, name, lo, hi in AGE_GROUPS:
        register_source(Source(
            code=f"core.population_{suffix}", name=name, unit="人", period="year",
            aggregation="last", compute=_age_group(lo, hi),
            description=_age_group_text(f"{lo}-{hi}" if hi is not None else f"{lo}+")))
