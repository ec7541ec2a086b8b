"""Health pages: thin, calling selectors and services."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minsheng.core import selectors as core_selectors
from minsheng.core.errors import ValidationFailed
from minsheng.core.pages import actor, paginate, query_without_page
from minsheng.health import selectors, services
from minsheng.health.access import is_health_staff
from minsheng.health.models import RESPOND, Alert, Investigation


def _done(request, url: str):
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _int(value, field: str, default: int | None = None) -> int:
    if value in (None, ""):
        if default is not None:
            return default
        raise ValidationFailed(f"{field} is required", field=field)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{field} must be a whole number", field=field) from None


def _date(value, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{field}: use YYYY-MM-DD", field=field) from None


def _area(request, code: str):
    return core_selectors.area_get(actor(request), code=code) if code else None


@login_required
def alert_board(request):
    a = actor(request)
    state = request.GET.get("state", "open")[:30]
    disease_code = request.GET.get("disease", "")[:40]
    disease = selectors.disease_get(code=disease_code) if disease_code else None
    alerts = selectors.alert_list(a, state=state, disease=disease,
                                  area=_area(request, request.GET.get("area", "")[:12]))
    page = paginate(request, alerts)
    now = timezone.now()
    for alert in page:
        alert.clock = selectors.alert_clock_status(alert, now)
    return render(request, "health/alerts.html", {
        "page": page, "query": query_without_page(request), "state": state,
        "diseases": selectors.disease_list(), "disease_code": disease_code,
        "subdistricts": selectors.subdistricts(a), "states": Alert.workflow.states,
        "can_run": a.has(RESPOND) and is_health_staff(a)})


@login_required
@require_POST
def detection_start(request):
    job = services.detection_start(actor=actor(request))
    return render(request, "core/partials/job.html", {"job": job})


@login_required
def alert_detail(request, pk: int):
    a = actor(request)
    alert = selectors.alert_get(a, pk=pk)
    can_respond = a.covers(RESPOND, alert.area) and is_health_staff(a)
    return render(request, "health/alert_detail.html", {
        "alert": alert, "timeline": selectors.alert_timeline(alert),
        "clock": selectors.alert_clock_status(alert),
        "investigation": alert.investigation if _has_inv(alert) else None,
        "actions": [t.name for t in Alert.workflow.available(alert.state)] if can_respond
        else [], "settings": Investigation.Setting.choices,
        "today": timezone.localdate().isoformat()})


def _has_inv(alert) -> bool:
    try:
        alert.investigation  # noqa: B018
    except Investigation.DoesNotExist:
        return False
    return True


@login_required
@require_POST
def alert_action(request, pk: int, action: str):
    a = actor(request)
    alert = selectors.alert_get(a, pk=pk)
    version = _int(request.POST.get("version"), "version")
    if action == "verify":
        services.alert_verify(actor=a, alert=alert, finding=request.POST.get("finding", ""),
                              version=version)
    elif action == "investigate":
        services.alert_investigate(
            actor=a, alert=alert, started_on=_date(request.POST.get("started_on"),
                                                   "started_on"),
            setting_kind=request.POST.get("setting", ""),
            findings=request.POST.get("findings", ""),
            cases_found=_int(request.POST.get("cases_found"), "cases_found", 0),
            samples_taken=_int(request.POST.get("samples_taken"), "samples_taken", 0),
            samples_positive=_int(request.POST.get("samples_positive"), "samples_positive", 0),
            measures=request.POST.get("measures", ""), version=version)
    elif action in ("close_outbreak", "close_no_outbreak"):
        services.alert_close(actor=a, alert=alert, outbreak=action == "close_outbreak",
                             outcome=request.POST.get("outcome", ""), version=version)
    else:
        raise ValidationFailed("unknown action", field="action")
    return _done(request, reverse("health:alert", args=[alert.pk]))


@login_required
def epicurve(request):
    a = actor(request)
    diseases = selectors.disease_list()
    code = request.GET.get("disease", "hfmd")[:40]
    disease = selectors.disease_get(code=code)
    area = _area(request, request.GET.get("area", "")[:12])
    data = selectors.epicurve(a, disease=disease, area=area,
                              weeks=_int(request.GET.get("weeks"), "weeks", 156))
    data["labels"] = {"expected": "期望值", "upper": "预警阈值", "total": "合计"}
    return render(request, "health/epicurve.html", {
        "diseases": diseases, "disease": disease, "area": area,
        "subdistricts": selectors.subdistricts(a), "data": data,
        "weeks_total": sum(data["total"]), "alarms": sum(data["alarm"])})


@login_required
def case_list(request):
    a = actor(request)
    code = request.GET.get("disease", "")[:40]
    late = {"1": True, "0": False}.get(request.GET.get("late", ""))
    reports = selectors.case_report_list(
        a, disease=selectors.disease_get(code=code) if code else None,
        area=_area(request, request.GET.get("area", "")[:12]), late=late)
    page = paginate(request, reports)
    for r in page:
        r.name_masked = selectors.masked_name(r.person.name)
        r.id_masked = selectors.masked_id(r.person.id_number)
    return render(request, "health/cases.html", {
        "page": page, "query": query_without_page(request),
        "diseases": selectors.disease_list(), "disease_code": code,
        "late": request.GET.get("late", "")})


@login_required
def life_table_page(request):
    a = actor(request)
    years = selectors.life_table_years()
    year = _int(request.GET.get("year"), "year", years[-1] if years else
                timezone.localdate().year - 1)
    sex = request.GET.get("sex", "")
    rows = selectors.life_tables(a, year=year, sex=sex if sex in ("M", "F") else None)
    trend = []
    for y in years:
        for r in selectors.life_tables(a, year=y):
            if r["area"].level == "district":
                trend.append({"year": y, "e0": r["e0"], "ci": r["ci"]})
    return render(request, "health/life_table.html", {
        "years": years, "year": year, "sex": sex, "rows": rows,
        "district": next((r for r in rows if r["area"].level == "district"), None),
        "trend": trend})


@login_required
def records(request):
    a = actor(request)
    return render(request, "health/records.html", {
        "beds": selectors.beds_by_year(a), "bed_counts": selectors.bed_counts(a)[:200],
        "items": selectors.supply_items(a), "supply_alerts": selectors.supply_alerts(a)})

