"""Plan pages: overview, target/indicator page, league table, review of imported drafts,
supervision, progress reports, printable report, xlsx exports. Thin: selectors and
services do the work."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.casework import followups
from minsheng.core import selectors as core_selectors
from minsheng.core.access import require
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.pages import actor
from minsheng.indicators import selectors as indicator_selectors
from minsheng.plans import exports, selectors, services
from minsheng.plans.models import ProgressReport, Target

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _plan(request, a):
    pk = _int(request.GET.get("plan"))
    plan = selectors.plan_get(a, pk=pk) if pk else selectors.plan_current(a)
    if plan is None:
        raise NotFound(_("No plan has been imported yet"))
    return plan


@login_required
def overview(request):
    a = actor(request)
    require(a, selectors.VIEW)
    plan = selectors.plan_current(a)
    if plan is None:
        return render(request, "plans/empty.html", {})
    chapter, department = _int(request.GET.get("chapter")), _int(request.GET.get("department"))
    rows = selectors.overview(a, plan=plan, chapter=chapter, department=department)
    return render(request, "plans/overview.html", {
        "plan": plan, "rows": rows, "chapters": selectors.chapters(plan),
        "departments": core_selectors.departments(),
        "chapter": chapter, "department": department,
        "subdistricts": [ar for ar, _r in rows[0]["areas"]] if rows else [],
        "statuses": Target.Status.choices})


@login_required
def target_detail(request, pk: int):
    a = actor(request)
    target = selectors.target_get(a, pk=pk)
    rows = selectors.overview(a, plan=target.plan)
    row = next((r for r in rows if r["target"].id == target.id), None)
    if row is None:
        raise NotFound()
    ranked = sorted([(ar, r) for ar, r in row["areas"] if r and r["current_value"] is not None],
                    key=lambda p: p[1]["current_value"],
                    reverse=target.kind != Target.Kind.CEILING)
    unranked = [(ar, r) for ar, r in row["areas"] if not r or r["current_value"] is None]
    chart = {"title": target.name, "unit": target.indicator.unit if target.indicator else "",
             "target": row["result"]["target_value"] if row["result"] else None,
             "kind": target.kind,
             "series": [{"name": target.area.name, "points": row["result"]["series"]}]
             + [{"name": ar.name, "points": r["series"]} for ar, r in row["areas"] if r],
             "projection": row["result"]["projection"] if row["result"] else None,
             "last": row["result"]["series"][-1] if row["result"] and row["result"]["series"]
             else None}
    return render(request, "plans/target.html", {
        "target": target, "row": row, "result": row["result"], "ranked": ranked,
        "unranked": unranked,
        "chart": chart, "can_supervise": a.covers(services.SUPERVISE, target.area)})


def _done(request, url: str):
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def target_cascade(request, pk: int):
    """Sub-targets per subdistrict for a confirmed district target; the service checks that
    additive targets add up and rates average to the district's value."""
    a = actor(request)
    target = selectors.target_get(a, pk=pk)
    require(a, services.SUPERVISE, target.area)
    if target.parent_id is not None:
        raise ValidationFailed(_("Only a district target is cascaded to subdistricts"))
    form = selectors.cascade_form(a, target=target)
    if request.method != "POST":
        return render(request, "plans/cascade.html", {"target": target, **form})
    entered = {}
    for row in form["rows"]:
        text = request.POST.get(f"sub-{row['area'].id}", "").strip().replace(",", "")
        if not text:
            continue
        try:
            entered[row["area"].id] = float(text)
        except ValueError:
            raise ValidationFailed(_("The sub-target for %(area)s is not a number")
                                   % {"area": row["area"].name}, field="values") from None
    if not entered:
        raise ValidationFailed(_("Enter a sub-target for at least one subdistrict"),
                               field="values")
    areas = selectors.subdistricts_by_id(target, entered)
    services.target_cascade(actor=a, target=target,
                            values={areas[i]: v for i, v in entered.items()})
    messages.success(request, _("Sub-targets saved for %(n)d subdistrict(s)")
                     % {"n": len(entered)})
    return _done(request, reverse("plans:target", args=[target.pk]))


@login_required
def league(request):
    a = actor(request)
    plan = _plan(request, a)
    return render(request, "plans/league.html", {
        "plan": plan, "table": selectors.league_table(a, plan=plan),
        "statuses": Target.Status.choices})


@login_required
def monthly_report(request):
    a = actor(request)
    plan = _plan(request, a)
    today = timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return render(request, "plans/report.html", {
        "plan": plan, "rows": selectors.overview(a, plan=plan), "today": today,
        "month": month, "reports": selectors.report_list(a, plan=plan).filter(period=month),
        "overdue": selectors.overdue_reports(a, plan=plan, today=today),
        "supervision": selectors.supervision_items(a)})


