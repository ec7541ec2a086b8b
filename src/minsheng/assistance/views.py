"""Social assistance pages. Thin: a Django form parses the input, a service writes
(core.pages.submit: a refusal is shown in place with the input kept), selectors read."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.assistance import eligibility, forms, selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.labels import ADL_LABELS, CARE_LABELS, DISABILITY_LABELS
from minsheng.assistance.models import DibaoCase, TekunCase, TemporaryGrant
from minsheng.assistance.permissions import APPLY, DECIDE, MANAGE, PAY
from minsheng.assistance.services import clocks
from minsheng.assistance.workflows import BENEFIT
from minsheng.casework.workflow import timeline
from minsheng.core import dates
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pages import actor, done, paginate, query_without_page, submit


def _url(name: str, *args) -> str:
    return reverse(f"assistance:{name}", args=args)


def _person_in_scope(a, id_number: str, field: str):
    """A resident looked up for a form: an unknown number and one outside the area are
    the same refusal, on the field (never an error page, never an existence oracle)."""
    try:
        return selectors.person_by_id_number(a, id_number=id_number, permission=APPLY)
    except NotFound as error:
        raise ValidationFailed(error.message, field=field) from None


# ------------------------------------------------------------------ public portal
def public_apply(request):
    form = forms.ApplicationForm(request.POST or None)
    if request.method != "POST":
        return render(request, "assistance/public_apply.html", {"form": form})

    def apply(data):
        case, _created = services.dibao_apply(actor=request.user, channel="online",
                                              **form.service_args(data))
        request.session["assistance_applied"] = case.reference
        return case

    return submit(request, form, apply, success_url=_url("applied"),
                  template="assistance/public_apply.html")


def public_applied(request):
    """After a portal application (post, redirect, get): the reference to keep."""
    reference = request.session.get("assistance_applied")
    if not reference:
        return redirect("assistance:apply")
    return render(request, "assistance/public_applied.html", {"reference": reference})


def public_status(request):
    """The applicant's status lookup: posted (the ID number stays out of URLs and logs)."""
    form = forms.PublicStatusForm(request.POST or None,
                                  initial={"reference": request.GET.get("reference", "")[:16]})
    case, status = None, 200
    if request.method == "POST":
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


def _orphan(failed, rendered: set):
    """A refused form whose place is not on the page (an action not offered in this
    state): its message is shown above the actions instead."""
    return failed[1] if failed and failed[0] not in rendered else None


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
        "orphan": _orphan(failed, rendered),
        "members": SimpleLazyObject(lambda: [(m, mask(m.person.id_number))
                                             for m in selectors.case_members(a, case)]),
        "steps": selectors.case_steps(a, case, events), "events": events,
        "findings": SimpleLazyObject(lambda: list(selectors.discrepancies(a, case=case))),
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
                  success_url=_url("case", case.pk), template="assistance/case_detail.html",
                  context=_case_context(a, case, failed=(name, form)))


@login_required
@require_POST
def finding_resolve(request, pk: int):
    a = actor(request)
    finding = selectors.discrepancy_get(a, pk=pk)
    form = forms.FindingResolveForm(request.POST)
    if finding.case_id:
        url, template = _url("case", finding.case_id), "assistance/case_detail.html"
        context = _case_context(a, finding.case, failed=("finding", form))
    else:
        url, template = _url("verification", finding.run_id), "assistance/verification_detail.html"
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
        success_url=lambda case: _url("case", case.pk), template="assistance/office_apply.html")


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


# ------------------------------------------------------------------ reviews and benefits
@login_required
def reviews(request):
    a = actor(request)
    today = timezone.localdate()
    until = dates.add_months(today, 3)
    page = paginate(request, selectors.reviews_due(a, until=until))
    months: dict = {}
    for b in page:
        months.setdefault(dates.month_start(b.next_review_due), []).append(b)
    return render(request, "assistance/reviews.html", {
        "months": sorted(months.items()), "page": page, "today": today, "until": until,
        "query": query_without_page(request), "can_apply": a.has(APPLY)})


