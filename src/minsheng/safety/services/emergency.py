"""Emergency plans, drills, rescue teams and the supplies reserve."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.safety import permissions as P
from minsheng.safety.models import Drill, EmergencyPlan, SupplyItem


def plan_create(*, actor, title: str, plan_type: str, owner: Organization, area: Area,
                issued_on: datetime.date) -> EmergencyPlan:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, area)
    if plan_type not in EmergencyPlan.Type.values:
        raise ValidationFailed(_("Unknown plan type."), field="plan_type")
    with transaction.atomic():
        plan = EmergencyPlan.objects.create(title=title[:200], plan_type=plan_type,
                                            owner=owner, area=area, issued_on=issued_on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=plan)
    return plan


def plan_evaluate(*, actor, plan: EmergencyPlan, version: int, evaluated_on: datetime.date,
                  revised: bool = False) -> EmergencyPlan:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, plan.area)
    plan.last_evaluated_on = evaluated_on
    fields = ["last_evaluated_on"]
    if revised:
        plan.last_revised_on = evaluated_on
        fields.append("last_revised_on")
    with transaction.atomic():
        save_versioned(plan, version, fields)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=plan,
                     changes={"last_evaluated_on": [None, evaluated_on.isoformat()]})
    return plan


def drill_record(*, actor, plan: EmergencyPlan, held_on: datetime.date, form: str = "field",
                 participants: int = 0, assessment: str = "") -> Drill:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, plan.area)
    if held_on < plan.issued_on:
        raise ValidationFailed(_("A drill cannot precede its plan."), field="held_on")
    with transaction.atomic():
        drill = Drill.objects.create(plan=plan, held_on=held_on, form=form,
                                     participants=participants, assessment=assessment)
        audit.record(actor, AuditEntry.Action.CREATE, obj=drill)
    return drill


def supply_set_stock(*, actor, item: SupplyItem, version: int, stock: int,
                     expires_on: datetime.date | None = None) -> SupplyItem:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, item.area)
    if stock < 0:
        raise ValidationFailed(_("Stock cannot be negative."), field="stock")
    old = item.stock
    item.stock = stock
    fields = ["stock"]
    if expires_on is not None:
        item.expires_on = expires_on
        fields.append("expires_on")
    with transaction.atomic():
        save_versioned(item, version, fields)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=item, changes={"stock": [old, stock]})
    return item
