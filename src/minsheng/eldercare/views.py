"""Eldercare pages: thin views that parse with a form, call a service and render."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
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
from minsheng.eldercare import forms as F
from minsheng.eldercare import permissions as P
from minsheng.eldercare import selectors
from minsheng.eldercare.models import PaymentList
from minsheng.eldercare.services import allowances as allowance_svc
from minsheng.eldercare.services import deaths as death_svc
from minsheng.eldercare.services import institutions as inst_svc
from minsheng.eldercare.services import payments as pay_svc
from minsheng.eldercare.services import stays as stay_svc


def url(name: str, *args) -> str:
    return reverse(f"eldercare:{name}", args=args)


def _person(a, id_number: str, permission: str):
    """An unknown number and one outside the actor's area are the same refusal, on the
    field (never an existence oracle)."""
    try:
        return selectors.person_by_id_number(a, id_number=id_number, permission=permission)
    except NotFound:
        raise ValidationFailed(_("No resident with this ID number in your area."),
                               field="id_number") from None


# --- figures and institutions -----------------------------------------------------------

@login_required
def home(request):
    """The bed figures on any date, per institution; ?area=&on= is where the plan's beds
    figure opens (the institutions behind it)."""
    a = actor(request)
    form = F.FiguresForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    on = data.get("on") or today
    area = selectors.area_get(a, pk=data["area"]) if data.get("area") else None
    context = selectors.figures(a, on=on, area=area)
    context.update(form=form, months=selectors.figures_by_month(a, months=12, end=on,
                                                                area=area),
                   can_register=a.has(P.INSTITUTIONS), can_people=a.has(P.VIEW_PEOPLE),
                   counts=selectors.allowance_counts(a) if a.has(P.VIEW_PEOPLE) else [])
    return render(request, "eldercare/home.html", context)


@login_required
def institution_new(request):
    a = actor(request)
    choices = selectors.organizations_to_register(a)
    context = {"organizations": choices}
    if request.method != "POST":
        return render(request, "eldercare/institution_new.html",
                      {**context, "form": F.InstitutionRegisterForm(initial={"star_rating": 0})})
    form = F.InstitutionRegisterForm(request.POST)

    def register(d):
        try:
            organization = selectors.organization_get(a, pk=d.pop("organization"))
        except NotFound:
            raise ValidationFailed(_("Choose an elderly-care organization of your area."),
                                   field="organization") from None
        return inst_svc.institution_register(actor=a, organization=organization, **d)

    return submit(request, form, register, success_url=lambda i: url("institution", i.pk),
                  template="eldercare/institution_new.html", context=context,
                  message=_("Institution registered."))


def _institution_context(a, inst, on, bound=None):
    bound = bound or {}
    can_beds = a.covers(P.INSTITUTIONS, inst.area)
    can_admit = a.covers(P.ADMIT, inst.area)
    fig = selectors.figures(a, on=on, area=None)
    row = next((f for i, f in fig["rows"] if i.pk == inst.pk), None)
    return {"institution": inst, "on": on, "beds": selectors.beds_on(a, institution=inst,
                                                                     on=on),
            "fig": row, "can_beds": can_beds, "can_admit": can_admit,
            "free": list(selectors.free_beds(a, institution=inst, on=on)) if can_admit else [],
            "bed_form": bound.get("bed") or F.BedAddForm(initial={"valid_from": on}),
            "admit_form": bound.get("admit") or F.AdmitForm(initial={"admitted_on": on}),
            "edit_form": bound.get("edit") or F.InstitutionEditForm(initial={
                "version": inst.version, "ownership": inst.ownership,
                "licence_no": inst.licence_no, "filed_on": inst.filed_on,
                "star_rating": inst.star_rating})}


@login_required
def institution_detail(request, pk: int):
    a = actor(request)
    inst = selectors.institution_get(a, pk=pk)
    form = F.FiguresForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    return render(request, "eldercare/institution.html", _institution_context(a, inst, on))


@login_required
@require_POST
def institution_post(request, pk: int, what: str):
    a = actor(request)
    inst = selectors.institution_get(a, pk=pk)
    on = timezone.localdate()
    if what == "bed":
        form = F.BedAddForm(request.POST)
        action = lambda d: inst_svc.bed_add(actor=a, institution=inst, **d)  # noqa: E731
        message = _("Bed added.")
    elif what == "admit":
        form = F.AdmitForm(request.POST)

        def action(d):
            person = _person(a, d["id_number"], P.VIEW_PEOPLE)
            try:
                bed = selectors.bed_get(a, pk=d["bed"], permission=P.ADMIT)
            except NotFound:
                raise ValidationFailed(_("Choose a bed of this institution."),
                                       field="bed") from None
            if bed.institution_id != inst.pk:
                raise ValidationFailed(_("Choose a bed of this institution."), field="bed")
            return stay_svc.stay_admit(actor=a, person=person, bed=bed,
                                       admitted_on=d["admitted_on"])
        message = _("Resident admitted.")
    elif what == "edit":
        form = F.InstitutionEditForm(request.POST)
        action = lambda d: inst_svc.institution_update(actor=a, institution=inst, **d)  # noqa
        message = _("Institution saved.")
    else:
        raise Http404
    return submit(request, form, action, success_url=url("institution", inst.pk),
                  template="eldercare/institution.html",
                  context=_institution_context(a, inst, on, {what: form}), message=message)


@login_required
def bed_detail(request, pk: int):
    a = actor(request)
    bed = selectors.bed_get(a, pk=pk)
    context = {"bed": bed, **selectors.bed_history(a, bed=bed),
               "can_change": a.covers(P.INSTITUTIONS, bed.institution.area)}
    current = context["periods"][0] if context["periods"] else None
    if request.method != "POST":
        context["form"] = F.BedChangeForm(initial={
            "on": timezone.localdate(), "bed_type": current and current.bed_type,
            "status": current and current.status})
        return render(request, "eldercare/bed.html", context)
    form = F.BedChangeForm(request.POST)
    return submit(request, form, lambda d: inst_svc.bed_change(actor=a, bed=bed, **d),
                  success_url=url("bed", bed.pk), template="eldercare/bed.html",
                  context=context, message=_("Bed change recorded."))


@login_required
def stay_detail(request, pk: int):
    from minsheng.casework.workflow import timeline

    a = actor(request)
    stay = selectors.stay_get(a, pk=pk)
    context = {"stay": stay, "timeline": timeline(stay),
               "can_discharge": bool(stay.workflow.allowed(a, stay))}
    if request.method != "POST":
        context["form"] = F.DischargeForm(initial={"version": stay.version,
                                                   "on": timezone.localdate()})
        return render(request, "eldercare/stay.html", context)
    form = F.DischargeForm(request.POST)
    return submit(request, form, lambda d: stay_svc.stay_discharge(actor=a, stay=stay, **d),
                  success_url=url("stay", stay.pk), template="eldercare/stay.html",
                  context=context, message=_("Resident discharged."))


# --- allowances -------------------------------------------------------------------------

@login_required
def allowance_list(request):
    a = actor(request)
    filters = F.AllowanceFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.allowance_list(a, state=f.get("state", ""), kind=f.get("kind", ""),
                                  q=f.get("q", "").strip())
    return render(request, "eldercare/allowances.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters, "can_apply": a.has(P.APPLY),
        "propose_form": F.MonthForm(initial={"month": timezone.localdate().strftime("%Y-%m")})})


@login_required
def allowance_new(request):
    a = actor(request)
    if request.method != "POST":
        return render(request, "eldercare/allowance_new.html", {
            "form": F.AllowanceApplyForm(initial={"applied_on": timezone.localdate()})})
    form = F.AllowanceApplyForm(request.POST)

    def apply(d):
        person = _person(a, d.pop("id_number"), P.APPLY)
        return allowance_svc.allowance_apply(actor=a, person=person, **d)

    return submit(request, form, apply, success_url=lambda x: url("allowance", x.pk),
                  template="eldercare/allowance_new.html", message=_("Application recorded."))


@login_required
@require_POST
def allowances_propose(request):
    a = actor(request)
    form = F.MonthForm(request.POST)
    if form.is_valid():
        n = allowance_svc.allowances_propose(actor=a, month=form.cleaned_data["month"])
        from django.contrib import messages

        messages.success(request, _("%(n)s people reaching the age were proposed.") % {"n": n})
        return _redirect(url("allowances") + "?state=applied")
    return refused(request, form, "eldercare/allowances.html", {
        "page": paginate(request, selectors.allowance_list(a)), "filters":
        F.AllowanceFilterForm(), "can_apply": a.has(P.APPLY), "propose_form": form})


def _redirect(target):
    from django.shortcuts import redirect

    return redirect(target)


ALLOWANCE_FORMS = {"account": F.AccountForm, "approve": F.DecideForm,
                   "reject": F.DecideForm, "stop": F.StopForm}


@login_required
def allowance_detail(request, pk: int, bound=None):
    a = actor(request)
    context = selectors.allowance_detail(a, pk=pk)
    allowance = context["allowance"]
    context["names"] = {m.name for m in context["moves"]}
    context["can_complete"] = (allowance.state == "applied"
                               and a.covers(P.APPLY, allowance.area))
    context["id_masked"] = mask(allowance.person.id_number)
    forms = {}
    for name, cls in ALLOWANCE_FORMS.items():
        initial = {"version": allowance.version}
        if name == "stop":
            initial["last_month"] = timezone.localdate().strftime("%Y-%m")
        forms[name] = (bound or {}).get(name) or cls(initial=initial)
    context["forms"] = forms
    return render(request, "eldercare/allowance.html", context,
                  status=422 if bound else 200)


@login_required
@require_POST
def allowance_act(request, pk: int, action: str):
    if action not in ALLOWANCE_FORMS:
        raise Http404
    a = actor(request)
    allowance = selectors.allowance_get(a, pk=pk)
    form = ALLOWANCE_FORMS[action](request.POST)

    def run(d):
        if action == "account":
            return allowance_svc.allowance_complete(actor=a, allowance=allowance,
                                                    version=d["version"],
                                                    bank_account=d["bank_account"])
        if action == "stop":
            return allowance_svc.allowance_stop(actor=a, allowance=allowance,
                                                version=d["version"],
                                                last_month=d["last_month"],
                                                stop_reason=d["stop_reason"],
                                                reason=d["reason"])
        return allowance_svc.allowance_decide(actor=a, allowance=allowance,
                                              version=d["version"], action=action,
                                              reason=d["reason"])

    if form.is_valid():
        try:
            run(form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            return done(request, url("allowance", pk), _("Saved."))
    return allowance_detail(request, pk, bound={action: form})


# --- payments, matches, recoveries ------------------------------------------------------

@login_required
def payment_lists(request):
    a = actor(request)
    context = {"page": paginate(request, selectors.payment_lists(a)),
               "query": query_without_page(request), "can_pay": a.has(P.PAY),
               "areas": selectors.pay_areas(a),
               "paid_after_death": selectors.paid_after_death(a)}
    if request.method != "POST":
        context["form"] = F.BuildListForm(initial={
            "month": timezone.localdate().strftime("%Y-%m")})
        return render(request, "eldercare/payment_lists.html", context)
    form = F.BuildListForm(request.POST)

    def build(d):
        try:
            area = selectors.pay_area_get(a, pk=d["area"])
        except NotFound:
            raise ValidationFailed(_("Choose an area where you pay allowances."),
                                   field="area") from None
        return pay_svc.payment_list_build(actor=a, area=area, month=d["month"])

    return submit(request, form, build, success_url=lambda p: url("payment_list", p.pk),
                  template="eldercare/payment_lists.html", context=context,
                  message=_("Payment list built."))


@login_required
def payment_list_detail(request, pk: int):
    a = actor(request)
    plist = selectors.payment_list_get(a, pk=pk)
    return render(request, "eldercare/payment_list.html", {
        "plist": plist, "page": paginate(request, selectors.payment_lines(a, payment_list=plist)),
        "query": query_without_page(request),
        "moves": PaymentList.workflow.allowed(a, plist),
        "can_export": a.covers(P.PAY, plist.area)})


@login_required
@require_POST
def payment_list_act(request, pk: int, action: str):
    a = actor(request)
    plist = selectors.payment_list_get(a, pk=pk)
    form = F.MoveForm(request.POST)
    if form.is_valid():
        pay_svc.payment_list_move(actor=a, payment_list=plist,
                                  version=form.cleaned_data["version"], action=action)
        return done(request, url("payment_list", pk), _("Saved."))
    raise ValidationFailed(_("The form is missing the record version; reload the page."))


@login_required
def payment_list_export(request, pk: int):
    a = actor(request)
    plist = selectors.payment_list_get(a, pk=pk, permission=P.PAY)
    buffer = io.BytesIO()
    pay_svc.payment_list_write_xlsx(actor=a, payment_list=plist, target=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = (
        f'attachment; filename="eldercare-payments-{plist.area.code}-{plist.month:%Y-%m}.xlsx"')
    return response


@login_required
def matches(request):
    a = actor(request)
    state = request.GET.get("state", "pending")
    state = state if state in ("pending", "confirmed", "dismissed", "") else "pending"
    return render(request, "eldercare/matches.html", {
        "page": paginate(request, selectors.death_matches(a, state=state).order_by(
            "-created_at", "id")), "query": query_without_page(request), "state": state,
        "can_check": a.has(P.PAY), "form": F.MonthForm()})


@login_required
@require_POST
def deaths_check(request):
    from django.contrib import messages

    a = actor(request)
    report = death_svc.deaths_check(actor=a)
    messages.success(request, _("Checked %(r)s recipients against %(d)s registry records: "
                                "%(s)s stopped (same ID), %(h)s held for confirmation.")
                     % {"r": report["recipients"], "d": report["records"],
                        "s": report["stopped"], "h": report["held"]})
    return _redirect(url("matches"))


@login_required
def match_detail(request, pk: int):
    from minsheng.casework.workflow import timeline

    a = actor(request)
    match = selectors.death_match_get(a, pk=pk)
    context = {"match": match, "timeline": timeline(match),
               "moves": match.workflow.allowed(a, match),
               "id_left": mask(match.allowance.person.id_number),
               "id_right": mask(match.record.id_number)}
    if request.method != "POST":
        context["form"] = F.DecideForm(initial={"version": match.version})
        return render(request, "eldercare/match.html", context)
    form = F.DecideForm(request.POST)
    action = request.POST.get("action", "")
    return submit(request, form, lambda d: death_svc.death_match_decide(
        actor=a, match=match, version=d["version"], action=action, reason=d["reason"]),
        success_url=url("match", pk), template="eldercare/match.html", context=context,
        message=_("Saved."))


@login_required
def recoveries(request):
    a = actor(request)
    state = request.GET.get("state", "open")
    state = state if state in ("open", "recovered", "waived", "") else "open"
    return render(request, "eldercare/recoveries.html", {
        "page": paginate(request, selectors.recoveries(a, state=state).order_by(
            "-created_at", "id")), "query": query_without_page(request), "state": state})


@login_required
def recovery_detail(request, pk: int):
    from minsheng.casework.workflow import timeline

    a = actor(request)
    rec = selectors.recovery_get(a, pk=pk)
    context = {"rec": rec, "timeline": timeline(rec), "moves": rec.workflow.allowed(a, rec)}
    if request.method != "POST":
        context["form"] = F.MoveForm(initial={"version": rec.version})
        return render(request, "eldercare/recovery.html", context)
    form = F.MoveForm(request.POST)
    action = request.POST.get("action", "")
    return submit(request, form, lambda d: allowance_svc.recovery_move(
        actor=a, recovery=rec, version=d["version"], action=action, reason=d["reason"]),
        success_url=url("recovery", pk), template="eldercare/recovery.html", context=context,
        message=_("Saved."))

