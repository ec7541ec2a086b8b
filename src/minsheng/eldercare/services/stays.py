"""Admissions to a bed and discharges (STAY workflow). A bed holds one resident at a time
and a person stays in one institution at a time; deaths in care close the stay."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.casework.workflow import transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, Person
from minsheng.eldercare import permissions as P
from minsheng.eldercare.figures import by_institution, covering
from minsheng.eldercare.models import Bed, BedPeriod, Stay


def _open_from(on: datetime.date) -> Q:
    """Stays not ended by `on` (an open-ended new stay from `on` would overlap them)."""
    return Q(discharged_on__isnull=True) | Q(discharged_on__gt=on)


def stay_admit(*, actor, person: Person, bed: Bed, admitted_on: datetime.date) -> Stay:
    actor = as_actor(actor)
    institution = bed.institution
    require(actor, P.ADMIT, institution.area)
    if person.status != Person.Status.LIVING:
        raise ValidationFailed(_("%(name)s is recorded as %(status)s in the registry.")
                               % {"name": person.name, "status": person.get_status_display()},
                               field="person")
    with transaction.atomic():
        Bed.objects.select_for_update().filter(pk=bed.pk).first()  # one admission at a time
        period = bed.periods.filter(covering(admitted_on, "valid_from", "valid_to")).first()
        if period is None or period.status != BedPeriod.Status.IN_SERVICE:
            raise ValidationFailed(_("This bed is not in service on that day."), field="bed")
        if Stay.objects.filter(bed=bed).filter(_open_from(admitted_on)).exists():
            free = by_institution(admitted_on, [institution.pk]).get(institution.pk)
            if free is None or free.occupied >= free.beds:
                raise ValidationFailed(_("%(inst)s is full on that day: no free bed in "
                                         "service.") % {"inst": institution}, field="bed")
            raise ValidationFailed(_("This bed is occupied on that day; choose a free bed."),
                                   field="bed")
        other = (Stay.objects.filter(person=person).filter(_open_from(admitted_on))
                 .select_related("institution__organization").first())
        if other is not None:
            raise Conflict(_("%(name)s already stays in %(inst)s (since %(d)s).")
                           % {"name": person.name, "inst": other.institution,
                              "d": other.admitted_on.isoformat()}, field="person")
        stay = Stay.objects.create(person=person, institution=institution, bed=bed,
                                   area=institution.area, admitted_on=admitted_on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=stay,
                     object_repr=f"{institution} {bed}",
                     changes={"admitted_on": [None, admitted_on.isoformat()]})
    return stay


def stay_discharge(*, actor, stay: Stay, version: int | None, on: datetime.date,
                   reason: str, note: str = "") -> Stay:
    actor = as_actor(actor)
    if reason not in Stay.Reason.values:
        raise ValidationFailed(_("Choose the reason for the discharge."), field="reason")
    if on < stay.admitted_on:
        raise ValidationFailed(_("A discharge cannot precede the admission (%(d)s).")
                               % {"d": stay.admitted_on.isoformat()}, field="on")
    return transition(actor=actor, case=stay, name="discharge", version=version,
                      note=(note or "").strip()[:500],
                      changes={"discharged_on": on, "discharge_reason": reason})


def deaths_in_care_close(*, actor) -> int:
    """Close the stays of residents the registry records as deceased (discharged on the
    death date, reason death), as the platform."""
    actor = as_actor(actor)
    require(actor, P.ADMIT)
    closed = 0
    stays = (Stay.objects.filter(state="in_care", person__status=Person.Status.DECEASED)
             .select_related("person", "area"))
    for stay in stays:  # deaths in care number a few a month
        on = max(stay.person.status_date or stay.admitted_on, stay.admitted_on)
        stay_discharge(actor=actor, stay=stay, version=stay.version, on=on,
                       reason=Stay.Reason.DEATH, note=_("Death recorded in the registry"))
        closed += 1
    return closed
