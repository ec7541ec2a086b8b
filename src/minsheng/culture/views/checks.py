"""Construction checks (new check with its result on a map, list with xlsx) and the
consent cases they open (list, detail with clock, decision and timeline)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.errors import PermissionDenied
from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.culture import forms as F
from minsheng.culture import permissions as P
from minsheng.culture import selectors
from minsheng.culture.config import setting
from minsheng.culture.services import checks as svc
from minsheng.culture.views.common import map_settings, read_shapes, xlsx_response

CHECK_HEADER = ["编号", "日期", "项目", "建设单位", "规划文号", "区域", "结果", "涉及文物及区域",
                "缓冲距离(米)"]


def _check_form(a, data=None, files=None, **kwargs):
    return F.CheckForm(data, files, areas=selectors.areas_for(a, P.CHECK), **kwargs)


@login_required
def check_new(request):
    a = actor(request)
    if not a.has(P.CHECK):
        raise PermissionDenied()
    context = {"map": map_settings()}
    if request.method != "POST":
        return render(request, "culture/check_form.html", {
            **context, "form": _check_form(a, initial={
                "buffer_m": setting("CHECK_BUFFER_METRES")})})
    form = _check_form(a, request.POST, request.FILES)

    def action(d):
        shapes = read_shapes(d, polygon_only=False)
        if len(shapes) != 1:
            from minsheng.core.errors import ValidationFailed

            raise ValidationFailed(_("Check one project at a time (the file holds %d "
                                     "shapes); the CLI checks a whole file.") % len(shapes),
                                   field="geometry")
        return svc.project_check(
            actor=a, project_name=d["project_name"], applicant=d["applicant"],
            reference=d.get("reference", ""),
            area=selectors.area_for(a, P.CHECK, code=d["area"]), shape=shapes[0],
            buffer_m=d.get("buffer_m"), exception_requested=d.get("exception_requested", False),
            exception_grounds=d.get("exception_grounds", ""))

    return submit(request, form, action,
                  success_url=lambda c: reverse("culture:check", args=[c.pk]),
                  template="culture/check_form.html", context=context,
                  message=_("Check recorded."))


@login_required
def check_list(request):
    a = actor(request)
    filters = F.CheckFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.check_list(a, result=f.get("result", ""))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(a, "construction_checks", "建设项目文物核查", CHECK_HEADER,
                             selectors.check_export(a, qs))
    return render(request, "culture/check_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters, "can_check": a.has(P.CHECK), "can_export": a.has(P.EXPORT)})


@login_required
def check_detail(request, pk: int):
    a = actor(request)
    check = selectors.check_get(a, pk=pk)
    site_ids = {m["site"] for m in check.matches}
    return render(request, "culture/check_detail.html", {
        "check": check, "consent": selectors.consent_of(check),
        "explanation_lines": check.explanation.splitlines(),
        "map_data": {"zones": selectors.zones_geojson(a, site_ids=site_ids),
                     "project": check.geometry, "buffer_m": check.buffer_m, **map_settings()}})


@login_required
def consent_list(request):
    a = actor(request)
    filters = F.ConsentFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, selectors.consent_list(a, state=f.get("state", "")))
    today = timezone.localdate()
    for case in page:
        clock = svc.consent_clock(case)
        case.clock_status, case.clock_summary = clock.status(today), clock.summary(today)
    return render(request, "culture/consent_list.html", {
        "page": page, "query": query_without_page(request), "filters": filters})


def _consent_context(a, case, form=None) -> dict:
    moves = case.workflow.allowed(a, case)
    return {"case": case, "check": case.construction_check,
            "clocks": [svc.consent_clock(case)], "timeline": selectors.consent_timeline(a, case),
            "can_decide": bool(moves),
            "form": form or F.DecideForm(initial={"version": case.version}),
            "map_data": {"zones": selectors.zones_geojson(a, site_ids={case.site_id}),
                         "project": case.construction_check.geometry,
                         "buffer_m": case.construction_check.buffer_m, **map_settings()}}


@login_required
def consent_detail(request, pk: int):
    a = actor(request)
    case = selectors.consent_get(a, pk=pk)
    if request.method != "POST":
        return render(request, "culture/consent_detail.html", _consent_context(a, case))
    form = F.DecideForm(request.POST)
    return submit(request, form, lambda d: svc.consent_decide(
        actor=a, case=case, version=d["version"], decision=d["decision"],
        reason=d.get("reason", ""), conditions=d.get("conditions", "")),
        success_url=reverse("culture:consent", args=[case.pk]),
        template="culture/consent_detail.html", context=_consent_context(a, case, form),
        message=_("Decision recorded."))
