"""Temporary assistance pages: list, grant form with the live approval level, grant
page with its actions and help-first paperwork."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.assistance import eligibility, forms, selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.models import TemporaryGrant
from minsheng.assistance.permissions import APPLY
from minsheng.assistance.services import clocks
from minsheng.assistance.views.base import orphan, page_url, person_in_scope
from minsheng.casework.workflow import timeline
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pages import actor, paginate, query_without_page, submit


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
    form = forms.AmountForm(request.GET)
    if (form["amount"].value() or "").strip():
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
        applicant = person_in_scope(a, d["applicant_id_number"], "applicant_id_number")
        grant = services.temporary_apply(
            actor=a, kind=d["kind"], applicant=applicant, cause=d["cause"],
            amount=d["amount"], description=d["description"],
            per_capita_income=d["per_capita_income"], override_reason=d["override_reason"],
            idempotency_key=d["idempotency_key"])
        if (d["grant_now"] and grant.kind == "emergency" and grant.state == "applied"
                and grant.approval_level == "subdistrict"):
            services.temporary_grant_now(actor=a, grant=grant)
        return grant

    return submit(request, form, create, success_url=lambda g: page_url("temporary", g.pk),
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
            "today": timezone.localdate(), "orphan": orphan(failed, rendered),
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

    return submit(request, form, call, success_url=page_url("temporary", grant.pk),
                  template="assistance/temporary_detail.html",
                  context=_temporary_context(a, grant, failed=(name, form)))
