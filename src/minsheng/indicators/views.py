"""Data value pages (entry, import, approval), the definition pages (data elements and
indicators with their formulas) and the open-data export."""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core import selectors as core_selectors
from minsheng.core.access import require
from minsheng.core.errors import ValidationFailed
from minsheng.core.pages import actor, paginate
from minsheng.indicators import opendata, selectors, services
from minsheng.indicators.models import Aggregation, DataValue, Period


@login_required
def values(request):
    a = actor(request)
    require(a, selectors.VIEW)
    code = request.GET.get("element", "")
    element = selectors.element_get(code=code) if code else None
    qs = selectors.value_list(a, element=element, state=request.GET.get("state", ""))
    return render(request, "indicators/values.html", {
        "page": paginate(request, qs), "elements": selectors.element_list(),
        "element": element,
        "areas": core_selectors.area_list(a).filter(id__in=a.area_ids(services.ENTER)),
        "pending": selectors.value_list(a, state=DataValue.State.PENDING)[:100],
        "can_enter": a.has(services.ENTER), "can_approve": a.has(services.APPROVE)})


@login_required
@require_POST
def value_enter(request):
    a = actor(request)
    element = selectors.element_get(code=request.POST.get("element", ""))
    area = core_selectors.area_lookup(request.POST.get("area", ""))
    if area is None:
        raise ValidationFailed(_("Choose an area"), field="area")
    try:
        period = services.parse_period(request.POST.get("period", ""), element.period)
        number = float(request.POST.get("value", ""))
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    version = request.POST.get("version", "")
    value = services.value_enter(actor=a, element=element, area=area, period=period,
                                 value=number, version=int(version) if version else None,
                                 note=request.POST.get("note", ""))
    if value.flag:
        messages.warning(request, value.flag)
    messages.success(request, _("Saved; it counts once approved"))
    return redirect(f"{request.path.rsplit('/', 2)[0]}/")


@login_required
@require_POST
def value_decide(request, pk: int):
    a = actor(request)
    value = selectors.value_get(a, pk=pk)
    services.value_decide(actor=a, value=value, version=int(request.POST.get("version", 0)),
                          approve=request.POST.get("action") == "approve",
                          accept_flag=request.POST.get("accept_flag") == "1")
    return redirect("indicators:values")


