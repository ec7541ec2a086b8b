""""Double random, one public" (双随机、一公开): a recorded, reproducible draw of
enterprises and inspectors, with conflict-of-interest exclusion."""

from __future__ import annotations

import secrets

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import due_in_working_days
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization, User
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.models import (
    InspectionCheck,
    InspectionPlan,
    InspectorConflict,
    Publication,
    SafetyProfile,
)


def plan_create(*, actor, name: str, area: Area, department: Organization, sample_size: int,
                category: str = "", inspectors_per_check: int | None = None) -> InspectionPlan:
    actor = as_actor(actor)
    require(actor, P.INSPECT, area)
    per_check = inspectors_per_check or setting("INSPECTORS_PER_CHECK")
    if per_check < 2:
        raise ValidationFailed(_("At least two inspectors check each enterprise."),
                               field="inspectors_per_check")
    if sample_size < 1:
        raise ValidationFailed(_("Draw at least one enterprise."), field="sample_size")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Name the plan."), field="name")
    if department.kind != Organization.Kind.DEPARTMENT:
        raise ValidationFailed(_("Choose a department."), field="department")
    if category and category not in SafetyProfile.Category.values:
        raise ValidationFailed(_("Unknown supervision category."), field="category")
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            state=InspectionPlan.workflow.initial,
            name=name[:120], area=area, department=department, category=category,
            sample_size=sample_size, inspectors_per_check=per_check,
            created_by=actor.user if actor.is_authenticated else None)
        record_event(plan, actor=actor, to_state=plan.state)
        audit.record(actor, AuditEntry.Action.CREATE, obj=plan)
    return plan


def conflict_record(*, actor, inspector: User, enterprise: Organization, reason: str,
                    plan: InspectionPlan | None = None) -> InspectorConflict:
    """An inspector of the plan's department who must not check this enterprise (kinship,
    former employment, ...): excluded from its draws. Recording the same pair again keeps
    the first reason."""
    actor = as_actor(actor)
    if plan is not None:
        require(actor, P.INSPECT, plan.area)
    require(actor, P.INSPECT, enterprise.area)
    if not inspector.is_active or (plan is not None
                                   and inspector.department_id != plan.department_id):
        raise ValidationFailed(_("Choose an inspector of the plan's department."),
                               field="inspector")
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ValidationFailed(_("Choose an enterprise."), field="enterprise")
    reason = (reason or "").strip() or _("Conflict of interest")
    with transaction.atomic():
        conflict, created = InspectorConflict.objects.get_or_create(
            inspector=inspector, enterprise=enterprise, defaults={"reason": reason[:200]})
        if created:
            audit.record(actor, AuditEntry.Action.CREATE, obj=conflict,
                         object_repr=f"{inspector.username} · {enterprise.name}"[:200],
                         changes={"reason": [None, conflict.reason]})
    return conflict


def candidates(plan: InspectionPlan) -> tuple[list[int], list[int]]:
    """(enterprise ids, inspector ids), sorted: the draw's input, recorded with it."""
    areas = Area.objects.filter(path__startswith=plan.area.path).values("id")
    enterprises = Organization.objects.filter(kind="enterprise", area_id__in=areas)
    if plan.category:
        enterprises = enterprises.filter(safety_profile__category=plan.category)
    inspectors = User.objects.filter(department=plan.department, is_active=True)
    return (sorted(enterprises.values_list("id", flat=True)),
            sorted(inspectors.values_list("id", flat=True)))


def draw(plan: InspectionPlan, enterprise_ids: list[int], inspector_ids: list[int],
         conflicts: set[tuple[int, int]], seed: int) -> list[tuple[int, list[int]]]:
    """Pure and reproducible: the same inputs and seed give the same assignment."""
    rng = np.random.default_rng(seed)
    chosen = [int(x) for x in rng.permutation(enterprise_ids)[:plan.sample_size]]
    result = []
    for enterprise_id in chosen:
        eligible = [i for i in inspector_ids if (i, enterprise_id) not in conflicts]
        if len(eligible) < plan.inspectors_per_check:
            raise ValidationFailed(_("Not enough inspectors without a conflict of interest."))
        team = sorted(int(x) for x in rng.choice(eligible, plan.inspectors_per_check,
                                                 replace=False))
        result.append((enterprise_id, team))
    return result


