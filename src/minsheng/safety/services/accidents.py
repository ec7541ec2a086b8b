"""Accidents with their statutory clocks, and the public information release."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import DAYS, HOURS, Clock, due_in_days
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
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
    """Record an accident as the unit reported it (条例第九条); the grade follows from the
    casualties and the loss, and the investigation clock starts."""
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, area)
    if enterprise is not None:
        if enterprise.kind != Organization.Kind.ENTERPRISE:
            raise ValidationFailed(_("Choose an enterprise."), field="enterprise")
        require(actor, P.ACCIDENTS, enterprise.area)
    if kind not in Accident.Kind.values:
        raise ValidationFailed(_("Unknown accident kind."), field="kind")
    now = timezone.now()
    if occurred_at > now:
        raise ValidationFailed(_("The time of the accident cannot be in the future."),
                               field="occurred_at")
    if unit_reported_at is not None and not occurred_at <= unit_reported_at <= now:
        raise ValidationFailed(_("The unit's report lies between the accident and now."),
                               field="unit_reported_at")
    if not (title or "").strip():
        raise ValidationFailed(_("Title is required."), field="title")
    if not (place or "").strip():
        raise ValidationFailed(_("Place is required."), field="place")
    if min(deaths, serious_injuries, missing) < 0 or direct_loss_10k < 0:
        raise ValidationFailed(_("Enter a whole number."), field="deaths")
    with transaction.atomic():
        accident = Accident.objects.create(
            state=Accident.workflow.initial, area=area, title=title.strip()[:200], kind=kind,
            enterprise=enterprise, occurred_at=occurred_at, place=place.strip()[:200],
            summary=(summary or "").strip(),
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
    """A government level's receipt of the report and its onward relay (第十一条)."""
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    level = (level or "").strip()
    if not level:
        raise ValidationFailed(_("Name the level that received the report."), field="level")
    now = timezone.now()
    if received_at > now or (relayed_at is not None and relayed_at > now):
        raise ValidationFailed(_("A time cannot be in the future."), field="received_at")
    if relayed_at is not None and relayed_at < received_at:
        raise ValidationFailed(_("The report cannot be relayed before it was received."),
                               field="relayed_at")
    with transaction.atomic():
        relay = AccidentRelay.objects.create(accident=accident, level=level[:20],
                                             received_at=received_at, relayed_at=relayed_at)
        record_event(accident, actor=actor, note=_("Relayed by %s") % level)
        audit.record(actor, AuditEntry.Action.CREATE, obj=relay,
                     object_repr=f"{accident} · {level}"[:200])
    return relay


def casualty_deadline(accident: Accident) -> datetime.datetime:
    days = (setting("CASUALTY_UPDATE_DAYS_ROAD_FIRE") if accident.kind in ("road", "fire")
            else setting("CASUALTY_UPDATE_DAYS"))
    return accident.occurred_at + datetime.timedelta(days=days)


def accident_update_casualties(*, actor, accident: Accident, deaths: int,
                               serious_injuries: int, note: str = "",
                               version: int | None = None,
                               at: datetime.datetime | None = None) -> CasualtyUpdate:
    """条例第十三条: changes within 30 days (7 for road traffic and fire) are reported; the
    grade follows the new figures. A change after the period is recorded as late."""
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    if deaths < 0 or serious_injuries < 0:
        raise ValidationFailed(_("Enter a whole number."), field="deaths")
    if (deaths, serious_injuries) == (accident.deaths, accident.serious_injuries):
        raise ValidationFailed(_("The figures are the same as before."), field="deaths")
    at = at or timezone.now()
    late = at > casualty_deadline(accident)
    old = {"deaths": accident.deaths, "serious_injuries": accident.serious_injuries,
           "grade": accident.grade}
    grade = accident_grade(deaths, serious_injuries, accident.direct_loss_10k)
    with transaction.atomic():
        save_versioned(accident, version, values={"deaths": deaths,
                                                  "serious_injuries": serious_injuries,
                                                  "grade": grade})
        update = CasualtyUpdate.objects.create(accident=accident, at=at, deaths=deaths,
                                               serious_injuries=serious_injuries,
                                               note=(note or "")[:200], late=late)
        record_event(accident, actor=actor, note=(note or "").strip() or _("Casualties updated"),
                     data={"deaths": deaths, "serious_injuries": serious_injuries,
                           "late": late})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=accident,
                     changes={k: [old[k], v] for k, v in (
                         ("deaths", deaths), ("serious_injuries", serious_injuries),
                         ("grade", grade)) if old[k] != v})
    return update


