"""Intangible heritage: representative items, and their inheritors from nomination through
the public notice to recognition, yearly evaluation and revocation."""

from __future__ import annotations

import datetime
import decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.casework.clocks import DAYS, Clock
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import parse_id
from minsheng.core.models import Area, AuditEntry
from minsheng.culture import permissions as P
from minsheng.culture.config import setting
from minsheng.culture.models import Inheritor, InheritorEvaluation, IntangibleItem
from minsheng.culture.services.common import choice, not_future, text, today_or

LIVE = ("nominated", "notice", "recognised")


def item_create(*, actor, code: str, name: str, category: str, level: str, area: Area,
                protection_unit: str, listed_on: datetime.date, description: str = "",
                today: datetime.date | None = None) -> IntangibleItem:
    actor = as_actor(actor)
    require(actor, P.INTANGIBLE, area)
    code = text(code, "code", _("Item number"), 24)
    if IntangibleItem.objects.filter(code=code).exists():
        raise ValidationFailed(_("Item number %s is already used.") % code, field="code")
    with transaction.atomic():
        item = IntangibleItem.objects.create(
            code=code, name=text(name, "name", _("Name"), 120),
            category=choice(category, IntangibleItem.Category.values, "category",
                            _("category")),
            level=choice(level, IntangibleItem.Level.values, "level", _("level")), area=area,
            protection_unit=text(protection_unit, "protection_unit", _("Protection unit"), 120),
            listed_on=not_future(listed_on, today_or(today), "listed_on", _("The listing date")),
            description=text(description, "description", _("Description"), 4000,
                             required=False))
        audit.record(actor, AuditEntry.Action.CREATE, obj=item)
    return item


def inheritor_nominate(*, actor, item: IntangibleItem, name: str, id_number: str,
                       subsidy: decimal.Decimal | int = 0,
                       today: datetime.date | None = None) -> Inheritor:
    """Nominate a person for an item. A person already nominated, in notice or recognised
    for the same item is refused (the database keeps the same rule)."""
    actor = as_actor(actor)
    require(actor, P.INTANGIBLE, item.area)
    today = today_or(today)
    id_number, birth, _sex = parse_id(id_number or "", field="id_number")
    existing = Inheritor.objects.filter(item=item, id_number=id_number, state__in=LIVE).first()
    if existing is not None:
        raise ValidationFailed(
            _("%(name)s is already %(state)s for this item.")
            % {"name": existing.name, "state": existing.state_label}, field="id_number")
    subsidy = decimal.Decimal(subsidy or 0)
    if subsidy < 0:
        raise ValidationFailed(_("The subsidy cannot be negative."), field="subsidy")
    try:
        with transaction.atomic():
            person = Inheritor.objects.create(
                item=item, name=text(name, "name", _("Name"), 60), id_number=id_number,
                birth_year=birth.year, nominated_on=today,
                yearly_subsidy=subsidy)
            record_event(person, actor=actor, to_state=person.state, note=_("Nominated"))
            audit.record(actor, AuditEntry.Action.CREATE, obj=person)
    except IntegrityError as exc:  # two nominations at once: the constraint decides
        raise ValidationFailed(_("This person is already nominated for this item."),
                               field="id_number") from exc
    return person


def notice_clock(person: Inheritor) -> Clock | None:
    if person.notice_starts_on is None:
        return None
    return Clock.after(_("Public notice"), person.notice_starts_on, setting("NOTICE_DAYS"),
                       DAYS)


def inheritor_act(*, actor, person: Inheritor, version: int, action: str, reason: str = "",
                  today: datetime.date | None = None) -> Inheritor:
    """publish_notice, recognise (after the notice ran its course), reject, revoke."""
    today = today_or(today)
    changes: dict = {}
    if action == "publish_notice":
        changes = {"notice_starts_on": today,
                   "notice_ends_on": today + datetime.timedelta(days=setting("NOTICE_DAYS"))}
    elif action == "recognise":
        changes = {"recognised_on": today}
    elif action == "revoke":
        changes = {"revoked_on": today, "reason": (reason or "").strip()[:4000]}
    elif action == "reject":
        changes = {"reason": (reason or "").strip()[:4000]}
    else:
        raise ValidationFailed(_("Unknown action: %s") % action)
    transition(actor=actor, case=person, name=action, version=version, note=reason,
               data={"reason": reason, "today": today.isoformat()}, changes=changes)
    return person


def evaluation_record(*, actor, person: Inheritor, year: int, apprentices: int, shows: int,
                      grade: str, note: str = "",
                      today: datetime.date | None = None) -> InheritorEvaluation:
    actor = as_actor(actor)
    require(actor, P.INTANGIBLE, person.item.area)
    today = today_or(today)
    if person.state != "recognised":
        raise ValidationFailed(_("Only a recognised inheritor is evaluated."))
    if not (person.recognised_on.year <= year <= today.year):
        raise ValidationFailed(_("The year is between recognition and this year."),
                               field="year")
    if apprentices < 0 or shows < 0:
        raise ValidationFailed(_("Counts cannot be negative."), field="apprentices")
    choice(grade, InheritorEvaluation.Grade.values, "grade", _("grade"))
    if InheritorEvaluation.objects.filter(inheritor=person, year=year).exists():
        raise ValidationFailed(_("%d is already evaluated.") % year, field="year")
    with transaction.atomic():
        row = InheritorEvaluation.objects.create(inheritor=person, year=year,
                                                 apprentices=apprentices, shows=shows,
                                                 grade=grade, note=(note or "")[:4000])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=person,
                     changes={f"evaluation_{year}": [None, grade]})
    return row
