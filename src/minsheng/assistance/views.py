"""Social assistance pages. Thin: selectors read, services write."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.assistance import forms, management, selectors, services
from minsheng.assistance.models import DibaoCase
from minsheng.assistance.workflows import DIBAO_STEPS
from minsheng.casework.workflow import timeline
from minsheng.core.access import require
from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pages import actor, paginate, query_without_page


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
                              "overdue": selectors.case_list(a, due="overdue").count()}})


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
