"""Pages of food and drug safety supervision: parse with a form, call a service, render.
Refusals come back in place (422) with the input kept."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.casework.clocks import DAYS, Clock
from minsheng.core.access import require
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.foodsafety import exports
from minsheng.foodsafety import forms as F
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety import selectors as S
from minsheng.foodsafety.config import setting
from minsheng.foodsafety.services import inspections as svc
from minsheng.foodsafety.services import operators as ops
from minsheng.foodsafety.services import samples as smp
from minsheng.inspections import services as engine


def _year():
    return timezone.localdate().year


@login_required
def home(request):
    a = actor(request)
    require(a, P.VIEW)
    year = _year()
    due = S.coming_due(a, year)
    return render(request, "foodsafety/home.html", {
        "year": year, "coverage": S.coverage(a, year), "due": due[:20],
        "due_count": due.count(), "licences": S.licences_due(a)[:20],
        "licences_count": S.licences_due(a).count(),
        "expired_active": S.active_on_expired(a).count(),
        "open_rect": S.rectifications(a, open_only=True).count(),
        "minimum": setting("GRADE_MIN_INSPECTIONS"), "alert_days": setting("LICENCE_ALERT_DAYS")})


# --- operators ------------------------------------------------------------------------------

def _operator_list_context(request, a):
    filters = F.OperatorFilterForm(request.GET or None)
    d = filters.cleaned_data if filters.is_valid() else {}
    qs = S.operators(a, q=d.get("q", ""), grade=d.get("grade", ""),
                     category=d.get("category", ""))
    return {"filters": filters, "page": paginate(request, qs),
            "query": query_without_page(request), "can_manage": a.has(P.MANAGE),
            "can_export": a.has(P.EXPORT)}


@login_required
def operator_list(request):
    a = actor(request)
    require(a, P.VIEW)
    if request.method != "POST":
        return render(request, "foodsafety/operator_list.html",
                      {**_operator_list_context(request, a),
                       "form": F.OperatorForm() if a.has(P.MANAGE) else None})
    form = F.OperatorForm(request.POST)

    def call(d):
        found = list(S.organizations_without_operator(a).filter(uscc=d["organization"])) or \
            list(S.organizations_without_operator(a).filter(name=d["organization"]))
        if len(found) != 1:
            raise ValidationFailed(_("No single organization of yours without an operator "
                                     "record has this credit code or name."),
                                   field="organization")
        return ops.operator_register(actor=a, organization=found[0], category=d["category"],
                                     scale=d["scale"],
                                     population_served=d["population_served"])

    return submit(request, form, call,
                  success_url=lambda o: reverse("foodsafety:operator", args=[o.pk]),
                  template="foodsafety/operator_list.html",
                  context=_operator_list_context(request, a),
                  message=_("Operator registered and graded."))


@login_required
@require_GET
def operator_export(request):
    a = actor(request)
    require(a, P.EXPORT)
    filters = F.OperatorFilterForm(request.GET or None)
    d = filters.cleaned_data if filters.is_valid() else {}
    buffer = io.BytesIO()
    exports.operators_xlsx(actor=a, operators=S.operators(a, q=d.get("q", ""),
                                                          grade=d.get("grade", ""),
                                                          category=d.get("category", "")),
                           coverage=S.coverage(a, _year()), target=buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="food-operators.xlsx"'
    return response


def _operator_context(a, pk, bound=None):
    bound = bound or {}
    operator = S.operator_get(a, pk)
    can_manage = a.covers(P.MANAGE, operator.area)
    can_inspect = a.covers(P.INSPECT, operator.area)
    forms = {}
    if can_manage and operator.state == "active":
        forms["licence"] = bound.get("licence") or F.LicenceForm()
        forms["close"] = bound.get("close") or F.CloseForm(initial={"version": operator.version})
    if a.covers(P.ENFORCE, operator.area):
        forms["case"] = bound.get("case") or F.CaseOpenForm(
            initial={"found_on": timezone.localdate()})
    if can_inspect and operator.state == "active":
        forms["schedule"] = bound.get("schedule") or F.ScheduleForm(
            inspectors=S.inspectors(a), checklists=S.checklists(a),
            initial={"scheduled_on": timezone.localdate()})
    record = S.operator_record(a, operator)
    for licence in record["licences"]:
        if can_manage and licence.state == "valid":
            licence.change_form = bound.get(f"change-{licence.pk}") or F.LicenceChangeForm(
                initial={"version": licence.version, "scope": licence.scope})
            licence.cancel_form = bound.get(f"cancel-{licence.pk}") or F.LicenceCancelForm(
                initial={"version": licence.version})
    return {"operator": operator, **record, "forms": forms, "can_manage": can_manage,
            "today": timezone.localdate()}


@login_required
def operator_detail(request, pk: int):
    a = actor(request)
    return render(request, "foodsafety/operator_detail.html", _operator_context(a, pk))


@login_required
@require_POST
def operator_action(request, pk: int, action: str):
    a = actor(request)
    operator = S.operator_get(a, pk)
    key = action
    if action == "licence":
        form = F.LicenceForm(request.POST)

        def call(d):
            return ops.licence_issue(actor=a, operator=operator, **d)
    elif action == "close":
        form = F.CloseForm(request.POST)

        def call(d):
            return ops.operator_close(actor=a, operator=operator, **d)
    elif action == "grade":
        form = F.PublishForm(request.POST)

        def call(d):
            return ops.operator_grade(actor=a, operator=operator, trigger="recomputed by staff")
    elif action == "schedule":
        form = F.ScheduleForm(request.POST, inspectors=S.inspectors(a),
                              checklists=S.checklists(a))

        def call(d):
            return svc.inspection_schedule(
                actor=a, operator=operator, kind=d["kind"], scheduled_on=d["scheduled_on"],
                inspectors=S.inspectors_by_ids(a, d["inspectors"]),
                checklist=S.checklist_get(a, d["checklist"]), note=d["note"])
    else:
        raise Http404
    return submit(request, form, call, success_url=reverse("foodsafety:operator", args=[pk]),
                  template="foodsafety/operator_detail.html",
                  context=_operator_context(a, pk, {key: form}), message=_("Saved."))


@login_required
@require_POST
def licence_action(request, pk: int, action: str):
    a = actor(request)
    licence = S.licence_get(a, pk)
    if action == "change":
        form = F.LicenceChangeForm(request.POST)

        def call(d):
            return ops.licence_change(actor=a, licence=licence, **d)
    elif action == "cancel":
        form = F.LicenceCancelForm(request.POST)

        def call(d):
            return ops.licence_cancel(actor=a, licence=licence, **d)
    else:
        raise Http404
    operator_pk = licence.operator_id
    return submit(request, form, call,
                  success_url=reverse("foodsafety:operator", args=[operator_pk]),
                  template="foodsafety/operator_detail.html",
                  context=_operator_context(a, operator_pk, {f"{action}-{pk}": form}),
                  message=_("Saved."))


# --- plans and draws ---------------------------------------------------------------------------

def _plan_list_context(request, a):
    return {"page": paginate(request, S.plans(a)), "query": query_without_page(request),
            "can_plan": a.has(P.PLAN)}


def _plan_form(a, data=None):
    return F.PlanForm(data, areas=S.area_choices(a, P.PLAN), checklists=S.checklists(a),
                      initial={"year": _year(), "team_size": setting("INSPECTORS_PER_CHECK")})


@login_required
def plan_list(request):
    a = actor(request)
    require(a, P.VIEW)
    if request.method != "POST":
        return render(request, "foodsafety/plan_list.html",
                      {**_plan_list_context(request, a),
                       "form": _plan_form(a) if a.has(P.PLAN) else None})
    form = _plan_form(a, request.POST)

    def call(d):
        return svc.plan_create(actor=a, name=d["name"], year=d["year"], kind=d["kind"],
                               area=S.area_get(a, P.PLAN, d["area"]),
                               department=S.department(a), sample_size=d["sample_size"],
                               checklist=S.checklist_get(a, d["checklist"]),
                               category=d["category"], grade=d["grade"],
                               team_size=d["team_size"])

    return submit(request, form, call,
                  success_url=lambda p: reverse("foodsafety:plan", args=[p.pk]),
                  template="foodsafety/plan_list.html",
                  context=_plan_list_context(request, a), message=_("Plan created."))


def _plan_context(a, pk, bound=None):
    bound = bound or {}
    plan = S.plan_get(a, pk)
    log, reproduces = S.plan_draw_log(a, plan)
    forms = {}
    if plan.state == "planned" and a.covers(P.PLAN, plan.area):
        forms["draw"] = bound.get("draw") or F.DrawForm(initial={"version": plan.version})
    if plan.state == "drawn" and a.covers(P.PUBLISH, plan.area):
        forms["publish"] = bound.get("publish") or F.PublishForm(
            initial={"version": plan.version})
    return {"plan": plan, "log": log, "reproduces": reproduces, "forms": forms,
            "inspections": S.inspections(a).filter(plan=plan),
            "publish_days": setting("PUBLISH_WORKING_DAYS")}


@login_required
def plan_detail(request, pk: int):
    a = actor(request)
    return render(request, "foodsafety/plan_detail.html", _plan_context(a, pk))


@login_required
@require_POST
def plan_action(request, pk: int, action: str):
    a = actor(request)
    plan = S.plan_get(a, pk)
    if action == "draw":
        form = F.DrawForm(request.POST)

        def call(d):
            return svc.plan_draw(actor=a, plan=plan, seed=d["seed"], version=d["version"])
    elif action == "publish":
        form = F.PublishForm(request.POST)

        def call(d):
            return svc.plan_publish(actor=a, plan=plan, version=d["version"])
    else:
        raise Http404
    return submit(request, form, call, success_url=reverse("foodsafety:plan", args=[pk]),
                  template="foodsafety/plan_detail.html",
                  context=_plan_context(a, pk, {action: form}), message=_("Saved."))


# --- inspections ------------------------------------------------------------------------------

@login_required
def inspection_list(request):
    a = actor(request)
    require(a, P.VIEW)
    state = request.GET.get("state", "")
    state = state if state in ("scheduled", "done", "published") else ""
    return render(request, "foodsafety/inspection_list.html",
                  {"page": paginate(request, S.inspections(a, state=state)), "state": state,
                   "query": query_without_page(request)})


def _inspection_context(a, pk, bound=None):
    bound = bound or {}
    inspection = S.inspection_get(a, pk)
    page = S.inspection_page(a, inspection)
    forms = {}
    if inspection.state == "scheduled" and a.covers(P.INSPECT, inspection.area):
        forms["record"] = bound.get("record") or F.ChecklistForm(
            items=page["items"], initial={"version": inspection.version,
                                          "done_on": timezone.localdate()})
    if inspection.state == "done" and a.covers(P.PUBLISH, inspection.area):
        forms["publish"] = bound.get("publish") or F.PublishForm(
            initial={"version": inspection.version})
    return {"inspection": inspection, **page, "forms": forms}


@login_required
def inspection_detail(request, pk: int):
    a = actor(request)
    return render(request, "foodsafety/inspection_detail.html", _inspection_context(a, pk))


@login_required
@require_POST
def inspection_action(request, pk: int, action: str):
    a = actor(request)
    inspection = S.inspection_get(a, pk)
    if action == "record":
        form = F.ChecklistForm(request.POST, request.FILES,
                               items=list(inspection.checklist.items.all()))

        def call(d):
            answers, remarks = form.answers()
            return svc.inspection_record(actor=a, inspection=inspection, version=d["version"],
                                         done_on=d["done_on"], answers=answers,
                                         remarks=remarks, note=d["note"],
                                         photos=d["photos"])
    elif action == "publish":
        form = F.PublishForm(request.POST)

        def call(d):
            return svc.inspection_publish(actor=a, inspection=inspection, version=d["version"])
    else:
        raise Http404
    return submit(request, form, call, success_url=reverse("foodsafety:inspection", args=[pk]),
                  template="foodsafety/inspection_detail.html",
                  context=_inspection_context(a, pk, {action: form}), message=_("Saved."))


# --- rectification ------------------------------------------------------------------------------

@login_required
def rectification_list(request):
    a = actor(request)
    require(a, P.VIEW)
    open_only = request.GET.get("open") == "1"
    return render(request, "foodsafety/rectification_list.html",
                  {"page": paginate(request, S.rectifications(a, open_only=open_only)),
                   "open_only": open_only, "query": query_without_page(request),
                   "today": timezone.localdate()})


def _rectification_context(a, pk, bound=None):
    rect = S.rectification_get(a, pk)
    form = None
    if rect.state == "ordered" and a.covers(P.RECTIFY, rect.area):
        form = (bound or {}).get("reinspect") or F.ReinspectForm(
            inspectors=S.inspectors(a), initial={"version": rect.version,
                                                 "scheduled_on": rect.due_on})
    clock = Clock.after(_("Rectification"), rect.ordered_on, setting("RECTIFY_DAYS"), DAYS,
                        done=rect.passed_on)
    clock.due = rect.due_on  # a failed re-inspection set a new deadline
    return {"rect": rect, "form": form, "clocks": [clock],
            "findings": list(rect.inspection.findings.all()),
            "events": S.timeline_of(rect)}


@login_required
def rectification_detail(request, pk: int):
    a = actor(request)
    return render(request, "foodsafety/rectification_detail.html",
                  _rectification_context(a, pk))


@login_required
@require_POST
def rectification_reinspect(request, pk: int):
    a = actor(request)
    rect = S.rectification_get(a, pk)
    form = F.ReinspectForm(request.POST, inspectors=S.inspectors(a))

    def call(d):
        return svc.rectification_reinspect(actor=a, rectification=rect, version=d["version"],
                                           scheduled_on=d["scheduled_on"],
                                           inspectors=S.inspectors_by_ids(a, d["inspectors"]))

    return submit(request, form, call,
                  success_url=lambda i: reverse("foodsafety:inspection", args=[i.pk]),
                  template="foodsafety/rectification_detail.html",
                  context=_rectification_context(a, pk, {"reinspect": form}),
                  message=_("Re-inspection scheduled."))


# --- inspectors and recusals ------------------------------------------------------------------

def _inspectors_context(a, bound=None):
    bound = bound or {}
    can = a.has(P.PLAN)
    team = S.inspectors(a)
    return {"inspectors": team, "recusals": S.recusals(a), "can_plan": can,
            "inspector_form": bound.get("inspector") or (F.InspectorForm() if can else None),
            "recusal_form": bound.get("recusal") or (
                F.RecusalForm(inspectors=team) if can else None)}


@login_required
def inspectors(request):
    a = actor(request)
    require(a, P.VIEW)
    if request.method != "POST":
        return render(request, "foodsafety/inspectors.html", _inspectors_context(a))
    require(a, P.PLAN)
    if request.POST.get("form") == "recusal":
        form = F.RecusalForm(request.POST, inspectors=S.inspectors(a))

        def call(d):
            operator = S.operator_get(a, d["operator"], P.PLAN)
            return engine.recusal_record(actor=a, permission=P.PLAN,
                                         inspector=S.inspectors_by_ids(a, [d["inspector"]])[0],
                                         organization=operator.organization,
                                         reason=d["reason"])
        key = "recusal"
    else:
        form = F.InspectorForm(request.POST)

        def call(d):
            return engine.inspector_register(actor=a, permission=P.PLAN,
                                             department=S.department(a), **d)
        key = "inspector"
    return submit(request, form, call, success_url=reverse("foodsafety:inspectors"),
                  template="foodsafety/inspectors.html",
                  context=_inspectors_context(a, {key: form}), message=_("Saved."))


# --- samples -------------------------------------------------------------------------------------

def _samples_context(request, a, bound=None):
    bound = bound or {}
    can = a.has(P.SAMPLE)
    state = request.GET.get("state", "")
    state = state if state in ("pending", "qualified", "unqualified", "handled") else ""
    return {"page": paginate(request, S.samples(a, state=state)), "state": state,
            "query": query_without_page(request), "can_sample": can,
            "sample_form": bound.get("sample") or (F.SampleForm(
                initial={"sampled_on": timezone.localdate()}) if can else None),
            "import_form": bound.get("import") or (F.ResultsImportForm() if can else None),
            "lines": bound.get("lines", [])}


@login_required
def sample_list(request):
    a = actor(request)
    require(a, P.VIEW)
    if request.method != "POST":
        return render(request, "foodsafety/sample_list.html", _samples_context(request, a))
    if request.POST.get("form") == "import":
        form = F.ResultsImportForm(request.POST, request.FILES)
        lines: list = []

        def call(d):
            upload = d["file"]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / ("results" + Path(upload.name).suffix.lower())
                path.write_bytes(upload.read())
                try:
                    return smp.results_import(actor=a, path=path)
                except ValidationFailed as error:
                    lines.extend((error.details or {}).get("lines", []))
                    raise

        # the same list object: filled by the refusal, read when the page renders
        ctx = _samples_context(request, a, {"import": form, "lines": lines})
        return submit(request, form, call, success_url=reverse("foodsafety:samples"),
                      template="foodsafety/sample_list.html", context=ctx,
                      message=_("Lab results imported."))
    form = F.SampleForm(request.POST)

    def take(d):
        operator = S.operator_get(a, d.pop("operator"), P.SAMPLE)
        return smp.sample_take(actor=a, operator=operator, **d)

    return submit(request, form, take, success_url=reverse("foodsafety:samples"),
                  template="foodsafety/sample_list.html",
                  context=_samples_context(request, a, {"sample": form}),
                  message=_("Sample recorded."))


def _sample_context(a, pk, bound=None):
    sample = S.sample_get(a, pk)
    form = None
    if sample.state == "unqualified" and a.covers(P.SAMPLE, sample.area):
        form = (bound or {}).get("handle") or F.HandleForm(
            initial={"version": sample.version, "handled_on": timezone.localdate()})
    clocks = []
    if sample.reported_on and sample.handle_due:
        clock = Clock.after(_("Handling of the unqualified product"), sample.reported_on,
                            setting("UNQUALIFIED_HANDLE_DAYS"), DAYS, done=sample.handled_on)
        clocks.append(clock)
    return {"sample": sample, "form": form, "clocks": clocks, "events": S.timeline_of(sample)}


@login_required
def sample_detail(request, pk: int):
    a = actor(request)
    return render(request, "foodsafety/sample_detail.html", _sample_context(a, pk))


@login_required
@require_POST
def sample_handle(request, pk: int):
    a = actor(request)
    sample = S.sample_get(a, pk)
    form = F.HandleForm(request.POST)
    return submit(request, form, lambda d: smp.sample_handle(actor=a, sample=sample, **d),
                  success_url=reverse("foodsafety:sample", args=[pk]),
                  template="foodsafety/sample_detail.html",
                  context=_sample_context(a, pk, {"handle": form}), message=_("Saved."))


# --- public ---------------------------------------------------------------------------

def public(request):
    return render(request, "foodsafety/public.html",
                  {"inspections": paginate(request, S.public_inspections()),
                   "samples": S.public_samples()[:50],
                   "query": query_without_page(request)})


def public_feed(request):
    """Open data like the hygiene-ratings API: published results with their sub-scores."""
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        raise NotFound() from None
    size = 100
    qs = S.public_inspections()
    total = qs.count()
    rows = [{"operator": i.operator.organization.name,
             "credit_code": i.operator.organization.uscc or "",
             "area": i.area.name, "category": i.operator.category,
             "inspected_on": i.done_on.isoformat() if i.done_on else None,
             "kind": i.kind, "score": i.score, "rating": i.rating or None,
             "critical_failed": i.critical_failed}
            for i in qs[(page - 1) * size: page * size]]
    return JsonResponse({"count": total, "page": page, "page_size": size, "results": rows},
                        json_dumps_params={"ensure_ascii": False})


# --- enforcement cases --------------------------------------------------------------------

@login_required
def case_list(request):
    a = actor(request)
    require(a, P.VIEW)
    return render(request, "foodsafety/case_list.html",
                  {"page": paginate(request, S.cases(a)), "query": query_without_page(request)})


def _case_clocks(case):
    from minsheng.casework.clocks import WORKING_DAYS

    clocks = [Clock.after(_("Decide whether to file"), case.found_on,
                          setting("ENFORCEMENT_FILE_WORKING_DAYS"), WORKING_DAYS,
                          done=case.filed_on or (case.closed_at.date()
                                                 if case.state == "not_filed" else None))]
    if case.filed_on:
        clocks.append(Clock.after(_("Penalty decision"), case.filed_on,
                                  setting("ENFORCEMENT_DECIDE_DAYS"), DAYS,
                                  done=case.decided_on))
    return clocks


def _case_context(a, pk, bound=None):
    bound = bound or {}
    case = S.case_get(a, pk)
    forms = {}
    for step in case.workflow.allowed(a, case):
        forms[step.name] = (step.label, bound.get(step.name) or F.CASE_FORMS[step.name](
            initial={"version": case.version, "filed_on": timezone.localdate(),
                     "decided_on": timezone.localdate()}))
    return {"case": case, "forms": forms, "clocks": _case_clocks(case),
            "events": S.timeline_of(case)}


@login_required
def case_detail(request, pk: int):
    a = actor(request)
    return render(request, "foodsafety/case_detail.html", _case_context(a, pk))


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    from minsheng.foodsafety.services import enforcement as enf

    a = actor(request)
    case = S.case_get(a, pk)
    if action not in F.CASE_FORMS:
        raise Http404
    form = F.CASE_FORMS[action](request.POST)
    call = {"file": lambda d: enf.case_file(actor=a, case=case, **d),
            "dismiss": lambda d: enf.case_dismiss(actor=a, case=case, **d),
            "decide": lambda d: enf.case_decide(actor=a, case=case, **d)}[action]
    return submit(request, form, call, success_url=reverse("foodsafety:case", args=[pk]),
                  template="foodsafety/case_detail.html",
                  context=_case_context(a, pk, {action: form}), message=_("Saved."))


@login_required
@require_POST
def case_open(request, pk: int):
    """Open a case from an operator's page (pk: the operator)."""
    from minsheng.foodsafety.services import enforcement as enf

    a = actor(request)
    operator = S.operator_get(a, pk)
    form = F.CaseOpenForm(request.POST)
    return submit(request, form, lambda d: enf.case_open(actor=a, operator=operator, **d),
                  success_url=lambda c: reverse("foodsafety:case", args=[c.pk]),
                  template="foodsafety/operator_detail.html",
                  context=_operator_context(a, pk, {"case": form}),
                  message=_("Enforcement case opened."))
