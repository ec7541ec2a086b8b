"""Every write of follow-up items: opening, closing and escalating them. Each checks who may
do it, writes in one transaction and records the audit row in that transaction."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import due_in_working_days
from minsheng.casework.config import setting
from minsheng.casework.models import FollowUp
from minsheng.casework.permissions import HANDLE, OPEN
from minsheng.casework.workflow import transition
from minsheng.core import audit, workdays
from minsheng.core.access import as_actor, require, require_department, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import StaleVersion, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization


def followup_open(*, actor, kind: str, title: str, area: Area,
                  department: Organization | None, source_type: str, source_id,
                  due_date: datetime.date | None = None, working_days: int | None = None,
                  description: str = "", today: datetime.date | None = None) -> FollowUp:
    """Open a follow-up, or return the one already open for the same source (idempotent:
    a detector that fires every day does not pile up duplicates).

    Opened by the platform (system actor) or by staff whose action raises work for a
    department in their area (`casework.open_followups`); read-only roles cannot."""
    actor = as_actor(actor)
    require(actor, OPEN, area)
    existing = FollowUp.objects.filter(kind=kind, source_type=source_type,
                                       source_id=str(source_id), state="open").first()
    if existing is not None:
        return existing
    if due_date is None:
        if working_days is None:
            raise ValidationFailed(_("A follow-up needs a due date"))
        due_date = due_in_working_days(today or timezone.localdate(), working_days)
    try:
        with transaction.atomic():
            item = FollowUp.objects.create(kind=kind, title=title[:200],
                                           description=description, area=area,
                                           department=department, due_date=due_date,
                                           source_type=source_type, source_id=str(source_id))
            audit.record(actor, AuditEntry.Action.CREATE, obj=item,
                         changes={"due_date": [None, due_date.isoformat()]})
    except IntegrityError:  # opened concurrently by another process
        return FollowUp.objects.get(kind=kind, source_type=source_type,
                                    source_id=str(source_id), state="open")
    return item


def followup_close(*, actor, followup: FollowUp, outcome: str, version: int,
                   cancelled: bool = False) -> FollowUp:
    """Close (or cancel) a follow-up with what was done, through its workflow. The
    responsible department's staff close it (system administrators and the platform too);
    a plan supervisor does not close another department's work."""
    actor = as_actor(actor)
    require(actor, HANDLE, followup.area)
    require_department(actor, followup.department)
    if followup.state != FollowUp.State.OPEN:
        raise ValidationFailed(_("This item is already closed"))
    if not outcome.strip():
        raise ValidationFailed(_("Describe what was done"), field="outcome")
    return transition(actor=actor, case=followup, name="cancel" if cancelled else "close",
                      version=version, note=outcome.strip(),
                      changes={"outcome": outcome.strip(),
                               "closed_by": actor.user if actor.is_authenticated else None})


def followups_escalate(*, today: datetime.date | None = None) -> int:
    """Yellow once past due, red when overdue by more than the configured working days.
    The platform's rule, so the platform is the actor: each change is a versioned write
    with its audit row. Returns the number of items whose level changed."""
    actor = system_actor()
    today = today or timezone.localdate()
    changed = 0
    red_after = setting("ESCALATE_RED_AFTER_WORKING_DAYS")
    overdue = (FollowUp.objects.filter(state="open", due_date__lt=today).exclude(level="red")
               .only("id", "title", "due_date", "level", "version"))
    for item in overdue:
        level = ("red" if workdays.working_days_between(item.due_date, today) > red_after
                 else "yellow")
        if level == item.level:
            continue
        before = item.level
        try:
            with transaction.atomic():
                save_versioned(item, None, values={"level": level}, where={"state": "open"})
                audit.record(actor, AuditEntry.Action.UPDATE, obj=item,
                             changes={"level": [before, level]})
        except StaleVersion:  # closed or edited in the meantime: nothing to escalate
            continue
        changed += 1
    return changed
