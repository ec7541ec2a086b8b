"""Plans and double-random draws (on `minsheng.inspections`), inspections with checklists
and findings, rectification orders closed by a re-inspection, publication."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import due_in_days
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.foodsafety import grading
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety.config import setting
from minsheng.foodsafety.models import (
    Finding,
    Inspection,
    InspectionPhoto,
    InspectionPlan,
    Operator,
    Rectification,
)
from minsheng.foodsafety.services.operators import operator_grade
from minsheng.inspections import scoring
from minsheng.inspections import services as engine
from minsheng.inspections.models import Checklist, Inspector, Recusal

DOMAIN = "foodsafety"
RATED = ("catering", "school_canteen", "central_kitchen", "online_catering")
PHOTO_TYPES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_PHOTO_BYTES = 8 * 1024 * 1024


def _check_photos(photos) -> None:
    for upload in photos:
        name = getattr(upload, "name", "") or ""
        if "." not in name or "." + name.rsplit(".", 1)[1].lower() not in PHOTO_TYPES:
            raise ValidationFailed(_("Photos must be JPEG, PNG or WebP."), field="photos")
        if getattr(upload, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationFailed(_("A photo may be at most 8 MB."), field="photos")


def plan_create(*, actor, name: str, year: int, area: Area, department: Organization,
                sample_size: int, checklist: Checklist, kind: str = "random",
                category: str = "", grade: str = "", team_size: int | None = None
                ) -> InspectionPlan:
    actor = as_actor(actor)
    require(actor, P.PLAN, area)
    team = team_size or setting("INSPECTORS_PER_CHECK")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Name the plan."), field="name")
    if team < 2:
        raise ValidationFailed(_("At least two inspectors check each operator."),
                               field="team_size")
    if sample_size < 1:
        raise ValidationFailed(_("Draw at least one operator."), field="sample_size")
    if department.kind != Organization.Kind.DEPARTMENT:
        raise ValidationFailed(_("Choose a department."), field="department")
    if kind not in InspectionPlan.Kind.values:
        raise ValidationFailed(_("Choose the plan kind."), field="kind")
    if category and category not in Operator.Category.values:
        raise ValidationFailed(_("Choose the operator category."), field="category")
    if grade and grade not in "ABCD":
        raise ValidationFailed(_("Choose a risk grade."), field="grade")
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            name=name[:120], year=year, kind=kind, area=area, department=department,
            category=category, grade=grade, sample_size=sample_size, team_size=team,
            checklist=checklist, created_by=actor.user if actor.is_authenticated else None)
        record_event(plan, actor=actor, to_state=plan.state)
        audit.record(actor, AuditEntry.Action.CREATE, obj=plan)
    return plan


def plan_candidates(plan: InspectionPlan) -> list[int]:
    """Operating operators in the plan's area (and category / grade): frozen in the log."""
    areas = Area.objects.filter(path__startswith=plan.area.path).values("id")
    qs = Operator.objects.filter(area_id__in=areas, state="active")
    if plan.category:
        qs = qs.filter(category=plan.category)
    if plan.grade:
        qs = qs.filter(grade=plan.grade)
    return sorted(qs.values_list("organization_id", flat=True))


def previous_teams(organization_ids) -> dict[int, list[int]]:
    """Each operator's last team (rotation: none of them goes again next time)."""
    last: dict[int, int] = {}
    for org, pk in (Inspection.objects.filter(organization_id__in=organization_ids)
                    .order_by("organization_id", "scheduled_on", "id")
                    .values_list("organization_id", "id")):
        last[org] = pk
    teams: dict[int, list[int]] = {}
    through = Inspection.inspectors.through
    for inspection_id, inspector_id in through.objects.filter(
            inspection_id__in=last.values()).values_list("inspection_id", "inspector_id"):
        teams.setdefault(inspection_id, []).append(inspector_id)
    return {org: teams.get(pk, []) for org, pk in last.items()}


