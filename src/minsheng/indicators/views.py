"""Data value pages (entry, import, review), the definition pages (data elements and
indicators with their formulas) and the open-data export.

Thin: a form parses each input, selectors read (and refuse what the actor may not see or
do), services write; `core.pages.submit` shows a refusal in place with the input kept."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core import selectors as core_selectors
from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.indicators import opendata, selectors, services
from minsheng.indicators.forms import (
    ElementForm,
    FormulaCheckForm,
    IndicatorForm,
    ValueDecideForm,
    ValueEnterForm,
    ValueFilterForm,
    ValuesImportForm,
)


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _entry_form(a, data=None) -> ValueEnterForm:
    if data is None:  # the page shows the form only to those who enter values
        return ValueEnterForm(elements=selectors.enterable_elements(a),
                              areas=selectors.entry_areas(a))
    return ValueEnterForm(data, **selectors.entry_choices(a))


def _values_context(request, a, **failed) -> dict:
    """The values page: entry and import forms, values awaiting approval (each with its
    decision form) and the current values, both paged. `failed` holds the refused form,
    shown in place with what was typed."""
    filters = ValueFilterForm(request.GET)
    lists = selectors.values_page(a, element_code=filters.value("element"),
                                  state=filters.value("state"))
    pending = paginate(request, lists["pending"], param="pending_page")
    pending.object_list = selectors.with_decide_flags(a, pending.object_list)
    context = {
        **lists, "page": paginate(request, lists["values"]),
        "query": query_without_page(request),
        "pending": pending, "pending_query": query_without_page(request, "pending_page"),
        "entry_form": _entry_form(a), "import_form": ValuesImportForm()}
    context.update(failed)
    if "failed_value" in failed:  # a refusal about a value no longer listed: above the lists
        context["failed_elsewhere"] = not any(v.pk == failed["failed_value"]
                                              for v in pending.object_list)
    return context


@login_required
def values(request):
    return render(request, "indicators/values.html", _values_context(request, actor(request)))


@login_required
@require_POST
def value_enter(request):
    a = actor(request)
    form = _entry_form(a, request.POST)

    def enter(data):
        value = services.value_enter(
            actor=a, element=selectors.element_get(a, code=data["element"]),
            area=selectors.entry_area(a, code=data["area"]), period=data["period"],
            value=data["value"], version=data["version"], note=data["note"])
        if value.flag:
            messages.warning(request, value.flag)
        return value

    context = None if _htmx(request) else _values_context(request, a, entry_form=form)
    return submit(request, form, enter, success_url=reverse("indicators:values"),
                  template="indicators/values.html", context=context,
                  message=_("Saved; it counts once approved"))


@login_required
def value_detail(request, pk: int):
    return render(request, "indicators/value.html", selectors.value_page(actor(request), pk=pk))


@login_required
@require_POST
def value_decide(request, pk: int):
    a = actor(request)
    value = selectors.value_get(a, pk=pk)
    form = ValueDecideForm(request.POST)
    context = None if _htmx(request) else _values_context(request, a, failed_value=value.pk)
    approved = form.is_valid() and form.cleaned_data["action"] == "approve"
    return submit(request, form,
                  lambda data: services.value_decide(
                      actor=a, value=value, version=data["version"],
                      approve=data["action"] == "approve", accept_flag=data["accept_flag"],
                      note=data["note"]),
                  success_url=reverse("indicators:values"), template="indicators/values.html",
                  context=context,
                  message=_("Value approved") if approved else _("Value rejected"))


@login_required
@require_POST
def values_import(request):
    a = actor(request)
    form = ValuesImportForm(request.POST, request.FILES)
    context = None if _htmx(request) else _values_context(request, a, import_form=form)
    message = None

    def run(data):
        nonlocal message
        report = services.values_import_upload(actor=a, upload=data["file"])
        message = (_("Imported %(n)d value(s); they count once approved")
                   % {"n": report.imported})
        return report

    response = submit(request, form, run, success_url=reverse("indicators:values"),
                      template="indicators/values.html", context=context)
    if message:
        messages.success(request, message)
    return response


# -- definitions: data elements and indicators ---------------------------------------------

@login_required
def definitions(request):
    return render(request, "indicators/definitions.html",
                  selectors.definitions_page(actor(request)))


def _definitions_url(anchor: str) -> str:
    return f"{reverse('indicators:definitions')}#{anchor}"


def _with_department(data: dict) -> dict:
    return {**data, "department": core_selectors.department_get(data["department"])}


def _indicator_saved(form) -> str:
    name = form.cleaned_data.get("name", "") if form.is_valid() else ""
    return _("Indicator %(name)s saved") % {"name": name.strip()}


@login_required
def element_new(request):
    a = actor(request)
    choices = selectors.definition_choices(a)
    context = {"element": None, **choices}
    if request.method != "POST":
        form = ElementForm(initial={"aggregation": "sum", "period": "month"},
                           departments=choices["departments"])
        return render(request, "indicators/element_form.html", {**context, "form": form})
    form = ElementForm(request.POST, departments=choices["departments"])
    code = form.cleaned_data.get("code", "") if form.is_valid() else ""
    return submit(request, form,
                  lambda data: services.element_create(actor=a, **_with_department(data)),
                  success_url=lambda element: _definitions_url(f"element-{element.code}"),
                  template="indicators/element_form.html", context=context,
                  message=_("Data element %(code)s saved") % {"code": code.strip()})


@login_required
def element_edit(request, code: str):
    a = actor(request)
    element = selectors.element_for_edit(a, code=code)
    choices = selectors.definition_choices(a, exclude=element.code)
    context = {"element": element, **choices}
    if request.method != "POST":
        form = ElementForm.for_element(element, departments=choices["departments"])
        return render(request, "indicators/element_form.html", {**context, "form": form})
    form = ElementForm(request.POST, departments=choices["departments"], editing=True)
    return submit(request, form,
                  lambda data: services.element_update(actor=a, element=element,
                                                       **_with_department(data)),
                  success_url=_definitions_url(f"element-{element.code}"),
                  template="indicators/element_form.html", context=context,
                  message=_("Data element %(code)s saved") % {"code": element.code})




@login_required
def indicator_new(request):
    a = actor(request)
    choices = selectors.definition_choices(a)
    context = {"indicator": None, **choices}
    if request.method != "POST":
        form = IndicatorForm(initial={"decimals": 1}, departments=choices["departments"])
        return render(request, "indicators/indicator_form.html", {**context, "form": form})
    form = IndicatorForm(request.POST, departments=choices["departments"])
    return submit(request, form,
                  lambda data: services.indicator_create(actor=a, **_with_department(data)),
                  success_url=lambda i: _definitions_url(f"indicator-{i.code}"),
                  template="indicators/indicator_form.html", context=context,
                  message=_indicator_saved(form))


@login_required
def indicator_edit(request, code: str):
    a = actor(request)
    indicator = selectors.indicator_for_edit(a, code=code)
    choices = selectors.definition_choices(a)
    context = {"indicator": indicator, **choices}
    if request.method != "POST":
        form = IndicatorForm.for_indicator(indicator, departments=choices["departments"])
        return render(request, "indicators/indicator_form.html", {**context, "form": form})
    form = IndicatorForm(request.POST, departments=choices["departments"], editing=True)
    return submit(request, form,
                  lambda data: services.indicator_update(actor=a, indicator=indicator,
                                                         **_with_department(data)),
                  success_url=_definitions_url(f"indicator-{indicator.code}"),
                  template="indicators/indicator_form.html", context=context,
                  message=_indicator_saved(form))


@login_required
@require_POST
def formula_check(request):
    """htmx: check the formula being typed and preview its current district value."""
    a = actor(request)
    form = FormulaCheckForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    element_code = ""
    if data.get("kind") == "element":
        element_code = (data.get("element_code") or data.get("code") or "").strip()
    check = selectors.formula_check(a, data.get("formula") or "", element_code=element_code)
    preview = (selectors.formula_preview(a, check.formula)
               if check.ok and not element_code else None)
    decimals = data.get("decimals")
    return render(request, "indicators/partials/formula_check.html", {
        "check": check, "preview": preview, "decimals": 2 if decimals is None else decimals})


def open_data_json(request):
    return HttpResponse(json.dumps(opendata.as_json(), ensure_ascii=False, default=str),
                        content_type="application/json; charset=utf-8")


def open_data_csv(request):
    response = HttpResponse(opendata.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicators-{datetime.date.today():%Y%m%d}.csv"')
    return response
