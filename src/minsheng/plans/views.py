"""Plan pages: overview, target page and its edit and cascade forms, league table, review of
imported drafts, supervision, progress reports, printable report, xlsx exports.

Thin: a form parses each input, selectors read (and refuse what the actor may not see or
do), services write; `core.pages.submit` shows a refusal in place with the input kept."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.casework import selectors as followup_selectors
from minsheng.casework import services as followup_services
from minsheng.casework.forms import FollowUpCloseForm
from minsheng.core import selectors as core_selectors
from minsheng.core.forms import VersionedForm
from minsheng.core.pages import actor, done, submit
from minsheng.indicators import selectors as indicator_selectors
from minsheng.plans import exports, selectors, services
from minsheng.plans.forms import (
    CascadeForm,
    DraftDecideForm,
    ItemEditForm,
    OverviewFilterForm,
    PlanImportForm,
    PlanQueryForm,
    ReportReviewForm,
    ReportSubmitForm,
    SupervisionFilterForm,
    TargetForm,
)
from minsheng.plans.models import Target
from minsheng.plans.permissions import EXPORT, SUPERVISE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _chosen_plan(request, a):
    return selectors.plan_chosen(a, pk=PlanQueryForm(request.GET).value("plan"))


@login_required
def overview(request):
    a = actor(request)
    filters = OverviewFilterForm(request.GET)
    chapter, department = filters.value("chapter"), filters.value("department")
    context = selectors.overview_page(a, chapter=chapter, department=department)
    if context is None:
        return render(request, "plans/empty.html", {"can_import": a.covers(SUPERVISE, None)})
    area = context["plan"].area
    return render(request, "plans/overview.html", {
        **context, "chapter": chapter, "department": department,
        "statuses": Target.Status.choices, "can_review": a.covers(SUPERVISE, area),
        "can_export": a.covers(EXPORT, area)})


@login_required
def target_detail(request, pk: int):
    return render(request, "plans/target.html", selectors.target_page(actor(request), pk=pk))


def _indicator(a, code: str):
    return indicator_selectors.indicator_get(a, code=code) if code else None


@login_required
def target_edit(request, pk: int):
    """A confirmed district target: name, indicator, type, value, deadline, baseline, lead
    department, tolerance (plan supervisors of its area)."""
    a = actor(request)
    target = selectors.target_for_edit(a, pk=pk)
    choices = {"indicators": indicator_selectors.indicator_list(a).order_by("name"),
               "departments": core_selectors.departments()}
    context = {"target": target,
               "sub_targets": selectors.sub_targets(a, target=target).count()}
    if request.method != "POST":
        return render(request, "plans/target_edit.html",
                      {**context, "form": TargetForm.for_target(target, **choices)})
    form = TargetForm(request.POST, **choices)

    def save(data):
        return services.target_update(
            actor=a, target=target, version=data["version"], name=data["name"],
            indicator=_indicator(a, data["indicator"]), kind=data["kind"], value=data["value"],
            deadline=data["deadline"], baseline_value=data["baseline_value"],
            baseline_date=data["baseline_date"],
            lead_department=core_selectors.department_get(data["lead_department"]),
            tolerance=data["tolerance"])

    return submit(request, form, save, success_url=reverse("plans:target", args=[target.pk]),
                  template="plans/target_edit.html", context=context,
                  message=_("Target saved"))


@login_required
def target_cascade(request, pk: int):
    """Sub-targets per subdistrict for a confirmed district target; the service checks that
    additive targets add up and rates average to the district's value."""
    a = actor(request)
    target = selectors.target_for_edit(a, pk=pk)
    cascade = selectors.cascade_form(a, target=target)
    form = CascadeForm(request.POST if request.method == "POST" else None,
                       rows=cascade["rows"])
    context = {"target": target, **cascade,
               "rows": [{**row, "field": form[f"sub-{row['area'].id}"]}
                        for row in cascade["rows"]]}
    if request.method != "POST":
        return render(request, "plans/cascade.html", {**context, "form": form})
    message = None
    if form.is_valid():
        message = (_("Sub-targets saved for %(n)d subdistrict(s)")
                   % {"n": len(form.cleaned_data["values"])})
    return submit(request, form,
                  lambda data: services.target_cascade(actor=a, target=target,
                                                       values=data["values"]),
                  success_url=reverse("plans:target", args=[target.pk]),
                  template="plans/cascade.html", context=context, message=message)