@login_required
@require_POST
def reviews_open(request):
    a = actor(request)
    result = services.reviews_open(actor=a, until=dates.add_months(timezone.localdate(), 1))
    return done(request, _url("reviews"), _("%(opened)d review case(s) opened") % result)


@login_required
def benefit_list(request):
    a = actor(request)
    f = forms.BenefitFilter(request.GET).values()
    state = "" if f["state"] == "all" else f["state"]
    page = paginate(request, selectors.benefit_list(a, state=state, q=f["q"]))
    return render(request, "assistance/benefits.html", {
        "page": page, "state": f["state"], "q": f["q"], "query": query_without_page(request),
        "states": list(BENEFIT.states.items())})


BENEFIT_ACTIONS = {
    "exit": forms.BenefitExitForm, "review_trigger": forms.ReviewTriggerForm,
    "fraud": forms.FraudRecoveryForm, "job_refusal": forms.JobRefusalForm,
}


def _benefit_context(a, benefit, failed=None) -> dict:
    def form(name):
        if failed and failed[0] == name:
            return failed[1]
        return BENEFIT_ACTIONS[name](initial={"version": benefit.version})

    can_manage = a.covers(MANAGE, benefit.area)
    can_apply = a.covers(APPLY, benefit.area) and benefit.state != "exited"
    members = selectors.benefit_members(a, benefit)
    rendered = set()
    if can_apply:
        rendered.add("review_trigger")
    if can_manage:
        rendered |= {"fraud"} | ({"exit"} if benefit.state != "exited" else set())
    failed_member = None
    if failed and failed[0] == "job_refusal":
        failed_member = str(failed[1].data.get("member", ""))
        if can_apply and any(str(m.pk) == failed_member and not m.share_removed_on
                             for m in members):
            rendered.add("job_refusal")
    return {"b": benefit, "members": members, "failed_member": failed_member,
            "orphan": _orphan(failed, rendered),
            "recoveries": selectors.benefit_recoveries(a, benefit),
            "events": timeline(benefit), "account": mask(benefit.bank_account, 0, 4),
            "payee_id": mask(benefit.payee.id_number),
            "forms": {name: form(name) for name in BENEFIT_ACTIONS},
            "failed": failed[0] if failed else "",
            "can_manage": can_manage, "can_apply": can_apply,
            "current": benefit.state != "exited",
            "refusals_limit": setting("JOB_OFFER_REFUSALS"),
            "gradual_months": setting("GRADUAL_EXIT_MONTHS"),
            "fine_factors": setting("FRAUD_FINE_FACTORS"),
            "triggered_months": setting("REVIEW_MONTHS_TRIGGERED")}


@login_required
def benefit_detail(request, pk: int):
    a = actor(request)
    benefit = selectors.benefit_detail(a, pk=pk)
    return render(request, "assistance/benefit.html", _benefit_context(a, benefit))


@login_required
@require_POST
def benefit_act(request, pk: int, name: str):
    a = actor(request)
    benefit = selectors.benefit_get(a, pk=pk)
    if name not in BENEFIT_ACTIONS:
        raise NotFound()
    form = BENEFIT_ACTIONS[name](request.POST)

    def call(d):
        if name == "exit":
            return services.benefit_exit(actor=a, benefit=benefit, version=d["version"],
                                         reason=d["reason"], gradual=d["gradual"])
        if name == "review_trigger":
            return services.review_trigger(actor=a, benefit=benefit, version=d["version"],
                                           reason=d["reason"])
        if name == "fraud":
            return services.fraud_recovery_record(actor=a, benefit=benefit,
                                                  amount=d["amount"],
                                                  fine_factor=d["fine_factor"],
                                                  note=d["note"])
        try:
            member = selectors.benefit_member_get(a, benefit, pk=d["member"])
        except NotFound:
            raise ValidationFailed(_("Not a member of this household's benefit"),
                                   field="member") from None
        return services.job_offer_refusal_record(actor=a, member=member, job=d["job"])

    return submit(request, form, call, success_url=_url("benefit", benefit.pk),
                  template="assistance/benefit.html",
                  context=_benefit_context(a, benefit, failed=(name, form)))


