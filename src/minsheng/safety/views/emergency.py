"""Emergency preparedness: plans and drills, rescue teams and equipment, supplies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core.pages import actor, submit
from minsheng.safety import forms as F
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.services import emergency as svc
from minsheng.safety.views.common import Later


def _context(a, bound: dict | None = None) -> dict:
    """The emergency page: plans, supplies and teams, with the forms of those who manage
    them (the posted one bound, when it was refused)."""
    bound = bound or {}
    can_manage = a.has(P.EMERGENCY)
    today = timezone.localdate()
    supplies, teams = selectors.supply_list(a), list(selectors.team_list(a))
    forms = {}
    if can_manage:
        forms = {"plan": bound.get("plan") or F.EmergencyPlanForm(
                     initial={"issued_on": today}, actor=a),
                 "supply": bound.get("supply") or F.SupplyForm(actor=a),
                 "team": bound.get("team") or F.TeamForm(actor=a)}
        for item in supplies:
            item.form = bound.get(f"supply-{item.pk}") or F.SupplyMoveForm(
                initial={"version": item.version}, actor=a)
        for team in teams:
            team.form = bound.get(f"team-{team.pk}") or F.EquipmentForm(actor=a)
    return {"plans": selectors.plan_list(a), "supplies": supplies, "teams": teams,
            "can_manage": can_manage, "forms": forms, "today": today}


@login_required
def emergency(request):
    a = actor(request)
    return render(request, "safety/emergency.html", _context(a))


@login_required
@require_POST
def emergency_plan_new(request):
    a = actor(request)
    form = F.EmergencyPlanForm(request.POST, actor=a)

    def call(d):
        return svc.plan_create(actor=a, title=d["title"], plan_type=d["plan_type"],
                               owner=d["owner"], area=d["owner"].area, issued_on=d["issued_on"])

    return submit(request, form, call,
                  success_url=lambda plan: reverse("safety:emergency_plan", args=[plan.pk]),
                  template="safety/emergency.html",
                  context=Later(lambda: _context(a, {"plan": form})),
                  message=_("Emergency plan created."))


def _plan_context(a, pk: int, bound: dict | None = None) -> dict:
    bound = bound or {}
    plan = selectors.plan_detail(a, pk=pk)
    can_manage = a.covers(P.EMERGENCY, plan.area)
    forms = {}
    if can_manage:
        forms = {"drill": bound.get("drill") or F.DrillForm(
                     initial={"held_on": timezone.localdate()}, actor=a),
                 "revise": bound.get("revise") or F.PlanReviseForm(initial={
                     "version": plan.version, "title": plan.title, "plan_type": plan.plan_type,
                     "last_revised_on": plan.last_revised_on,
                     "last_evaluated_on": plan.last_evaluated_on}, actor=a)}
    return {"plan": plan, "today": timezone.localdate(), "can_manage": can_manage,
            "forms": forms}


@login_required
def emergency_plan(request, pk: int):
    a = actor(request)
    return render(request, "safety/emergency_plan.html", _plan_context(a, pk))


MESSAGES = {"revise": gettext_lazy("Emergency plan saved."),
            "drill": gettext_lazy("Drill recorded.")}


@login_required
@require_POST
def emergency_plan_action(request, pk: int, action: str):
    if action not in F.PLAN_FORMS:
        raise Http404
    a = actor(request)
    plan = selectors.plan_get(a, pk=pk)
    form = F.PLAN_FORMS[action](request.POST, actor=a)
    if action == "revise":
        def call(d):
            return svc.plan_revise(actor=a, plan=plan, **d)
    else:
        def call(d):
            return svc.drill_record(actor=a, plan=plan, **d)
    return submit(request, form, call, success_url=reverse("safety:emergency_plan", args=[pk]),
                  template="safety/emergency_plan.html",
                  context=Later(lambda: _plan_context(a, pk, {action: form})),
                  message=str(MESSAGES[action]))


@login_required
@require_POST
def emergency_team(request, pk: int | None = None):
    """A new rescue team (no pk) or a piece of equipment for team `pk`."""
    a = actor(request)
    if pk is None:
        form, key = F.TeamForm(request.POST, actor=a), "team"

        def call(d):
            return svc.team_create(actor=a, area=selectors.area_get(a, P.EMERGENCY,
                                                                    pk=d.pop("area")), **d)
        message = _("Rescue team added.")
    else:
        team = selectors.team_get(a, pk=pk)
        form, key = F.EquipmentForm(request.POST, actor=a), f"team-{pk}"

        def call(d):
            return svc.equipment_add(actor=a, team=team, **d)
        message = _("Equipment added.")
    return submit(request, form, call, success_url=f"{reverse('safety:emergency')}#teams",
                  template="safety/emergency.html",
                  context=Later(lambda: _context(a, {key: form})), message=message)


@login_required
@require_POST
def emergency_supply(request, pk: int | None = None):
    """A new supply item (no pk) or a stock movement of item `pk`."""
    a = actor(request)
    if pk is None:
        form, key = F.SupplyForm(request.POST, actor=a), "supply"

        def call(d):
            return svc.supply_create(actor=a, area=selectors.area_get(a, P.EMERGENCY,
                                                                      pk=d.pop("area")), **d)
        message = _("Supply item added.")
    else:
        item = selectors.supply_get(a, pk=pk)
        form, key = F.SupplyMoveForm(request.POST, actor=a), f"supply-{pk}"

        def call(d):
            return svc.supply_move(actor=a, item=item, **d)
        message = _("Stock movement recorded.")
    return submit(request, form, call, success_url=f"{reverse('safety:emergency')}#supplies",
                  template="safety/emergency.html",
                  context=Later(lambda: _context(a, {key: form})), message=message)
