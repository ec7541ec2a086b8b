"""Dibao pages: the public application and status lookup, the caseworkers' worklist,
the case page and its actions, the approver queue, verification reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.assistance import forms, selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.labels import INCOME_ITEMS
from minsheng.assistance.models import DibaoCase
from minsheng.assistance.permissions import APPLY, DECIDE
from minsheng.assistance.services import clocks
from minsheng.assistance.views.base import orphan, page_url
from minsheng.casework.workflow import timeline
from minsheng.core.errors import NotFound
from minsheng.core.identifiers import clean_id_number, mask
from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.core.ratelimit import client_key, hit

# ------------------------------------------------------------------ public portal
PROOF_SESSION = "assistance_proof"


def public_apply(request):
    """The public application, step one: who applies. A one-time code goes to the phone
    registered for them (the answer is the same whether or not they are registered)."""
    form = forms.IdentifyForm(request.POST or None)
    if request.method != "POST":
        return render(request, "assistance/public_identify.html", {"form": form})

    def send_code(data):
        challenge = services.dibao_apply_code(client=client_key(request), **data)
        request.session[PROOF_SESSION] = {
            "challenge": challenge, "name": data["applicant_name"].strip(),
            "number": clean_id_number(data["applicant_id_number"])}

    return submit(request, form, send_code, success_url=page_url("apply_details"),
                  template="assistance/public_identify.html")


def public_apply_details(request):
    """Step two: the code that arrived and the application itself."""
    started = request.session.get(PROOF_SESSION)
    if not started:
        return redirect("assistance:apply")
    applicant = {"applicant_name": started["name"],
                 "applicant_id_number": started["number"]}
    form = forms.PublicApplicationForm({**request.POST.dict(), **applicant}
                                       if request.method == "POST" else None,
                                       initial=applicant)
    context = {"applicant": applicant, "masked_number": mask(started["number"])}
    if request.method != "POST":
        return render(request, "assistance/public_apply.html", {**context, "form": form})

    def apply(data):
        case, _created = services.dibao_apply(actor=request.user, channel="online",
                                              challenge=started["challenge"],
                                              **form.service_args(data))
        request.session.pop(PROOF_SESSION, None)
        request.session["assistance_applied"] = case.reference
        return case

    return submit(request, form, apply, success_url=page_url("applied"),
                  template="assistance/public_apply.html", context=context)


def public_applied(request):
    """After a portal application (post, redirect, get): the reference to keep."""
    reference = request.session.get("assistance_applied")
    if not reference:
        return redirect("assistance:apply")
    return render(request, "assistance/public_applied.html", {"reference": reference})


def public_status(request):
    """The applicant's status lookup: posted (the ID number stays out of URLs and logs)."""
    prefill = forms.ReferenceFilter(request.GET).values()  # from the link after applying
    form = forms.PublicStatusForm(request.POST or None, initial=prefill)
    case, status = None, 200
    if request.method == "POST":
        hit(f"assistance:status:{client_key(request)}",
            setting("PUBLIC_STATUS_LOOKUPS_PER_HOUR"), 3600)
        if form.is_valid():
            try:
                case = selectors.case_public_status(
                    request.user, reference=form.cleaned_data["reference"],
                    id_number=form.cleaned_data["id_number"])
            except NotFound:
                form.add_error(None, _("No application with this reference and ID number."))
                status = 404
        else:
            status = 422
    steps = selectors.case_steps(None, case) if case else []
    return render(request, "assistance/public_status.html",
                  {"form": form, "case": case, "steps": steps}, status=status)



# ------------------------------------------------------------------ dibao cases
@login_required
def worklist(request):
    a = actor(request)
    today = timezone.localdate()
    counts = selectors.worklist_counts(a, today=today)
    f = forms.WorklistFilter(request.GET).values()
    tab = f["tab"]
    if tab == "mine":
        qs = selectors.case_list(a, state="open", mine=True)
    elif tab in ("due_soon", "overdue"):
        qs = selectors.case_list(a, due=tab, today=today)
    else:
        qs = selectors.case_list(a, state=f["state"], q=f["q"])
    return render(request, "assistance/worklist.html",
                  {"page": paginate(request, qs), "tab": tab, "today": today,
                   "query": query_without_page(request), "counts": counts})