@login_required
def league(request):
    a = actor(request)
    plan = _chosen_plan(request, a)
    return render(request, "plans/league.html", {
        "plan": plan, "table": selectors.league_table(a, plan=plan),
        "statuses": Target.Status.choices})


@login_required
def monthly_report(request):
    a = actor(request)
    return render(request, "plans/report.html",
                  selectors.report_page(a, plan=_chosen_plan(request, a)))


def _xlsx(write, a, plan, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    write(a, plan, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_tasks(request):
    a = actor(request)
    return _xlsx(exports.task_breakdown_xlsx, a, _chosen_plan(request, a), "task-breakdown.xlsx")


@login_required
def export_targets(request):
    a = actor(request)
    return _xlsx(exports.targets_xlsx, a, _chosen_plan(request, a), "targets.xlsx")


# -- review of an imported plan ------------------------------------------------------------

def _review_context(a, plan, *, failed: tuple[str, int] | None = None, form=None) -> dict:
    """The review page with a form per open draft and per item; the form that was refused
    (`failed` = ("draft" | "item", pk)) is the bound one, so what was typed stays."""
    context = selectors.review_page(a, plan=plan)
    choices = {"departments": context["departments"]}
    drafts = []
    for d in context["drafts"]:
        if failed == ("draft", d.pk):
            drafts.append((d, form))
        elif d.state == d.State.DRAFT:
            drafts.append((d, DraftDecideForm.for_draft(d, indicators=context["indicators"],
                                                        **choices)))
        else:
            drafts.append((d, None))
    items = []
    for item in context["items"]:
        if failed == ("item", item.pk):
            items.append((item, form))
        else:
            items.append((item, ItemEditForm.for_item(item, **choices)))
    context.update(draft_forms=drafts, item_forms=items,
                   activate_failed=failed == ("plan", plan.pk))
    return context


@login_required
def review(request, pk: int):
    a = actor(request)
    plan = selectors.plan_for_review(a, pk=pk)
    return render(request, "plans/review.html", _review_context(a, plan))


@login_required
def import_plan(request):
    a = actor(request)
    context = {"area": selectors.import_area(a)}
    if request.method != "POST":
        return render(request, "plans/import.html", {**context, "form": PlanImportForm()})
    form = PlanImportForm(request.POST, request.FILES)
    return submit(request, form,
                  lambda data: services.plan_import_upload(actor=a, upload=data["file"],
                                                           area=context["area"]),
                  success_url=lambda plan: reverse("plans:review", args=[plan.pk]),
                  template="plans/import.html", context=context,
                  message=_("Imported: review the drafts below"))


@login_required
@require_POST
def draft_decide(request, pk: int):
    a = actor(request)
    draft = selectors.draft_get(a, pk=pk)
    plan = selectors.plan_for_review(a, pk=draft.plan_id)
    indicators = indicator_selectors.indicator_list(a).order_by("name")
    form = DraftDecideForm(request.POST, indicators=indicators,
                           departments=core_selectors.departments())

    def decide(data):
        if data["action"] == "discard":
            return services.draft_discard(actor=a, draft=draft, version=data["version"])
        return services.draft_confirm(
            actor=a, draft=draft, version=data["version"],
            indicator=_indicator(a, data["indicator"]), kind=data["kind"], value=data["value"],
            deadline=data["deadline"],
            lead_department=core_selectors.department_get(data["lead_department"]))

    discard = form.is_valid() and form.cleaned_data["action"] == "discard"
    context = None if _htmx(request) else _review_context(a, plan, failed=("draft", draft.pk),
                                                          form=form)
    return submit(request, form, decide,
                  success_url=reverse("plans:review", args=[plan.pk]) + f"#draft-{draft.pk}",
                  template="plans/review.html", context=context,
                  message=_("Draft discarded") if discard else _("Target confirmed"))


@login_required
@require_POST
def item_edit(request, pk: int):
    a = actor(request)
    item = selectors.item_get(a, pk=pk)
    plan = selectors.plan_for_review(a, pk=item.plan_id)
    form = ItemEditForm(request.POST, departments=core_selectors.departments())

    def save(data):
        if data["merge_into"]:
            into = selectors.item_by_number(a, plan=plan, number=data["merge_into"])
            return services.item_merge(actor=a, item=item, into=into, version=data["version"])
        return services.item_update(
            actor=a, item=item, version=data["version"], title=data["title"] or item.title,
            lead_department=core_selectors.department_get(data["lead_department"]),
            deadline=data["deadline"],
            co_departments=core_selectors.departments_by_ids(data["co_departments"]))

    context = None if _htmx(request) else _review_context(a, plan, failed=("item", item.pk),
                                                          form=form)
    return submit(request, form, save,
                  success_url=reverse("plans:review", args=[plan.pk]) + f"#item-{item.pk}",
                  template="plans/review.html", context=context, message=_("Saved"))


@login_required
@require_POST
def plan_activate(request, pk: int):
    a = actor(request)
    plan = selectors.plan_for_review(a, pk=pk)
    form = VersionedForm(request.POST)
    context = None if _htmx(request) else _review_context(a, plan, failed=("plan", plan.pk),
                                                          form=form)
    return submit(request, form,
                  lambda data: services.plan_activate(actor=a, plan=plan,
                                                      version=data["version"]),
                  success_url=reverse("plans:overview"), template="plans/review.html",
                  context=context, message=_("The plan is active"))


# -- supervision ---------------------------------------------------------------------------

def _supervision_context(request, a, **failed) -> dict:
    """The supervision page; `failed` names the refused form (its pk and the bound form),
    which the page shows in place with what was typed."""
    context = selectors.supervision_page(a, state=SupervisionFilterForm(request.GET)
                                         .state_value())
    context.setdefault("report_form", ReportSubmitForm())
    context.update(failed)
    # a refusal about an item or report no longer listed is shown above the lists
    listed = {("failed_followup", f.pk) for f, _t in context["items"] if f.can_close}
    listed |= {("failed_report", r.pk) for r in context.get("reports", ())}
    context["failed_elsewhere"] = any(key in failed and (key, failed[key]) not in listed
                                      for key in ("failed_followup", "failed_report"))
    return context


@login_required
def supervision(request):
    return render(request, "plans/supervision.html", _supervision_context(request, actor(request)))


@login_required
@require_POST
def review_targets(request):
    counts = services.targets_review(actor=actor(request))
    return done(request, reverse("plans:supervision"),
                _("%(n)d target(s) assessed, %(o)d supervision item(s) opened")
                % {"n": counts["assessed"], "o": counts["opened"]})


@login_required
@require_POST
def followup_close(request, pk: int):
    a = actor(request)
    item = followup_selectors.followup_get(a, pk=pk)
    form = FollowUpCloseForm(request.POST)
    context = None if _htmx(request) else _supervision_context(request, a,
                                                               failed_followup=item.pk)
    return submit(request, form,
                  lambda data: followup_services.followup_close(
                      actor=a, followup=item, outcome=data["outcome"],
                      version=data["version"]),
                  success_url=reverse("plans:supervision"), template="plans/supervision.html",
                  context=context, message=_("Supervision item closed"))


@login_required
@require_POST
def report_submit(request, pk: int):
    a = actor(request)
    item = selectors.item_get(a, pk=pk)
    form = ReportSubmitForm(request.POST, request.FILES)
    context = None if _htmx(request) else _supervision_context(
        request, a, report_form=form, report_item=item.pk)
    return submit(request, form,
                  lambda data: services.report_submit(
                      actor=a, item=item, period=data["period"], progress=data["progress"],
                      narrative=data["narrative"], evidence=data["evidence"]),
                  success_url=reverse("plans:supervision"), template="plans/supervision.html",
                  context=context, message=_("Progress report submitted"))


@login_required
@require_POST
def report_review(request, pk: int):
    a = actor(request)
    report = selectors.report_get(a, pk=pk)
    form = ReportReviewForm(request.POST)
    context = None if _htmx(request) else _supervision_context(request, a,
                                                               failed_report=report.pk)
    accepted = form.is_valid() and form.cleaned_data["action"] == "accept"
    return submit(request, form,
                  lambda data: services.report_review(
                      actor=a, report=report, version=data["version"],
                      accept=data["action"] == "accept", note=data["note"]),
                  success_url=reverse("plans:supervision"), template="plans/supervision.html",
                  context=context,
                  message=_("Report accepted") if accepted else _("Report returned"))
