"""Every read of the food and drug safety module, taking the actor first and returning
only what lies in their area (else NotFound)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core.access import get_in_scope, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Area, Organization
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety.config import setting
from minsheng.foodsafety.models import (
    Finding,
    Inspection,
    InspectionPlan,
    Licence,
    Operator,
    Rectification,
    Sample,
)
from minsheng.inspections import selectors as engine
from minsheng.inspections.models import Checklist, Inspector


def department(actor) -> Organization:
    """The supervising department (market regulation)."""
    found = Organization.objects.filter(department_code=setting("DEPARTMENT_CODE")).first()
    if found is None:
        raise NotFound()
    return found


def operators(actor, *, q: str = "", grade: str = "", category: str = ""):
    qs = scoped(Operator.objects.select_related("organization", "area"), actor, P.VIEW)
    if q:
        qs = qs.filter(Q(organization__name__icontains=q) | Q(organization__uscc=q))
    if grade:
        qs = qs.filter(grade=grade)
    if category:
        qs = qs.filter(category=category)
    return qs


def operator_get(actor, pk: int, permission: str = P.VIEW) -> Operator:
    return get_in_scope(Operator.objects.select_related("organization", "area"), actor,
                        permission, pk=pk)


def operator_record(actor, operator: Operator) -> dict:
    """An operator's page: licences (the whole history), grade history, every earlier
    finding (what the next inspection must see) and its inspections."""
    findings = (Finding.objects.filter(inspection__operator=operator)
                .select_related("inspection").order_by("-inspection__done_on", "item_number"))
    return {"licences": list(operator.licences.all()),
            "assessments": list(operator.assessments.all()[:20]),
            "findings": list(findings),
            "inspections": list(operator.inspections.select_related("plan")
                                .prefetch_related("inspectors")),
            "rectifications": list(operator.rectifications.all()),
            "samples": list(operator.samples.all()),
            "cases": list(operator.enforcement_cases.all()),
            "events": timeline(operator)}


def organizations_without_operator(actor, q: str = ""):
    qs = scoped(Organization.objects.exclude(kind="department")
                .filter(food_operator__isnull=True), actor, P.MANAGE)
    return qs.filter(Q(name__icontains=q) | Q(uscc=q)) if q else qs


def organization_get(actor, pk: int) -> Organization:
    return get_in_scope(Organization.objects.exclude(kind="department"), actor, P.MANAGE,
                        pk=pk)


def licence_get(actor, pk: int, permission: str = P.VIEW) -> Licence:
    return get_in_scope(Licence.objects.select_related("operator__area",
                                                       "operator__organization"),
                        actor, permission, "operator__area", pk=pk)


def licences_due(actor, today: datetime.date | None = None):
    """Valid licences expiring within the alert window, and expired ones still marked
    valid (the sweep has not run) - soonest first."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=setting("LICENCE_ALERT_DAYS"))
    return scoped(Licence.objects.filter(state="valid", expires_on__lte=limit)
                  .select_related("operator__organization"), actor, P.VIEW,
                  "operator__area").order_by("expires_on")


def active_on_expired(actor, today: datetime.date | None = None):
    """Operating operators whose every licence has lapsed (goal: none)."""
    today = today or timezone.localdate()
    current = Licence.objects.filter(state="valid", expires_on__gte=today)
    return (operators(actor).filter(state="active", licences__isnull=False)
            .exclude(licences__in=current).distinct())


def coverage(actor, year: int) -> list[dict]:
    """Per grade: operators, inspections required (the grade's minimum), done this year,
    operators still short. What the annual plan guarantees and shows before year end."""
    minimum = setting("GRADE_MIN_INSPECTIONS")
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    qs = operators(actor).filter(state="active").annotate(
        done=Count("inspections", filter=Q(inspections__done_on__gte=start,
                                           inspections__done_on__lt=end)))
    rows = {g: {"grade": g, "operators": 0, "required": 0, "done": 0, "short": 0}
            for g in "ABCD"}
    for grade, done in qs.values_list("grade", "done"):
        if grade not in rows:
            continue
        row, need = rows[grade], minimum[grade]
        row["operators"] += 1
        row["required"] += need
        row["done"] += min(done, need)
        row["short"] += done < need
    return list(rows.values())


def coming_due(actor, year: int):
    """Operators below their grade's minimum this year, highest grade first."""
    minimum = setting("GRADE_MIN_INSPECTIONS")
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    qs = operators(actor).filter(state="active").annotate(
        done=Count("inspections", filter=Q(inspections__done_on__gte=start,
                                           inspections__done_on__lt=end)))
    condition = Q()
    for grade, need in minimum.items():
        condition |= Q(grade=grade, done__lt=need)
    return qs.filter(condition).order_by("-grade", "organization__name")


