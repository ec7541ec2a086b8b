"""Working-day arithmetic for legal time limits, on China's official calendar.

chinese-calendar knows official holidays and adjusted working days for the years it
ships. For other years the district must enter its calendar (WorkingDayOverride rows and a
confirmed CalendarYear); until then every computation that touches such a year raises
CalendarUnknown. Nothing is guessed.
"""

from __future__ import annotations

import datetime
import time

import chinese_calendar
from django.utils.translation import gettext as _

from minsheng.core.errors import CalendarUnknown

_CACHE_SECONDS = 60
_cache: dict = {"loaded_at": 0.0, "overrides": {}, "years": set()}


def invalidate() -> None:
    _cache["loaded_at"] = 0.0


def _district_calendar() -> tuple[dict[datetime.date, bool], set[int]]:
    from minsheng.core.models import CalendarYear, WorkingDayOverride

    if time.monotonic() - _cache["loaded_at"] > _CACHE_SECONDS:
        _cache["overrides"] = dict(WorkingDayOverride.objects.values_list("date",
                                                                          "is_working_day"))
        _cache["years"] = set(CalendarYear.objects.values_list("year", flat=True))
        _cache["loaded_at"] = time.monotonic()
    return _cache["overrides"], _cache["years"]


def is_working_day(day: datetime.date) -> bool:
    overrides, confirmed_years = _district_calendar()
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year in confirmed_years:
            return day.weekday() < 5
        raise CalendarUnknown(
            _("The official calendar for %(year)s is not known yet. An administrator must "
              "enter the year's holidays and confirm it before deadlines can be computed.")
            % {"year": day.year},
            details={"year": day.year},
        ) from None


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself is not counted).

    This is how statutory limits like "within 3 working days of acceptance" run: the
    deadline is the end of the third working day after the acceptance date.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
