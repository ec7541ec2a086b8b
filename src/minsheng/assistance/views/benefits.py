"""After approval: the re-review calendar, the households receiving dibao and their
benefit page (exit, fraud, refused jobs, triggered reviews), monthly payment rosters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.assistance import forms, selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.permissions import APPLY, MANAGE, PAY
from minsheng.assistance.views.base import orphan, page_url
from minsheng.assistance.workflows import BENEFIT
from minsheng.casework.workflow import timeline
from minsheng.core import dates
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pages import actor, done, paginate, query_without_page, submit
from minsheng.core.spreadsheets import xlsx_response


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
    return done(request, page_url("reviews"), _("%(opened)d review case(s) opened") % result)


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
            "orphan": orphan(failed, rendered),
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

    return submit(request, form, call, success_url=page_url("benefit", benefit.pk),
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

    return submit(request, form, create, success_url=lambda r: page_url("roster", r.pk),
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
        success_url=page_url("roster", line.roster_id), template="assistance/roster.html",
        context=_roster_context(request, a, line.roster, failed=(line.pk, form)))


@login_required
def roster_xlsx(request, pk: int):
    a = actor(request)
    roster = selectors.roster_get(a, pk=pk)
    response = xlsx_response(f"roster-{roster.pk}.xlsx")
    services.roster_write_xlsx(actor=a, roster=roster, target=response)
    return response
