"""Pages of primary care and insurance coverage: thin (parse with a form, call a service,
render)."""

from __future__ import annotations

import os
import tempfile

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.casework.workflow import timeline
from minsheng.core.access import require
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area
from minsheng.core.pages import actor, done, paginate, query_without_page, refused, submit
from minsheng.primarycare import clocks, forms, selectors, services
from minsheng.primarycare.models import Contract, Enrolment, Outreach, Referral
from minsheng.primarycare.permissions import (
    ALLIANCE,
    CONTRACT,
    COVERAGE,
    EXPORT,
    IMPORT,
    OUTREACH,
    REFER,
    VIEW,
)
from minsheng.primarycare.services.exports import GROUP_WORDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(name: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def home(request):
    a = actor(request)
    require(a, VIEW)
    coverage = selectors.contract_coverage(a)
    total = {"residents": sum(r["residents"] for r in coverage),
             "contracted": sum(r["contracted"] for r in coverage)}
    rates = selectors.insured_rates(a) if a.has(COVERAGE) else []
    insured = {k: sum(r[k] for r in rates) for k in ("n", "pension", "medical", "uninsured")}
    return render(request, "primarycare/home.html", {
        "coverage": coverage, "total": total, "rates": rates, "insured": insured,
        "groups": GROUP_WORDS, "can_coverage": a.has(COVERAGE)})


# ---------------------------------------------------------------- teams and alliances
@login_required
def teams(request):
    a = actor(request)
    require(a, VIEW)
    form = forms.TeamForm(request.POST or None)
    context = {"teams": selectors.teams(a).order_by("area__code", "name"),
               "alliances": selectors.alliances(a), "can_team": a.has(CONTRACT),
               "can_alliance": a.has(ALLIANCE),
               "clinics": selectors.facilities(a, "clinic"),
               "communities": selectors.communities(a, CONTRACT),
               "alliance_form": forms.AllianceForm(facilities=selectors.facilities(a))}
    if request.method != "POST":
        return render(request, "primarycare/teams.html", {**context, "form": form})

    def create(d):
        clinic = selectors.facilities(a, "clinic").filter(pk=d["clinic"]).first()
        if clinic is None:
            raise ValidationFailed(_("A family-doctor team belongs to a community health "
                                     "centre"), field="clinic")
        area = _area(a, d["area"], CONTRACT)
        return services.team_create(actor=a, name=d["name"], clinic=clinic, area=area,
                                    leader=d["leader"])

    return submit(request, form, create, success_url=reverse("primarycare:teams"),
                  template="primarycare/teams.html", context=context,
                  message=_("Team created"))


def _area(a, pk, permission) -> Area:
    area = selectors.communities(a, permission).filter(pk=pk).first()
    if area is None:
        raise ValidationFailed(_("Choose a community in your area"), field="area")
    return area


@login_required
@require_POST
def alliance_new(request):
    a = actor(request)
    require(a, ALLIANCE)
    facilities = selectors.facilities(a)
    form = forms.AllianceForm(request.POST, facilities=facilities)

    def create(d):
        lead = facilities.filter(pk=d["lead"]).first()
        if lead is None:
            raise ValidationFailed(_("Choose the lead hospital"), field="lead")
        return services.alliance_create(actor=a, name=d["name"], lead=lead,
                                        members=list(facilities.filter(pk__in=d["members"])))

    context = {"teams": selectors.teams(a), "alliances": selectors.alliances(a),
               "can_team": a.has(CONTRACT), "can_alliance": True, "form": forms.TeamForm(),
               "clinics": selectors.facilities(a, "clinic"),
               "communities": selectors.communities(a, CONTRACT)}
    if not form.is_valid():
        return refused(request, form, "primarycare/teams.html",
                       {**context, "alliance_form": form})
    return submit(request, form, create, success_url=reverse("primarycare:teams"),
                  template="primarycare/teams.html",
                  context={**context, "alliance_form": form}, message=_("Alliance created"))


# ---------------------------------------------------------------- contracts
@login_required
def contracts(request):
    a = actor(request)
    require(a, VIEW)
    f = forms.ContractFilter(request.GET or {"state": "active"}).values()
    qs = selectors.contract_list(a, state=f["state"], group=f["group"],
                                 expiring=f["expiring"])
    if request.GET.get("format") == "xlsx":
        response = _xlsx("contracts")
        services.contracts_export(actor=a, contracts=qs, target=response)
        return response
    page = paginate(request, qs)
    return render(request, "primarycare/contracts.html", {
        "page": page, "f": f, "states": list(Contract.workflow.states.items()),
        "groups": GROUP_WORDS, "query": query_without_page(request),
        "can_sign": a.has(CONTRACT), "can_export": a.has(EXPORT)})


@login_required
def contract_new(request):
    a = actor(request)
    require(a, CONTRACT)
    form = forms.ContractForm(request.POST or None)
    context = {"teams": selectors.teams(a, CONTRACT).filter(active=True)}
    if request.method != "POST":
        return render(request, "primarycare/contract_new.html", {**context, "form": form})

    def sign(d):
        person = selectors.person_by_id_number(a, d["id_number"].strip().upper(), CONTRACT)
        team = selectors.team_get(a, d["team"])
        return services.contract_sign(actor=a, person=person, team=team,
                                      package=d["package"], start_date=d["start_date"],
                                      declared_groups=d["declared_groups"])

    return submit(request, form, _not_found_on(sign, "id_number"),
                  success_url=lambda c: reverse("primarycare:contract", args=[c.pk]),
                  template="primarycare/contract_new.html", context=context,
                  message=_("Contract signed"))


def _not_found_on(action, field):
    """A resident (or team) outside the actor's area is refused on the form's field, input
    kept, without saying whether it exists elsewhere."""
    def run(d):
        try:
            return action(d)
        except NotFound:
            raise ValidationFailed(_("No resident with this ID number in your area"),
                                   field=field) from None
    return run


def _contract_context(a, contract, failed=None):
    actions = Contract.workflow.allowed(a, contract)
    forms_by = {"renew": forms.ContractRenewForm(initial={"version": contract.version,
                                                          "package": contract.package}),
                "terminate": forms.ContractTerminateForm(initial={"version": contract.version})}
    if failed:
        forms_by[failed[0]] = failed[1]
    return {"contract": contract, "id_masked": mask(contract.person.id_number),
            "groups": [GROUP_WORDS.get(g, g) for g in contract.key_groups],
            "actions": [(t, forms_by[t.name]) for t in actions if t.name in forms_by],
            "clocks": [clocks.renewal(contract)], "events": timeline(contract)}


@login_required
def contract_detail(request, pk: int):
    a = actor(request)
    contract = selectors.contract_detail(a, pk)
    return render(request, "primarycare/contract.html", _contract_context(a, contract))


@login_required
@require_POST
def contract_act(request, pk: int, name: str):
    a = actor(request)
    contract = selectors.contract_detail(a, pk)
    if name == "renew":
        form = forms.ContractRenewForm(request.POST)

        def call(d):
            return services.contract_renew(actor=a, contract=contract, version=d["version"],
                                           package=d["package"])
    elif name == "terminate":
        form = forms.ContractTerminateForm(request.POST)

        def call(d):
            return services.contract_terminate(actor=a, contract=contract,
                                               version=d["version"], reason=d["reason"])
    else:
        raise NotFound()
    return submit(request, form, call,
                  success_url=lambda c: reverse("primarycare:contract", args=[c.pk]),
                  template="primarycare/contract.html",
                  context=_contract_context(a, contract, failed=(name, form)),
                  message=_("Saved"))


# ---------------------------------------------------------------- referrals
@login_required
def referrals(request):
    a = actor(request)
    require(a, VIEW)
    box = request.GET.get("box", "")
    box = box if box in ("incoming", "outgoing") else ""
    state = request.GET.get("state", "open")
    state = state if state in ("open", "", *Referral.workflow.states) else "open"
    page = paginate(request, selectors.referral_list(a, box=box, state=state))
    now = timezone.now()
    rows = [(r, clocks.acknowledgement(r).status(now)) for r in page]
    return render(request, "primarycare/referrals.html", {
        "page": page, "rows": rows, "box": box, "state": state,
        "states": list(Referral.workflow.states.items()), "query": query_without_page(request),
        "can_refer": a.has(REFER)})


@login_required
def referral_new(request):
    a = actor(request)
    require(a, REFER)
    form = forms.ReferralForm(request.POST or None)
    context = {"facilities": selectors.facilities(a)}
    if request.method != "POST":
        return render(request, "primarycare/referral_new.html", {**context, "form": form})

    def send(d):
        person = selectors.person_by_id_number(a, d["id_number"].strip().upper(), VIEW)
        facilities = selectors.facilities(a)
        source = facilities.filter(pk=d["from_facility"]).first()
        target = facilities.filter(pk=d["to_facility"]).first()
        if source is None:
            raise ValidationFailed(_("Choose the referring facility"), field="from_facility")
        if target is None:
            raise ValidationFailed(_("Choose the receiving facility"), field="to_facility")
        return services.referral_send(actor=a, person=person, from_facility=source,
                                      to_facility=target, direction=d["direction"],
                                      urgency=d["urgency"], reason=d["reason"])

    return submit(request, form, _not_found_on(send, "id_number"),
                  success_url=lambda r: reverse("primarycare:referral", args=[r.pk]),
                  template="primarycare/referral_new.html", context=context,
                  message=_("Referral sent"))


def _referral_context(a, referral, failed=None):
    actions = Referral.workflow.allowed(a, referral)
    form = failed[1] if failed else forms.ReferralActForm(initial={"version": referral.version})
    return {"referral": referral, "id_masked": mask(referral.person.id_number),
            "actions": actions, "form": form, "failed": failed[0] if failed else "",
            "clocks": [clocks.acknowledgement(referral)], "events": timeline(referral)}


@login_required
def referral_detail(request, pk: int):
    a = actor(request)
    referral = selectors.referral_detail(a, pk)
    return render(request, "primarycare/referral.html", _referral_context(a, referral))


@login_required
@require_POST
def referral_act(request, pk: int, name: str):
    a = actor(request)
    referral = selectors.referral_detail(a, pk)
    if name not in ("acknowledge", "decline", "complete"):
        raise NotFound()
    form = forms.ReferralActForm(request.POST)

    def call(d):
        kw = {"actor": a, "referral": referral, "version": d["version"]}
        if name == "acknowledge":
            return services.referral_acknowledge(**kw)
        if name == "decline":
            return services.referral_decline(**kw, reason=d["reason"])
        return services.referral_complete(**kw, outcome=d["outcome"])

    return submit(request, form, call,
                  success_url=reverse("primarycare:referral", args=[referral.pk]),
                  template="primarycare/referral.html",
                  context=_referral_context(a, referral, failed=(name, form)),
                  message=_("Saved"))


# ---------------------------------------------------------------- insurance coverage
@login_required
def coverage(request):
    a = actor(request)
    require(a, COVERAGE)
    rates = selectors.insured_rates(a)
    return render(request, "primarycare/coverage.html", {
        "rates": rates, "imports": selectors.imports(a)[:10] if a.has(IMPORT) else [],
        "probable": selectors.probable_links(a).count() if a.has(IMPORT) else 0,
        "can_import": a.has(IMPORT), "import_form": forms.ImportForm()})


@login_required
def uninsured(request):
    a = actor(request)
    require(a, COVERAGE)
    f = forms.UninsuredFilter(request.GET).values()
    area = selectors.communities(a, COVERAGE).filter(pk=f["area"]).first() \
        if f["area"] else None
    qs = selectors.uninsured(a, area=area, missing=f["missing"])
    if request.GET.get("format") == "xlsx":
        response = _xlsx("uninsured")
        services.uninsured_export(actor=a, people=qs, target=response)
        return response
    page = paginate(request, qs)
    rows = [(p, mask(p.id_number)) for p in page]
    return render(request, "primarycare/uninsured.html", {
        "page": page, "rows": rows, "f": f, "communities": selectors.communities(a, COVERAGE),
        "missing_choices": Outreach.Missing.choices, "query": query_without_page(request),
        "can_outreach": a.has(OUTREACH), "can_export": a.has(EXPORT)})


@login_required
@require_POST
def enrolments_import(request):
    a = actor(request)
    require(a, IMPORT)
    form = forms.ImportForm(request.POST, request.FILES)
    context = {"rates": selectors.insured_rates(a), "imports": selectors.imports(a)[:10],
               "probable": selectors.probable_links(a).count(), "can_import": True}
    errors = []

    def run(d):
        upload = d["file"]
        suffix = os.path.splitext(upload.name)[1].lower()[:6] or ".csv"
        with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
        try:
            return services.enrolments_import(actor=a, path=tmp.name, as_of=d["as_of"],
                                              file_name=upload.name)
        except ValidationFailed as error:
            errors.extend((error.details or {}).get("rows", []))
            raise
        finally:
            os.unlink(tmp.name)

    response = submit(request, form, run, success_url=reverse("primarycare:coverage"),
                      template="primarycare/coverage.html",
                      context={**context, "row_errors": errors},
                      message=_("Extract imported"))
    return response


@login_required
def links(request):
    a = actor(request)
    require(a, IMPORT)
    page = paginate(request, selectors.probable_links(a))
    rows = [(e, mask(e.id_number), mask(e.candidate.id_number)) for e in page]
    return render(request, "primarycare/links.html", {"page": page, "rows": rows,
                                                       "query": query_without_page(request)})


@login_required
@require_POST
def link_decide(request, pk: int):
    a = actor(request)
    enrolment = selectors.enrolment_get(a, pk)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Confirm or reject"))
    services.enrolment_decide(actor=a, enrolment=enrolment, accept=form.cleaned_data["accept"])
    return done(request, reverse("primarycare:links"),
                _("Link confirmed") if form.cleaned_data["accept"] else _("Link rejected"))


@login_required
def outreach(request):
    a = actor(request)
    require(a, COVERAGE)
    state = request.GET.get("state", "open")
    state = state if state in ("open", "", *Outreach.workflow.states) else "open"
    page = paginate(request, selectors.outreach_list(a, state=state))
    rows = [(c, clocks.outreach_contact(c).status()) for c in page]
    return render(request, "primarycare/outreach_list.html", {
        "page": page, "rows": rows, "state": state,
        "states": list(Outreach.workflow.states.items()), "query": query_without_page(request)})


@login_required
@require_POST
def outreach_new(request):
    a = actor(request)
    require(a, OUTREACH)
    form = forms.OutreachOpenForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Choose the resident and the missing cover"))
    try:
        person = selectors.person_by_id_number(a, form.cleaned_data["id_number"], OUTREACH)
    except NotFound:
        raise ValidationFailed(_("No resident with this ID number in your area")) from None
    case = services.outreach_open(actor=a, person=person, missing=form.cleaned_data["missing"])
    return done(request, reverse("primarycare:outreach_case", args=[case.pk]),
                _("Outreach case opened"))


def _outreach_context(a, case, failed=None):
    form = failed[1] if failed else forms.OutreachActForm(initial={"version": case.version})
    return {"case": case, "id_masked": mask(case.person.id_number),
            "actions": Outreach.workflow.allowed(a, case), "form": form,
            "failed": failed[0] if failed else "",
            "enrolments": selectors.person_enrolments(a, case.person),
            "schemes": Enrolment.Scheme.choices, "reasons": Outreach.Reason.choices,
            "clocks": [clocks.outreach_contact(case)], "events": timeline(case)}


@login_required
def outreach_case(request, pk: int):
    a = actor(request)
    case = selectors.outreach_detail(a, pk)
    return render(request, "primarycare/outreach.html", _outreach_context(a, case))


@login_required
@require_POST
def outreach_act(request, pk: int, name: str):
    a = actor(request)
    case = selectors.outreach_detail(a, pk)
    if name not in ("contact", "enrol", "close"):
        raise NotFound()
    form = forms.OutreachActForm(request.POST)

    def call(d):
        kw = {"actor": a, "case": case, "version": d["version"]}
        if name == "contact":
            return services.outreach_contact(**kw, note=d["note"], on=d["on"])
        if name == "enrol":
            if not d["start_date"]:
                raise ValidationFailed(_("Give the enrolment date"), field="start_date")
            return services.outreach_enrol(**kw, scheme=d["scheme"],
                                           start_date=d["start_date"])
        return services.outreach_close(**kw, reason=d["reason"], note=d["note"])

    return submit(request, form, call,
                  success_url=reverse("primarycare:outreach_case", args=[case.pk]),
                  template="primarycare/outreach.html",
                  context=_outreach_context(a, case, failed=(name, form)), message=_("Saved"))
