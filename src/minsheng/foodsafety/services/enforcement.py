"""Enforcement cases: a clue, filing (or not) within the working-day limit, the decision
within the day limit after filing; a decided case counts in the operator's grade."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety.models import EnforcementCase, Inspection, Operator
from minsheng.foodsafety.services.operators import operator_grade


def _date(value, field, not_before=None):
    if value is None or value > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."), field=field)
    if not_before is not None and value < not_before:
        raise ValidationFailed(_("The date cannot come before the previous step."),
                               field=field)
    return value


def case_open(*, actor, operator: Operator, clue: str, found_on: datetime.date,
              inspection: Inspection | None = None) -> EnforcementCase:
    actor = as_actor(actor)
    require(actor, P.ENFORCE, operator.area)
    clue = (clue or "").strip()
    if not clue:
        raise ValidationFailed(_("Describe the clue."), field="clue")
    _date(found_on, "found_on")
    with transaction.atomic():
        case = EnforcementCase.objects.create(
            state="clue", area=operator.area, operator=operator, clue=clue[:500],
            found_on=found_on, inspection=inspection,
            number=f"pending-{timezone.now():%Y%m%d%H%M%S%f}")
        case.number = f"ZF{found_on:%Y}-{case.pk:06d}"
        EnforcementCase.objects.filter(pk=case.pk).update(number=case.number)
        record_event(case, actor=actor, to_state="clue")
        audit.record(actor, AuditEntry.Action.CREATE, obj=case)
    return case


def case_file(*, actor, case: EnforcementCase, version: int | None, filed_on, note=""):
    _date(filed_on, "filed_on", case.found_on)
    return transition(actor=as_actor(actor), case=case, name="file", version=version,
                      note=note, changes={"filed_on": filed_on})


def case_dismiss(*, actor, case: EnforcementCase, version: int | None, note: str):
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Give the reason for not filing."), field="note")
    return transition(actor=as_actor(actor), case=case, name="dismiss", version=version,
                      note=note[:500])


def case_decide(*, actor, case: EnforcementCase, version: int | None, decided_on,
                decision: str, fine: Decimal | None = None):
    actor = as_actor(actor)
    _date(decided_on, "decided_on", case.filed_on)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationFailed(_("Give the decision."), field="decision")
    if fine is not None and fine < 0:
        raise ValidationFailed(_("A fine cannot be negative."), field="fine")
    with transaction.atomic():
        transition(actor=actor, case=case, name="decide", version=version,
                   changes={"decided_on": decided_on, "decision": decision[:500],
                            "fine": fine})
        operator_grade(actor=actor, operator=case.operator, trigger="enforcement")
    return case
