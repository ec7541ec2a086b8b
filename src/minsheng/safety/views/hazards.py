"""Overview, hidden hazards (排查 -> 整改 -> 验收 -> 销号) and publications."""

from __future__ import annotations

from django import forms as django_forms
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
from minsheng.safety.models import Hazard
from minsheng.safety.services import hazards as svc
from minsheng.safety.views.common import Later, page_forms, stale_before


@login_required
def home(request):
    a = actor(request)
    return render(request, "safety/home.html", _home_context(request, a))


def _home_context(request, a) -> dict:
    return {**selectors.home_summary(a), "today": timezone.localdate(),
            "stale_before": stale_before(),
            "pending": paginate(request, selectors.publication_list(a, pending=True), 20),
            "query": query_without_page(request), "can_publish": a.has(P.LIST)}


@login_required
def hazard_list(request):
    a = actor(request)
    filters = F.HazardFilterForm(request.GET or None, actor=a)
    f = filters.cleaned_data if filters.is_valid() else {}
    enterprise = (selectors.enterprise_get(a, pk=f["enterprise"]) if f.get("enterprise")
                  else None)
    qs = selectors.hazard_list(a, state=f.get("state", ""), grade=f.get("grade", ""),
                               enterprise=enterprise, overdue=bool(f.get("overdue")))
    if request.GET.get("format") == "xlsx":
        return _hazards_xlsx(a, qs)
    return render(request, "safety/hazard_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters, "today": timezone.localdate(), "can_report": a.has(P.REPORT),
        "can_export": a.has(P.EXPORT),
        "enterprise": enterprise})


def _hazards_xlsx(a, qs):
    from minsheng.core.spreadsheets import write_xlsx, xlsx_response

    rows = selectors.hazard_export(a, qs)
    response = xlsx_response("hazards.xlsx")
    write_xlsx(response, [("隐患", ["编号", "企业", "区域", "等级", "类别", "位置", "发现日期",
                                    "整改期限", "状态", "销号日期"], rows)])
    return response


def _new_context(a) -> dict:
    return {"categories": selectors.hazard_categories(a)}


@login_required
def hazard_new(request):
    a = actor(request)
    if request.method != "POST":
        form = F.HazardReportForm(actor=a, initial={"found_on": timezone.localdate(),
                                                    "origin": "inspection"})
        return render(request, "safety/hazard_new.html", {**_new_context(a), "form": form})
    form = F.HazardReportForm(request.POST, request.FILES, actor=a)
    return submit(request, form, lambda d: svc.hazard_report(actor=a, **d),
                  success_url=lambda h: reverse("safety:hazard", args=[h.pk]),
                  template="safety/hazard_new.html", context=Later(lambda: _new_context(a)),
                  message=_("Hazard recorded."))


# The workflow's guards decide by grade: a general hazard gets an order, a major one the
# principal leader's plan. Buttons certain to be refused are not offered.
GRADE_ONLY = {"major": {"order", "rectified_on_spot"}, "general": {"submit_plan"}}


def _detail_context(a, pk: int, bound: dict | None = None) -> dict:
    hazard = selectors.hazard_detail(a, pk=pk)
    today = timezone.localdate()
    actions = [t.name for t in Hazard.workflow.allowed(a, hazard)
               if t.name not in GRADE_ONLY[hazard.grade]]
    open_major = hazard.grade == "major" and hazard.state != "closed"
    can_list = open_major and not hazard.listed and a.covers(P.LIST, hazard.area)
    can_suspend = open_major and hazard.listed and a.covers(P.LIST, hazard.area)
    wanted = {name: F.HAZARD_FORMS[name] for name in
              [*actions, *(["list"] if can_list else []),
               *(["suspension"] if can_suspend else [])]}
    forms = page_forms(wanted, bound, initial={"version": hazard.version,
                                               "suspension": hazard.suspension,
                                               "rectified_on": today}, actor=a)
    return {"h": hazard, "today": today, "forms": forms,
            "action_forms": [(name, forms[name]) for name in actions],
            "clocks": svc.hazard_clocks(hazard),
            "events": selectors.hazard_timeline(a, hazard),
            "plan": hazard.plan_record, "can_list": can_list, "can_suspend": can_suspend}


@login_required
def hazard_detail(request, pk: int):
    a = actor(request)
    return render(request, "safety/hazard_detail.html", _detail_context(a, pk))


def _hazard_call(a, hazard: Hazard, action: str):
    """The service a hazard page form calls, with its cleaned data."""
    return {
        "order": lambda d: svc.hazard_order(actor=a, hazard=hazard, **d),
        "submit_plan": lambda d: svc.hazard_submit_plan(actor=a, hazard=hazard, **d),
        "rectified_on_spot": lambda d: svc.hazard_rectified_on_spot(actor=a, hazard=hazard,
                                                                    **d),
        "apply_acceptance": lambda d: svc.hazard_apply_acceptance(actor=a, hazard=hazard,
                                                                  **d),
        "accept": lambda d: svc.hazard_accept(actor=a, hazard=hazard, passed=True, **d),
        "reject": lambda d: svc.hazard_accept(actor=a, hazard=hazard, passed=False,
                                              version=d["version"], note=d["note"],
                                              new_due=d["due"]),
        "write_off": lambda d: svc.hazard_write_off(actor=a, hazard=hazard, **d),
        "list": lambda d: svc.hazard_list_supervision(
            actor=a, hazard=hazard, version=d["version"], listed_by=d["listed_by"],
            suspension=d["suspension"], suspension_note=d["note"]),
        "suspension": lambda d: svc.hazard_set_suspension(actor=a, hazard=hazard, **d),
    }[action]


MESSAGES = {"order": gettext_lazy("Rectification order issued."),
            "submit_plan": gettext_lazy("Rectification plan recorded."),
            "rectified_on_spot": gettext_lazy("Recorded as rectified on the spot."),
            "apply_acceptance": gettext_lazy("Acceptance applied for."),
            "accept": gettext_lazy("Passed acceptance."),
            "reject": gettext_lazy("Failed acceptance."),
            "write_off": gettext_lazy("Hazard written off."),
            "list": gettext_lazy("Put under listed supervision."),
            "suspension": gettext_lazy("Suspension recorded.")}


@login_required
@require_POST
def hazard_action(request, pk: int, action: str):
    if action not in F.HAZARD_FORMS:
        raise Http404
    a = actor(request)
    hazard = selectors.hazard_get(a, pk=pk)
    form = F.HAZARD_FORMS[action](request.POST, request.FILES, actor=a)
    return submit(request, form, _hazard_call(a, hazard, action),
                  success_url=reverse("safety:hazard", args=[hazard.pk]),
                  template="safety/hazard_detail.html",
                  context=Later(lambda: _detail_context(a, pk, {action: form})),
                  message=str(MESSAGES[action]))


@login_required
@require_POST
def publication_publish(request, pk: int):
    a = actor(request)
    publication = selectors.publication_get(a, pk=pk)
    form = django_forms.Form(request.POST)
    return submit(request, form, lambda d: svc.publication_publish(actor=a,
                                                                   publication=publication),
                  success_url=reverse("safety:home"), template="safety/home.html",
                  context=Later(lambda: _home_context(request, a)),
                  message=_("Published on the public page."))