def _action_form(name: str, case, bound=None):
    form_class = CASE_ACTIONS[name][0]
    if bound is not None and bound[0] == name:
        return bound[1]
    return form_class(initial={"version": case.version})


def _case_context(a, case: DibaoCase, failed=None) -> dict:
    """Everything the case page shows; `failed` = (action name, bound form) of a refused
    action, rendered back with its input and message."""
    today = timezone.localdate()
    events = timeline(case)
    allowed = DibaoCase.workflow.allowed(a, case)
    can_apply, can_decide = a.covers(APPLY, case.area), a.covers(DECIDE, case.area)
    shown = {
        "supplied": bool(case.missing_materials) and can_apply,
        "approver_visit": (case.related_to_staff and not case.approver_visit_on
                           and can_decide and case.state == "file_sent"),
        "refusal_notified": (case.decision == "refused" and not case.refusal_notified_on
                             and can_decide),
        "extend": (can_apply and case.closed_at is None and not case.extension_reason
                   and not case.delegated and bool(case.accepted_on)),
    }
    rendered = ({t.name for t in allowed} | {k for k, v in shown.items() if v}
                | {"authorise", "finding"})
    return {
        "case": case, "clocks": clocks.dibao_clocks(case, today),
        "actions": [(t, _action_form(t.name, case, failed)) for t in allowed],
        "extra": {name: _action_form(name, case, failed) for name in shown},
        "shown": shown, "failed": failed[0] if failed else "",
        "orphan": orphan(failed, rendered),
        "members": SimpleLazyObject(lambda: [
            (m, mask(m.person.id_number),
             [(INCOME_ITEMS.get(k, k), v) for k, v in (m.income or {}).items()])
            for m in selectors.case_members(a, case)]),
        "steps": selectors.case_steps(a, case, events), "events": events,
        "findings": SimpleLazyObject(lambda: list(selectors.discrepancies(a, case=case))),
        "verification": SimpleLazyObject(lambda: selectors.verification_latest(a, case=case)),
        "can_decide": can_decide, "can_apply": can_apply,
        "today": today, "extended_days": setting("TOTAL_WORKING_DAYS_EXTENDED"),
        "notice": selectors.case_notice(a, case)}


@login_required
def case_detail(request, pk: int):
    a = actor(request)
    case = selectors.case_get(a, pk=pk)
    return render(request, "assistance/case_detail.html", _case_context(a, case))


def _decide(approve):
    def call(a, case, d):
        return services.dibao_decide(actor=a, case=case, version=d["version"], approve=approve,
                                     reasons=d.get("reasons", ""))
    return call


