"""Preschool aid for kindergarten children of low-income families. Eligibility comes from
the facts other modules publish (dibao household, extreme-poverty support, disability),
read through `core.facts`; the amount is the district's setting for that basis."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit, facts
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.education import permissions as P
from minsheng.education.config import setting
from minsheng.education.models import AidApplication, Enrolment
from minsheng.education.services.common import today_or

# the basis of eligibility, strongest first, and the fact that proves it
BASES = (("tekun", "assistance.tekun"), ("dibao", "assistance.dibao_household"),
         ("disabled", "core.disabled"))


def aid_basis(actor, person, on: datetime.date) -> str | None:
    names = [name for _basis, name in BASES if name in facts.FACTS]
    held = facts.of(actor, person, names, on=on)
    for basis, name in BASES:
        if name in held and held[name].holds:
            return basis
    return None


def aid_apply(*, actor, enrolment: Enrolment, today: datetime.date | None = None
              ) -> AidApplication:
    actor = as_actor(actor)
    person = enrolment.person
    if person is None:
        raise ValidationFailed(_("The child is not in the people registry."),
                               field="enrolment")
    require(actor, P.AID_APPLY, person.residence_area)
    if enrolment.school.stage != "kindergarten" or not enrolment.active:
        raise ValidationFailed(_("Aid is for children on a kindergarten roll."),
                               field="enrolment")
    today = today_or(today)
    basis = aid_basis(actor, person, today)
    if basis is None:
        raise ValidationFailed(_("The family is not a dibao or extreme-poverty household and "
                                 "the child holds no disability certificate."),
                               field="enrolment")
    from minsheng.education.services.dropout import school_year_start

    year = school_year_start(today)
    amount = Decimal(str(setting("PRESCHOOL_AID_AMOUNTS")[basis]))
    try:
        with transaction.atomic():
            application = AidApplication.objects.create(
                number=f"TMP-{person.pk}-{year}", person=person, enrolment=enrolment,
                area=person.residence_area, school_year=year, basis=basis, amount=amount,
                applied_on=today)
            application.number = f"ZZ{year}{application.pk:06d}"
            AidApplication.objects.filter(pk=application.pk).update(number=application.number)
            record_event(application, actor=actor, to_state="applied", note=_("Applied"))
            audit.record(actor, AuditEntry.Action.CREATE, obj=application,
                         changes={"basis": basis, "amount": str(amount)})
    except IntegrityError:
        raise Conflict(_("This child already has an application for the school year.")
                       ) from None
    return application


def aid_decide(*, actor, application: AidApplication, action: str, version: int,
               note: str = "", today: datetime.date | None = None) -> AidApplication:
    today = today_or(today)
    changes = {"decided_on": today} if action in ("approve", "reject") else {"paid_on": today}
    transition(actor=actor, case=application, name=action, version=version,
               note=(note or "").strip()[:500], data={"note": (note or "").strip()},
               changes=changes)
    return application
