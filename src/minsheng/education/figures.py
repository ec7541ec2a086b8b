"""Who is behind each education figure, as of a date: the populations the indicator
sources count (grouped by residence community) and the drill-down pages list (scoped to
the viewer). One definition serves both, so a rate and its named children always agree.

Definitions (docs/education.md):
- preschool gross enrolment (学前教育毛入园率) = registry residents on a kindergarten roll on
  the date, any age / living residents aged 3-5 on the date (教育部《教育统计指标解释》);
- nine-year retention (九年义务教育巩固率) for year Y = children of the cohort that started
  grade 1 in September Y-9 who graduated from grade 9 or are still in compulsory school on
  the date / the same cohort, counting transfers in (any entry of the cohort in the
  district's compulsory schools) and leaving out those who died or left the district."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from minsheng.core.models import Person
from minsheng.education.config import setting
from minsheng.education.models import COMPULSORY_STAGES, Enrolment


def active_on(on: datetime.date) -> Q:
    """Roll entries in force on `on` (entered by then, not yet left)."""
    return Q(entry_date__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def living_on(on: datetime.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}birth_date__lte": on})
            & (Q(**{f"{prefix}status": "living"}) | Q(**{f"{prefix}status_date__gt": on})))


def years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def preschool_enrolled(on: datetime.date) -> QuerySet:
    """Registry residents on a kindergarten roll on `on`."""
    rolls = Enrolment.objects.filter(active_on(on), person=OuterRef("pk"),
                                     school__stage="kindergarten")
    return Person.objects.filter(Exists(rolls))


def preschool_age_population(on: datetime.date) -> QuerySet:
    """Living residents aged 3-5 on `on` (born after the 6th birthday bound, on or before
    the 3rd)."""
    low, high = setting("PRESCHOOL_AGES")
    return Person.objects.filter(living_on(on), birth_date__gt=years_before(on, high + 1),
                                 birth_date__lte=years_before(on, low))


def cohort_intake(year: int) -> int:
    """The grade-1 intake year of the cohort that completes grade 9 in `year`."""
    return year - setting("COMPULSORY_YEARS")


def _cohort_rolls(year: int, on: datetime.date):
    return Enrolment.objects.filter(person=OuterRef("pk"), intake_year=cohort_intake(year),
                                    school__stage__in=COMPULSORY_STAGES, entry_date__lte=on)


def compulsory_cohort(year: int, on: datetime.date) -> QuerySet:
    """The cohort completing grade 9 in `year`, without those who died or left the
    district by `on` (unless they are still, or again, on a roll)."""
    gone = Enrolment.objects.filter(person=OuterRef("pk"), left_on__lte=on,
                                    exit_reason__in=("deceased", "moved_away"))
    return (Person.objects.filter(Exists(_cohort_rolls(year, on)))
            .exclude(Q(Exists(gone)) & ~Q(Exists(_held(on))))
            .exclude(Q(status__in=("deceased", "moved_out"), status_date__lte=on)
                     & ~Q(Exists(_held(on)))))


def _held(on: datetime.date):
    """A roll entry that counts as retained: graduated from grade 9 by `on`, or still in
    compulsory school on `on`."""
    return Enrolment.objects.filter(
        Q(exit_reason="graduated", grade=9, left_on__lte=on)
        | (active_on(on) & Q(school__stage__in=COMPULSORY_STAGES)),
        person=OuterRef("pk"))


def compulsory_retained(year: int, on: datetime.date) -> QuerySet:
    return compulsory_cohort(year, on).filter(Exists(_held(on)))


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)
