"""Every read of plan monitoring. Each takes the actor first and returns only what the actor
may see; the pages that belong to a permission (review, import, cascade, exports) raise the
access error here, so views never check permissions themselves."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import selectors as followup_selectors
from minsheng.casework.models import FollowUp
from minsheng.core import selectors as core_selectors
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.dates import add_months, month_start
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.models import Area
from minsheng.indicators import registry
from minsheng.plans import status
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft
from minsheng.plans.permissions import EXPORT, REPORT, SUPERVISE, VIEW
from minsheng.plans.services import FOLLOWUP_KIND, report_due


def plan_list(actor) -> QuerySet[Plan]:
    return scoped(Plan.objects.select_related("area"), as_actor(actor), VIEW)


def plan_get(actor, *, pk: int) -> Plan:
    return get_in_scope(Plan.objects.select_related("area"), as_actor(actor), VIEW, pk=pk)


def plan_current(actor) -> Plan | None:
    """The active plan (or the newest draft) the actor may see."""
    plans = plan_list(actor)
    return plans.filter(state=Plan.State.ACTIVE).first() or plans.first()


def plan_chosen(actor, *, pk: int | None = None) -> Plan:
    """The plan a page asks for (`?plan=`), or the current one; NotFound if none."""
    plan = plan_get(actor, pk=pk) if pk else plan_current(actor)
    if plan is None:
        raise NotFound(_("No plan has been imported yet"))
    return plan


def plan_for_review(actor, *, pk: int) -> Plan:
    """A plan on its review page (drafts, items): plan supervisors of its area only."""
    actor = as_actor(actor)
    plan = plan_get(actor, pk=pk)
    require(actor, SUPERVISE, plan.area)
    return plan


def import_area(actor) -> Area:
    """Where a plan is imported (the district); only its plan supervisors may."""
    actor = as_actor(actor)
    area = Area.objects.filter(parent=None).order_by("code").first()
    require(actor, SUPERVISE, area)
    return area


def _plan_scoped(qs: QuerySet, actor, field: str = "plan") -> QuerySet:
    return scoped(qs, as_actor(actor), VIEW, f"{field}__area")


def item_list(actor, *, plan: Plan, include_merged: bool = False,
              level: str = "") -> QuerySet[PlanItem]:
    qs = _plan_scoped(PlanItem.objects.filter(plan=plan), actor).select_related(
        "lead_department", "parent")
    if not include_merged:
        qs = qs.filter(merged_into=None)
    if level:
        qs = qs.filter(level=level)
    return qs.prefetch_related("co_departments")


def item_get(actor, *, pk: int) -> PlanItem:
    try:
        return _plan_scoped(PlanItem.objects.select_related("plan__area", "lead_department"),
                            actor).get(pk=pk)
    except PlanItem.DoesNotExist:
        raise NotFound() from None


def item_by_number(actor, *, plan: Plan, number: str) -> PlanItem:
    item = item_list(actor, plan=plan).filter(number=number.strip()).first()
    if item is None:
        raise ValidationFailed(_("No item numbered %(n)s") % {"n": number},
                               field="merge_into")
    return item


def measures(actor, *, plan: Plan) -> QuerySet[PlanItem]:
    return item_list(actor, plan=plan, level=PlanItem.Level.MEASURE)


def reportable_measures(actor, *, plan: Plan) -> QuerySet[PlanItem]:
    """The measures the actor's department reports on (lead or co-operating); every
    measure for system administrators; none without the report permission."""
    actor = as_actor(actor)
    qs = measures(actor, plan=plan)
    if not actor.covers(REPORT, plan.area):
        return qs.none()
    if actor.system or "system_admin" in actor.roles:
        return qs
    department = getattr(actor.user, "department", None)
    if department is None:
        return qs.none()
    return (qs.filter(lead_department=department) | qs.filter(co_departments=department)
            ).distinct()


def chapters(actor, *, plan: Plan) -> QuerySet[PlanItem]:
    return _plan_scoped(PlanItem.objects.filter(plan=plan, parent=None, merged_into=None),
                        actor)


def draft_list(actor, *, plan: Plan) -> QuerySet[TargetDraft]:
    return _plan_scoped(TargetDraft.objects.filter(plan=plan), actor).select_related(
        "item", "target")


def draft_get(actor, *, pk: int) -> TargetDraft:
    try:
        return _plan_scoped(TargetDraft.objects.select_related("plan__area", "item"),
                            actor).get(pk=pk)
    except TargetDraft.DoesNotExist:
        raise NotFound() from None


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
        return target_list(actor, top_level=False).select_related("plan").get(pk=pk)
    except Target.DoesNotExist:
        raise NotFound() from None


def target_for_edit(actor, *, pk: int) -> Target:
    """A district target its area's plan supervisors edit or cascade (others: 403)."""
    actor = as_actor(actor)
    target = target_get(actor, pk=pk)
    require(actor, SUPERVISE, target.area)
    if target.parent_id is not None:
        raise ValidationFailed(_("A sub-target is changed on its district target's "
                                 "sub-targets page"))
    return target