def accident_extend_investigation(*, actor, accident: Accident, reason: str,
                                  version: int | None = None) -> Accident:
    """条例第二十九条: the investigation report may be extended once, by at most 60 days,
    with the approval of the government that ordered the investigation."""
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason and who approved the extension."),
                               field="reason")
    if accident.investigation_extended:
        raise ValidationFailed(_("The investigation was already extended once."))
    if accident.state == "closed":
        raise ValidationFailed(_("The investigation is already closed."))
    old = accident.investigation_due
    due = due_in_days(old, setting("INVESTIGATION_EXTENSION_DAYS"))
    with transaction.atomic():
        save_versioned(accident, version, values={"investigation_due": due,
                                                  "investigation_extended": True})
        record_event(accident, actor=actor, note=reason, data={"investigation_due":
                                                               due.isoformat()})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=accident,
                     changes={"investigation_due": [old.isoformat(), due.isoformat()]})
    return accident


def accident_investigate(*, actor, accident: Accident, version: int | None = None,
                         note: str = "") -> Accident:
    """The investigation team is formed (条例第二十二条)."""
    return transition(actor=actor, case=accident, name="investigate", version=version,
                      note=(note or "").strip())


def accident_close(*, actor, accident: Accident, report_submitted_on: datetime.date | None,
                   version: int | None = None, note: str = "") -> Accident:
    """The investigation report is submitted; the accident is closed."""
    if report_submitted_on is None:
        raise ValidationFailed(_("Enter the date the investigation report was submitted."),
                               field="report_submitted_on")
    if report_submitted_on > timezone.localdate():
        raise ValidationFailed(_("A date cannot be in the future."),
                               field="report_submitted_on")
    if report_submitted_on < timezone.localdate(accident.occurred_at):
        raise ValidationFailed(_("The report cannot precede the accident."),
                               field="report_submitted_on")
    return transition(actor=actor, case=accident, name="close", version=version,
                      note=(note or "").strip(),
                      data={"report_submitted_on": report_submitted_on.isoformat()},
                      changes={"report_submitted_on": report_submitted_on})


def accident_clocks(accident: Accident, relays=None) -> list[Clock]:
    """The statutory clocks of an accident, labelled with the configured limits: the
    unit's report and each level's relay in hours, the investigation report in days."""
    clocks = [Clock.after(_("Unit report"), accident.occurred_at, setting("UNIT_REPORT_HOURS"),
                          HOURS, done=accident.unit_reported_at,
                          waiting_on=_("the unit where it happened"))]
    for relay in (accident.relays.all() if relays is None else relays):
        clocks.append(Clock.after(_("Relay by %s") % relay.level, relay.received_at,
                                  setting("RELAY_HOURS"), HOURS, done=relay.relayed_at,
                                  waiting_on=relay.level))
    days = setting("INVESTIGATION_DAYS") + (setting("INVESTIGATION_EXTENSION_DAYS")
                                            if accident.investigation_extended else 0)
    clocks.append(Clock.after(_("Investigation report"), timezone.localdate(accident.occurred_at),
                              days, DAYS, done=accident.report_submitted_on,
                              waiting_on=_("the investigation team")))
    return clocks


def release_draft(*, actor, accident: Accident, title: str, body: str) -> Release:
    actor = as_actor(actor)
    require(actor, P.ACCIDENTS, accident.area)
    if not (title or "").strip():
        raise ValidationFailed(_("A release needs a title and text."), field="title")
    if not (body or "").strip():
        raise ValidationFailed(_("A release needs a title and text."), field="body")
    with transaction.atomic():
        release = Release.objects.create(state="draft", area=accident.area, accident=accident,
                                         title=title.strip()[:200], body=body.strip())
        record_event(release, actor=actor, to_state="draft")
        audit.record(actor, AuditEntry.Action.CREATE, obj=release)
    return release


def release_approve(*, actor, release: Release, version: int) -> Release:
    return transition(actor=actor, case=release, name="approve", version=version)


def release_withdraw(*, actor, release: Release, version: int, note: str = "") -> Release:
    """An approved release goes back to draft (e.g. the facts changed before publication)."""
    return transition(actor=actor, case=release, name="withdraw", version=version,
                      note=(note or "").strip())


def release_publish(*, actor, release: Release, version: int,
                    now: datetime.datetime | None = None) -> Release:
    """Publish on the portal; the minutes from occurrence to release are recorded."""
    now = now or timezone.now()
    minutes = int((now - release.accident.occurred_at).total_seconds() // 60)
    return transition(actor=actor, case=release, name="publish", version=version,
                      changes={"published_at": now, "minutes_to_release": minutes},
                      data={"minutes_to_release": minutes})