# ------------------------------------------------------------------ payments
def _payments_context(request, a, form=None) -> dict:
    areas = list(selectors.payment_areas(a))
    month = dates.next_month_start(timezone.localdate())
    return {"page": paginate(request, selectors.rosters(a)),
            "form": form or forms.RosterForm(areas=areas,
                                             initial={"month": f"{month:%Y-%m}"}),
            "can_pay": bool(areas)}


@login_required
def payments(request):
    a = actor(request)
    return render(request, "assistance/payments.html", _payments_context(request, a))


@login_required
@require_POST
def roster_create(request):
    a = actor(request)
    form = forms.RosterForm(request.POST, areas=selectors.payment_areas(a, strict=True))

    def create(d):
        area = selectors.area_for(a, code=d["area"], permission=PAY)
        return services.roster_create(actor=a, area=area, month=d["month"])

    return submit(request, form, create, success_url=lambda r: _url("roster", r.pk),
                  template="assistance/payments.html",
                  context=_payments_context(request, a, form))


def _roster_context(request, a, roster, failed=None) -> dict:
    can_pay = a.covers(PAY, roster.area)
    page = paginate(request, selectors.roster_lines(a, roster))
    rows = []
    for line in page:
        bound = failed[1] if failed and failed[0] == line.pk else None
        rows.append((line, mask(line.payee.id_number),
                     line.account if can_pay else mask(line.account, 0, 4),
                     bound or forms.PaymentReturnedForm(initial={"version": line.version})))
    return {"roster": roster, "page": page, "rows": rows, "can_pay": can_pay,
            "query": query_without_page(request)}


@login_required
def roster_detail(request, pk: int):
    a = actor(request)
    roster = selectors.roster_get(a, pk=pk)
    return render(request, "assistance/roster.html", _roster_context(request, a, roster))


@login_required
@require_POST
def payment_returned(request, pk: int):
    a = actor(request)
    line = selectors.roster_line_get(a, pk=pk)
    form = forms.PaymentReturnedForm(request.POST)
    return submit(request, form, lambda d: services.payment_returned(
        actor=a, line=line, reason=d["reason"], version=d["version"]),
        success_url=_url("roster", line.roster_id), template="assistance/roster.html",
        context=_roster_context(request, a, line.roster, failed=(line.pk, form)))


@login_required
def roster_xlsx(request, pk: int):
    a = actor(request)
    roster = selectors.roster_get(a, pk=pk)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="roster-{roster.pk}.xlsx"'
    services.roster_write_xlsx(actor=a, roster=roster, target=response)
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
    f = forms.TemporaryFilter(request.GET).values()
    state = f["state"] if f["state"] in ("open", "", *TemporaryGrant.workflow.states) \
        else "open"
    obligations = f["obligations"] == "open"
    page = paginate(request, selectors.temporary_list(a, kind=f["kind"], state=state,
                                                      open_obligations=obligations))
    today = timezone.localdate()
    rows = []
    for g in page:
        due = clocks.temporary_due(g)
        rows.append((g, due, g.closed_at is None and due < today))
    return render(request, "assistance/temporary_list.html", {
        "page": page, "rows": rows, "kind": f["kind"], "state": state,
        "obligations": obligations, "kinds": TemporaryGrant.Kind.choices,
        "states": list(TemporaryGrant.workflow.states.items()),
        "query": query_without_page(request),
        "open_obligations": selectors.temporary_list(a, open_obligations=True).count(),
        "can_apply": a.has(APPLY)})


@login_required
def temporary_level(request):
    """htmx: the approval level an amount needs (or why it cannot be granted)."""
    selectors.apply_areas(actor(request))
    level, error = None, None
    if request.GET.get("amount", "").strip():
        form = forms.AmountForm(request.GET)
        if not form.is_valid():
            error = _("Enter the amount")
        else:
            try:
                if form.cleaned_data["amount"] <= 0:
                    raise ValidationFailed(_("The amount must be positive"))
                level = eligibility.temporary_limit_level(form.cleaned_data["amount"])
            except ValidationFailed as exc:
                error = exc.message
    return render(request, "assistance/_temporary_level.html",
                  {"level": level, "error": error, "limits": _temporary_limits()})


