"""Calendar arithmetic shared by every module: months that keep their ends, month ranges.

Working days (legal time limits) are in `core.workdays`; this module is plain calendar."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later. A day that the target month lacks becomes its last day
    (31 Jan + 1 month = 28/29 Feb), and a month end stays a month end (28 Feb + 12 months
    = 28 Feb; 30 Apr + 1 month = 31 May), so a benefit granted for whole months runs to the
    matching end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = days_in_month(year, month)
    if day.day == days_in_month(day.year, day.month):
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(day.day, last))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=days_in_month(day.year, day.month))


def next_month_start(day: datetime.date) -> datetime.date:
    return month_end(day) + datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """First days of the months from start's month to end's month, both included."""
    current = month_start(start)
    while current <= end:
        yield current
        current = next_month_start(current)


def month_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the month of `day`."""
    return month_start(day), month_end(day)