def plan_draw(*, actor, plan: InspectionPlan, seed: int | None = None,
              version: int | None = None) -> InspectionPlan:
    """Draw the enterprises and their inspectors (once); the inputs, the method and the seed
    are recorded so that anyone can re-run the draw."""
    actor = as_actor(actor)
    require(actor, P.INSPECT, plan.area)
    if plan.state != "planned":
        raise ValidationFailed(_("This plan was already drawn."))
    seed = seed if seed is not None else secrets.randbelow(2**31)
    enterprise_ids, inspector_ids = candidates(plan)
    conflicts = set(InspectorConflict.objects.filter(enterprise_id__in=enterprise_ids)
                    .values_list("inspector_id", "enterprise_id"))
    assignment = draw(plan, enterprise_ids, inspector_ids, conflicts, seed)
    record = {"method": "numpy.default_rng(seed).permutation / choice",
              "enterprises": enterprise_ids, "inspectors": inspector_ids,
              "conflicts": sorted(conflicts), "assignment": assignment}
    with transaction.atomic():
        transition(actor=actor, case=plan, name="draw", version=version,
                   data={"seed": seed, "enterprises": len(assignment)},
                   changes={"seed": seed, "drawn_at": timezone.now(), "draw_record": record})
        for enterprise_id, team in assignment:
            check = InspectionCheck.objects.create(plan=plan, enterprise_id=enterprise_id)
            check.inspectors.set(team)
    return plan


def plan_publish_results(*, actor, plan: InspectionPlan,
                         version: int | None = None) -> Publication:
    """Close the plan's checks and queue the public notice of every drawn enterprise with
    its result (published from the overview within the configured working days)."""
    actor = as_actor(actor)
    require(actor, P.INSPECT, plan.area)
    lines = [f"{c.enterprise.name}: {c.result or '—'}"
             for c in plan.checks.select_related("enterprise").order_by("enterprise__name")]
    with transaction.atomic():
        transition(actor=actor, case=plan, name="publish", version=version,
                   changes={"published_at": timezone.now()})
        pub, created = Publication.objects.get_or_create(
            kind=Publication.Kind.INSPECTION, object_type="safety.inspectionplan",
            object_id=plan.pk, defaults={
                "area": plan.area, "title": _("Random inspection results: %s") % plan.name,
                "body": "\n".join(lines), "due_on": due_in_working_days(
                    timezone.localdate(), setting("INSPECTION_PUBLISH_WORKING_DAYS"))})
        if created:
            audit.record(actor, AuditEntry.Action.CREATE, obj=pub,
                         changes={"due_on": [None, pub.due_on.isoformat()]})
    return pub


def check_record_result(*, actor, check: InspectionCheck, checked_on, result: str
                        ) -> InspectionCheck:
    """The inspectors' finding at one drawn enterprise, before the results are published."""
    actor = as_actor(actor)
    require(actor, P.INSPECT, check.plan.area)
    if check.plan.state != "drawn":
        raise ValidationFailed(_("The results of this plan are already published."))
    result = (result or "").strip()
    if not result:
        raise ValidationFailed(_("Describe the result of the check."), field="result")
    if checked_on is None or checked_on > timezone.localdate():
        raise ValidationFailed(_("The check date cannot be in the future."), field="checked_on")
    old = check.result
    with transaction.atomic():
        check.checked_on, check.result = checked_on, result[:200]
        check.save(update_fields=["checked_on", "result", "updated_at"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=check,
                     changes={"result": [old, check.result]})
    return check