def plans(actor):
    return scoped(InspectionPlan.objects.select_related("area", "department").annotate(
        total=Count("inspections"),
        recorded=Count("inspections", filter=~Q(inspections__state="scheduled"))),
        actor, P.VIEW).order_by("-year", "-id")


def plan_get(actor, pk: int) -> InspectionPlan:
    return get_in_scope(InspectionPlan.objects.select_related("area", "department",
                                                              "checklist"),
                        actor, P.VIEW, pk=pk)


def plan_draw_log(actor, plan: InspectionPlan):
    log = engine.draw_log(plan)
    return log, (engine.draw_reproduces(log) if log else None)


def inspections(actor, *, state: str = ""):
    qs = scoped(Inspection.objects.select_related("operator__organization", "area", "plan")
                .prefetch_related("inspectors"), actor, P.VIEW)
    return qs.filter(state=state) if state else qs


def inspection_get(actor, pk: int) -> Inspection:
    return get_in_scope(Inspection.objects.select_related(
        "operator__organization", "area", "plan", "checklist", "follows"), actor, P.VIEW,
        pk=pk)


def inspection_page(actor, inspection: Inspection) -> dict:
    earlier = (Finding.objects.filter(inspection__operator_id=inspection.operator_id)
               .exclude(inspection=inspection).select_related("inspection")
               .order_by("-inspection__done_on", "item_number"))
    return {"items": list(inspection.checklist.items.all()),
            "findings": list(inspection.findings.all()),
            "earlier": list(earlier),
            "team": list(inspection.inspectors.all()),
            "photos": list(inspection.photos.all()),
            "rectification": Rectification.objects.filter(inspection=inspection).first(),
            "events": timeline(inspection)}


def rectifications(actor, *, open_only: bool = False):
    qs = scoped(Rectification.objects.select_related("operator__organization", "area"),
                actor, P.VIEW)
    return qs.exclude(state="passed") if open_only else qs


def rectification_get(actor, pk: int) -> Rectification:
    return get_in_scope(Rectification.objects.select_related(
        "operator__organization", "area", "inspection", "reinspection"), actor, P.VIEW, pk=pk)


def samples(actor, *, state: str = ""):
    qs = scoped(Sample.objects.select_related("operator__organization", "area"), actor,
                P.VIEW)
    return qs.filter(state=state) if state else qs


def sample_get(actor, pk: int) -> Sample:
    return get_in_scope(Sample.objects.select_related("operator__organization", "area"),
                        actor, P.VIEW, pk=pk)


def inspectors(actor, permission: str = P.VIEW):
    return engine.inspectors(actor, permission, department(actor))


def inspectors_by_ids(actor, ids) -> list[Inspector]:
    found = list(inspectors(actor).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound()
    return found


def recusals(actor):
    return engine.recusals(actor, P.VIEW, department(actor))


def checklists(actor):
    return engine.checklists("foodsafety")


def checklist_get(actor, pk: int) -> Checklist:
    try:
        return engine.checklists("foodsafety").get(pk=pk)
    except Checklist.DoesNotExist:
        raise NotFound() from None


def area_choices(actor, permission: str):
    return Area.objects.filter(id__in=actor.area_ids(permission),
                               level__in=("district", "subdistrict")).order_by("path")


def area_get(actor, permission: str, pk: int) -> Area:
    if pk not in actor.area_ids(permission):
        raise NotFound()
    return Area.objects.get(pk=pk)


# --- public (no actor: only what was published) ----------------------------------------

def public_inspections():
    return (Inspection.objects.filter(state="published")
            .select_related("operator__organization", "area").order_by("-done_on", "-id"))


def public_samples():
    return (Sample.objects.filter(state__in=("unqualified", "handled"))
            .select_related("operator__organization", "area").order_by("-reported_on"))


def timeline_of(record) -> list:
    """The record's events (the caller read the record in scope)."""
    return timeline(record)


def cases(actor):
    from minsheng.foodsafety.models import EnforcementCase

    return scoped(EnforcementCase.objects.select_related("operator__organization", "area"),
                  actor, P.VIEW)


def case_get(actor, pk: int):
    from minsheng.foodsafety.models import EnforcementCase

    return get_in_scope(EnforcementCase.objects.select_related("operator__organization",
                                                               "area"), actor, P.VIEW, pk=pk)
