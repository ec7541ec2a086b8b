"""Hidden hazards: 排查 -> 整改 -> 验收 -> 销号, with orders, plans, listing and publication."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import services as followups
from minsheng.casework.clocks import (
    DAYS,
    WORKING_DAYS,
    Clock,
    due_in_days,
    due_in_working_days,
)
from minsheng.casework.models import FollowUp
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.models import Hazard, HazardPhoto, Publication, RectificationPlan
from minsheng.safety.services.common import supervising_department

FOLLOWUP_KIND = "safety_hazard"
PHOTO_TYPES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_PHOTO_BYTES = 8 * 1024 * 1024


def _today(today):
    return today or timezone.localdate()


def _text(value: str, field: str, label: str, limit: int = 10_000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("%s is required.") % label, field=field)
    return value[:limit]


def hazard_report(*, actor, enterprise: Organization, origin: str, grade: str, category: str,
                  location: str, description: str, legal_basis: str = "",
                  found_on: datetime.date | None = None, reported_by: str = "",
                  photos=(), inspection=None, today: datetime.date | None = None) -> Hazard:
    """Record a hazard found by an inspector or by the enterprise's self-inspection. A major
    hazard is reported to the supervising department at once (timestamped here)."""
    actor = as_actor(actor)
    require(actor, P.REPORT, enterprise.area)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ValidationFailed(_("Hazards are recorded for enterprises."), field="enterprise")
    if grade not in Hazard.Grade.values:
        raise ValidationFailed(_("Choose general or major."), field="grade")
    if origin not in Hazard.Origin.values:
        raise ValidationFailed(_("Choose who found the hazard."), field="origin")
    today = _today(today)
    found_on = found_on or today
    if found_on > today:
        raise ValidationFailed(_("The date found cannot be in the future."), field="found_on")
    with transaction.atomic():
        hazard = Hazard.objects.create(
            number=f"TMP-{timezone.now().timestamp()}", enterprise=enterprise,
            area=enterprise.area, state=Hazard.workflow.initial, origin=origin, grade=grade,
            category=_text(category, "category", _("Category"), 40),
            location=_text(location, "location", _("Location"), 200),
            description=_text(description, "description", _("Description")),
            legal_basis=(legal_basis or "").strip()[:300], found_on=found_on,
            reported_by=(reported_by or getattr(actor.user, "username", ""))[:60],
            inspection=inspection,
            reported_to_department_at=timezone.now() if grade == "major" else None)
        hazard.number = f"YH{found_on.year}{hazard.pk:06d}"
        Hazard.objects.filter(pk=hazard.pk).update(number=hazard.number)
        for upload in photos:
            _add_photo(hazard, upload, "found")
        record_event(hazard, actor=actor, to_state=hazard.state, note=_("Hazard recorded"))
        audit.record(actor, AuditEntry.Action.CREATE, obj=hazard,
                     changes={"grade": [None, grade]})
        if grade == "major":
            followups.followup_open(
                actor=actor, kind=FOLLOWUP_KIND, title=_("Major hazard %(n)s: plan due")
                % {"n": hazard.number}, area=hazard.area, department=supervising_department(),
                source_type="safety.hazard", source_id=hazard.pk,
                working_days=setting("MAJOR_PLAN_WORKING_DAYS"), today=today)
    return hazard


def _add_photo(hazard: Hazard, upload, stage: str) -> HazardPhoto:
    name = getattr(upload, "name", "photo.jpg")
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in PHOTO_TYPES:
        raise ValidationFailed(_("Photos must be JPEG, PNG or WebP."), field="photos")
    if getattr(upload, "size", 0) > MAX_PHOTO_BYTES:
        raise ValidationFailed(_("A photo may be at most 8 MB."), field="photos")
    return HazardPhoto.objects.create(hazard=hazard, file=upload, stage=stage,
                                      caption=name[:200])


def _reopen_followup(actor, hazard: Hazard, title: str, due: datetime.date) -> None:
    _close_followups(actor, hazard, _("Superseded"))
    followups.followup_open(actor=actor, kind=FOLLOWUP_KIND, title=title, area=hazard.area,
                            department=supervising_department(), source_type="safety.hazard",
                            source_id=hazard.pk, due_date=due)


def _close_followups(actor, hazard: Hazard, outcome: str) -> None:
    for item in FollowUp.objects.filter(kind=FOLLOWUP_KIND, source_type="safety.hazard",
                                        source_id=str(hazard.pk), state="open"):
        followups.followup_close(actor=system_actor(), followup=item, outcome=outcome,
                                 version=item.version)


def hazard_order(*, actor, hazard: Hazard, version: int, order_number: str = "",
                 due: datetime.date | None = None, today: datetime.date | None = None,
                 note: str = "") -> Hazard:
    """Issue the rectification order for a general hazard, with its deadline."""
    today = _today(today)
    due = due or due_in_working_days(today, setting("GENERAL_RECTIFY_WORKING_DAYS"))
    if due < today:
        raise ValidationFailed(_("The deadline cannot be in the past."), field="due")
    with transaction.atomic():
        transition(actor=actor, case=hazard, name="order", version=version, note=note,
                   data={"order_number": order_number, "due": due.isoformat()},
                   changes={"rectify_due": due, "order_number": order_number[:40]})
        _reopen_followup(actor, hazard, _("Hazard %(n)s: rectify by %(d)s")
                         % {"n": hazard.number, "d": due}, due)
    return hazard


def hazard_submit_plan(*, actor, hazard: Hazard, version: int, goals: str, methods: str,
                       funds: str, responsible: str, time_limit: datetime.date,
                       safety_measures: str, emergency_plan: str, principal: str,
                       today: datetime.date | None = None) -> Hazard:
    """The principal leader's rectification plan for a major hazard."""
    today = _today(today)
    fields = {"goals": goals, "methods": methods, "funds": funds, "responsible": responsible,
              "safety_measures": safety_measures, "emergency_plan": emergency_plan,
              "principal": principal}
    clean = {k: _text(v, k, k) for k, v in fields.items()}
    if time_limit is None or time_limit < today:
        raise ValidationFailed(_("The time limit must be a future date."), field="time_limit")
    with transaction.atomic():
        RectificationPlan.objects.update_or_create(
            hazard=hazard, defaults={**clean, "time_limit": time_limit, "submitted_on": today})
        transition(actor=actor, case=hazard, name="submit_plan", version=version,
                   data={"has_plan": True, "time_limit": time_limit.isoformat()},
                   changes={"rectify_due": time_limit})
        _reopen_followup(actor, hazard, _("Major hazard %(n)s: rectify by %(d)s")
                         % {"n": hazard.number, "d": time_limit}, time_limit)
    return hazard