@login_required
def temporary_new(request):
    a = actor(request)
    selectors.apply_areas(a)
    form = forms.TemporaryForm(request.POST or None)
    context = {"limits": _temporary_limits()}
    if request.method != "POST":
        return render(request, "assistance/temporary_new.html", {**context, "form": form})

    def create(d):
        applicant = _person_in_scope(a, d["applicant_id_number"], "applicant_id_number")
        grant = services.temporary_apply(
            actor=a, kind=d["kind"], applicant=applicant, cause=d["cause"],
            amount=d["amount"], description=d["description"],
            per_capita_income=d["per_capita_income"], override_reason=d["override_reason"],
            idempotency_key=d["idempotency_key"])
        if (d["grant_now"] and grant.kind == "emergency" and grant.state == "applied"
                and grant.approval_level == "subdistrict"):
            services.temporary_grant_now(actor=a, grant=grant)
        return grant

    return submit(request, form, create, success_url=lambda g: _url("temporary", g.pk),
                  template="assistance/temporary_new.html", context=context)


def _temporary_actions(a, grant) -> list:
    actions = TemporaryGrant.workflow.allowed(a, grant)
    if grant.approval_level == "district":  # above the subdistrict limit
        actions = [t for t in actions if t.name != "approve_subdistrict"]
    if grant.kind != "emergency" or grant.approval_level != "subdistrict":
        actions = [t for t in actions if t.name != "grant_emergency"]
    if grant.kind == "emergency":
        actions = [t for t in actions if t.name != "investigate"
                   or grant.approval_level != "subdistrict"]
    return actions


def _temporary_context(a, grant, failed=None) -> dict:
    def form(name):
        if failed and failed[0] == name:
            return failed[1]
        return forms.TemporaryActForm(initial={"version": grant.version})

    actions = _temporary_actions(a, grant)
    can_apply = a.covers(APPLY, grant.area)
    rendered = {t.name for t in actions} | ({"obligation"} if can_apply and grant.obligations
                                            and grant.state != "applied" else set())
    return {"grant": grant, "clocks": clocks.temporary_clocks(grant),
            "today": timezone.localdate(), "orphan": _orphan(failed, rendered),
            "actions": [(t, form(t.name)) for t in actions],
            "failed": failed[0] if failed else "", "failed_form": failed[1] if failed else None,
            "events": timeline(grant), "applicant_id": mask(grant.applicant.id_number),
            "limits": _temporary_limits(), "can_apply": can_apply}


@login_required
def temporary_detail(request, pk: int):
    a = actor(request)
    grant = selectors.temporary_detail(a, pk=pk)
    return render(request, "assistance/temporary_detail.html", _temporary_context(a, grant))


TEMPORARY_ACTIONS = ("grant_emergency", "obligation", "complete", "investigate", "approve",
                     "approve_subdistrict", "refuse")


@login_required
@require_POST
def temporary_act(request, pk: int, name: str):
    a = actor(request)
    grant = selectors.temporary_get(a, pk=pk)
    if name not in TEMPORARY_ACTIONS:
        raise NotFound()
    form = forms.TemporaryActForm(request.POST)

    def call(d):
        kw = {"actor": a, "grant": grant, "version": d["version"]}
        if name == "grant_emergency":
            return services.temporary_grant_now(**kw)
        if name == "obligation":
            return services.temporary_obligation_done(**kw, obligation=d["obligation"])
        if name == "complete":
            return services.temporary_complete(**kw)
        if name == "investigate":
            return services.temporary_investigate(**kw)
        return services.temporary_decide(**kw, approve=name != "refuse", note=d["note"])

    return submit(request, form, call, success_url=_url("temporary", grant.pk),
                  template="assistance/temporary_detail.html",
                  context=_temporary_context(a, grant, failed=(name, form)))


# ------------------------------------------------------------------ extreme-poverty support
def _tekun_rules() -> dict:
    return {"elder": setting("TEKUN_ELDER_AGE"), "minor": setting("TEKUN_MINOR_AGE"),
            "support_to": setting("TEKUN_SUPPORT_TO_AGE"),
            "standard": eligibility.standard(),
            "grades": [(DISABILITY_LABELS.get(k, k), "、".join(str(g) for g in v))
                       for k, v in setting("TEKUN_DISABILITY").items()]}


