"""Legal time limits as clocks that a page can show and a job can escalate.

One `Clock` for every limit on the platform, in one of three kinds of time: working days
(the official calendar, `core.workdays`), calendar days, or hours (e.g. reporting a case
of a notifiable disease). A clock is built from the *configured* limit (`Clock.after`), so
its label says the district's number, never a national constant, and it says in words
what is due, by when, and how much time is left or how late it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.casework.config import setting
from minsheng.core import workdays

WORKING_DAYS, DAYS, HOURS = "working_days", "days", "hours"


def due_in_working_days(start: datetime.date, days: int) -> datetime.date:
    return workdays.add_working_days(start, days)


def due_in_days(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def due_in_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    return start + datetime.timedelta(hours=hours)


def amount(n: float, unit: str) -> str:
    """'3 working days', '7 days', '24 hours' in the page's language."""
    n = int(n) if float(n).is_integer() else round(n, 1)
    plural = n if isinstance(n, int) else 2  # "0.5 hours" reads as a plural
    if unit == HOURS:
        return ngettext("%(n)s hour", "%(n)s hours", plural) % {"n": n}
    if unit == DAYS:
        return ngettext("%(n)s day", "%(n)s days", plural) % {"n": n}
    return ngettext("%(n)s working day", "%(n)s working days", plural) % {"n": n}


@dataclass
class Clock:
    """A deadline, the moment the work was done (if it was), and the kind of time it runs
    in. `start`/`due`/`done` are dates for (working) days and datetimes for hours."""

    label: str
    start: datetime.date
    due: datetime.date
    done: datetime.date | None = None
    unit: str = WORKING_DAYS
    limit: float | None = None  # the configured limit, shown with the label
    waiting_on: str = ""  # who must act ("the street office", "the applicant")

    @classmethod
    def after(cls, label: str, start, limit: float, unit: str = WORKING_DAYS, *,
              done=None, waiting_on: str = "") -> Clock:
        """A clock that runs `limit` units from `start`."""
        if unit == HOURS:
            due = due_in_hours(start, limit)
        elif unit == DAYS:
            due = due_in_days(start, int(limit))
        else:
            due = due_in_working_days(start, int(limit))
        return cls(label, start, due, done, unit=unit, limit=limit, waiting_on=waiting_on)

    @property
    def title(self) -> str:
        """The label with its limit: 'District decision (10 working days)'."""
        if self.limit is None:
            return self.label
        return _("%(label)s (%(limit)s)") % {"label": self.label,
                                             "limit": amount(self.limit, self.unit)}

    def _now(self, at=None):
        if self.unit == HOURS:
            if at is None or not isinstance(at, datetime.datetime):
                return timezone.now()
            return at
        if isinstance(at, datetime.datetime):
            return timezone.localdate(at) if timezone.is_aware(at) else at.date()
        return at or timezone.localdate()

    def remaining(self, at=None) -> float:
        """Time left in the clock's unit (negative: overdue by that much)."""
        now = self._now(at)
        if self.unit == HOURS:
            return round((self.due - now).total_seconds() / 3600, 1)
        if self.unit == DAYS:
            return (self.due - now).days
        return workdays.working_days_between(now, self.due)

    def status(self, at=None) -> str:
        """running, due_soon, overdue, done_on_time or done_late."""
        if self.done is not None:
            return "done_on_time" if self.done <= self.due else "done_late"
        now = self._now(at)
        if now > self.due:
            return "overdue"
        soon = {HOURS: setting("DUE_SOON_HOURS"), DAYS: setting("DUE_SOON_DAYS")}.get(
            self.unit, setting("DUE_SOON_WORKING_DAYS"))
        return "due_soon" if self.remaining(now) <= soon else "running"

    def due_text(self) -> str:
        if self.unit == HOURS:
            return date_format(timezone.localtime(self.due), "SHORT_DATETIME_FORMAT")
        return self.due.isoformat()

    def summary(self, at=None) -> str:
        """The clock in words: what is left or how late, and by when."""
        status = self.status(at)
        if status == "done_on_time":
            return _("Done on time (due %(due)s)") % {"due": self.due_text()}
        if status == "done_late":
            return _("Done late (due %(due)s)") % {"due": self.due_text()}
        left = self.remaining(at)
        if status == "overdue":
            late = amount(abs(left), self.unit) if left < 0 else _("less than a day")
            return _("Overdue by %(late)s (due %(due)s)") % {"late": late, "due": self.due_text()}
        return _("%(left)s left, due %(due)s") % {"left": amount(max(left, 0), self.unit),
                                                 "due": self.due_text()}
