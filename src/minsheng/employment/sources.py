"""Indicator sources computed from employment records (registered in AppConfig.ready).

`compute(start, end)` covers every calendar month that intersects [start, end] (the month
of `end` in full). Definitions (per community of residence unless stated, per calendar month):

- ``employment.new_jobs`` (sum): urban new jobs = employment spells that *start* in the
  month as new employment (not a transfer between employers: a person moving directly
  from one employer to another is not a new job) minus natural attrition = spells that end
  in the month by retirement or death. This follows the NBS/MOHRSS definition of 城镇新增
  就业人数 (累计新就业人数 − 自然减员人数).
- ``employment.registered_unemployed`` (last): people with an open unemployment
  registration at the end of the month.
- ``employment.employed`` (last): distinct people with an open employment spell at the end
  of the month (residence community).
- ``employment.insured_workers`` / ``employment.workers_total`` (last): open employment
  spells at month end by *workplace* area, insured / all (the 职工参保率 is their ratio).
- ``employment.difficulty_placements`` / ``employment.graduate_placements`` (sum):
  placements in the month of employment-difficulty people / graduates within 2 years.
- ``employment.benefit_recipients`` (last): people receiving unemployment benefit at the
  end of the month.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from minsheng.core.dates import month_end, month_start, months_between, next_month_start
from minsheng.employment.models import (
    BenefitClaim,
    Employment,
    Placement,
    UnemploymentRegistration,
)
from minsheng.indicators.registry import Source


def months(start: datetime.date, end: datetime.date):
    """(first day, last day) of each month from start's to end's."""
    for first in months_between(start, end):
        yield first, month_end(first)


def _monthly_counts(qs, date_field: str, area_field: str, start, end) -> dict:
    after = next_month_start(end)
    rows = (qs.filter(**{f"{date_field}__gte": month_start(start),
                         f"{date_field}__lt": after})
            .annotate(m=TruncMonth(date_field)).values(area_field, "m")
            .annotate(n=Count("id")).values_list(area_field, "m", "n"))
    return {(a, m if isinstance(m, datetime.date) else m.date()): n for a, m, n in rows}


def new_jobs(start, end):
    hires = _monthly_counts(Employment.objects.filter(start_kind="new"), "start_date",
                            "residence_area_id", start, end)
    attrition = _monthly_counts(
        Employment.objects.filter(end_reason__in=("retirement", "death")), "end_date",
        "residence_area_id", start, end)
    for key in sorted(set(hires) | set(attrition)):
        yield key[0], key[1], float(hires.get(key, 0) - attrition.get(key, 0))


def _stock(qs, start_field, end_field, area_field, start, end, distinct=None):
    for first, last in months(start, end):
        rows = (qs.filter(**{f"{start_field}__lte": last})
                .filter(Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": last}))
                .values(area_field)
                .annotate(n=Count(distinct or "id", distinct=bool(distinct)))
                .values_list(area_field, "n"))
        for area_id, n in rows:
            yield area_id, first, float(n)


def registered_unemployed(start, end):
    return _stock(UnemploymentRegistration.objects.all(), "registered_on", "closed_on",
                  "area_id", start, end)


def employed(start, end):
    return _stock(Employment.objects.all(), "start_date", "end_date", "residence_area_id",
                  start, end, distinct="person_id")


def insured_workers(start, end):
    return _stock(Employment.objects.filter(insured=True), "start_date", "end_date",
                  "workplace_area_id", start, end)


def workers_total(start, end):
    return _stock(Employment.objects.all(), "start_date", "end_date", "workplace_area_id",
                  start, end)


def difficulty_placements(start, end):
    counts = _monthly_counts(Placement.objects.filter(difficulty=True), "placed_on",
                             "area_id", start, end)
    return [(a, m, float(n)) for (a, m), n in sorted(counts.items())]


def graduate_placements(start, end):
    counts = _monthly_counts(Placement.objects.filter(graduate=True), "placed_on",
                             "area_id", start, end)
    return [(a, m, float(n)) for (a, m), n in sorted(counts.items())]


def benefit_recipients(start, end):
    for first, last in months(start, end):
        rows = (BenefitClaim.objects.filter(start_date__lte=last, end_date__gt=last)
                .values("area_id").annotate(n=Count("seeker_id", distinct=True))
                .values_list("area_id", "n"))
        for area_id, n in rows:
            yield area_id, first, float(n)


SOURCES = [
    Source("employment.new_jobs", "城镇新增就业人数", "人", "month", "sum", new_jobs,
           _("New employment starts (excluding transfers between employers) minus retirements "
             "and deaths, by community of residence")),
    Source("employment.registered_unemployed", "城镇登记失业人数", "人", "month", "last",
           registered_unemployed, _("Open unemployment registrations at month end")),
    Source("employment.employed", "城镇就业人数", "人", "month", "last", employed,
           _("People with an open employment spell at month end, by residence")),
    Source("employment.insured_workers", "参保职工人数", "人", "month", "last",
           insured_workers, _("Insured open employment spells at month end, by workplace")),
    Source("employment.workers_total", "职工总数", "人", "month", "last", workers_total,
           _("Open employment spells at month end, by workplace")),
    Source("employment.difficulty_placements", "就业困难人员实现就业人数", "人", "month", "sum",
           difficulty_placements, _("Placements of employment-difficulty people")),
    Source("employment.graduate_placements", "高校毕业生实现就业人数", "人", "month", "sum",
           graduate_placements, _("Placements of graduates within two years")),
    Source("employment.benefit_recipients", "失业保险金领取人数", "人", "month", "last",
           benefit_recipients, _("People receiving unemployment benefit at month end")),
]
