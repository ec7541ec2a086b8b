"""The one way an assistance service moves a record with states: casework.workflow's
transition, with the day of the move in the event data (guards and the timeline read it,
so a back-dated move by the demo or a test is judged on its own day)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from minsheng.casework import workflow


def today_or(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def move(actor, record, name: str, *, version: int | None = None, note: str = "",
         data: dict | None = None, changes: dict | None = None,
         today: datetime.date | None = None):
    data = dict(data or {})
    data.setdefault("today", today_or(today).isoformat())
    return workflow.transition(actor=actor, case=record, name=name, version=version,
                               note=note, data=data, changes=changes)
