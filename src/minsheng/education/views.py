"""Education pages: overview, school register, rolls, dropout control (cases, registry
comparison), the children behind each figure, preschool aid. Views parse with a form,
call a service and render; refusals come back in place with the input kept."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.errors import DomainError, NotFound, PermissionDenied
from minsheng.core.identifiers import mask
from minsheng.core.pages import (
    actor,
    attach_error,
    done,
    paginate,
    query_without_page,
    refused,
    submit,
)
from minsheng.education import forms as F
from minsheng.education import permissions as P
from minsheng.education import selectors
from minsheng.education.services import aid, dropout, rolls, schools
from minsheng.education.workflows import AID_WORKFLOW, DROPOUT_WORKFLOW, ROLL_WORKFLOW

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(filename: str, sheets) -> HttpResponse:
    from minsheng.core.spreadsheets import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _require(a, permission: str) -> None:
    if not a.has(permission):
        raise PermissionDenied()


@login_required
def home(request):
    a = actor(request)
    summary = selectors.home_summary(a)
    year = timezone.localdate().year
    states = [(DROPOUT_WORKFLOW.states[s], summary["cases_by_state"].get(s, 0), s)
              for s in DROPOUT_WORKFLOW.states]
    return render(request, "education/home.html", {
        **summary, "states": states, "year": year,
        "can_match": a.has(P.MATCH), "can_schools": a.has(P.SCHOOLS)})


# --- schools --------------------------------------------------------------------------------

@login_required
def school_list(request):
    a = actor(request)
    stage = request.GET.get("stage", "")
    rows = list(selectors.school_list(a, stage=stage if stage in dict(
        F.Stage.choices) else ""))
    for s in rows:
        s.std = selectors.standards(s)
    return render(request, "education/school_list.html", {
        "rows": rows, "stages": F.Stage.choices, "stage": stage,
        "can_register": a.has(P.SCHOOLS)})


def _register_form(a, data=None):
    return F.SchoolRegisterForm(data, organizations=selectors.unregistered_organizations(a),
                                communities=selectors.communities(a))


@login_required
def school_new(request):
    a = actor(request)
    _require(a, P.SCHOOLS)
    if request.method != "POST":
        return render(request, "education/school_form.html", {"form": _register_form(a)})
    form = _register_form(a, request.POST)
    return submit(request, form, lambda d: schools.school_register(
        actor=a, organization=d.pop("organization"), **d),
        success_url=lambda s: reverse("education:school", args=[s.pk]),
        template="education/school_form.html", message=_("School registered."))


@login_required
def school_detail(request, pk: int):
    a = actor(request)
    school = selectors.school_get(a, pk=pk)
    filters = F.RollFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.enrolment_list(a, school=school, state=f.get("state") or "active",
                                  q=f.get("q", ""))
    can_roll = a.covers(P.ROLLS, school.area)
    can_edit = a.covers(P.SCHOOLS, school.area)
    return render(request, "education/school_detail.html", {
        "school": school, "std": selectors.standards(school), "filters": filters,
        "page": paginate(request, qs), "query": query_without_page(request),
        "can_roll": can_roll, "can_edit": can_edit,
        "enrol_form": F.EnrolForm(initial={"entry_date": timezone.localdate()}),
        "import_form": F.RollImportForm(),
        "edit_form": F.SchoolEditForm(initial={
            "version": school.version, "sponsorship": school.sponsorship,
            "places": school.places, "classes": school.classes, "teachers": school.teachers,
            "qualified_teachers": school.qualified_teachers,
            "catchment": list(school.catchment.values_list("pk", flat=True))},
            communities=selectors.communities(a)) if can_edit else None,
        "catchment": list(school.catchment.order_by("path"))})


@login_required
@require_POST
def school_edit(request, pk: int):
    a = actor(request)
    school = selectors.school_get(a, pk=pk)
    form = F.SchoolEditForm(request.POST, communities=selectors.communities(a))
    return submit(request, form, lambda d: schools.school_update(
        actor=a, school=school, version=d.pop("version"), **d),
        success_url=reverse("education:school", args=[pk]),
        template="education/form_page.html",
        context={"title": school.name, "action": request.path,
                 "back": reverse("education:school", args=[pk])},
        message=_("School updated."))


@login_required
@require_POST
def enrol(request, pk: int):
    a = actor(request)
    school = selectors.school_get(a, pk=pk)
    form = F.EnrolForm(request.POST)
    return submit(request, form, lambda d: rolls.enrolment_create(actor=a, school=school, **d),
                  success_url=lambda e: reverse("education:enrolment", args=[e.pk]),
                  template="education/form_page.html",
                  context={"title": school.name, "action": request.path,
                           "back": reverse("education:school", args=[pk])},
                  message=_("Child enrolled."))


@login_required
@require_POST
def roll_import(request, pk: int):
    a = actor(request)
    school = selectors.school_get(a, pk=pk)
    form = F.RollImportForm(request.POST, request.FILES)
    context = {"title": school.name, "action": request.path,
               "back": reverse("education:school", args=[pk])}
    if not form.is_valid():
        return refused(request, form, "education/form_page.html", context)
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            count = rolls.roll_import(actor=a, school=school, path=handle.name)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            attach_error(form, error)
            rows = (error.details or {}).get("rows", []) if isinstance(error.details,
                                                                       dict) else []
            return render(request, "education/form_page.html",
                          {**context, "form": form, "bad_rows": rows}, status=422)
    return done(request, reverse("education:school", args=[pk]),
                _("%(n)s children imported.") % {"n": count})


# --- roll entries ---------------------------------------------------------------------------

def _enrolment_context(a, pk: int, bound: dict | None = None) -> dict:
    e = selectors.enrolment_get(a, pk=pk)
    bound = bound or {}
    moves = [t for t in ROLL_WORKFLOW.allowed(a, e) if t.name != "transfer"]
    can_transfer = any(t.name == "transfer" for t in ROLL_WORKFLOW.allowed(a, e))
    forms = [(t, bound.get(t.name) or F.EnrolmentMoveForm(initial={"version": e.version}))
             for t in moves]
    transfer = (bound.get("transfer") or F.TransferForm(
        initial={"version": e.version}, schools=selectors.transfer_targets(a, exclude=e.school))
        ) if can_transfer else None
    can_aid = (e.active and e.school.stage == "kindergarten" and e.person_id is not None
               and a.has(P.AID_APPLY))
    return {"e": e, "id_masked": mask(e.id_number), "forms": forms, "transfer": transfer,
            "events": selectors.enrolment_timeline(a, e), "can_aid": can_aid}


@login_required
def enrolment_detail(request, pk: int):
    a = actor(request)
    return render(request, "education/enrolment_detail.html", _enrolment_context(a, pk))


@login_required
@require_POST
def enrolment_act(request, pk: int, action: str):
    a = actor(request)
    e = selectors.enrolment_get(a, pk=pk)
    if action == "transfer":
        form = F.TransferForm(request.POST,
                              schools=selectors.transfer_targets(a, exclude=e.school))
    elif action in F.MOVES:
        form = F.EnrolmentMoveForm(request.POST)
    else:
        raise NotFound()

    def call(d):
        if action == "transfer":
            return rolls.enrolment_transfer(actor=a, enrolment=e, **d)
        rolls.enrolment_move(actor=a, enrolment=e, action=action, **d)
        return e

    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            return done(request, reverse("education:enrolment", args=[result.pk]),
                        _("Roll updated."))
    context = _enrolment_context(a, pk, {action: form})
    return render(request, "education/enrolment_detail.html", context, status=422)


# --- dropout control ------------------------------------------------------------------------

@login_required
def case_list(request):
    a = actor(request)
    filters = F.CaseFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.case_list(a, state=f.get("state", ""), late=bool(f.get("late")),
                             low_income=bool(f.get("low_income")), origin=f.get("origin", ""),
                             q=f.get("q", ""))
    if request.GET.get("format") == "xlsx":
        rows = selectors.case_export(a, qs)
        return _xlsx("out-of-school.xlsx", [("失学辍学儿童", [
            "案件编号", "姓名", "身份证号", "出生日期", "社区", "来源", "原因", "状态",
            "发现日期", "街道责任人", "学校责任人", "低收入家庭", "返校日期"], rows)])
    return render(request, "education/case_list.html", {
        "page": paginate(request, qs), "filters": filters, "query": query_without_page(request),
        "can_export": a.has(P.EXPORT)})


def _case_context(a, pk: int, bound: dict | None = None) -> dict:
    case = selectors.case_get(a, pk=pk)
    bound = bound or {}
    moves = DROPOUT_WORKFLOW.allowed(a, case)
    forms = [(t, bound.get(t.name) or F.CaseActForm(initial={
        "version": case.version, "school_officer": case.school_officer,
        "street_officer": case.street_officer,
        "enrolment": case.suggested_id if t.name == "confirm_on_roll" else None}))
        for t in moves]
    clock = dropout.case_clock(case)
    return {"c": case, "id_masked": mask(case.person.id_number), "forms": forms,
            "clocks": [clock] if clock else [], "today": timezone.localdate(),
            "observe_until": dropout.observe_until(case),
            "rolls": list(selectors.enrolments_of(a, case.person_id)[:20]),
            "events": selectors.case_timeline(a, case)}


@login_required
def case_detail(request, pk: int):
    a = actor(request)
    return render(request, "education/case_detail.html", _case_context(a, pk))


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    a = actor(request)
    case = selectors.case_get(a, pk=pk)
    if action not in DROPOUT_WORKFLOW.transitions:
        raise NotFound()
    form = F.CaseActForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            enrolment = (selectors.enrolment_get(a, pk=d["enrolment"]) if d.get("enrolment")
                         else None)
            dropout.case_act(actor=a, case=case, action=action, version=d["version"],
                             note=d["note"], cause=d["cause"], enrolment=enrolment,
                             school_officer=d["school_officer"],
                             street_officer=d["street_officer"])
        except NotFound:
            form.add_error("enrolment", _("No such roll entry in your area."))
        except PermissionDenied:
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            return done(request, reverse("education:case", args=[pk]), _("Case updated."))
    return render(request, "education/case_detail.html", _case_context(a, pk, {action: form}),
                  status=422)


@login_required
def match(request):
    a = actor(request)
    areas = selectors.match_areas(a)
    can = a.has(P.MATCH)
    if request.method == "POST":
        _require(a, P.MATCH)
        form = F.MatchForm(request.POST, areas=areas)
        return submit(request, form, lambda d: dropout.rolls_match(actor=a, area=d["area"],
                                                                   on=d.get("on")),
                      success_url=reverse("education:match"),
                      template="education/match.html",
                      context={"runs": paginate(request, selectors.match_runs(a)), "can": can},
                      message=_("Comparison done."))
    return render(request, "education/match.html", {
        "form": F.MatchForm(areas=areas, initial={"area": areas.first()}) if can else None,
        "runs": paginate(request, selectors.match_runs(a)), "can": can})


# --- figures --------------------------------------------------------------------------------

FIGURE_TITLES = {
    "preschool_enrolled": ("在园幼儿", "Children on a kindergarten roll"),
    "preschool_age_population": ("3-5岁常住儿童", "Residents aged 3 to 5"),
    "preschool_not_enrolled": ("未入园的3-5岁儿童", "Residents aged 3 to 5 not in kindergarten"),
    "compulsory_cohort": ("义务教育入学年级", "The cohort that started grade 1"),
    "compulsory_retained": ("完成或仍在读", "Completed grade 9 or still at school"),
    "compulsory_not_retained": ("未巩固", "Left compulsory school without completing it"),
}


@login_required
def figures_index(request):
    a = actor(request)
    _require(a, P.VIEW)
    return render(request, "education/figures.html", {
        "year": timezone.localdate().year, "years": range(timezone.localdate().year, 2019, -1),
        "titles": FIGURE_TITLES})


@login_required
def figure_people(request, figure: str):
    a = actor(request)
    if figure not in FIGURE_TITLES:
        raise NotFound()
    form = F.FigureForm(request.GET or {"year": timezone.localdate().year},
                        areas=selectors.figure_areas(a))
    if not form.is_valid():
        return render(request, "education/figure.html", {"form": form, "figure": figure,
                                                         "title": FIGURE_TITLES[figure]},
                      status=422)
    year, area = form.cleaned_data["year"], form.cleaned_data.get("area")
    qs = selectors.figure_people(a, figure=figure, year=year, area=area)
    page = paginate(request, qs)
    for p in page:
        p.id_masked = mask(p.id_number)
    return render(request, "education/figure.html", {
        "form": form, "figure": figure, "title": FIGURE_TITLES[figure], "page": page,
        "query": query_without_page(request), "year": year, "area": area,
        "on": datetime.date(year, 12, 31)})


# --- preschool aid --------------------------------------------------------------------------

@login_required
def aid_list(request):
    a = actor(request)
    state = request.GET.get("state", "")
    state = state if state in AID_WORKFLOW.states else ""
    if request.GET.get("format") == "xlsx":
        rows = selectors.aid_payment_rows(a)
        return _xlsx("preschool-aid.xlsx", [("学前教育资助发放名单", [
            "申请编号", "姓名", "身份证号", "社区", "幼儿园", "学年", "资助依据", "金额（元）",
            "状态"], rows)])
    return render(request, "education/aid_list.html", {
        "page": paginate(request, selectors.aid_list(a, state=state)),
        "states": AID_WORKFLOW.states.items(), "state": state,
        "query": query_without_page(request), "can_export": a.has(P.EXPORT)})


@login_required
@require_POST
def aid_apply(request, pk: int):
    a = actor(request)
    e = selectors.aid_candidates(a, enrolment_pk=pk)
    try:
        application = aid.aid_apply(actor=a, enrolment=e)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        context = _enrolment_context(a, pk)
        context["aid_error"] = str(error.message)
        return render(request, "education/enrolment_detail.html", context, status=422)
    return done(request, reverse("education:aid", args=[application.pk]),
                _("Aid application recorded."))


def _aid_context(a, pk: int, bound: dict | None = None) -> dict:
    application = selectors.aid_get(a, pk=pk)
    bound = bound or {}
    forms = [(t, bound.get(t.name) or F.AidDecideForm(initial={"version": application.version}))
             for t in AID_WORKFLOW.allowed(a, application)]
    return {"x": application, "id_masked": mask(application.person.id_number), "forms": forms,
            "events": selectors.aid_timeline(a, application)}


@login_required
def aid_detail(request, pk: int):
    a = actor(request)
    return render(request, "education/aid_detail.html", _aid_context(a, pk))


@login_required
@require_POST
def aid_act(request, pk: int, action: str):
    a = actor(request)
    application = selectors.aid_get(a, pk=pk)
    if action not in AID_WORKFLOW.transitions:
        raise NotFound()
    form = F.AidDecideForm(request.POST)
    if form.is_valid():
        try:
            aid.aid_decide(actor=a, application=application, action=action,
                           version=form.cleaned_data["version"], note=form.cleaned_data["note"])
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            return done(request, reverse("education:aid", args=[pk]), _("Decision recorded."))
    return render(request, "education/aid_detail.html", _aid_context(a, pk, {action: form}),
                  status=422)