@login_required
@require_POST
def values_import(request):
    a = actor(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(_("Choose a file"), field="file")
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        report = services.values_import(actor=a, path=tmp.name)
    if report.ok:
        messages.success(request, _("Imported %(n)d value(s); they count once approved")
                         % {"n": report.imported})
    else:
        messages.error(request, _("Nothing was imported: %(errors)s") % {
            "errors": "; ".join(f"{_('line')} {line}: {reason}"
                                for line, reason in report.errors[:20])})
    return redirect("indicators:values")


# -- definitions: data elements and indicators ---------------------------------------------

def _done(request, url: str):
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _department(request):
    pk = request.POST.get("department", "")
    return core_selectors.department_get(int(pk)) if pk.isdigit() else None


def _formula_or_refuse(formula: str, *, element_code: str = "") -> None:
    check = selectors.formula_check(formula, element_code=element_code)
    if not check.ok:
        raise ValidationFailed(check.message, field="formula",
                               details={"kind": check.kind, "position": check.position,
                                        "unknown": check.unknown, "cycle": check.cycle})


@login_required
def definitions(request):
    a = actor(request)
    require(a, selectors.VIEW)
    return render(request, "indicators/definitions.html", {
        "elements": selectors.element_rows(), "indicators": selectors.indicator_list(a),
        "can_manage": a.has(services.MANAGE)})


def _element_form(request, a, element, values):
    return render(request, "indicators/element_form.html", {
        "element": element, "v": values, "departments": core_selectors.departments(),
        "aggregations": Aggregation.choices, "periods": Period.choices,
        "elements": selectors.element_choices(exclude=element.code if element else "")})


@login_required
def element_new(request):
    a = actor(request)
    require(a, services.MANAGE)
    if request.method != "POST":
        return _element_form(request, a, None, {"aggregation": "sum", "period": "month"})
    code = request.POST.get("code", "").strip()
    formula = request.POST.get("formula", "").strip()
    if formula:
        _formula_or_refuse(formula, element_code=code)
    element = services.element_create(
        actor=a, code=code, name=request.POST.get("name", ""),
        unit=request.POST.get("unit", "").strip(),
        aggregation=request.POST.get("aggregation", ""), period=request.POST.get("period", ""),
        formula=formula, is_rate=request.POST.get("is_rate") == "1",
        department=_department(request), description=request.POST.get("description", ""))
    messages.success(request, _("Data element %(code)s saved") % {"code": element.code})
    return _done(request, f"{reverse('indicators:definitions')}#element-{element.code}")


@login_required
def element_edit(request, code: str):
    a = actor(request)
    require(a, services.MANAGE)
    element = selectors.element_get(code=code)
    if request.method != "POST":
        return _element_form(request, a, element, {
            "code": element.code, "name": element.name, "unit": element.unit,
            "aggregation": element.aggregation, "period": element.period,
            "formula": element.formula, "is_rate": element.is_rate,
            "department": element.department_id, "description": element.description})
    formula = request.POST.get("formula", "").strip()
    if formula:
        _formula_or_refuse(formula, element_code=element.code)
    services.element_update(
        actor=a, element=element, name=request.POST.get("name", ""),
        unit=request.POST.get("unit", "").strip(),
        aggregation=request.POST.get("aggregation", ""), period=request.POST.get("period", ""),
        formula=formula, is_rate=request.POST.get("is_rate") == "1",
        department=_department(request), description=request.POST.get("description", ""))
    messages.success(request, _("Data element %(code)s saved") % {"code": element.code})
    return _done(request, f"{reverse('indicators:definitions')}#element-{element.code}")


def _indicator_form(request, a, indicator, values):
    return render(request, "indicators/indicator_form.html", {
        "indicator": indicator, "v": values, "departments": core_selectors.departments(),
        "elements": selectors.element_choices()})


def _decimals(request) -> int:
    text = request.POST.get("decimals", "1").strip() or "1"
    if not text.isdigit() or int(text) > 6:
        raise ValidationFailed(_("Decimals must be a whole number from 0 to 6"),
                               field="decimals")
    return int(text)


@login_required
def indicator_new(request):
    a = actor(request)
    require(a, services.MANAGE)
    if request.method != "POST":
        return _indicator_form(request, a, None, {"decimals": 1, "formula": ""})
    formula = request.POST.get("formula", "").strip()
    _formula_or_refuse(formula)
    indicator = services.indicator_create(
        actor=a, code=request.POST.get("code", "").strip(), name=request.POST.get("name", ""),
        formula=formula, unit=request.POST.get("unit", "").strip(), decimals=_decimals(request),
        published=request.POST.get("published") == "1",
        description=request.POST.get("description", ""), department=_department(request))
    messages.success(request, _("Indicator %(name)s saved") % {"name": indicator.name})
    return _done(request, f"{reverse('indicators:definitions')}#indicator-{indicator.code}")


@login_required
def indicator_edit(request, code: str):
    a = actor(request)
    require(a, services.MANAGE)
    indicator = selectors.indicator_get(a, code=code)
    if request.method != "POST":
        return _indicator_form(request, a, indicator, {
            "code": indicator.code, "name": indicator.name, "unit": indicator.unit,
            "formula": indicator.formula, "decimals": indicator.decimals,
            "published": indicator.published, "department": indicator.department_id,
            "description": indicator.description})
    formula = request.POST.get("formula", "").strip()
    _formula_or_refuse(formula)
    services.indicator_update(
        actor=a, indicator=indicator, name=request.POST.get("name", ""), formula=formula,
        unit=request.POST.get("unit", "").strip(), decimals=_decimals(request),
        published=request.POST.get("published") == "1",
        description=request.POST.get("description", ""), department=_department(request))
    messages.success(request, _("Indicator %(name)s saved") % {"name": indicator.name})
    return _done(request, f"{reverse('indicators:definitions')}#indicator-{indicator.code}")


@login_required
@require_POST
def formula_check(request):
    """htmx: check the formula being typed and preview its current district value."""
    a = actor(request)
    require(a, services.MANAGE)
    formula = request.POST.get("formula", "")
    element_code = ""
    if request.POST.get("kind") == "element":
        element_code = (request.POST.get("element_code", "")
                        or request.POST.get("code", "")).strip()
    check = selectors.formula_check(formula, element_code=element_code)
    preview = (selectors.formula_preview(a, check.formula)
               if check.ok and not element_code else None)
    return render(request, "indicators/partials/formula_check.html", {
        "check": check, "preview": preview,
        "decimals": request.POST.get("decimals", "2") if request.POST.get("decimals", "")
        .isdigit() else 2})


def open_data_json(request):
    return HttpResponse(json.dumps(opendata.as_json(), ensure_ascii=False, default=str),
                        content_type="application/json; charset=utf-8")


def open_data_csv(request):
    response = HttpResponse(opendata.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicators-{datetime.date.today():%Y%m%d}.csv"')
    return response
