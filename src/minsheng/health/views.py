"""Health pages: thin. Each parses its input with a form (`forms.py`), calls a selector or
a service, and renders; refusals come back in place with the input kept (`core.pages`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.health import clocks, forms, selectors, services
from minsheng.health.permissions import (
    CONFIGURE,
    RECORDS,
    REPORT,
    RESPOND,
    VIEW_CASES,
)


def _can(a) -> dict:
    """What the health navigation and buttons offer this actor (the services decide)."""
    return {"cases": a.has(VIEW_CASES), "report": a.has(REPORT), "records": a.has(RECORDS),
            "run": selectors.covers_district(a, RESPOND),
            "configure": selectors.covers_district(a, CONFIGURE)}


def _page(request, template: str, context: dict, status: int = 200):
    a = actor(request)
    return render(request, template, {"hcan": _can(a), "now": timezone.now(),
                                      "today": timezone.localdate(), **context},
                  status=status)


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def _disease(a, code: str):
    return selectors.disease_get(a, code=code) if code else None


def _area(a, code: str):
    return selectors.area_get(a, code=code) if code else None


# --- alerts -----------------------------------------------------------------------------

@login_required
def alert_board(request):
    a = actor(request)
    form = forms.AlertFilterForm(request.GET or None, actor=a)
    f = form.values()
    alerts = selectors.alert_list(a, state=f["state"], disease=_disease(a, f["disease"]),
                                  area=_area(a, f["area"]))
    page = paginate(request, alerts)
    for alert in page:
        alert.clock = clocks.verify_clock(alert)
    return _page(request, "health/alerts.html", {
        "page": page, "query": query_without_page(request), "form": form},
        status=_status(form))


@login_required
@require_POST
def detection_start(request):
    job = services.detection_start(actor=actor(request))
    return render(request, "core/partials/job.html", {"job": job})


def _alert_context(a, alert, bound: dict | None = None) -> dict:
    actions = selectors.alert_actions(a, alert)
    version = {"version": alert.version}
    context = {
        "alert": alert, "timeline": selectors.alert_timeline(a, alert),
        "clocks": [clocks.verify_clock(alert)],
        "investigation": selectors.alert_investigation(a, alert), "actions": actions,
        "can_note": a.covers(RESPOND, alert.area),
        "verify_form": forms.AlertVerifyForm(initial=version),
        "investigate_form": forms.AlertInvestigateForm(initial={
            **version, "started_on": timezone.localdate(), "cases_found": 0,
            "samples_taken": 0, "samples_positive": 0}),
        "close_form": forms.AlertCloseForm(initial=version),
        "note_form": forms.AlertNoteForm(),
    }
    for key, form in (bound or {}).items():
        context[f"{key}_form"] = form
    return context


@login_required
def alert_detail(request, pk: int):
    a = actor(request)
    alert = selectors.alert_get(a, pk=pk)
    return _page(request, "health/alert_detail.html", _alert_context(a, alert))


ALERT_FORMS = {"verify": forms.AlertVerifyForm, "investigate": forms.AlertInvestigateForm,
               "close_outbreak": forms.AlertCloseForm,
               "close_no_outbreak": forms.AlertCloseForm, "note": forms.AlertNoteForm}


@login_required
@require_POST
def alert_action(request, pk: int, action: str):
    if action not in ALERT_FORMS:
        raise Http404
    a = actor(request)
    alert = selectors.alert_get(a, pk=pk)
    form = ALERT_FORMS[action](request.POST)

    def act(d):
        if action == "verify":
            return services.alert_verify(actor=a, alert=alert, finding=d["finding"],
                                         version=d["version"])
        if action == "investigate":
            return services.alert_investigate(
                actor=a, alert=alert, started_on=d["started_on"], setting_kind=d["setting"],
                findings=d["findings"], cases_found=d["cases_found"],
                samples_taken=d["samples_taken"], samples_positive=d["samples_positive"],
                measures=d["measures"], version=d["version"])
        if action == "note":
            return services.alert_note(actor=a, alert=alert, note=d["note"])
        return services.alert_close(actor=a, alert=alert, outbreak=action == "close_outbreak",
                                    outcome=d["outcome"], version=d["version"])

    key = "close" if action.startswith("close") else action
    return submit(request, form, act, success_url=reverse("health:alert", args=[alert.pk]),
                  template="health/alert_detail.html",
                  context={"hcan": _can(a), "now": timezone.now(),
                           **_alert_context(a, alert, {key: form})},
                  message=_("Saved."))


@login_required
def epicurve(request):
    a = actor(request)
    form = forms.EpicurveForm(request.GET or None, actor=a)
    f = form.values()
    disease = selectors.disease_get(a, code=f["disease"])
    area = _area(a, f["area"])
    data = selectors.epicurve(a, disease=disease, area=area, weeks=f["weeks"])
    data["labels"] = {"expected": _("Expected"), "upper": _("Alert threshold"),
                      "total": _("Total")}
    return _page(request, "health/epicurve.html", {
        "form": form, "disease": disease, "area": area, "data": data,
        "weeks_total": sum(data["total"]), "alarms": sum(data["alarm"])},
        status=_status(form))


# --- case reports -----------------------------------------------------------------------

def _mask(reports) -> None:
    for r in reports:
        r.name_masked = selectors.masked_name(r.person.name)
        r.id_masked = selectors.masked_id(r.person.id_number)


@login_required
def case_list(request):
    a = actor(request)
    form = forms.CaseFilterForm(request.GET or None, actor=a)
    f = form.values()
    reports = selectors.case_report_list(
        a, disease=_disease(a, f["disease"]), area=_area(a, f["area"]),
        late={"1": True, "0": False}.get(f["late"]))
    page = paginate(request, reports)
    _mask(page)
    for r in page:
        r.clock = clocks.case_report_clock(r)
    return _page(request, "health/cases.html", {
        "page": page, "query": query_without_page(request), "form": form},
        status=_status(form))


@login_required
def case_create(request):
    a = actor(request)
    form = forms.CaseReportForm(request.POST or None, actor=a)
    if request.method != "POST":
        return _page(request, "health/case_form.html", {"form": form})

    def act(d):
        return services.case_report_create(
            actor=a, person=selectors.patient_get(a, id_number=d["id_number"]),
            disease=selectors.disease_get(a, code=d["disease"]),
            facility=selectors.facility_get(a, pk=d["facility"]),
            onset_date=d["onset_date"], diagnosed_at=d["diagnosed_at"],
            reported_at=d["reported_at"], status=d["status"], note=d["note"])

    return submit(request, form, act,
                  success_url=lambda report: reverse("health:case", args=[report.pk]),
                  template="health/case_form.html", context={"hcan": _can(a)},
                  message=_("Case report filed."))


@login_required
def case_detail(request, pk: int):
    a = actor(request)
    report = selectors.case_report_get(a, pk=pk)
    _mask([report])
    return _page(request, "health/case_detail.html", {
        "report": report, "clocks": [clocks.case_report_clock(report)]})


# --- life tables ------------------------------------------------------------------------

@login_required
def life_table_page(request):
    a = actor(request)
    form = forms.LifeTableForm(request.GET or None)
    f = form.values()
    years = selectors.life_table_years(a)
    year = f["year"] or (years[-1] if years else timezone.localdate().year - 1)
    rows = selectors.life_tables(a, year=min(year, timezone.localdate().year),
                                 sex=f["sex"] or None)
    trend = []
    for y in years:
        for r in selectors.life_tables(a, year=y):
            if r["area"].level == "district":
                trend.append({"year": y, "e0": r["e0"], "ci": r["ci"]})
    return _page(request, "health/life_table.html", {
        "form": form, "years": years, "year": year, "rows": rows,
        "district": next((r for r in rows if r["area"].level == "district"), None),
        "trend": trend}, status=_status(form))


# --- beds -------------------------------------------------------------------------------

def _beds_context(request, a, form=None) -> dict:
    page = paginate(request, selectors.bed_counts(a))
    return {"beds": selectors.beds_by_year(a), "page": page,
            "query": query_without_page(request),
            "form": form or forms.BedCountForm(actor=a, initial={
                "year": timezone.localdate().year - 1})}


@login_required
def records(request):
    a = actor(request)
    return _page(request, "health/records.html", _beds_context(request, a))


@login_required
@require_POST
def bed_record(request):
    a = actor(request)
    form = forms.BedCountForm(request.POST, actor=a)

    def act(d):
        return services.bed_count_record(
            actor=a, hospital=selectors.hospital_get(a, pk=d["hospital"]), year=d["year"],
            actual_beds=d["actual_beds"], newborn_cots=d["newborn_cots"],
            observation_beds=d["observation_beds"], companion_beds=d["companion_beds"])

    return submit(request, form, act, success_url=reverse("health:records"),
                  template="health/records.html",
                  context={"hcan": _can(a), **_beds_context(request, a, form)},
                  message=_("Bed count recorded."))


# --- supplies ---------------------------------------------------------------------------

def _supplies_context(request, a, form=None) -> dict:
    page = paginate(request, selectors.supply_items(a))
    for item in page:
        item.shortfall = max(0, item.required_quantity - (item.stock or 0))
    return {"page": page, "query": query_without_page(request),
            "supply_alerts": selectors.supply_alerts(a),
            "form": form or forms.SupplyItemForm(actor=a)}


@login_required
def supplies(request):
    a = actor(request)
    return _page(request, "health/supplies.html", _supplies_context(request, a))


@login_required
@require_POST
def supply_item_create(request):
    a = actor(request)
    form = forms.SupplyItemForm(request.POST, actor=a)

    def act(d):
        return services.supply_item_create(
            actor=a, name=d["name"], unit=d["unit"], category=d["category"],
            required_quantity=d["required_quantity"], area=selectors.area_get(a, code=d["area"]))

    return submit(request, form, act,
                  success_url=lambda item: reverse("health:supply", args=[item.pk]),
                  template="health/supplies.html",
                  context={"hcan": _can(a), **_supplies_context(request, a, form)},
                  message=_("Reserve item added."))


def _item_context(request, a, item, *, lot_form=None, issue_form=None,
                  issue_lot_id=None) -> dict:
    page = paginate(request, selectors.supply_lots(a, item))
    today = timezone.localdate()
    for lot in page:
        lot.expired = lot.expiry_date is not None and lot.expiry_date <= today
    return {"item": item, "page": page, "query": query_without_page(request),
            "shortfall": max(0, item.required_quantity - (item.stock or 0)),
            "can_record": a.covers(RECORDS, item.area),
            "lot_form": lot_form or forms.SupplyLotForm(initial={"received_on": today}),
            "issue_form": issue_form or forms.SupplyIssueForm(),
            "issue_lot_id": issue_lot_id}


@login_required
def supply_item(request, pk: int):
    a = actor(request)
    item = selectors.supply_item_get(a, pk=pk)
    return _page(request, "health/supply_item.html", _item_context(request, a, item))


@login_required
@require_POST
def supply_lot_add(request, pk: int):
    a = actor(request)
    item = selectors.supply_item_get(a, pk=pk)
    form = forms.SupplyLotForm(request.POST)

    def act(d):
        return services.supply_lot_add(actor=a, item=item, batch=d["batch"],
                                       quantity=d["quantity"], received_on=d["received_on"],
                                       expiry_date=d["expiry_date"])

    return submit(request, form, act, success_url=reverse("health:supply", args=[item.pk]),
                  template="health/supply_item.html",
                  context={"hcan": _can(a), **_item_context(request, a, item, lot_form=form)},
                  message=_("Lot received."))


@login_required
@require_POST
def supply_lot_issue(request, pk: int):
    a = actor(request)
    lot = selectors.supply_lot_get(a, pk=pk)
    item = selectors.supply_item_get(a, pk=lot.item_id)
    form = forms.SupplyIssueForm(request.POST)

    def act(d):
        return services.supply_lot_issue(actor=a, lot=lot, quantity=d["quantity"],
                                         reason=d["reason"])

    return submit(request, form, act, success_url=reverse("health:supply", args=[item.pk]),
                  template="health/supply_item.html",
                  context={"hcan": _can(a), **_item_context(
                      request, a, item, issue_form=form, issue_lot_id=lot.pk)},
                  message=_("Issue recorded."))


# --- diseases and their detection configuration ------------------------------------------

@login_required
def disease_list(request):
    a = actor(request)
    return _page(request, "health/diseases.html", {"diseases": selectors.disease_list(a)})


@login_required
def disease_detail(request, code: str):
    a = actor(request)
    disease = selectors.disease_get(a, code=code)
    initial = {"version": disease.version, "method": disease.method,
               "params": _json(disease.params), "detection_enabled": disease.detection_enabled}
    form = forms.DiseaseConfigureForm(request.POST or None, initial=initial)
    context = {"disease": disease, "form": form}
    if request.method != "POST":
        return _page(request, "health/disease_detail.html", context)

    def act(d):
        return services.disease_configure(actor=a, disease=disease, method=d["method"],
                                          params=d["params"], enabled=d["detection_enabled"],
                                          version=d["version"])

    return submit(request, form, act, success_url=reverse("health:disease", args=[code]),
                  template="health/disease_detail.html",
                  context={"hcan": _can(a), "now": timezone.now(), **context},
                  message=_("Detection configuration saved."))


def _json(value) -> str:
    import json

    return json.dumps(value or {}, ensure_ascii=False)

