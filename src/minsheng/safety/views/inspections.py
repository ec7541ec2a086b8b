""""Double random, one public" inspection plans: create, conflicts, draw, results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.safety import forms as F
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.config import setting
from minsheng.safety.services import inspections as svc
from minsheng.safety.views.common import Later


def _list_context(request, a) -> dict:
    return {"page": paginate(request, selectors.inspection_plan_list(a)),
            "query": query_without_page(request), "can_plan": a.has(P.INSPECT)}


@login_required
def inspection_list(request):
    a = actor(request)
    if request.method != "POST":
        form = F.InspectionPlanForm(actor=a) if a.has(P.INSPECT) else None
        return render(request, "safety/inspection_list.html",
                      {**_list_context(request, a), "form": form})
    form = F.InspectionPlanForm(request.POST, actor=a)

    def call(d):
        return svc.plan_create(
            actor=a, name=d["name"], area=selectors.area_get(a, P.INSPECT, pk=d["area"]),
            department=selectors.department_get(a, pk=d["department"]),
            sample_size=d["sample_size"], category=d["category"],
            inspectors_per_check=d["inspectors_per_check"])

    return submit(request, form, call,
                  success_url=lambda plan: reverse("safety:inspection", args=[plan.pk]),
                  template="safety/inspection_list.html",
                  context=Later(lambda: _list_context(request, a)),
                  message=_("Inspection plan created."))


def _detail_context(a, pk: int, bound: dict | None = None) -> dict:
    bound = bound or {}
    plan = selectors.inspection_plan_get(a, pk=pk)
    can_act = a.covers(P.INSPECT, plan.area)
    inspectors = list(selectors.department_inspectors(a, plan.department))
    checks = selectors.inspection_checks(a, plan)
    today = timezone.localdate()
    for check in checks:
        check.form = (bound.get(f"check-{check.pk}")
                      or F.CheckResultForm(initial={"checked_on": today}, actor=a))
    forms = {}
    if can_act and plan.state == "planned":
        forms["draw"] = bound.get("draw") or F.DrawForm(initial={"version": plan.version},
                                                        actor=a)
        forms["conflict"] = bound.get("conflict") or F.ConflictForm(inspectors=inspectors,
                                                                    actor=a)
    if can_act and plan.state == "drawn":
        forms["publish"] = bound.get("publish") or F.PublishResultsForm(
            initial={"version": plan.version}, actor=a)
    return {"plan": plan, "checks": checks, "inspectors": inspectors, "forms": forms,
            "reproduces": selectors.draw_reproduces(a, plan),
            "conflicts": selectors.draw_conflicts(a, plan),
            "can_act": can_act, "today": today,
            "publish_days": setting("INSPECTION_PUBLISH_WORKING_DAYS"),
            "events": selectors.inspection_timeline(a, plan)}


@login_required
def inspection_detail(request, pk: int):
    a = actor(request)
    return render(request, "safety/inspection_detail.html", _detail_context(a, pk))


MESSAGES = {"draw": gettext_lazy("Enterprises and inspectors drawn."),
            "conflict": gettext_lazy("Conflict of interest recorded."),
            "publish": gettext_lazy("Results queued for publication.")}


@login_required
@require_POST
def inspection_action(request, pk: int, action: str):
    a = actor(request)
    plan = selectors.inspection_plan_get(a, pk=pk)
    if action == "draw":
        form = F.DrawForm(request.POST, actor=a)

        def call(d):
            return svc.plan_draw(actor=a, plan=plan, **d)
    elif action == "conflict":
        form = F.ConflictForm(request.POST, actor=a, inspectors=selectors.department_inspectors(
            a, plan.department))

        def call(d):
            return svc.conflict_record(actor=a, plan=plan,
                                       inspector=selectors.inspector_get(a, plan,
                                                                         pk=d["inspector"]),
                                       enterprise=d["enterprise"], reason=d["reason"])
    elif action == "publish":
        form = F.PublishResultsForm(request.POST, actor=a)

        def call(d):
            return svc.plan_publish_results(actor=a, plan=plan, **d)
    else:
        raise Http404
    return submit(request, form, call, success_url=reverse("safety:inspection", args=[pk]),
                  template="safety/inspection_detail.html",
                  context=Later(lambda: _detail_context(a, pk, {action: form})),
                  message=str(MESSAGES[action]))


@login_required
@require_POST
def inspection_result(request, pk: int):
    a = actor(request)
    check = selectors.inspection_check_get(a, pk=pk)
    form = F.CheckResultForm(request.POST, actor=a)
    return submit(request, form,
                  lambda d: svc.check_record_result(actor=a, check=check, **d),
                  success_url=reverse("safety:inspection", args=[check.plan_id]),
                  template="safety/inspection_detail.html",
                  context=Later(lambda: _detail_context(a, check.plan_id,
                                                        {f"check-{check.pk}": form})),
                  message=_("Check result recorded."))
