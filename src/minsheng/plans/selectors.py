"""Every read of plan monitoring, scoped to the actor."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from minsheng.casework.models import FollowUp
from minsheng.core.access import as_actor, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Area
from minsheng.plans import status
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft
from minsheng.plans.services import FOLLOWUP_KIND, report_due

VIEW = "plans.view"


def plan_list(actor) -> QuerySet[Plan]:
    return scoped(Plan.objects.all(), as_actor(actor), VIEW)


def plan_get(actor, *, pk: int) -> Plan:
    try:
        return plan_list(actor).get(pk=pk)
    except Plan.DoesNotExist:
        raise NotFound() from None


def plan_current(actor) -> Plan | None:
    """The active plan (or the newest draft) the actor may see."""
    plans = plan_list(actor)
    return plans.filter(state=Plan.State.ACTIVE).first() or plans.first()


def item_list(plan: Plan, *, include_merged: bool = False) -> QuerySet[PlanItem]:
    qs = PlanItem.objects.filter(plan=plan).select_related("lead_department", "parent")
    if not include_merged:
        qs = qs.filter(merged_into=None)
    return qs.prefetch_related("co_departments")


def item_get(actor, *, pk: int) -> PlanItem:
    try:
        item = PlanItem.objects.select_related("plan", "lead_department").get(pk=pk)
    except PlanItem.DoesNotExist:
        raise NotFound() from None
    plan_get(actor, pk=item.plan_id)
    return item


def chapters(plan: Plan) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan=plan, parent=None, merged_into=None)


def draft_list(plan: Plan) -> QuerySet[TargetDraft]:
    return TargetDraft.objects.filter(plan=plan).select_related("item", "target")


def draft_get(actor, *, pk: int) -> TargetDraft:
    try:
        draft = TargetDraft.objects.select_related("plan", "item").get(pk=pk)
    except TargetDraft.DoesNotExist:
        raise NotFound() from None
    plan_get(actor, pk=draft.plan_id)
    return draft


def target_list(actor, *, plan: Plan | None = None, chapter: int | None = None,
                department: int | None = None, top_level: bool = True) -> QuerySet[Target]:
    qs = scoped(Target.objects.all(), as_actor(actor), VIEW)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if top_level:
        qs = qs.filter(parent=None)
    if chapter:
        qs = qs.filter(item__chapter_id=chapter) | qs.filter(item_id=chapter)
    if department:
        qs = qs.filter(lead_department_id=department)
    return qs.select_related("indicator", "area", "lead_department", "item").order_by("id")


def target_get(actor, *, pk: int) -> Target:
    try:
        return target_list(actor, top_level=False).get(pk=pk)
    except Target.DoesNotExist:
        raise NotFound() from None


def visible_subdistricts(actor, under: Area) -> list[Area]:
    ids = set(as_actor(actor).area_ids(VIEW))
    return [a for a in Area.objects.filter(parent=under).order_by("code") if a.id in ids]


def overview(actor, *, plan: Plan, chapter: int | None = None, department: int | None = None,
             as_of: datetime.date | None = None) -> list[dict]:
    """One row per target: the target, its district result, and each subdistrict's."""
    actor = as_actor(actor)
    require(actor, VIEW)
    targets = target_list(actor, plan=plan, chapter=chapter, department=department)
    areas = [plan.area, *visible_subdistricts(actor, plan.area)]
    results = status.cached_compute(targets, areas, as_of=as_of)
    rows = []
    for t in targets:
        rows.append({"target": t, "result": results.get((t.id, t.area_id)),
                     "areas": [(a, results.get((t.id, a.id))) for a in areas[1:]]})
    return rows


def league_table(actor, *, plan: Plan, as_of: datetime.date | None = None) -> list[dict]:
    """Subdistricts ranked by the share of targets achieved or on track."""
    rows = overview(actor, plan=plan, as_of=as_of)
    subs = visible_subdistricts(actor, plan.area)
    table = []
    for area in subs:
        counts = {s: 0 for s in Target.Status.values}
        for row in rows:
            for a, r in row["areas"]:
                if a.id == area.id and r:
                    counts[r["status"]] += 1
        assessed = sum(v for k, v in counts.items() if k != "insufficient_data")
        good = counts["achieved"] + counts["on_track"]
        score = good / assessed if assessed else 0.0
        table.append({"area": area, "counts": counts, "score": score, "assessed": assessed})
    table.sort(key=lambda r: (-r["score"], -r["counts"]["achieved"], r["area"].code))
    for rank, row in enumerate(table, start=1):
        row["rank"] = rank
    return table


def supervision_items(actor, *, state: str = "open") -> QuerySet[FollowUp]:
    from minsheng.casework.followups import followup_list

    return followup_list(actor, state=state, kind=FOLLOWUP_KIND)


def targets_by_id(ids) -> dict[int, Target]:
    return {t.id: t for t in Target.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
            .select_related("indicator")}


def report_list(actor, *, plan: Plan, state: str = "") -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.filter(item__plan=plan).select_related(
        "item", "department", "submitted_by")
    plan_get(actor, pk=plan.pk)
    if state:
        qs = qs.filter(state=state)
    return qs


def report_get(actor, *, pk: int) -> ProgressReport:
    try:
        report = ProgressReport.objects.select_related("item__plan").get(pk=pk)
    except ProgressReport.DoesNotExist:
        raise NotFound() from None
    plan_get(actor, pk=report.item.plan_id)
    return report


def overdue_reports(actor, *, plan: Plan, today: datetime.date | None = None) -> list[dict]:
    """Measures with a lead department whose report for last month is missing past its
    working-day due date."""
    today = today or timezone.localdate()
    period = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    due = report_due(period)
    if today <= due:
        return []
    items = item_list(plan).filter(level="measure").exclude(lead_department=None)
    reported = set(ProgressReport.objects.filter(item__plan=plan, period=period)
                   .exclude(state=ProgressReport.State.RETURNED)
                   .values_list("item_id", flat=True))
    return [{"item": i, "period": period, "due": due} for i in items if i.id not in reported]


def task_breakdown_rows(plan: Plan) -> list[list]:
    """任务分解表: number, measure, lead department, co-operating departments, deadline,
    linked indicators, status."""
    items = item_list(plan).prefetch_related("targets__indicator")
    latest = {}
    for r in ProgressReport.objects.filter(item__plan=plan).order_by("period", "id"):
        latest[r.item_id] = r.get_progress_display()
    rows = []
    for i in items:
        indicators = "；".join(sorted({t.indicator.name for t in i.targets.all() if t.indicator}))
        rows.append([i.number, f"{i.title}" if i.level != "measure" else i.text[:500],
                     i.lead_department.name if i.lead_department else "",
                     "、".join(d.name for d in i.co_departments.all()),
                     i.deadline.isoformat() if i.deadline else "", indicators,
                     latest.get(i.id, "")])
    return rows


def cascade_form(actor, *, target: Target) -> dict:
    """What the cascade page needs: the district target's subdistricts with any sub-target
    already set, and whether the sub-targets must add up (additive) or average (rates)."""
    existing = dict(Target.objects.filter(parent=target).values_list("area_id", "value"))
    subdistricts = list(Area.objects.filter(parent_id=target.area_id).order_by("code"))
    return {"additive": status._additive(target),
            "rows": [{"area": a, "value": existing.get(a.id)} for a in subdistricts],
            "cascaded": bool(existing)}


def subdistricts_by_id(target: Target, ids) -> dict[int, Area]:
    return {a.id: a for a in Area.objects.filter(parent_id=target.area_id, id__in=list(ids))}
