"""Social assistance pages. Thin: selectors read, services write."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.assistance import eligibility, forms, management, programmes, selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.models import AdlAssessment, DibaoCase, TekunCase, TemporaryGrant
from minsheng.assistance.workflows import DIBAO_STEPS
from minsheng.casework.clocks import Clock
from minsheng.casework.workflow import timeline
from minsheng.core import workdays
from minsheng.core.access import require
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pages import actor, paginate, query_without_page

ADL_LABELS = {"eating": gettext_lazy("Eating"), "dressing": gettext_lazy("Dressing"),
              "transfer": gettext_lazy("Getting in and out of bed"),
              "toileting": gettext_lazy("Using the toilet"),
              "indoor_walking": gettext_lazy("Walking indoors"),
              "bathing": gettext_lazy("Bathing")}
CARE_LABELS = {"self_care": gettext_lazy("Fully self-caring"),
               "partly_dependent": gettext_lazy("Partly dependent on care"),
               "fully_dependent": gettext_lazy("Fully dependent on care")}
DISABILITY_LABELS = {"intellectual": gettext_lazy("Intellectual disability"),
                     "mental": gettext_lazy("Mental disability"),
                     "physical": gettext_lazy("Physical disability"),
                     "visual": gettext_lazy("Visual disability"),
                     "hearing": gettext_lazy("Hearing disability"),
                     "speech": gettext_lazy("Speech disability"),
                     "multiple": gettext_lazy("Multiple disabilities")}


def _form_context(request, **extra):
    return {"rows": range(forms.MEMBER_ROWS), "key": uuid.uuid4().hex,
            "exceptions": DibaoCase.SingleException.choices, **extra}


# ------------------------------------------------------------------ public portal
def public_apply(request):
    if request.method == "POST":
        args = forms.application_args(request.POST)
        try:
            case, _created = services.dibao_apply(actor=request.user, channel="online", **args)
        except ValidationFailed as exc:
            return render(request, "assistance/public_apply.html",
                          _form_context(request, error=exc, post=request.POST), status=422)
        return render(request, "assistance/public_applied.html", {"case": case})
    return render(request, "assistance/public_apply.html", _form_context(request))


def public_status(request):
    case = None
    if request.GET.get("reference"):
        case = selectors.case_public_status(reference=request.GET["reference"][:16],
                                            id_number=request.GET.get("id_number", "")[:18])
    return render(request, "assistance/public_status.html",
                  {"case": case, "steps": _steps(case) if case else []})


def _steps(case):
    reached = {e.to_state for e in timeline(case) if e.to_state} | {"submitted"}
    labels = DibaoCase.workflow.states
    return [(labels[s], s in reached, s == case.state) for s in DIBAO_STEPS]


# ------------------------------------------------------------------ staff pages
@login_required
def worklist(request):
    a = actor(request)
    require(a, selectors.VIEW)
    tab = request.GET.get("tab", "due_soon")
    today = timezone.localdate()
    if tab == "mine":
        qs = selectors.case_list(a, state="open", mine=True)
    elif tab in ("due_soon", "overdue"):
        qs = selectors.case_list(a, due=tab, today=today)
    else:
        qs = selectors.case_list(a, state=request.GET.get("state", "open"),
                                 q=request.GET.get("q", "")[:40])
    return render(request, "assistance/worklist.html",
                  {"page": paginate(request, qs), "tab": tab, "today": today,
                   "query": query_without_page(request),
                   "counts": {"due_soon": selectors.case_list(a, due="due_soon").count(),
                              "overdue": selectors.case_list(a, due="overdue").count(),
                              "paperwork": selectors.temporary_list(
                                  a, open_obligations=True).count(),
                              "reassess": selectors.tekun_persons(a, reassess=True).count()}})


@login_required
def case_detail(request, pk: int):
    a = actor(request)
    case = selectors.case_get(a, pk=pk)
    today = timezone.localdate()
    clocks = [(c, c.status(today), c.remaining(today) if c.done is None else None)
              for c in services.dibao_clocks(case)]
    actions = [t for t in DibaoCase.workflow.available(case.state)
               if a.covers(t.permission, case.area)]
    members = [(m, mask(m.person.id_number)) for m in case.members.select_related("person")]
    return render(request, "assistance/case_detail.html", {
        "case": case, "clocks": clocks, "actions": actions, "members": members,
        "steps": _steps(case), "events": timeline(case),
        "findings": selectors.discrepancies(a, case=case),
        "assessment": services.dibao_assess(case) if case.state in ("verifying",) else None,
        "can_decide": a.covers("assistance.decide", case.area),
        "can_apply": a.covers("assistance.apply", case.area), "today": today,
        "notice": services.notice_text(case) if case.notice_start else None})


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise ValidationFailed(_("The form is missing the record version; reload the page.")
                               ) from None


@login_required
@require_POST
def case_act(request, pk: int, name: str):
    a = actor(request)
    case = selectors.case_get(a, pk=pk)
    p = request.POST
    kw = {"actor": a, "case": case}
    if name == "accept":
        services.dibao_accept(**kw, version=_version(request),
                              missing_materials=p.get("missing", "").splitlines(),
                              related_to_staff=p.get("related_to_staff") == "on",
                              related_note=p.get("related_note", ""),
                              delegated=p.get("delegated") == "on")
    elif name == "supplied":
        services.dibao_materials_supplied(**kw, version=_version(request))
    elif name == "authorise":
        services.dibao_authorise(**kw, person_id=int(p.get("person_id", "0") or 0))
    elif name == "start_investigation":
        names = p.get("investigators", "").replace("，", ",").replace("、", ",").split(",")
        services.dibao_investigate(**kw, version=_version(request), investigators=names,
                                   home_visit_note=p.get("home_visit_note", ""))
    elif name == "request_verification":
        services.dibao_request_verification(**kw, version=_version(request))
    elif name == "start_verification":
        services.dibao_start_verification(**kw, version=_version(request))
    elif name == "first_review":
        services.dibao_first_review(**kw, version=_version(request),
                                    opinion=p.get("opinion", ""))
    elif name == "publish_notice":
        services.dibao_publish_notice(**kw, version=_version(request))
    elif name == "objection":
        services.dibao_objection(**kw, version=_version(request),
                                 objection=p.get("objection", ""))
    elif name in ("send_file", "send_refusal_file"):
        services.dibao_send_file(**kw, version=_version(request))
    elif name == "approver_visit":
        services.dibao_approver_visit(**kw, note=p.get("note", ""))
    elif name in ("approve", "refuse"):
        services.dibao_decide(**kw, version=_version(request), approve=name == "approve",
                              reasons=p.get("reasons", ""))
    elif name == "refusal_notified":
        services.dibao_refusal_notified(**kw)
    elif name == "extend":
        services.dibao_extend(**kw, reason=p.get("reason", ""))
    elif name in ("withdraw", "not_accept"):
        services.dibao_close(**kw, version=_version(request), name=name,
                             note=p.get("note", ""))
    else:
        raise ValidationFailed(_("Unknown action: %s") % name)
    return redirect("assistance:case", pk=case.pk)


@login_required
@require_POST
def finding_resolve(request, pk: int):
    a = actor(request)
    finding = selectors.discrepancy_get(a, pk=pk)
    services.discrepancy_resolve(actor=a, discrepancy=finding,
                                 status=request.POST.get("status", ""),
                                 resolution=request.POST.get("resolution", ""))
    if finding.case_id:
        return redirect("assistance:case", pk=finding.case_id)
    return redirect("assistance:verification", pk=finding.run_id)


@login_required
def office_apply(request):
    a = actor(request)
    require(a, "assistance.apply")
    if request.method == "POST":
        args = forms.application_args(request.POST)
        try:
            case, _created = services.dibao_apply(actor=a, channel="office", **args)
        except ValidationFailed as exc:
            return render(request, "assistance/office_apply.html",
                          _form_context(request, error=exc, post=request.POST), status=422)
        return redirect("assistance:case", pk=case.pk)
    return render(request, "assistance/office_apply.html", _form_context(request))


@login_required
def approvals(request):
    a = actor(request)
    require(a, "assistance.decide")
    today = timezone.localdate()
    rows = [(c, services.dibao_clocks(c)[-2] if c.file_received_on else None)
            for c in selectors.approval_queue(a)[:200]]
    return render(request, "assistance/approvals.html",
                  {"rows": [(c, k, k.status(today) if k else "", k.remaining(today) if k else "")
                            for c, k in rows]})


@login_required
def verification_list(request):
    a = actor(request)
    require(a, selectors.VIEW)
    return render(request, "assistance/verification_list.html",
                  {"page": paginate(request, selectors.verification_runs(a))})


@login_required
def verification_detail(request, pk: int):
    a = actor(request)
    run = selectors.verification_get(a, pk=pk)
    return render(request, "assistance/verification_detail.html",
                  {"run": run, "page": paginate(request, selectors.discrepancies(a, run=run))})


@login_required
def reviews(request):
    a = actor(request)
    require(a, selectors.VIEW)
    today = timezone.localdate()
    until = management.add_months(today, 3)
    due = list(selectors.reviews_due(a, until=until)[:500])
    months: dict = {}
    for b in due:
        months.setdefault(b.next_review_due.replace(day=1), []).append(b)
    return render(request, "assistance/reviews.html",
                  {"months": sorted(months.items()), "today": today, "until": until})


@login_required
@require_POST
def reviews_open(request):
    a = actor(request)
    result = management.reviews_open(actor=a, until=management.add_months(
        timezone.localdate(), 1))
    from django.contrib import messages
    messages.success(request, _("%(opened)d review case(s) opened") % result)
    return redirect("assistance:reviews")


@login_required
def payments(request):
    a = actor(request)
    require(a, selectors.VIEW)
    return render(request, "assistance/payments.html",
                  {"page": paginate(request, selectors.rosters(a)),
                   "subdistricts": management.subdistricts(a),
                   "month": services.first_of_next_month(timezone.localdate())})


@login_required
@require_POST
def roster_create(request):
    a = actor(request)
    raw = request.POST.get("month", "")
    try:
        month = datetime.date.fromisoformat(raw[:7] + "-01")
    except ValueError:
        raise ValidationFailed(_("Choose a month"), field="month") from None
    area = selectors.area_for(a, code=request.POST.get("area", ""))
    roster = management.roster_create(actor=a, area=area, month=month)
    return redirect("assistance:roster", pk=roster.pk)


@login_required
def roster_detail(request, pk: int):
    a = actor(request)
    roster = selectors.roster_get(a, pk=pk)
    return render(request, "assistance/roster.html",
                  {"roster": roster, "lines": [(line, mask(line.payee.id_number))
                                               for line in roster.lines.select_related("payee")]})


@login_required
def roster_xlsx(request, pk: int):
    a = actor(request)
    roster = selectors.roster_get(a, pk=pk)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="roster-{roster.pk}.xlsx"'
    management.roster_write_xlsx(actor=a, roster=roster, target=response)
    return response


# ------------------------------------------------------------------ temporary assistance
def _temporary_limits() -> dict:
    std = eligibility.standard()
    return {"standard": std,
            "subdistrict_months": setting("TEMPORARY_SUBDISTRICT_MAX_MONTHS"),
            "subdistrict_max": std * setting("TEMPORARY_SUBDISTRICT_MAX_MONTHS"),
            "district_months": setting("TEMPORARY_DISTRICT_MAX_MONTHS"),
            "district_max": std * setting("TEMPORARY_DISTRICT_MAX_MONTHS"),
            "average_income": setting("LAST_YEAR_AVERAGE_MONTHLY_INCOME"),
            "total_days": setting("TEMPORARY_TOTAL_WORKING_DAYS"),
            "paperwork_days": setting("TEMPORARY_EMERGENCY_PAPERWORK_WORKING_DAYS")}


@login_required
def temporary_list(request):
    a = actor(request)
    require(a, selectors.VIEW)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TemporaryGrant.Kind.values else ""
    state = request.GET.get("state", "open")
    state = state if state in ("open", "", *TemporaryGrant.workflow.states) else "open"
    obligations = request.GET.get("obligations") == "open"
    page = paginate(request, selectors.temporary_list(a, kind=kind, state=state,
                                                      open_obligations=obligations))
    today = timezone.localdate()
    rows = []
    for g in page:
        due = programmes.temporary_due(g)
        rows.append((g, due, g.closed_at is None and due < today))
    return render(request, "assistance/temporary_list.html", {
        "page": page, "rows": rows, "kind": kind, "state": state, "obligations": obligations,
        "kinds": TemporaryGrant.Kind.choices,
        "states": list(TemporaryGrant.workflow.states.items()),
        "query": query_without_page(request),
        "open_obligations": selectors.temporary_list(a, open_obligations=True).count(),
        "can_apply": a.has("assistance.apply")})


@login_required
def temporary_level(request):
    """htmx: the approval level an amount needs (or why it cannot be granted)."""
    a = actor(request)
    require(a, selectors.VIEW)
    level, error = None, None
    raw = request.GET.get("amount", "").strip()
    if raw:
        try:
            amount = eligibility.money(raw)
            if amount <= 0:
                raise ValidationFailed(_("The amount must be positive"))
            level = programmes.temporary_limit_level(amount)
        except (ValidationFailed, ArithmeticError, ValueError) as exc:
            error = getattr(exc, "message", _("Enter the amount"))
    return render(request, "assistance/_temporary_level.html",
                  {"level": level, "error": error, "limits": _temporary_limits()})


@login_required
def temporary_new(request):
    a = actor(request)
    require(a, "assistance.apply")
    context = {"kinds": TemporaryGrant.Kind.choices, "limits": _temporary_limits(),
               "key": uuid.uuid4().hex, "post": {"kind": "emergency"}}
    if request.method == "POST":
        p = request.POST
        try:
            applicant = selectors.person_by_id_number(
                a, id_number=p.get("applicant_id_number", "")[:18])
            pci = p.get("per_capita_income", "").strip()
            grant = programmes.temporary_apply(
                actor=a, kind=p.get("kind", ""), applicant=applicant,
                cause=p.get("cause", "")[:40], amount=p.get("amount", "").strip() or "0",
                description=p.get("description", "")[:2000],
                per_capita_income=pci or None,
                override_reason=p.get("override_reason", ""),
                idempotency_key=p.get("idempotency_key", ""))
        except (ValidationFailed, NotFound) as exc:
            context.update(error=exc, post=p,
                           error_field=(exc.details or {}).get("field", ""))
            return render(request, "assistance/temporary_new.html", context, status=422)
        if (p.get("grant_now") == "on" and grant.kind == "emergency"
                and grant.state == "applied" and grant.approval_level == "subdistrict"):
            programmes.temporary_grant_now(actor=a, grant=grant)
        return redirect("assistance:temporary", pk=grant.pk)
    return render(request, "assistance/temporary_new.html", context)


@login_required
def temporary_detail(request, pk: int):
    a = actor(request)
    grant = selectors.temporary_get(a, pk=pk)
    today = timezone.localdate()
    due = programmes.temporary_due(grant)
    clock = Clock(_("Temporary assistance: whole procedure"), grant.accepted_on, due,
                  grant.closed_at.date() if grant.closed_at else None)
    clocks = [(clock, clock.status(today),
               clock.remaining(today) if clock.done is None else None)]
    actions = [t for t in TemporaryGrant.workflow.available(grant.state)
               if a.covers(t.permission, grant.area)]
    if grant.approval_level == "district":  # above the subdistrict limit
        actions = [t for t in actions if t.name != "approve_subdistrict"]
    if grant.kind != "emergency" or grant.approval_level != "subdistrict":
        actions = [t for t in actions if t.name != "grant_emergency"]
    if grant.kind == "emergency":
        actions = [t for t in actions if t.name != "investigate"
                   or grant.approval_level != "subdistrict"]
    return render(request, "assistance/temporary_detail.html", {
        "grant": grant, "clocks": clocks, "actions": actions, "events": timeline(grant),
        "applicant_id": mask(grant.applicant.id_number), "limits": _temporary_limits(),
        "can_apply": a.covers("assistance.apply", grant.area)})


@login_required
@require_POST
def temporary_act(request, pk: int, name: str):
    a = actor(request)
    grant = selectors.temporary_get(a, pk=pk)
    p = request.POST
    if name == "grant_emergency":
        programmes.temporary_grant_now(actor=a, grant=grant)
    elif name == "obligation":
        programmes.temporary_obligation_done(actor=a, grant=grant,
                                             obligation=p.get("obligation", ""))
    elif name == "complete":
        programmes.temporary_complete(actor=a, grant=grant)
    elif name == "investigate":
        programmes.temporary_investigate(actor=a, grant=grant)
    elif name in ("approve", "approve_subdistrict", "refuse"):
        programmes.temporary_decide(actor=a, grant=grant, approve=name != "refuse",
                                    note=p.get("note", "")[:500])
    else:
        raise ValidationFailed(_("Unknown action: %s") % name)
    return redirect("assistance:temporary", pk=grant.pk)


# ------------------------------------------------------------------ extreme-poverty support
def _tekun_form_context(**extra):
    return {"disability_kinds": [("", _("No disability"))] + [
        (k, DISABILITY_LABELS.get(k, k)) for k in setting("TEKUN_DISABILITY")],
        "rules": {"elder": setting("TEKUN_ELDER_AGE"), "minor": setting("TEKUN_MINOR_AGE"),
                  "standard": eligibility.standard(),
                  "grades": [(DISABILITY_LABELS.get(k, k), "、".join(str(g) for g in v))
                             for k, v in setting("TEKUN_DISABILITY").items()]},
        **extra}


def _tekun_args(post) -> dict:
    grade = post.get("disability_grade", "").strip()
    if grade and not grade.isdigit():
        raise ValidationFailed(_("The disability grade is a number"), field="disability_grade")
    return {"disability_kind": post.get("disability_kind", "")[:20],
            "disability_grade": int(grade) if grade else None,
            "monthly_income": post.get("monthly_income", "").strip() or "0",
            "has_able_supporter": post.get("has_able_supporter") == "on"}


@login_required
def tekun_list(request):
    a = actor(request)
    require(a, selectors.VIEW)
    tab = request.GET.get("tab", "cases")
    today = timezone.localdate()
    if tab == "supported":
        page = paginate(request, selectors.tekun_persons(a))
    elif tab == "reassess":
        page = paginate(request, selectors.tekun_persons(a, reassess=True))
    else:
        tab = "cases"
        state = request.GET.get("state", "open")
        page = paginate(request, selectors.tekun_cases(a, state=state if state in (
            "open", "", *TekunCase.workflow.states) else "open"))
    return render(request, "assistance/tekun_list.html", {
        "page": page, "tab": tab, "today": today, "state": request.GET.get("state", "open"),
        "states": list(TekunCase.workflow.states.items()), "query": query_without_page(request),
        "reassess_count": selectors.tekun_persons(a, reassess=True).count(),
        "can_apply": a.has("assistance.apply"), "can_manage": a.has("assistance.manage")})


@login_required
@require_POST
def tekun_check(request):
    """htmx: the recognition checks for the person and answers typed so far."""
    a = actor(request)
    require(a, "assistance.apply")
    result, error = None, None
    try:
        person = selectors.person_by_id_number(a, id_number=request.POST.get(
            "id_number", "")[:18])
        result = programmes.tekun_recognition(person, **_tekun_args(request.POST),
                                              today=timezone.localdate())
        result["name"] = person.name
    except (ValidationFailed, NotFound, ArithmeticError, ValueError) as exc:
        error = getattr(exc, "message", _("Check the figures"))
    return render(request, "assistance/_tekun_checks.html",
                  {"r": result, "error": error, **_tekun_form_context()})


@login_required
def tekun_new(request):
    a = actor(request)
    require(a, "assistance.apply")
    if request.method == "POST":
        p = request.POST
        try:
            person = selectors.person_by_id_number(a, id_number=p.get("id_number", "")[:18])
            case = programmes.tekun_apply(actor=a, person=person, **_tekun_args(p),
                                          in_school=p.get("in_school") == "on",
                                          support_mode=p.get("support_mode") or "home")
        except (ValidationFailed, NotFound) as exc:
            return render(request, "assistance/tekun_new.html",
                          _tekun_form_context(error=exc, post=p), status=422)
        return redirect("assistance:tekun", pk=case.pk)
    return render(request, "assistance/tekun_new.html",
                  _tekun_form_context(post={"support_mode": "home"}))


def _tekun_clocks(case) -> list:
    out = [Clock(_("Tekun investigation (15 working days)"), case.accepted_on,
                 workdays.add_working_days(case.accepted_on,
                                           setting("TEKUN_INVESTIGATION_WORKING_DAYS")),
                 case.investigated_on or (case.decided_on if case.state == "refused"
                                          and not case.file_received_on else None))]
    if case.notice_start:
        out.append(Clock(_("Tekun public notice (7 days)"), case.notice_start,
                         case.notice_end, case.file_received_on))
    if case.file_received_on:
        out.append(Clock(_("Tekun decision (15 working days)"), case.file_received_on,
                         workdays.add_working_days(case.file_received_on,
                                                   setting("TEKUN_DECISION_WORKING_DAYS")),
                         case.decided_on))
    return out


@login_required
def tekun_detail(request, pk: int):
    a = actor(request)
    case = selectors.tekun_case_get(a, pk=pk)
    today = timezone.localdate()
    clocks = [(c, c.status(today), c.remaining(today) if c.done is None else None)
              for c in _tekun_clocks(case)]
    actions = [t for t in TekunCase.workflow.available(case.state)
               if a.covers(t.permission, case.area)]
    return render(request, "assistance/tekun_detail.html", {
        "case": case, "r": case.recognition, "clocks": clocks, "actions": actions,
        "events": timeline(case), "person_id": mask(case.person.id_number),
        "support": selectors.tekun_person_for_case(case), "today": today,
        "disability": DISABILITY_LABELS.get(case.disability_kind, case.disability_kind)})


@login_required
@require_POST
def tekun_act(request, pk: int, name: str):
    a = actor(request)
    case = selectors.tekun_case_get(a, pk=pk)
    if name not in TekunCase.workflow.transitions:
        raise ValidationFailed(_("Unknown action: %s") % name)
    programmes.tekun_step(actor=a, case=case, name=name)
    return redirect("assistance:tekun", pk=case.pk)


@login_required
def tekun_person(request, pk: int):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    today = timezone.localdate()
    return render(request, "assistance/tekun_person.html", {
        "t": tekun, "person_id": mask(tekun.person.id_number), "today": today,
        "assessments": selectors.adl_assessments(tekun),
        "activities": [(k, ADL_LABELS[k]) for k in AdlAssessment.ACTIVITIES],
        "adl_labels": ADL_LABELS, "care_labels": CARE_LABELS,
        "can_apply": a.covers("assistance.apply", tekun.area)})


@login_required
@require_POST
def tekun_adl(request, pk: int):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    assessment = programmes.adl_assess(actor=a, tekun=tekun,
                                       failed=request.POST.getlist("failed"))
    from django.contrib import messages
    messages.success(request, _("Care level: %s") % CARE_LABELS.get(assessment.care_level,
                                                                      assessment.care_level))
    return redirect("assistance:tekun_person", pk=tekun.pk)


@login_required
@require_POST
def tekun_change(request, pk: int):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    programmes.tekun_change_reported(actor=a, tekun=tekun,
                                     note=request.POST.get("note", "")[:500])
    return redirect("assistance:tekun_person", pk=tekun.pk)


@login_required
def spot_check_list(request):
    a = actor(request)
    require(a, selectors.VIEW)
    today = timezone.localdate()
    start = today.replace(day=1)
    return render(request, "assistance/spot_checks.html", {
        "page": paginate(request, selectors.spot_checks(a)),
        "areas": selectors.spot_check_areas(a),
        "share_pct": round(setting("SPOT_CHECK_SHARE") * 100),
        "start": (start - datetime.timedelta(days=1)).replace(day=1),
        "end": start - datetime.timedelta(days=1)})


def _date(raw: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ValidationFailed(_("Enter a date (YYYY-MM-DD)"), field=field) from None


@login_required
@require_POST
def spot_check_create(request):
    a = actor(request)
    p = request.POST
    start, end = _date(p.get("start", ""), "start"), _date(p.get("end", ""), "end")
    if end < start:
        raise ValidationFailed(_("The period ends before it starts"), field="end")
    seed = p.get("seed", "").strip()
    if seed and not seed.isdigit():
        raise ValidationFailed(_("The seed is a whole number"), field="seed")
    area = selectors.area_for(a, code=p.get("area", ""))
    record = management.spot_check_draw(actor=a, area=area, start=start, end=end,
                                        seed=int(seed) if seed else None)
    return redirect("assistance:spot_check", pk=record.pk)


@login_required
def spot_check_detail(request, pk: int):
    a = actor(request)
    record = selectors.spot_check_get(a, pk=pk)
    reproduced = management.draw(record.population, record.seed, record.share) == record.drawn
    return render(request, "assistance/spot_check.html", {
        "d": record, "cases": selectors.spot_check_cases(record), "reproduced": reproduced,
        "share_pct": round(record.share * 100),
        "drawn_pct": (round(100 * len(record.drawn) / len(record.population), 1)
                      if record.population else 0)})