def plan_draw(*, actor, plan: InspectionPlan, seed: int | None = None,
              version: int | None = None, scheduled_on: datetime.date | None = None):
    """Draw operators and teams once (the log re-derives it) and schedule the inspections."""
    actor = as_actor(actor)
    require(actor, P.PLAN, plan.area)
    if plan.state != "planned":
        # the same seed returns the logged draw, another seed is refused by the engine
        return engine.draw_run(actor=actor, permission=P.PLAN, area=plan.area, domain=DOMAIN,
                               subject=plan, entities=[], inspectors=[], sample=0, team=0,
                               seed=seed)
    entities = plan_candidates(plan)
    inspectors = list(Inspector.objects.filter(department=plan.department, active=True)
                      .values_list("id", flat=True))
    scheduled_on = scheduled_on or timezone.localdate()
    with transaction.atomic():
        log = engine.draw_run(actor=actor, permission=P.PLAN, area=plan.area, domain=DOMAIN,
                              subject=plan, entities=entities, inspectors=inspectors,
                              sample=plan.sample_size, team=plan.team_size,
                              previous=previous_teams(entities), seed=seed)
        transition(actor=actor, case=plan, name="draw", version=version,
                   data={"seed": log.seed, "digest": log.digest,
                         "operators": len(log.assignment)})
        operators = {o.organization_id: o for o in Operator.objects.filter(
            organization_id__in=[e for e, _team in log.assignment])}
        kind = "random" if plan.kind == "random" else "campaign"
        rows = [Inspection(state="scheduled", area_id=operators[e].area_id, organization_id=e,
                           operator=operators[e], checklist_id=plan.checklist_id,
                           scheduled_on=scheduled_on, plan=plan, kind=kind)
                for e, _team in log.assignment]
        Inspection.objects.bulk_create(rows)
        through = Inspection.inspectors.through
        through.objects.bulk_create(
            through(inspection_id=row.pk, inspector_id=i)
            for row, (_e, team) in zip(rows, log.assignment, strict=True) for i in team)
    return log


def _check_team(operator: Operator, inspectors: list[Inspector]):
    if len({i.pk for i in inspectors}) < setting("INSPECTORS_PER_CHECK"):
        raise ValidationFailed(_("At least two inspectors check each operator."),
                               field="inspectors")
    recused = Recusal.objects.filter(organization_id=operator.organization_id,
                                     inspector__in=inspectors).select_related("inspector")
    for r in recused:
        raise ValidationFailed(_("%(name)s is recused from this operator: %(reason)s")
                               % {"name": r.inspector.name, "reason": r.reason},
                               field="inspectors")
    if any(not i.active for i in inspectors):
        raise ValidationFailed(_("Choose active inspectors."), field="inspectors")


def inspection_schedule(*, actor, operator: Operator, kind: str, scheduled_on: datetime.date,
                        inspectors: list[Inspector], checklist: Checklist,
                        follows: Inspection | None = None, note: str = "") -> Inspection:
    """A routine, complaint-triggered or follow-up inspection with its team."""
    actor = as_actor(actor)
    require(actor, P.INSPECT, operator.area)
    if kind not in Inspection.Kind.values:
        raise ValidationFailed(_("Choose the inspection kind."), field="kind")
    if scheduled_on is None:
        raise ValidationFailed(_("Give the date of the inspection."), field="scheduled_on")
    if operator.state != "active":
        raise ValidationFailed(_("This operator is closed."))
    _check_team(operator, inspectors)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            state="scheduled", area=operator.area, organization=operator.organization,
            operator=operator, checklist=checklist, scheduled_on=scheduled_on, kind=kind,
            follows=follows, note=(note or "").strip()[:2000])
        inspection.inspectors.set(inspectors)
        record_event(inspection, actor=actor, to_state="scheduled")
        audit.record(actor, AuditEntry.Action.CREATE, obj=inspection)
    return inspection


