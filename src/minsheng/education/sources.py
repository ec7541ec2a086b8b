"""Indicator sources of the education module (registered from EducationConfig.ready).
Each counts the people of `figures` per residence community with one grouped query per
year; the engine rolls communities up to subdistricts and the district. A year's figure is
taken as of 31 December, so a past year recomputes to the same value."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from minsheng.indicators.registry import Source, register_source


def _years(start: datetime.date, end: datetime.date):
    year = start.year
    while datetime.date(year, 1, 1) < end:
        yield year
        year += 1


def _by_area(people, year: int):
    rows = people.values("residence_area_id").annotate(n=Count("id", distinct=True))
    return [(r["residence_area_id"], datetime.date(year, 1, 1), float(r["n"])) for r in rows]


def preschool_enrolled(start, end):
    from minsheng.education import figures

    return [row for y in _years(start, end)
            for row in _by_area(figures.preschool_enrolled(figures.year_end(y)), y)]


def preschool_age_population(start, end):
    from minsheng.education import figures

    return [row for y in _years(start, end)
            for row in _by_area(figures.preschool_age_population(figures.year_end(y)), y)]


def compulsory_cohort(start, end):
    from minsheng.education import figures

    return [row for y in _years(start, end)
            for row in _by_area(figures.compulsory_cohort(y, figures.year_end(y)), y)]


def compulsory_retained(start, end):
    from minsheng.education import figures

    return [row for y in _years(start, end)
            for row in _by_area(figures.compulsory_retained(y, figures.year_end(y)), y)]


def out_of_school_found(start, end):
    """Children confirmed out of school, by the year their case was opened."""
    from minsheng.education.models import DropoutCase

    rows = (DropoutCase.objects.filter(discovered_on__gte=start, discovered_on__lt=end)
            .exclude(state="on_roll").values("person__residence_area_id", "discovered_on__year")
            .annotate(n=Count("id")))
    return [(r["person__residence_area_id"], datetime.date(r["discovered_on__year"], 1, 1),
             float(r["n"])) for r in rows]


def out_of_school_returned(start, end):
    from minsheng.education.models import DropoutCase

    rows = (DropoutCase.objects.filter(returned_on__gte=start, returned_on__lt=end)
            .values("person__residence_area_id", "returned_on__year").annotate(n=Count("id")))
    return [(r["person__residence_area_id"], datetime.date(r["returned_on__year"], 1, 1),
             float(r["n"])) for r in rows]


def aid_recipients(start, end):
    from minsheng.education.models import AidApplication

    rows = (AidApplication.objects.filter(state__in=("approved", "paid"),
                                          decided_on__gte=start, decided_on__lt=end)
            .values("area_id", "decided_on__year").annotate(n=Count("person", distinct=True)))
    return [(r["area_id"], datetime.date(r["decided_on__year"], 1, 1), float(r["n"]))
            for r in rows]


SOURCES = [
    ("preschool_enrolled", "在园幼儿数", "人", "last", preschool_enrolled,
     _("Registry residents on a kindergarten roll on 31 December, any age.")),
    ("preschool_age_population", "学前教育适龄人口", "人", "last", preschool_age_population,
     _("Living residents aged 3 to 5 on 31 December.")),
    ("compulsory_cohort", "义务教育入学年级学生数", "人", "last", compulsory_cohort,
     _("The cohort that started grade 1 nine years earlier, with transfers in, without "
       "deaths and departures.")),
    ("compulsory_retained", "义务教育毕业年级学生数", "人", "last", compulsory_retained,
     _("Of that cohort, those who completed grade 9 or are still in compulsory school.")),
    ("out_of_school_found", "排查发现失学辍学儿童数", "人", "sum", out_of_school_found,
     _("Out-of-school cases opened in the year, less those found on a roll.")),
    ("out_of_school_returned", "劝返复学儿童数", "人", "sum", out_of_school_returned,
     _("Out-of-school children back at school, by the year of return.")),
    ("aid_recipients", "学前教育资助人数", "人", "sum", aid_recipients,
     _("Kindergarten children granted preschool aid, by the year of the decision.")),
]


def register() -> None:
    for code, name, unit, aggregation, compute, description in SOURCES:
        register_source(Source(code=f"education.{code}", name=name, unit=unit, period="year",
                               aggregation=aggregation, compute=compute,
                               description=description))