@login_required
def tekun_list(request):
    a = actor(request)
    f = forms.TekunFilter(request.GET).values()
    tab = f["tab"]
    today = timezone.localdate()
    state = f["state"] if f["state"] in ("open", "", *TekunCase.workflow.states) else "open"
    if tab == "supported":
        page = paginate(request, selectors.tekun_persons(a))
    elif tab == "reassess":
        page = paginate(request, selectors.tekun_persons(a, reassess=True))
    else:
        page = paginate(request, selectors.tekun_cases(a, state=state))
    return render(request, "assistance/tekun_list.html", {
        "page": page, "tab": tab, "today": today, "state": state,
        "states": list(TekunCase.workflow.states.items()), "query": query_without_page(request),
        "reassess_count": selectors.tekun_persons(a, reassess=True).count(),
        "can_apply": a.has(APPLY), "can_manage": a.has(MANAGE)})


@login_required
@require_POST
def tekun_check(request):
    """htmx: the recognition checks for the person and answers typed so far."""
    a = actor(request)
    selectors.apply_areas(a)
    form = forms.TekunCheckForm(request.POST)
    result, error = None, None
    if not form.is_valid():
        error = next(iter(e for errors in form.errors.values() for e in errors),
                     _("Check the figures"))
    else:
        d = form.cleaned_data
        try:
            result = selectors.tekun_recognition_preview(a, id_number=d["id_number"],
                                                         **form.recognition_args(d))
        except (ValidationFailed, NotFound) as exc:
            error = exc.message
    return render(request, "assistance/_tekun_checks.html",
                  {"r": result, "error": error, "rules": _tekun_rules()})


@login_required
def tekun_new(request):
    a = actor(request)
    selectors.apply_areas(a)
    form = forms.TekunForm(request.POST or None)
    context = {"rules": _tekun_rules()}
    if request.method != "POST":
        return render(request, "assistance/tekun_new.html", {**context, "form": form})

    def create(d):
        person = _person_in_scope(a, d["id_number"], "id_number")
        return services.tekun_apply(actor=a, person=person, **form.recognition_args(d),
                                    in_school=d["in_school"],
                                    support_mode=d["support_mode"] or "home")

    return submit(request, form, create, success_url=lambda case: _url("tekun", case.pk),
                  template="assistance/tekun_new.html", context=context)


def _tekun_context(a, case, failed=None) -> dict:
    today = timezone.localdate()

    def form(name):
        if failed and failed[0] == name:
            return failed[1]
        return forms.StepForm(initial={"version": case.version})

    allowed = TekunCase.workflow.allowed(a, case)
    return {"case": case, "r": case.recognition, "clocks": clocks.tekun_clocks(case, today),
            "actions": [(t, form(t.name)) for t in allowed],
            "orphan": _orphan(failed, {t.name for t in allowed}),
            "failed": failed[0] if failed else "",
            "events": timeline(case), "person_id": mask(case.person.id_number),
            "support": selectors.tekun_person_for_case(a, case), "today": today,
            "disability": DISABILITY_LABELS.get(case.disability_kind, case.disability_kind)}


@login_required
def tekun_detail(request, pk: int):
    a = actor(request)
    case = selectors.tekun_case_detail(a, pk=pk)
    return render(request, "assistance/tekun_detail.html", _tekun_context(a, case))


@login_required
@require_POST
def tekun_act(request, pk: int, name: str):
    a = actor(request)
    case = selectors.tekun_case_get(a, pk=pk)
    if name not in TekunCase.workflow.transitions:
        raise NotFound()
    form = forms.StepForm(request.POST)
    return submit(request, form, lambda d: services.tekun_step(
        actor=a, case=case, name=name, version=d["version"]),
        success_url=_url("tekun", case.pk), template="assistance/tekun_detail.html",
        context=_tekun_context(a, case, failed=(name, form)))


TEKUN_PERSON_FORMS = {"adl": forms.AdlForm, "change": forms.ChangeReportForm,
                      "end": forms.SupportEndForm}


