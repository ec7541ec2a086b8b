"""Deaths and mid-year population by age group, sex and subdistrict, from the people
registry (core.Person), aggregated in SQL: the database groups people by birth year and
whether their birthday falls before the reference day, so no Python loop runs per person;
and the life tables built from them. Unscoped: engines (indicator sources) call these;
pages and the API go through `selectors.life_tables`, which limits them to the actor."""

from __future__ import annotations

import datetime

import numpy as np
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from minsheng.core.models import Area, Person
from minsheng.health.lifetable import (
    AGE_STARTS,
    LifeTable,
    LifeTableError,
    age_group_index,
    life_table,
)


def _subdistrict():
    return Case(When(residence_area__level=Area.Level.COMMUNITY,
                     then=F("residence_area__parent_id")),
                default=F("residence_area_id"), output_field=IntegerField())


def mid_year_population(year: int) -> dict[int, np.ndarray]:
    """{subdistrict id: (2 sexes, 19 age groups) array} of people alive and resident on
    1 July of `year` (living, or left/died after that day)."""
    mid = datetime.date(year, 7, 1)
    present = Q(birth_date__lte=mid) & (Q(status=Person.Status.LIVING)
                                        | Q(status_date__gt=mid) | Q(status_date=None))
    # birthday reached by 1 July: born January-June, or on 1 July
    reached = Case(When(Q(birth_date__month__lt=7) | Q(birth_date__month=7, birth_date__day=1),
                        then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = (Person.objects.filter(present)
            .annotate(sub=_subdistrict(), by=ExtractYear("birth_date"), late=reached)
            .values("sub", "sex", "by", "late").annotate(n=Count("id")).order_by()
            .values_list("sub", "sex", "by", "late", "n"))
    return _bin(rows, year)


def deaths(year: int) -> dict[int, np.ndarray]:
    """{subdistrict id: (2, 19) array} of deaths in `year` by age at death."""
    rows = (Person.objects.filter(status=Person.Status.DECEASED, status_date__year=year)
            .annotate(sub=_subdistrict(), by=ExtractYear("birth_date"),
                      bm=ExtractMonth("birth_date"), bd=ExtractDay("birth_date"),
                      dm=ExtractMonth("status_date"), dd=ExtractDay("status_date"))
            .annotate(late=Case(When(Q(dm__gt=F("bm")) | Q(dm=F("bm"), dd__gte=F("bd")),
                                     then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
            .values("sub", "sex", "by", "late").annotate(n=Count("id")).order_by()
            .values_list("sub", "sex", "by", "late", "n"))
    return _bin(rows, year)


def _bin(rows, year: int) -> dict[int, np.ndarray]:
    rows = list(rows)
    out: dict[int, np.ndarray] = {}
    if not rows:
        return out
    sub = np.array([r[0] for r in rows])
    sex = np.array([0 if r[1] == "M" else 1 for r in rows])
    age = np.maximum(0, year - np.array([r[2] for r in rows]) - np.array([r[3] for r in rows]))
    n = np.array([r[4] for r in rows], dtype=float)
    group = age_group_index(age)
    for s in np.unique(sub):
        grid = np.zeros((2, len(AGE_STARTS)))
        mask = sub == s
        np.add.at(grid, (sex[mask], group[mask]), n[mask])
        out[int(s)] = grid
    return out


def years_with_deaths() -> list[int]:
    """Years covered by the death register: from the first full year of recorded deaths (a
    register that starts in, say, December would make that year look almost deathless)."""
    years = sorted({d.year for d in Person.objects.filter(status=Person.Status.DECEASED)
                    .exclude(status_date=None).dates("status_date", "year")})
    if not years:
        return []
    first = (Person.objects.filter(status=Person.Status.DECEASED).exclude(status_date=None)
             .order_by("status_date").values_list("status_date", flat=True).first())
    if first > datetime.date(first.year, 1, 31):
        years = years[1:]
    return years


def complete_years() -> list[int]:
    """Complete calendar years with recorded deaths (the years a life table can be built
    for)."""
    today = timezone.localdate()
    return [y for y in years_with_deaths() if datetime.date(y, 12, 31) < today]


def compute_life_tables(year: int, *, sex: str | None = None,
                        area_ids: set[int] | None = None) -> list[dict]:
    """Life table of the district and each subdistrict for `year` (both sexes unless `sex`
    is "M" or "F"), limited to `area_ids` when given."""
    pop = mid_year_population(year)
    dead = deaths(year)
    rows = []
    pick = slice(None) if sex is None else (0 if sex == "M" else 1)
    areas = {a.id: a for a in Area.objects.filter(level__in=[Area.Level.DISTRICT,
                                                             Area.Level.SUBDISTRICT])}
    totals_p = sum(pop.values()) if pop else None
    totals_d = sum(dead.values()) if dead else None
    district = next((a for a in areas.values() if a.level == Area.Level.DISTRICT), None)
    candidates = []
    if district is not None and totals_p is not None:
        candidates.append((district, totals_p, totals_d if totals_d is not None else
                           np.zeros_like(totals_p)))
    for sub_id in sorted(pop, key=lambda i: areas[i].code if i in areas else ""):
        if sub_id in areas and areas[sub_id].level == Area.Level.SUBDISTRICT:
            candidates.append((areas[sub_id], pop[sub_id],
                               dead.get(sub_id, np.zeros_like(pop[sub_id]))))
    for area, p, d in candidates:
        if area_ids is not None and area.id not in area_ids:
            continue
        p_sel = p[pick].sum(axis=0) if sex is None else p[pick]
        d_sel = d[pick].sum(axis=0) if sex is None else d[pick]
        entry = {"area": area, "area_id": area.id, "year": year, "sex": sex or "",
                 "population": float(p_sel.sum()), "deaths": float(d_sel.sum())}
        try:
            table: LifeTable = life_table(d_sel, p_sel)
        except LifeTableError as exc:
            entry.update(table=None, e0=None, ci=None, warnings=[str(exc)])
        else:
            entry.update(table=table, e0=table.e0, ci=table.ci, warnings=table.warnings)
        rows.append(entry)
    return rows