@login_required
def export_tasks(request):
    a = actor(request)
    require(a, "core.export")
    plan = _plan(request, a)
    buffer = io.BytesIO()
    exports.task_breakdown_xlsx(plan, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="task-breakdown.xlsx"'
    return response


@login_required
def export_targets(request):
    a = actor(request)
    require(a, "core.export")
    plan = _plan(request, a)
    buffer = io.BytesIO()
    exports.targets_xlsx(selectors.overview(a, plan=plan), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="targets.xlsx"'
    return response


# -- review of an imported plan ------------------------------------------------------------

@login_required
def review(request, pk: int):
    a = actor(request)
    plan = selectors.plan_get(a, pk=pk)
    require(a, services.SUPERVISE, plan.area)
    return render(request, "plans/review.html", {
        "plan": plan, "items": selectors.item_list(plan), "drafts": selectors.draft_list(plan),
        "indicators": indicator_selectors.indicator_list().order_by("name"),
        "kinds": Target.Kind.choices,
        "departments": core_selectors.departments()})


@login_required
def import_plan(request):
    a = actor(request)
    require(a, services.SUPERVISE)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("Choose a file"), field="file")
        import tempfile
        from pathlib import Path

        suffix = Path(upload.name).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            plan = services.plan_import(actor=a, path=tmp.name, name=upload.name)
        messages.success(request, _("Imported: review the drafts below"))
        return redirect("plans:review", pk=plan.pk)
    return render(request, "plans/import.html", {})


@login_required
@require_POST
def draft_decide(request, pk: int):
    a = actor(request)
    draft = selectors.draft_get(a, pk=pk)
    version = _int(request.POST.get("version")) or 0
    if request.POST.get("action") == "discard":
        services.draft_discard(actor=a, draft=draft, version=version)
    else:
        code = request.POST.get("indicator", "")
        indicator = indicator_selectors.indicator_get(a, code=code) if code else None
        value = request.POST.get("value", "").strip()
        try:
            deadline = datetime.date.fromisoformat(request.POST.get("deadline", ""))
            number = float(value) if value else None
        except ValueError:
            raise ValidationFailed(_("Give a valid deadline (YYYY-MM-DD) and value")) from None
        dept = _int(request.POST.get("lead_department"))
        services.draft_confirm(
            actor=a, draft=draft, version=version, indicator=indicator,
            kind=request.POST.get("kind", ""), value=number, deadline=deadline,
            lead_department=core_selectors.department_get(dept))
        messages.success(request, _("Target confirmed"))
    return redirect("plans:review", pk=draft.plan_id)


@login_required
@require_POST
def item_edit(request, pk: int):
    a = actor(request)
    item = selectors.item_get(a, pk=pk)
    version = _int(request.POST.get("version")) or 0
    merge_into = request.POST.get("merge_into", "").strip()
    if merge_into:
        into = selectors.item_list(item.plan).filter(number=merge_into).first()
        if into is None:
            raise ValidationFailed(_("No item numbered %(n)s") % {"n": merge_into})
        services.item_merge(actor=a, item=item, into=into, version=version)
    else:
        dept = _int(request.POST.get("lead_department"))
        deadline = request.POST.get("deadline", "")
        co = core_selectors.departments_by_ids(
            _int(v) for v in request.POST.getlist("co_departments"))
        try:
            when = datetime.date.fromisoformat(deadline) if deadline else None
        except ValueError:
            raise ValidationFailed(_("Give the deadline as YYYY-MM-DD"), field="deadline") from None
        services.item_update(
            actor=a, item=item, version=version, title=request.POST.get("title", item.title),
            lead_department=core_selectors.department_get(dept),
            deadline=when, co_departments=co)
    messages.success(request, _("Saved"))
    return redirect("plans:review", pk=item.plan_id)


@login_required
@require_POST
def plan_activate(request, pk: int):
    a = actor(request)
    plan = selectors.plan_get(a, pk=pk)
    services.plan_activate(actor=a, plan=plan, version=_int(request.POST.get("version")) or 0)
    return redirect("plans:overview")


# -- supervision ---------------------------------------------------------------------------

@login_required
def supervision(request):
    a = actor(request)
    require(a, selectors.VIEW)
    plan = selectors.plan_current(a)
    state = request.GET.get("state", "open")
    items = list(selectors.supervision_items(a, state=state))
    targets = selectors.targets_by_id([i.source_id for i in items])
    today = timezone.localdate()
    context = {"items": [(i, targets.get(int(i.source_id)) if i.source_id.isdigit() else None)
                         for i in items],
               "state": state, "plan": plan, "today": today,
               "can_supervise": a.has(services.SUPERVISE),
               "can_handle": a.has(followups.HANDLE)}
    if plan is not None:
        context["reports"] = selectors.report_list(a, plan=plan, state="submitted")
        context["overdue"] = selectors.overdue_reports(a, plan=plan, today=today)
        context["measures"] = selectors.item_list(plan).filter(level="measure")
    return render(request, "plans/supervision.html", context)


@login_required
@require_POST
def review_targets(request):
    a = actor(request)
    counts = services.targets_review(actor=a)
    messages.success(request, _("%(n)d target(s) assessed, %(o)d supervision item(s) opened")
                     % {"n": counts["assessed"], "o": counts["opened"]})
    return redirect("plans:supervision")


@login_required
@require_POST
def followup_close(request, pk: int):
    a = actor(request)
    item = followups.followup_get(a, pk=pk)
    followups.followup_close(actor=a, followup=item, outcome=request.POST.get("outcome", ""),
                             version=_int(request.POST.get("version")) or 0)
    messages.success(request, _("Supervision item closed"))
    return redirect("plans:supervision")


@login_required
@require_POST
def report_submit(request, pk: int):
    a = actor(request)
    item = selectors.item_get(a, pk=pk)
    try:
        period = datetime.date.fromisoformat(request.POST.get("period", "") + "-01")
    except ValueError:
        raise ValidationFailed(_("Give the month as YYYY-MM"), field="period") from None
    services.report_submit(actor=a, item=item, period=period,
                           progress=request.POST.get("progress", ""),
                           narrative=request.POST.get("narrative", ""),
                           evidence=request.FILES.get("evidence"))
    messages.success(request, _("Progress report submitted"))
    return redirect("plans:supervision")


@login_required
@require_POST
def report_review(request, pk: int):
    a = actor(request)
    report = selectors.report_get(a, pk=pk)
    services.report_review(actor=a, report=report, version=_int(request.POST.get("version")) or 0,
                           accept=request.POST.get("action") == "accept",
                           note=request.POST.get("note", ""))
    return redirect("plans:supervision")


PROGRESS_CHOICES = ProgressReport.Progress.choices
