"""Emergency plans, drills, rescue teams and the supplies reserve."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.safety import permissions as P
from minsheng.safety.models import Drill, EmergencyPlan, Equipment, RescueTeam, SupplyItem

DRILL_FORMS = ("field", "tabletop")


def plan_create(*, actor, title: str, plan_type: str, owner: Organization, area: Area,
                issued_on: datetime.date) -> EmergencyPlan:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, area)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("A plan needs a title."), field="title")
    if plan_type not in EmergencyPlan.Type.values:
        raise ValidationFailed(_("Unknown plan type."), field="plan_type")
    with transaction.atomic():
        plan = EmergencyPlan.objects.create(title=title[:200], plan_type=plan_type,
                                            owner=owner, area=area, issued_on=issued_on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=plan)
    return plan


def drill_record(*, actor, plan: EmergencyPlan, held_on: datetime.date, form: str = "field",
                 participants: int = 0, assessment: str = "") -> Drill:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, plan.area)
    if held_on < plan.issued_on:
        raise ValidationFailed(_("A drill cannot precede its plan."), field="held_on")
    if held_on > timezone.localdate():
        raise ValidationFailed(_("A date cannot be in the future."), field="held_on")
    if form not in DRILL_FORMS:
        raise ValidationFailed(_("Choose a field drill or a tabletop exercise."), field="form")
    if participants < 0:
        raise ValidationFailed(_("Enter a whole number."), field="participants")
    with transaction.atomic():
        drill = Drill.objects.create(plan=plan, held_on=held_on, form=form,
                                     participants=participants,
                                     assessment=(assessment or "").strip())
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


def plan_revise(*, actor, plan: EmergencyPlan, version: int, title: str, plan_type: str,
                last_revised_on: datetime.date | None,
                last_evaluated_on: datetime.date | None) -> EmergencyPlan:
    """Edit a plan's title and type and record its revision and evaluation dates."""
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, plan.area)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("A plan needs a title."), field="title")
    if plan_type not in EmergencyPlan.Type.values:
        raise ValidationFailed(_("Unknown plan type."), field="plan_type")
    for field, day in (("last_revised_on", last_revised_on),
                       ("last_evaluated_on", last_evaluated_on)):
        if day is not None and day < plan.issued_on:
            raise ValidationFailed(_("A revision or evaluation cannot precede the plan."),
                                   field=field)
    fields = ["title", "plan_type", "last_revised_on", "last_evaluated_on"]
    changes = {}
    for name, value in zip(fields, (title[:200], plan_type, last_revised_on,
                                    last_evaluated_on), strict=True):
        old = getattr(plan, name)
        if old != value:
            changes[name] = [str(old) if old else None, str(value) if value else None]
        setattr(plan, name, value)
    with transaction.atomic():
        save_versioned(plan, version, fields)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=plan, changes=changes)
    return plan


def team_create(*, actor, name: str, specialty: str, area: Area, members: int = 0,
                contact: str = "", owner: Organization | None = None) -> RescueTeam:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, area)
    name, specialty = (name or "").strip(), (specialty or "").strip()
    if not name or not specialty:
        raise ValidationFailed(_("Give the team's name and specialty."), field="name")
    if members < 0:
        raise ValidationFailed(_("Enter a whole number."), field="members")
    with transaction.atomic():
        team = RescueTeam.objects.create(name=name[:120], specialty=specialty[:60], area=area,
                                         owner=owner, members=members,
                                         contact=(contact or "").strip()[:60])
        audit.record(actor, AuditEntry.Action.CREATE, obj=team)
    return team


def equipment_add(*, actor, team: RescueTeam, name: str, quantity: int,
                  checked_on: datetime.date | None = None) -> Equipment:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, team.area)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Name the equipment."), field="name")
    if quantity < 1:
        raise ValidationFailed(_("Enter a whole number."), field="quantity")
    with transaction.atomic():
        item = Equipment.objects.create(team=team, name=name[:100], quantity=quantity,
                                        checked_on=checked_on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=item, object_repr=item.name)
    return item


def supply_create(*, actor, catalogue_code: str, name: str, unit: str, area: Area,
                  location: str, required: int, stock: int = 0,
                  expires_on: datetime.date | None = None) -> SupplyItem:
    actor = as_actor(actor)
    require(actor, P.EMERGENCY, area)
    name, location = (name or "").strip(), (location or "").strip()
    if not name or not location:
        raise ValidationFailed(_("Give the supply item's name and storage location."),
                               field="name")
    if required < 0 or stock < 0:
        raise ValidationFailed(_("Stock cannot be negative."), field="stock")
    with transaction.atomic():
        item = SupplyItem.objects.create(
            catalogue_code=(catalogue_code or "").strip()[:20], name=name[:100],
            unit=(unit or "").strip()[:12], area=area, location=location[:200],
            required=required, stock=stock, expires_on=expires_on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=item)
    return item


def supply_move(*, actor, item: SupplyItem, version: int, quantity: int, direction: str,
                expires_on: datetime.date | None = None) -> SupplyItem:
    """A stock movement: `in` adds to the stock (a delivery, optionally with the new batch's
    expiry date), `out` takes from it (issued to an incident); never below zero."""
    if quantity < 1:
        raise ValidationFailed(_("Enter a quantity of at least one."), field="quantity")
    if direction not in ("in", "out"):
        raise ValidationFailed(_("Choose stock in or stock out."), field="direction")
    if direction == "out" and quantity > item.stock:
        raise ValidationFailed(_("Only %(n)s in stock.") % {"n": item.stock}, field="quantity")
    stock = item.stock + quantity if direction == "in" else item.stock - quantity
    return supply_set_stock(actor=actor, item=item, version=version, stock=stock,
                            expires_on=expires_on if direction == "in" else None)
