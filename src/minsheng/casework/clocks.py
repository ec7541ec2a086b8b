"""Legal time limits as clocks that a page can show and a job can escalate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from minsheng.casework.config import setting
from minsheng.core import workdays


def due_in_working_days(start: datetime.date, days: int) -> datetime.date:
    return workdays.add_working_days(start, days)


def due_in_days(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def due_in_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    return start + datetime.timedelta(hours=hours)


@dataclass
class Clock:
    """A deadline with the date the work was done (if it was)."""

    label: str
    start: datetime.date
    due: datetime.date
    done: datetime.date | None = None

    def remaining(self, today: datetime.date) -> int:
        """Working days left (negative: overdue by that many)."""
        return workdays.working_days_between(today, self.due)

    def status(self, today: datetime.date) -> str:
        if self.done is not None:
            return "done_on_time" if self.done <= self.due else "done_late"
        if today > self.due:
            return "overdue"
        if self.remaining(today) <= setting("DUE_SOON_WORKING_DAYS"):
            return "due_soon"
        return "running"