def inspection_record(*, actor, inspection: Inspection, version: int | None,
                      done_on: datetime.date, answers: dict, remarks: dict | None = None,
                      note: str = "", photos=()) -> Inspection:
    """The checklist's answers: score, findings, rating; a failed item orders rectification;
    a re-inspection decides the rectification it follows; the operator is regraded."""
    actor = as_actor(actor)
    require(actor, P.INSPECT, inspection.area)
    if done_on is None or done_on > timezone.localdate():
        raise ValidationFailed(_("The inspection date cannot be in the future."),
                               field="done_on")
    items = list(inspection.checklist.items.all())
    try:
        result = scoring.score([(i.number, i.points, i.critical) for i in items], answers)
    except KeyError as missing:
        raise ValidationFailed(_("Answer item %(n)s of the checklist.") % {"n": missing.args[0]},
                               field=f"item_{missing.args[0]}") from None
    photos = list(photos)
    _check_photos(photos)
    remarks = remarks or {}
    rating = (grading.rating(result.score)
              if inspection.operator.category in RATED else "")
    by_number = {i.number: i for i in items}
    with transaction.atomic():
        transition(actor=actor, case=inspection, name="record", version=version, note=note,
                   data={"score": result.score, "failed": result.failed},
                   changes={"done_on": done_on, "answers": {str(k): v for k, v in
                                                            answers.items()},
                            "score": result.score, "critical_failed": result.critical_failed,
                            "rating": rating, "note": (note or "")[:2000]})
        Finding.objects.bulk_create(
            Finding(inspection=inspection, item_number=n, item_text=by_number[n].text,
                    critical=by_number[n].critical,
                    description=str(remarks.get(n, remarks.get(str(n), "")))[:500])
            for n in result.failed)
        for upload in photos:
            InspectionPhoto.objects.create(inspection=inspection, file=upload)
        inspection.refresh_from_db()
        source = _followed_rectification(inspection)
        if source is not None:
            if result.failed:
                transition(actor=actor, case=source, name="fail",
                           note=_("Re-inspection found %(n)s failed items")
                           % {"n": len(result.failed)},
                           changes={"due_on": due_in_days(done_on, setting("RECTIFY_DAYS")),
                                    "reinspection": None})
            else:
                transition(actor=actor, case=source, name="pass",
                           changes={"passed_on": done_on})
        elif result.failed:
            _order(actor, inspection, done_on)
        operator_grade(actor=actor, operator=inspection.operator, trigger="inspection")
    return inspection


def _followed_rectification(inspection: Inspection):
    if inspection.kind != "follow_up" or inspection.follows_id is None:
        return None
    return Rectification.objects.filter(inspection_id=inspection.follows_id,
                                        reinspection=inspection,
                                        state="reinspecting").first()


def _order(actor, inspection: Inspection, ordered_on: datetime.date) -> Rectification:
    rect = Rectification.objects.create(
        state="ordered", area=inspection.area, operator=inspection.operator,
        inspection=inspection, number=f"SJ{ordered_on:%Y%m%d}-{inspection.pk:06d}",
        ordered_on=ordered_on, due_on=due_in_days(ordered_on, setting("RECTIFY_DAYS")))
    record_event(rect, actor=actor, to_state="ordered")
    audit.record(actor, AuditEntry.Action.CREATE, obj=rect,
                 changes={"due_on": [None, rect.due_on.isoformat()]})
    return rect


def rectification_reinspect(*, actor, rectification: Rectification, version: int | None,
                            scheduled_on: datetime.date, inspectors: list[Inspector]
                            ) -> Inspection:
    """Schedule the re-inspection that will decide the order (it shows earlier findings)."""
    actor = as_actor(actor)
    require(actor, P.RECTIFY, rectification.area)
    if rectification.state != "ordered":
        raise ValidationFailed(_("A re-inspection is already scheduled."))
    original = rectification.inspection
    with transaction.atomic():
        follow = inspection_schedule(actor=actor, operator=rectification.operator,
                                     kind="follow_up", scheduled_on=scheduled_on,
                                     inspectors=inspectors, checklist=original.checklist,
                                     follows=original)
        transition(actor=actor, case=rectification, name="reinspect", version=version,
                   changes={"reinspection": follow})
    return follow


def inspection_publish(*, actor, inspection: Inspection, version: int | None) -> Inspection:
    return transition(actor=as_actor(actor), case=inspection, name="publish",
                      version=version, changes={"published_at": timezone.now()})


def plan_publish(*, actor, plan: InspectionPlan, version: int | None) -> InspectionPlan:
    """Publish the plan with every recorded inspection's result (unrecorded ones are
    refused: the notice lists every drawn operator)."""
    actor = as_actor(actor)
    require(actor, P.PUBLISH, plan.area)
    pending = plan.inspections.filter(state="scheduled").count()
    if pending:
        raise ValidationFailed(_("%(n)s drawn inspections are not recorded yet.")
                               % {"n": pending})
    with transaction.atomic():
        transition(actor=actor, case=plan, name="publish", version=version)
        for inspection in plan.inspections.filter(state="done"):
            inspection_publish(actor=actor, inspection=inspection, version=None)
    return plan
