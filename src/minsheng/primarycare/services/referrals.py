"""Two-way referrals between the members of a medical alliance: sent by one end,
acknowledged and completed by the other, escalated to the signed family doctor when the
acknowledgement limit passes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.services import followup_open
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Organization, Person
from minsheng.primarycare import clocks
from minsheng.primarycare.config import setting
from minsheng.primarycare.models import Alliance, Contract, Referral
from minsheng.primarycare.permissions import REFER


def _department(code: str) -> Organization | None:
    return Organization.objects.filter(department_code=code).first()


def referral_send(*, actor, person: Person, from_facility: Organization,
                  to_facility: Organization, direction: str, urgency: str,
                  reason: str) -> Referral:
    """Send a referral. Both facilities must belong to one alliance; upward goes from a
    community centre to a hospital, downward the other way."""
    actor = as_actor(actor)
    require(actor, REFER, from_facility.area)
    reason = (reason or "").strip()
    if direction not in Referral.Direction.values:
        raise ValidationFailed(_("Choose up or down"), field="direction")
    if urgency not in Referral.Urgency.values:
        raise ValidationFailed(_("Choose the urgency"), field="urgency")
    if not reason:
        raise ValidationFailed(_("Give the reason for the referral"), field="reason")
    if from_facility.pk == to_facility.pk:
        raise ValidationFailed(_("A facility does not refer to itself"), field="to_facility")
    clinic, hospital = Organization.Kind.CLINIC, Organization.Kind.HOSPITAL
    expected = (clinic, hospital) if direction == "up" else (hospital, clinic)
    if (from_facility.kind, to_facility.kind) != expected:
        raise ValidationFailed(
            _("An upward referral goes from a community health centre to a hospital, a "
              "downward one back"), field="direction")
    alliance = (Alliance.objects.filter(members=from_facility).filter(members=to_facility)
                .order_by("id").first())
    if alliance is None:
        raise ValidationFailed(_("The receiving facility is not in an alliance with the "
                                 "referring one"), field="to_facility")
    if person.status != Person.Status.LIVING:
        raise ValidationFailed(_("Only a living resident can be referred"), field="id_number")
    contract = (Contract.objects.filter(person=person, state="active").select_related("team")
                .first())
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person, area=person.residence_area, alliance=alliance, direction=direction,
            urgency=urgency, from_facility=from_facility, to_facility=to_facility,
            reason=reason, team=contract.team if contract else None,
            sent_by=actor.user if actor.is_authenticated else None)
        record_event(referral, actor=actor, transition="send", to_state="sent", note=reason)
        audit.record(actor, AuditEntry.Action.CREATE, obj=referral,
                     changes={"to_facility": [None, to_facility.name]})
    return referral


def referral_acknowledge(*, actor, referral: Referral, version: int,
                         at: datetime.datetime | None = None) -> Referral:
    return transition(actor=actor, case=referral, name="acknowledge", version=version,
                      changes={"acknowledged_at": at or timezone.now()})


def referral_decline(*, actor, referral: Referral, version: int, reason: str) -> Referral:
    return transition(actor=actor, case=referral, name="decline", version=version,
                      note=(reason or "").strip(), data={"reason": reason or ""},
                      changes={"outcome": (reason or "").strip()})


def referral_complete(*, actor, referral: Referral, version: int, outcome: str) -> Referral:
    """Complete a referral with what was done. A downward referral (discharge back to the
    community) opens a follow-up for the patient's family-doctor team."""
    actor = as_actor(actor)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationFailed(_("Describe what was done"), field="outcome")
    with transaction.atomic():
        transition(actor=actor, case=referral, name="complete", version=version,
                   note=outcome, changes={"outcome": outcome})
        if referral.direction == "down":
            team = referral.team.name if referral.team else referral.to_facility.name
            item = followup_open(
                actor=system_actor(), kind="primarycare.down_referral",
                title=_("Follow up %(name)s after discharge (%(team)s)")
                % {"name": referral.person.name, "team": team},
                area=referral.area, department=_department(setting("HEALTH_DEPARTMENT")),
                source_type="primarycare.referral", source_id=referral.pk,
                working_days=setting("DOWN_FOLLOWUP_WORKING_DAYS"), description=outcome)
            save_versioned(referral, referral.version, values={"followup_id": item.pk})
    referral.refresh_from_db()
    return referral


def referrals_escalate(*, now: datetime.datetime | None = None) -> int:
    """Referrals not acknowledged within their limit go to the signed family doctor's
    team (or the patient's community) as a follow-up; marked so that it happens once."""
    now = now or timezone.now()
    actor = system_actor()
    n = 0
    pending = Referral.objects.filter(state="sent", escalated=False).select_related(
        "person", "team", "area", "to_facility")
    for referral in pending.iterator(chunk_size=500):
        clock = clocks.acknowledgement(referral)
        if clock.status(now) != "overdue":
            continue
        with transaction.atomic():
            followup_open(
                actor=actor, kind="primarycare.referral_overdue",
                title=_("Referral of %(name)s to %(to)s not acknowledged in time")
                % {"name": referral.person.name, "to": referral.to_facility.name},
                area=referral.area, department=_department(setting("HEALTH_DEPARTMENT")),
                source_type="primarycare.referral", source_id=referral.pk,
                due_date=timezone.localdate(now) + datetime.timedelta(days=1),
                description=(referral.team.name if referral.team else ""))
            save_versioned(referral, referral.version, values={"escalated": True})
            record_event(referral, actor=actor, transition="escalate", from_state="sent",
                         to_state="sent", note=_("Acknowledgement overdue: passed to the "
                                                 "family-doctor team"))
            audit.record(actor, AuditEntry.Action.UPDATE, obj=referral,
                         changes={"escalated": [False, True]})
        n += 1
    return n
