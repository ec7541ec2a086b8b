"""Public cultural facilities (list with xlsx, add, edit) and the plan's indicator:
facility area per 10,000 residents by subdistrict and year."""

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
from minsheng.culture.services import facilities as svc
from minsheng.culture.views.common import xlsx_response

HEADER = ["名称", "类型", "区域", "建筑面积(平方米)", "开放日期", "关闭日期", "开放时间",
          "上年接待人次"]
KEYS = ("name", "kind", "floor_area_m2", "opened_on", "closed_on", "opening_hours",
        "yearly_visits")


@login_required
def facility_list(request):
    a = actor(request)
    qs = selectors.facility_list(a, kind=request.GET.get("kind", "")[:10])
    if request.GET.get("format") == "xlsx":
        return xlsx_response(a, "cultural_facilities", "公共文化设施", HEADER,
                             selectors.facility_export(a, qs))
    years = F.YearForm(request.GET or None)
    year = (years.cleaned_data.get("year") if years.is_valid() else None) or \
        timezone.localdate().year - 1
    return render(request, "culture/facility_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "years": years, "year": year,
        "figures": selectors.facility_area_per_10k(a, year=year),
        "can_add": a.has(P.REGISTER), "can_export": a.has(P.EXPORT)})


@login_required
def facility_new(request):
    a = actor(request)
    if not a.has(P.REGISTER):
        raise PermissionDenied()
    areas = selectors.areas_for(a, P.REGISTER)
    if request.method != "POST":
        return render(request, "culture/facility_form.html", {"form": F.FacilityForm(
            areas=areas)})
    form = F.FacilityForm(request.POST, areas=areas)
    return submit(request, form, lambda d: svc.facility_create(
        actor=a, area=selectors.area_for(a, P.REGISTER, code=d["area"]),
        **{k: d.get(k) for k in KEYS}),
        success_url=reverse("culture:facilities"), template="culture/facility_form.html",
        message=_("Facility saved."))


@login_required
def facility_edit(request, pk: int):
    a = actor(request)
    facility = selectors.facility_get(a, pk=pk)
    if not a.covers(P.REGISTER, facility.area):
        raise PermissionDenied()
    if request.method != "POST":
        initial = {"version": facility.version, **{k: getattr(facility, k) for k in KEYS}}
        return render(request, "culture/facility_form.html", {
            "form": F.FacilityEditForm(initial=initial), "facility": facility})
    form = F.FacilityEditForm(request.POST)
    return submit(request, form, lambda d: svc.facility_update(
        actor=a, facility=facility, version=d["version"], **{k: d.get(k) for k in KEYS}),
        success_url=reverse("culture:facilities"), template="culture/facility_form.html",
        context={"facility": facility}, message=_("Facility saved."))