def sub_targets(actor, *, target: Target) -> QuerySet[Target]:
    return target_list(actor, top_level=False).filter(parent=target)


def targets_by_id(actor, ids) -> dict[int, Target]:
    ids = [int(i) for i in ids if str(i).isdigit()]
    return {t.id: t for t in target_list(actor, top_level=False).filter(pk__in=ids)}


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


def overview_page(actor, *, chapter: int | None = None,
                  department: int | None = None) -> dict | None:
    """What the overview page shows; None when no plan has been imported."""
    actor = as_actor(actor)
    require(actor, VIEW)
    plan = plan_current(actor)
    if plan is None:
        return None
    rows = overview(actor, plan=plan, chapter=chapter, department=department)
    return {"plan": plan, "rows": rows, "chapters": chapters(actor, plan=plan),
            "departments": core_selectors.departments(),
            "subdistricts": [a for a, _r in rows[0]["areas"]] if rows else []}


def target_page(actor, *, pk: int) -> dict:
    """The target page: the target, its results by subdistrict ranked, the chart data."""
    actor = as_actor(actor)
    target = target_get(actor, pk=pk)
    rows = overview(actor, plan=target.plan)
    row = next((r for r in rows if r["target"].id == target.id), None)
    if row is None:
        raise NotFound()
    result = row["result"]
    ranked = sorted([(a, r) for a, r in row["areas"] if r and r["current_value"] is not None],
                    key=lambda p: p[1]["current_value"],
                    reverse=target.kind != Target.Kind.CEILING)
    unranked = [(a, r) for a, r in row["areas"] if not r or r["current_value"] is None]
    chart = {"title": target.name, "unit": target.indicator.unit if target.indicator else "",
             "target": result["target_value"] if result else None, "kind": target.kind,
             "series": [{"name": target.area.name, "points": result["series"] if result
                         else []}]
             + [{"name": a.name, "points": r["series"]} for a, r in row["areas"] if r],
             "projection": result["projection"] if result else None,
             "last": result["series"][-1] if result and result["series"] else None}
    # a target measured by one element whose source lists its records opens to them
    source = registry.SOURCES.get(target.indicator.formula.strip()) if target.indicator else None
    return {"target": target, "row": row, "result": result, "ranked": ranked,
            "unranked": unranked, "chart": chart,
            "records_url": reverse(source.records) if source and source.records else "",
            "can_supervise": actor.covers(SUPERVISE, target.area)}


def department_by_code(actor, *, code: str):
    """A department by its code (departments are public); NotFound for an unknown one."""
    department = core_selectors.departments().filter(department_code=code).first()
    if department is None:
        raise NotFound()
    return department


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
    return followup_selectors.followup_list(actor, state=state, kind=FOLLOWUP_KIND)


def supervision_rows(actor, *, state: str = "open") -> list[tuple[FollowUp, Target | None]]:
    """Supervision follow-ups with the target each is about and whether the actor may close
    it (only the lead department's staff, or a system administrator)."""
    actor = as_actor(actor)
    items = followup_selectors.with_close_flags(actor, supervision_items(actor, state=state))
    targets = targets_by_id(actor, [i.source_id for i in items])
    return [(i, targets.get(int(i.source_id)) if i.source_id.isdigit() else None)
            for i in items]