def hazard_rectified_on_spot(*, actor, hazard: Hazard, version: int,
                             today: datetime.date | None = None, note: str = "") -> Hazard:
    today = _today(today)
    return transition(actor=actor, case=hazard, name="rectified_on_spot", version=version,
                      note=note, changes={"rectified_on": today, "acceptance_applied_on": today,
                                          "acceptance_due": due_in_days(
                                              today, setting("ACCEPTANCE_REVIEW_DAYS"))})


def hazard_apply_acceptance(*, actor, hazard: Hazard, version: int,
                            rectified_on: datetime.date | None = None,
                            today: datetime.date | None = None, note: str = "",
                            photos=()) -> Hazard:
    """The enterprise reports rectification done (with photos of it) and applies for the
    acceptance check; the department must review on site within 10 days."""
    today = _today(today)
    rectified_on = rectified_on or today
    if rectified_on > today:
        raise ValidationFailed(_("The rectification date cannot be in the future."),
                               field="rectified_on")
    with transaction.atomic():
        transition(actor=actor, case=hazard, name="apply_acceptance", version=version,
                   note=note, changes={
                       "rectified_on": rectified_on, "acceptance_applied_on": today,
                       "acceptance_due": due_in_days(today, setting("ACCEPTANCE_REVIEW_DAYS"))})
        for upload in photos:
            _add_photo(hazard, upload, "rectified")
    return hazard


def hazard_accept(*, actor, hazard: Hazard, version: int, passed: bool, note: str = "",
                  new_due: datetime.date | None = None,
                  today: datetime.date | None = None) -> Hazard:
    today = _today(today)
    actor = as_actor(actor)
    who = getattr(actor.user, "full_name", "") or getattr(actor.user, "username", "system")
    if passed:
        return transition(actor=actor, case=hazard, name="accept", version=version, note=note,
                          changes={"accepted_on": today, "accepted_by": who[:100],
                                   "acceptance_note": note})
    if not note.strip():
        raise ValidationFailed(_("Say why the rectification failed acceptance."), field="note")
    due = new_due or due_in_working_days(today, setting("GENERAL_RECTIFY_WORKING_DAYS"))
    with transaction.atomic():
        transition(actor=actor, case=hazard, name="reject", version=version, note=note,
                   changes={"rectify_due": due, "acceptance_applied_on": None,
                            "acceptance_due": None, "rectified_on": None,
                            "acceptance_note": note})
        _reopen_followup(actor, hazard, _("Hazard %(n)s: failed acceptance, rectify by %(d)s")
                         % {"n": hazard.number, "d": due}, due)
    return hazard


def hazard_write_off(*, actor, hazard: Hazard, version: int, note: str = "",
                     today: datetime.date | None = None) -> Hazard:
    """销号. Refused unless the hazard passed acceptance (the workflow's state and guard)."""
    today = _today(today)
    with transaction.atomic():
        transition(actor=actor, case=hazard, name="write_off", version=version, note=note,
                   changes={"written_off_on": today})
        _close_followups(actor, hazard, _("Written off"))
        if hazard.listed:
            _publication(actor, hazard, Publication.Kind.WRITE_OFF,
                         _("Listed hazard %(n)s written off") % {"n": hazard.number}, today)
    return hazard