CASE_ACTIONS = {
    "accept": (forms.AcceptForm, lambda a, case, d: services.dibao_accept(
        actor=a, case=case, version=d["version"],
        missing_materials=(d["missing"] or "").splitlines(),
        related_to_staff=d["related_to_staff"], related_note=d["related_note"],
        delegated=d["delegated"])),
    "supplied": (forms.StepForm, lambda a, case, d: services.dibao_materials_supplied(
        actor=a, case=case, version=d["version"])),
    "authorise": (forms.AuthoriseForm, lambda a, case, d: services.dibao_authorise(
        actor=a, case=case, person_id=d["person_id"])),
    "start_investigation": (forms.InvestigateForm, lambda a, case, d: services.dibao_investigate(
        actor=a, case=case, version=d["version"], investigators=d["investigators"],
        home_visit_note=d["home_visit_note"])),
    "request_verification": (forms.StepForm, lambda a, case, d:
                             services.dibao_request_verification(actor=a, case=case,
                                                                 version=d["version"])),
    "start_verification": (forms.StepForm, lambda a, case, d:
                           services.dibao_start_verification(actor=a, case=case,
                                                             version=d["version"])),
    "first_review": (forms.FirstReviewForm, lambda a, case, d: services.dibao_first_review(
        actor=a, case=case, version=d["version"], opinion=d["opinion"])),
    "publish_notice": (forms.StepForm, lambda a, case, d: services.dibao_publish_notice(
        actor=a, case=case, version=d["version"])),
    "objection": (forms.ObjectionForm, lambda a, case, d: services.dibao_objection(
        actor=a, case=case, version=d["version"], objection=d["objection"])),
    "send_file": (forms.StepForm, lambda a, case, d: services.dibao_send_file(
        actor=a, case=case, version=d["version"])),
    "send_refusal_file": (forms.StepForm, lambda a, case, d: services.dibao_send_file(
        actor=a, case=case, version=d["version"])),
    "approver_visit": (forms.NoteForm, lambda a, case, d: services.dibao_approver_visit(
        actor=a, case=case, version=d["version"], note=d["note"])),
    "approve": (forms.StepForm, _decide(True)),
    "refuse": (forms.RefuseForm, _decide(False)),
    "refusal_notified": (forms.StepForm, lambda a, case, d: services.dibao_refusal_notified(
        actor=a, case=case, version=d["version"])),
    "extend": (forms.ExtendForm, lambda a, case, d: services.dibao_extend(
        actor=a, case=case, version=d["version"], reason=d["reason"])),
    "withdraw": (forms.NoteForm, lambda a, case, d: services.dibao_close(
        actor=a, case=case, version=d["version"], name="withdraw", note=d["note"])),
    "not_accept": (forms.NoteForm, lambda a, case, d: services.dibao_close(
        actor=a, case=case, version=d["version"], name="not_accept", note=d["note"])),
}


@login_required
@require_POST
def case_act(request, pk: int, name: str):
    a = actor(request)
    case = selectors.case_get(a, pk=pk)
    if name not in CASE_ACTIONS:
        raise NotFound()
    form_class, call = CASE_ACTIONS[name]
    form = form_class(request.POST)
    return submit(request, form, lambda d: call(a, case, d),
                  success_url=page_url("case", case.pk), template="assistance/case_detail.html",
                  context=_case_context(a, case, failed=(name, form)))


@login_required
@require_POST
def finding_resolve(request, pk: int):
    a = actor(request)
    finding = selectors.discrepancy_get(a, pk=pk)
    form = forms.FindingResolveForm(request.POST)
    if finding.case_id:
        url, template = page_url("case", finding.case_id), "assistance/case_detail.html"
        context = _case_context(a, finding.case, failed=("finding", form))
    else:
        url = page_url("verification", finding.run_id)
        template = "assistance/verification_detail.html"
        context = _verification_context(request, a, finding.run)
    return submit(request, form, lambda d: services.discrepancy_resolve(
        actor=a, discrepancy=finding, status=d["status"], resolution=d["resolution"],
        version=d["version"]), success_url=url, template=template, context=context)


@login_required
def office_apply(request):
    a = actor(request)
    selectors.apply_areas(a)
    form = forms.ApplicationForm(request.POST or None)
    if request.method != "POST":
        return render(request, "assistance/office_apply.html", {"form": form})
    return submit(request, form, lambda d: services.dibao_apply(
        actor=a, channel="office", **form.service_args(d))[0],
        success_url=lambda case: page_url("case", case.pk), template="assistance/office_apply.html")


@login_required
def approvals(request):
    a = actor(request)
    page = paginate(request, selectors.approval_queue(a))
    return render(request, "assistance/approvals.html", {
        "page": page, "rows": [(c, clocks.decision_clock(c)) for c in page],
        "today": timezone.localdate(), "query": query_without_page(request)})


@login_required
def verification_list(request):
    a = actor(request)
    return render(request, "assistance/verification_list.html",
                  {"page": paginate(request, selectors.verification_runs(a))})


def _verification_context(request, a, run) -> dict:
    return {"run": run, "page": paginate(request, selectors.discrepancies(a, run=run))}


@login_required
def verification_detail(request, pk: int):
    a = actor(request)
    run = selectors.verification_get(a, pk=pk)
    return render(request, "assistance/verification_detail.html",
                  _verification_context(request, a, run))
