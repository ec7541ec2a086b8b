"""Public cultural facilities: the register behind the plan's facility area per 10,000
residents."""

from __future__ import annotations

import datetime
import decimal

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry
from minsheng.culture import permissions as P
from minsheng.culture.models import CulturalFacility
from minsheng.culture.services.common import choice, not_future, text, today_or


def _clean(values: dict, today: datetime.date) -> dict:
    v = dict(values)
    v["name"] = text(v.get("name"), "name", _("Name"), 120)
    v["kind"] = choice(v.get("kind"), CulturalFacility.Kind.values, "kind", _("kind"))
    try:
        v["floor_area_m2"] = decimal.Decimal(str(v.get("floor_area_m2")))
    except (decimal.InvalidOperation, TypeError) as exc:
        raise ValidationFailed(_("Give the floor area in m²."), field="floor_area_m2") from exc
    if not 0 < v["floor_area_m2"] < 1_000_000:
        raise ValidationFailed(_("The floor area is between 0 and 1,000,000 m²."),
                               field="floor_area_m2")
    v["opened_on"] = not_future(v.get("opened_on"), today, "opened_on", _("The opening date"))
    if v["opened_on"] is None:
        raise ValidationFailed(_("Give the opening date."), field="opened_on")
    closed = v.get("closed_on")
    if closed is not None and closed < v["opened_on"]:
        raise ValidationFailed(_("A facility closes after it opened."), field="closed_on")
    v["opening_hours"] = text(v.get("opening_hours"), "opening_hours", _("Opening hours"),
                              120, required=False)
    v["yearly_visits"] = int(v.get("yearly_visits") or 0)
    if v["yearly_visits"] < 0:
        raise ValidationFailed(_("Visits cannot be negative."), field="yearly_visits")
    return {k: v.get(k) for k in ("name", "kind", "floor_area_m2", "opened_on", "closed_on",
                                  "opening_hours", "yearly_visits")}


def facility_create(*, actor, area: Area, today=None, **values) -> CulturalFacility:
    actor = as_actor(actor)
    require(actor, P.REGISTER, area)
    clean = _clean(values, today_or(today))
    with transaction.atomic():
        facility = CulturalFacility.objects.create(area=area, **clean)
        audit.record(actor, AuditEntry.Action.CREATE, obj=facility,
                     changes={"floor_area_m2": [None, str(clean["floor_area_m2"])]})
    return facility


def facility_update(*, actor, facility: CulturalFacility, version: int, today=None,
                    **values) -> CulturalFacility:
    actor = as_actor(actor)
    require(actor, P.REGISTER, facility.area)
    keys = ("name", "kind", "floor_area_m2", "opened_on", "closed_on", "opening_hours",
            "yearly_visits")
    clean = _clean({**{k: getattr(facility, k) for k in keys}, **values}, today_or(today))
    changes = {k: [str(getattr(facility, k)), str(v)] for k, v in clean.items()
               if getattr(facility, k) != v}
    with transaction.atomic():
        save_versioned(facility, version, values=clean)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=facility, changes=changes)
    return facility