def _publication(actor, hazard: Hazard, kind: str, title: str,
                 today: datetime.date) -> Publication:
    body = (f"{hazard.enterprise.name} · {hazard.location} · {hazard.category}\n"
            f"{hazard.description[:500]}")
    pub, created = Publication.objects.get_or_create(
        kind=kind, object_type="safety.hazard", object_id=hazard.pk,
        defaults={"area": hazard.area, "title": title[:200], "body": body,
                  "due_on": due_in_working_days(today, setting("PUBLISH_WORKING_DAYS"))})
    if created:
        audit.record(actor, AuditEntry.Action.CREATE, obj=pub,
                     changes={"due_on": [None, pub.due_on.isoformat()]})
    return pub


def hazard_list_supervision(*, actor, hazard: Hazard, listed_by: str,
                            suspension: str = "none", suspension_note: str = "",
                            version: int | None = None,
                            today: datetime.date | None = None) -> Hazard:
    """挂牌督办 of a major hazard, where the department decides; suspension recorded."""
    actor = as_actor(actor)
    require(actor, P.LIST, hazard.area)
    today = _today(today)
    if hazard.grade != "major":
        raise ValidationFailed(_("Only major hazards are put under listed supervision."))
    if hazard.state == "closed":
        raise ValidationFailed(_("The hazard is already written off."))
    if hazard.listed:
        raise ValidationFailed(_("The hazard is already under listed supervision."))
    if suspension not in Hazard.Suspension.values:
        raise ValidationFailed(_("Unknown suspension."), field="suspension")
    listed_by = _text(listed_by, "listed_by", _("Listed by"), 100)
    with transaction.atomic():
        save_versioned(hazard, version, values={
            "listed": True, "listed_on": today, "listed_by": listed_by,
            "suspension": suspension, "suspension_note": (suspension_note or "")[:300]})
        record_event(hazard, actor=actor, note=_("Listed supervision by %s") % listed_by,
                     data={"suspension": suspension})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=hazard,
                     changes={"listed": [False, True], "suspension": ["none", suspension]})
        _publication(actor, hazard, Publication.Kind.LISTING,
                     _("Major hazard %(n)s under listed supervision") % {"n": hazard.number},
                     today)
    return hazard


def hazard_set_suspension(*, actor, hazard: Hazard, suspension: str, note: str = "",
                          version: int | None = None) -> Hazard:
    """Order, change or lift the partial or full suspension of work while a major hazard
    is rectified (《安全生产法》第六十五条); recorded on the timeline."""
    actor = as_actor(actor)
    require(actor, P.LIST, hazard.area)
    if hazard.grade != "major":
        raise ValidationFailed(_("Suspension is ordered for major hazards."),
                               field="suspension")
    if hazard.state == "closed":
        raise ValidationFailed(_("The hazard is already written off."))
    if suspension not in Hazard.Suspension.values:
        raise ValidationFailed(_("Unknown suspension."), field="suspension")
    note = (note or "").strip()[:300]
    old = hazard.suspension
    if suspension == old and note == hazard.suspension_note:
        raise ValidationFailed(_("Nothing to change."), field="suspension")
    with transaction.atomic():
        save_versioned(hazard, version, values={"suspension": suspension,
                                                "suspension_note": note})
        record_event(hazard, actor=actor, note=note or hazard.get_suspension_display(),
                     data={"suspension": suspension})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=hazard,
                     changes={"suspension": [old, suspension]})
    return hazard


def publication_publish(*, actor, publication: Publication) -> Publication:
    """Release a due notice on the public page (once: a second click is refused)."""
    actor = as_actor(actor)
    require(actor, P.LIST, publication.area)
    now = timezone.now()
    with transaction.atomic():
        if not Publication.objects.filter(pk=publication.pk,
                                          published_at__isnull=True).update(published_at=now):
            raise ValidationFailed(_("Already published."))
        publication.published_at = now
        audit.record(actor, AuditEntry.Action.UPDATE, obj=publication,
                     changes={"published_at": [None, now.isoformat()]})
    return publication


def hazard_clocks(hazard: Hazard) -> list[Clock]:
    """The legal time limits running on a hazard, labelled with the configured limits.
    The rectification deadline is a date set by the order or the plan (calendar days)."""
    clocks = []
    if hazard.grade == "major" and hazard.reported_to_department_at:
        clocks.append(Clock.after(
            _("Report of a major hazard to the department"), hazard.found_on,
            setting("MAJOR_REPORT_WORKING_DAYS"), WORKING_DAYS,
            done=timezone.localdate(hazard.reported_to_department_at),
            waiting_on=_("the enterprise")))
    if hazard.rectify_due:
        clocks.append(Clock(_("Rectification"), hazard.found_on, hazard.rectify_due,
                            hazard.rectified_on, unit=DAYS, waiting_on=_("the enterprise")))
    if hazard.acceptance_applied_on:
        clocks.append(Clock.after(_("On-site acceptance review"), hazard.acceptance_applied_on,
                                  setting("ACCEPTANCE_REVIEW_DAYS"), DAYS,
                                  done=hazard.accepted_on, waiting_on=_("the department")))
    return clocks