def report_list(actor, *, plan: Plan, state: str = "",
                period: datetime.date | None = None) -> QuerySet[ProgressReport]:
    qs = _plan_scoped(ProgressReport.objects.filter(item__plan=plan), actor,
                      "item__plan").select_related("item", "department", "submitted_by")
    if state:
        qs = qs.filter(state=state)
    if period is not None:
        qs = qs.filter(period=period)
    return qs


def report_get(actor, *, pk: int) -> ProgressReport:
    try:
        return _plan_scoped(ProgressReport.objects.select_related("item__plan__area"), actor,
                            "item__plan").get(pk=pk)
    except ProgressReport.DoesNotExist:
        raise NotFound() from None


def _last_month(today: datetime.date) -> datetime.date:
    return add_months(month_start(today), -1)


def overdue_reports(actor, *, plan: Plan, today: datetime.date | None = None) -> list[dict]:
    """Measures with a lead department whose report for last month is missing past its
    working-day due date."""
    today = today or timezone.localdate()
    period = _last_month(today)
    due = report_due(period)
    if today <= due:
        return []
    items = measures(actor, plan=plan).exclude(lead_department=None)
    reported = set(report_list(actor, plan=plan, period=period)
                   .exclude(state=ProgressReport.State.RETURNED)
                   .values_list("item_id", flat=True))
    return [{"item": i, "period": period, "due": due} for i in items if i.id not in reported]


def supervision_page(actor, *, state: str = "open",
                     today: datetime.date | None = None) -> dict:
    """What the supervision page shows, and which of its actions the actor is offered."""
    actor = as_actor(actor)
    require(actor, VIEW)
    plan = plan_current(actor)
    today = today or timezone.localdate()
    context = {"items": supervision_rows(actor, state=state), "state": state, "plan": plan,
               "today": today, "can_supervise": actor.has(SUPERVISE)}
    if plan is not None:
        context["reports"] = report_list(actor, plan=plan, state="submitted")
        context["can_review"] = actor.covers(SUPERVISE, plan.area)
        context["overdue"] = overdue_reports(actor, plan=plan, today=today)
        context["measures"] = reportable_measures(actor, plan=plan)
    return context


def report_page(actor, *, plan: Plan, today: datetime.date | None = None) -> dict:
    """The printable monthly report."""
    today = today or timezone.localdate()
    month = _last_month(today)
    return {"plan": plan, "rows": overview(actor, plan=plan), "today": today, "month": month,
            "reports": report_list(actor, plan=plan, period=month),
            "overdue": overdue_reports(actor, plan=plan, today=today),
            "supervision": supervision_items(actor)}


def review_page(actor, *, plan: Plan) -> dict:
    """The review page of an imported plan: drafts and items with the choices their forms
    offer."""
    from minsheng.indicators import selectors as indicator_selectors

    return {"plan": plan, "items": item_list(actor, plan=plan),
            "drafts": draft_list(actor, plan=plan),
            "indicators": indicator_selectors.indicator_list(actor).order_by("name"),
            "kinds": Target.Kind.choices, "departments": core_selectors.departments()}


def task_breakdown_rows(actor, *, plan: Plan) -> list[list]:
    """任务分解表: number, measure, lead department, co-operating departments, deadline,
    linked indicators, status."""
    actor = as_actor(actor)
    require(actor, EXPORT, plan.area)
    items = item_list(actor, plan=plan).prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("indicator")))
    latest = {}
    for r in report_list(actor, plan=plan).order_by("period", "id"):
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


def targets_export_rows(actor, *, plan: Plan) -> list[dict]:
    actor = as_actor(actor)
    require(actor, EXPORT, plan.area)
    return overview(actor, plan=plan)


def cascade_form(actor, *, target: Target) -> dict:
    """What the cascade page needs: the district target's subdistricts with any sub-target
    already set, and whether the sub-targets must add up (additive) or average (rates)."""
    existing = dict(Target.objects.filter(parent=target).values_list("area_id", "value"))
    subdistricts = list(Area.objects.filter(parent_id=target.area_id).order_by("code"))
    return {"additive": status._additive(target),
            "rows": [{"area": a, "value": existing.get(a.id)} for a in subdistricts],
            "cascaded": bool(existing)}