def _tekun_person_context(a, tekun, failed=None) -> dict:
    def form(name):
        if failed and failed[0] == name:
            return failed[1]
        return TEKUN_PERSON_FORMS[name](initial={"version": tekun.version})

    active = tekun.state == "active"
    can_apply = active and a.covers(APPLY, tekun.area)
    can_manage = active and a.covers(MANAGE, tekun.area)
    rendered = ({"adl", "change"} if can_apply else set()) | ({"end"} if can_manage else set())
    return {"t": tekun, "orphan": _orphan(failed, rendered),
            "person_id": mask(tekun.person.id_number),
            "today": timezone.localdate(), "assessments": selectors.adl_assessments(a, tekun),
            "activities": list(ADL_LABELS.items()), "care_labels": CARE_LABELS,
            "forms": {name: form(name) for name in TEKUN_PERSON_FORMS},
            "failed": failed[0] if failed else "", "events": timeline(tekun),
            "reassess_days": setting("TEKUN_REASSESS_WORKING_DAYS"),
            "can_apply": can_apply, "can_manage": can_manage}


@login_required
def tekun_person(request, pk: int):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    return render(request, "assistance/tekun_person.html", _tekun_person_context(a, tekun))


def _tekun_person_post(request, pk: int, name: str, call, message=None):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    form = TEKUN_PERSON_FORMS[name](request.POST)
    return submit(request, form, lambda d: call(a, tekun, d),
                  success_url=_url("tekun_person", tekun.pk),
                  template="assistance/tekun_person.html",
                  context=_tekun_person_context(a, tekun, failed=(name, form)),
                  message=message)


@login_required
@require_POST
def tekun_adl(request, pk: int):
    return _tekun_person_post(request, pk, "adl", lambda a, tekun, d: services.adl_assess(
        actor=a, tekun=tekun, failed=d["failed"], version=d["version"]),
        message=_("Self-care assessment recorded"))


@login_required
@require_POST
def tekun_change(request, pk: int):
    return _tekun_person_post(request, pk, "change", lambda a, tekun, d:
                              services.tekun_change_reported(actor=a, tekun=tekun,
                                                             note=d["note"],
                                                             version=d["version"]))


@login_required
@require_POST
def tekun_end(request, pk: int):
    return _tekun_person_post(request, pk, "end", lambda a, tekun, d:
                              services.tekun_support_end(actor=a, support=tekun,
                                                         reason=d["reason"],
                                                         version=d["version"]))


# ------------------------------------------------------------------ spot checks
def _spot_check_context(request, a, form=None) -> dict:
    today = timezone.localdate()
    last_month = dates.month_start(today) - datetime.timedelta(days=1)
    areas = list(selectors.spot_check_areas(a))
    return {"page": paginate(request, selectors.spot_checks(a)),
            "form": form or forms.SpotCheckForm(areas=areas, initial={
                "start": dates.month_start(last_month), "end": last_month}),
            "can_draw": bool(areas), "share_pct": round(setting("SPOT_CHECK_SHARE") * 100)}


@login_required
def spot_check_list(request):
    a = actor(request)
    return render(request, "assistance/spot_checks.html", _spot_check_context(request, a))


@login_required
@require_POST
def spot_check_create(request):
    a = actor(request)
    form = forms.SpotCheckForm(request.POST, areas=selectors.spot_check_areas(a, strict=True))

    def create(d):
        area = selectors.area_for(a, code=d["area"], permission=MANAGE)
        return services.spot_check_draw(actor=a, area=area, start=d["start"], end=d["end"],
                                        seed=d["seed"])

    return submit(request, form, create, success_url=lambda r: _url("spot_check", r.pk),
                  template="assistance/spot_checks.html",
                  context=_spot_check_context(request, a, form))


@login_required
def spot_check_detail(request, pk: int):
    a = actor(request)
    record = selectors.spot_check_get(a, pk=pk)
    return render(request, "assistance/spot_check.html", {
        "d": record, "cases": selectors.spot_check_cases(a, record),
        "reproduced": selectors.spot_check_reproduced(a, record),
        "share_pct": round(record.share * 100),
        "drawn_pct": (round(100 * len(record.drawn) / len(record.population), 1)
                      if record.population else 0)})

