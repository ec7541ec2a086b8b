"""Accidents with their statutory clocks, and the public information release."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import due_in_days, due_in_hours
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.models import Accident, AccidentRelay, CasualtyUpdate, Release

GRADES = ["general", "larger", "major", "extraordinary"]


def accident_grade(deaths: int, serious_injuries: int = 0,
                   loss_10k: Decimal | float = 0) -> str:
    """条例第三条: the highest grade any of deaths, serious injuries or loss reaches."""
    level = 0
    for thresholds, value in ((setting("GRADE_DEATHS"), deaths),
                              (setting("GRADE_SERIOUS_INJURIES"), serious_injuries),
                              (setting("GRADE_LOSS_10K_YUAN"), float(loss_10k))):
        level = max(level, sum(value >= t for t in thresholds))
    return GRADES[level]


def accident_report(*, actor, title: str, kind: str, area: Area, occurred_at: datetime.datetime,
                    place: str, enterprise: Organization | None = None, summary: str = "",
                    unit_reported_at: datetime.datetime | None = None, deaths: int = 0,
                    serious_injuries: int = 0, missing: int = 0,
                    direct_loss_10k: Decimal = Decimal(0)) -> Accident:
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, area)
    if kind not in Accident.Kind.values:
        raise ValidationFailed(_("Unknown accident kind."), field="kind")
    if occurred_at > timezone.now():
        raise ValidationFailed(_("The time of the accident cannot be in the future."),
                               field="occurred_at")
    if not title.strip():
        raise ValidationFailed(_("Title is required."), field="title")
    with transaction.atomic():
        accident = Accident.objects.create(
            state=Accident.workflow.initial, area=area, title=title.strip()[:200], kind=kind,
            enterprise=enterprise, occurred_at=occurred_at, place=place[:200], summary=summary,
            unit_reported_at=unit_reported_at or timezone.now(), deaths=deaths,
            serious_injuries=serious_injuries, missing=missing,
            direct_loss_10k=direct_loss_10k,
            grade=accident_grade(deaths, serious_injuries, direct_loss_10k),
            investigation_due=due_in_days(timezone.localdate(occurred_at),
                                          setting("INVESTIGATION_DAYS")))
        record_event(accident, actor=actor, to_state=accident.state, note=_("Reported"))
        audit.record(actor, AuditEntry.Action.CREATE, obj=accident)
    return accident


def accident_relay(*, actor, accident: Accident, level: str, received_at: datetime.datetime,
                   relayed_at: datetime.datetime | None = None) -> AccidentRelay:
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    with transaction.atomic():
        relay = AccidentRelay.objects.create(accident=accident, level=level[:20],
                                             received_at=received_at, relayed_at=relayed_at)
        record_event(accident, actor=actor, note=_("Relayed by %s") % level)
    return relay


def casualty_deadline(accident: Accident) -> datetime.datetime:
    days = (setting("CASUALTY_UPDATE_DAYS_ROAD_FIRE") if accident.kind in ("road", "fire")
            else setting("CASUALTY_UPDATE_DAYS"))
    return accident.occurred_at + datetime.timedelta(days=days)


def accident_update_casualties(*, actor, accident: Accident, deaths: int,
                               serious_injuries: int, note: str = "",
                               at: datetime.datetime | None = None) -> CasualtyUpdate:
    """条例第十三条: changes within 30 days (7 for road traffic and fire) are reported; the
    grade follows the new figures."""
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    at = at or timezone.now()
    late = at > casualty_deadline(accident)
    with transaction.atomic():
        update = CasualtyUpdate.objects.create(accident=accident, at=at, deaths=deaths,
                                               serious_injuries=serious_injuries,
                                               note=note[:200], late=late)
        old = (accident.deaths, accident.grade)
        accident.deaths, accident.serious_injuries = deaths, serious_injuries
        accident.grade = accident_grade(deaths, serious_injuries, accident.direct_loss_10k)
        accident.save(update_fields=["deaths", "serious_injuries", "grade", "updated_at"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=accident,
                     changes={"deaths": [old[0], deaths], "grade": [old[1], accident.grade]})
    return update


def accident_extend_investigation(*, actor, accident: Accident, reason: str) -> Accident:
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    if accident.investigation_extended:
        raise ValidationFailed(_("The investigation was already extended once."))
    with transaction.atomic():
        accident.investigation_due = due_in_days(accident.investigation_due,
                                                 setting("INVESTIGATION_EXTENSION_DAYS"))
        accident.investigation_extended = True
        accident.save(update_fields=["investigation_due", "investigation_extended"])
        record_event(accident, actor=actor, note=reason)
    return accident


def accident_clocks(accident: Accident) -> list[dict]:
    unit_due = due_in_hours(accident.occurred_at, setting("UNIT_REPORT_HOURS"))
    clocks = [{"label": _("Unit report"), "due": unit_due, "done": accident.unit_reported_at,
               "late": bool(accident.unit_reported_at and accident.unit_reported_at > unit_due)}]
    for relay in accident.relays.all():
        due = due_in_hours(relay.received_at, setting("RELAY_HOURS"))
        clocks.append({"label": _("Relay by %s") % relay.level, "due": due,
                       "done": relay.relayed_at,
                       "late": bool(relay.relayed_at and relay.relayed_at > due)})
    clocks.append({"label": _("Casualty updates until"), "due": casualty_deadline(accident),
                   "done": None, "late": False})
    clocks.append({"label": _("Investigation report"), "due": accident.investigation_due,
                   "done": accident.report_submitted_on,
                   "late": bool(accident.report_submitted_on
                                and accident.report_submitted_on > accident.investigation_due)})
    return clocks


def release_draft(*, actor, accident: Accident, title: str, body: str) -> Release:
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    if not title.strip() or not body.strip():
        raise ValidationFailed(_("A release needs a title and text."))
    with transaction.atomic():
        release = Release.objects.create(state="draft", area=accident.area, accident=accident,
                                         title=title.strip()[:200], body=body.strip())
        record_event(release, actor=actor, to_state="draft")
        audit.record(actor, AuditEntry.Action.CREATE, obj=release)
    return release


def release_approve(*, actor, release: Release, version: int) -> Release:
    return transition(actor=actor, case=release, name="approve", version=version)


def release_publish(*, actor, release: Release, version: int,
                    now: datetime.datetime | None = None) -> Release:
    """Publish on the portal; the minutes from occurrence to release are recorded."""
    now = now or timezone.now()
    minutes = int((now - release.accident.occurred_at).total_seconds() // 60)
    return transition(actor=actor, case=release, name="publish", version=version,
                      changes={"published_at": now, "minutes_to_release": minutes},
                      data={"minutes_to_release": minutes})
