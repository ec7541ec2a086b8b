"""Safety pages. Thin: reads through selectors, writes through services."""

from __future__ import annotations

import datetime
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.access import require
from minsheng.core.errors import ValidationFailed
from minsheng.core.pages import actor, paginate, query_without_page
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.models import Accident, EmergencyPlan, Hazard, SafetyProfile
from minsheng.safety.services import accidents as accident_svc
from minsheng.safety.services import emergency as emergency_svc
from minsheng.safety.services import enterprise as enterprise_svc
from minsheng.safety.services import hazards as svc
from minsheng.safety.services import inspections as inspection_svc
from minsheng.safety.services import iot as iot_svc


def _date(value: str, field: str, required: bool = False) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed(_("A date is required."), field=field)
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), field=field) from None


def _int(value, field: str, default: int | None = None) -> int:
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed(_("Enter a whole number."), field=field) from None


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise ValidationFailed(_("The form is missing the record version; reload the page.")
                               ) from None


@login_required
def home(request):
    a = actor(request)
    require(a, P.VIEW)
    return render(request, "safety/home.html", {
        "counts": selectors.hazard_counts(a),
        "open_alarms": selectors.alarm_list(a).count(),
        "pending": selectors.publication_list(a, pending=True)[:20],
        "status": selectors.ingest_status()})


# --- hazards ---------------------------------------------------------------------------

@login_required
def hazard_list(request):
    a = actor(request)
    require(a, P.VIEW)
    enterprise = (selectors.enterprise_get(a, pk=_int(request.GET["enterprise"], "enterprise"))
                  if request.GET.get("enterprise") else None)
    qs = selectors.hazard_list(a, state=request.GET.get("state", "")[:20],
                               grade=request.GET.get("grade", "")[:10], enterprise=enterprise,
                               overdue=request.GET.get("overdue") == "1")
    if request.GET.get("format") == "xlsx":
        return _hazards_xlsx(a, qs)
    return render(request, "safety/hazard_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "states": Hazard.workflow.states.items(), "grades": Hazard.Grade.choices,
        "today": timezone.localdate(), "can_report": a.has(P.REPORT),
        "enterprise": enterprise})


def _hazards_xlsx(a, qs):
    from minsheng.core.spreadsheets import write_xlsx

    require(a, P.EXPORT)
    rows = ([h.number, h.enterprise.name, h.area.name, str(h.get_grade_display()), h.category,
             h.location, h.found_on, h.rectify_due, str(h.state_label), h.written_off_on]
            for h in qs.iterator(chunk_size=2000))
    buffer = io.BytesIO()
    write_xlsx(buffer, [("隐患", ["编号", "企业", "区域", "等级", "类别", "位置", "发现日期",
                                  "整改期限", "状态", "销号日期"], rows)])
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="hazards.xlsx"'
    return response


@login_required
def hazard_new(request):
    a = actor(request)
    require(a, P.REPORT)
    if request.method == "POST":
        enterprise = selectors.enterprise_get(a, pk=int(request.POST.get("enterprise") or 0))
        hazard = svc.hazard_report(
            actor=a, enterprise=enterprise, origin=request.POST.get("origin", ""),
            grade=request.POST.get("grade", ""), category=request.POST.get("category", ""),
            location=request.POST.get("location", ""),
            description=request.POST.get("description", ""),
            legal_basis=request.POST.get("legal_basis", ""),
            found_on=_date(request.POST.get("found_on"), "found_on"),
            photos=request.FILES.getlist("photos"))
        return redirect("safety:hazard", pk=hazard.pk)
    return render(request, "safety/hazard_new.html", {
        "enterprises": selectors.enterprise_list(a)[:500], "grades": Hazard.Grade.choices,
        "origins": Hazard.Origin.choices, "today": timezone.localdate()})


@login_required
def hazard_detail(request, pk: int):
    a = actor(request)
    hazard = selectors.hazard_get(a, pk=pk)
    today = timezone.localdate()
    # the guards decide by grade: a major hazard gets a plan, a general one an order
    grade_only = ({"order", "rectified_on_spot"} if hazard.grade == "major"
                  else {"submit_plan"})
    actions = [t.name for t in Hazard.workflow.available(hazard.state)
               if a.covers(t.permission, hazard.area) and t.name not in grade_only]
    return render(request, "safety/hazard_detail.html", {
        "h": hazard, "actions": actions, "today": today,
        "clocks": [(c, c.status(today)) for c in svc.hazard_clocks(hazard)],
        "events": selectors.hazard_timeline(hazard),
        "plan": getattr(hazard, "plan", None) if hazard.grade == "major" else None,
        "can_list": (hazard.grade == "major" and not hazard.listed and hazard.state != "closed"
                     and a.covers(P.LIST, hazard.area)),
        "suspensions": Hazard.Suspension.choices})


@login_required
@require_POST
def hazard_action(request, pk: int, action: str):
    a = actor(request)
    hazard = selectors.hazard_get(a, pk=pk)
    post = request.POST
    note = post.get("note", "")
    if action == "order":
        svc.hazard_order(actor=a, hazard=hazard, version=_version(request),
                         order_number=post.get("order_number", ""),
                         due=_date(post.get("due"), "due"), note=note)
    elif action == "submit_plan":
        svc.hazard_submit_plan(
            actor=a, hazard=hazard, version=_version(request), goals=post.get("goals", ""),
            methods=post.get("methods", ""), funds=post.get("funds", ""),
            responsible=post.get("responsible", ""),
            time_limit=_date(post.get("time_limit"), "time_limit", True),
            safety_measures=post.get("safety_measures", ""),
            emergency_plan=post.get("emergency_plan", ""), principal=post.get("principal", ""))
    elif action == "rectified_on_spot":
        svc.hazard_rectified_on_spot(actor=a, hazard=hazard, version=_version(request),
                                     note=note)
    elif action == "apply_acceptance":
        for upload in request.FILES.getlist("photos"):
            svc.hazard_add_photo(actor=a, hazard=hazard, upload=upload)
        svc.hazard_apply_acceptance(actor=a, hazard=hazard, version=_version(request),
                                    rectified_on=_date(post.get("rectified_on"),
                                                       "rectified_on"), note=note)
    elif action in ("accept", "reject"):
        svc.hazard_accept(actor=a, hazard=hazard, version=_version(request),
                          passed=action == "accept", note=note,
                          new_due=_date(post.get("due"), "due"))
    elif action == "write_off":
        svc.hazard_write_off(actor=a, hazard=hazard, version=_version(request), note=note)
    elif action == "list":
        svc.hazard_list_supervision(actor=a, hazard=hazard, listed_by=post.get("listed_by", ""),
                                    suspension=post.get("suspension", "none"),
                                    suspension_note=note)
    else:
        raise ValidationFailed(_("Unknown action: %s") % action)
    return redirect("safety:hazard", pk=hazard.pk)


@login_required
@require_POST
def publication_publish(request, pk: int):
    a = actor(request)
    svc.publication_publish(actor=a, publication=selectors.publication_get(a, pk=pk))
    return redirect("safety:home")


# --- IoT -------------------------------------------------------------------------------

@login_required
def board(request):
    a = actor(request)
    require(a, P.VIEW)
    context = {"sources": selectors.board(a, level=request.GET.get("level", "")[:3]),
               "now": timezone.now(), "status": selectors.ingest_status()}
    template = "safety/partials/board.html" if request.htmx else "safety/board.html"
    return render(request, template, context)


@login_required
def source_detail(request, pk: int):
    a = actor(request)
    source = selectors.source_get(a, pk=pk)
    hours = min(max(float(request.GET.get("hours", "1") or 1), 0.1), 72)
    return render(request, "safety/source_detail.html", {
        "source": source, "substances": source.substances.all(), "hours": hours,
        "series": selectors.sensor_series(source, hours=hours),
        "alarms": selectors.alarm_list(a, state="").filter(source=source)[:50]})


@login_required
def alarm_list(request):
    a = actor(request)
    require(a, P.VIEW)
    qs = selectors.alarm_list(a, state=request.GET.get("state", "open")[:12])
    return render(request, "safety/alarm_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "can_handle": a.has(P.ALARMS), "now": timezone.now()})


@login_required
@require_POST
def alarm_action(request, pk: int, action: str):
    a = actor(request)
    alarm = selectors.alarm_get(a, pk=pk)
    if action == "ack":
        iot_svc.alarm_acknowledge(actor=a, alarm=alarm)
    elif action == "close":
        iot_svc.alarm_close(actor=a, alarm=alarm, outcome=request.POST.get("outcome", ""))
    else:
        raise ValidationFailed(_("Unknown action: %s") % action)
    if request.htmx:
        return render(request, "safety/partials/alarm_row.html",
                      {"alarm": alarm, "can_handle": True, "now": timezone.now()})
    return redirect("safety:alarms")


# --- accidents and releases ------------------------------------------------------------

@login_required
def accident_list(request):
    a = actor(request)
    require(a, P.VIEW)
    return render(request, "safety/accident_list.html",
                  {"page": paginate(request, selectors.accident_list(a)),
                   "query": query_without_page(request)})


@login_required
def accident_detail(request, pk: int):
    a = actor(request)
    accident = selectors.accident_get(a, pk=pk)
    return render(request, "safety/accident_detail.html", {
        "acc": accident, "clocks": accident_svc.accident_clocks(accident),
        "releases": accident.releases.all(), "updates": accident.updates.order_by("at"),
        "can_release": a.covers(P.RELEASE_APPROVE, accident.area),
        "can_draft": a.covers(P.ACCIDENTS, accident.area), "kinds": Accident.Kind.choices})


@login_required
@require_POST
def release_action(request, pk: int, action: str):
    a = actor(request)
    if action == "draft":
        accident = selectors.accident_get(a, pk=pk)
        accident_svc.release_draft(actor=a, accident=accident,
                                   title=request.POST.get("title", ""),
                                   body=request.POST.get("body", ""))
        return redirect("safety:accident", pk=accident.pk)
    release = selectors.release_get(a, pk=pk)
    if action == "approve":
        accident_svc.release_approve(actor=a, release=release, version=_version(request))
    elif action == "publish":
        accident_svc.release_publish(actor=a, release=release, version=_version(request))
    else:
        raise ValidationFailed(_("Unknown action: %s") % action)
    return redirect("safety:accident", pk=release.accident_id)


# --- enterprise safety profiles --------------------------------------------------------

@login_required
def enterprise_list(request):
    a = actor(request)
    require(a, P.VIEW)
    qs = selectors.enterprise_search(a, q=request.GET.get("q", "").strip()[:60],
                                     risk=request.GET.get("risk", "")[:8],
                                     category=request.GET.get("category", "")[:16])
    return render(request, "safety/enterprise_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "risks": SafetyProfile.Risk.choices, "categories": SafetyProfile.Category.choices})


@login_required
def enterprise_detail(request, pk: int):
    a = actor(request)
    context = selectors.enterprise_profile(a, pk=pk)
    context.update(today=timezone.localdate(),
                   can_edit=a.covers(P.INSPECT, context["enterprise"].area))
    return render(request, "safety/enterprise_detail.html", context)


@login_required
def enterprise_edit(request, pk: int):
    a = actor(request)
    enterprise = selectors.enterprise_get(a, pk=pk)
    require(a, P.INSPECT, enterprise.area)
    if request.method == "POST":
        post = request.POST
        enterprise_svc.profile_save(
            actor=a, enterprise=enterprise,
            version=_int(post.get("version"), "version") if post.get("version") else None,
            **{f: post.get(f, "") for f in enterprise_svc.PROFILE_FIELDS})
        return redirect("safety:enterprise", pk=enterprise.pk)
    return render(request, "safety/enterprise_edit.html", {
        "enterprise": enterprise, "profile": selectors.profile_for(enterprise),
        "risks": SafetyProfile.Risk.choices, "categories": SafetyProfile.Category.choices})


@login_required
@require_POST
def enterprise_add(request, pk: int, what: str):
    a = actor(request)
    enterprise = selectors.enterprise_get(a, pk=pk)
    profile = selectors.profile_for(enterprise)
    if profile is None:
        raise ValidationFailed(_("Save the safety profile first."))
    post = request.POST
    if what == "certificate":
        enterprise_svc.certificate_add(
            actor=a, profile=profile, kind=post.get("kind", ""), number=post.get("number", ""),
            issued_on=_date(post.get("issued_on"), "issued_on"),
            expires_on=_date(post.get("expires_on"), "expires_on", True))
    elif what == "training":
        enterprise_svc.training_add(
            actor=a, profile=profile, employee=post.get("employee", ""),
            course=post.get("course", ""), hours=post.get("hours", ""),
            held_on=_date(post.get("held_on"), "held_on", True),
            passed=post.get("passed") == "1")
    else:
        raise ValidationFailed(_("Unknown action: %s") % what)
    return redirect("safety:enterprise", pk=enterprise.pk)


# --- "double random, one public" inspections -------------------------------------------

@login_required
def inspection_list(request):
    a = actor(request)
    require(a, P.VIEW)
    if request.method == "POST":
        post = request.POST
        plan = inspection_svc.plan_create(
            actor=a, name=post.get("name", "").strip(),
            area=selectors.area_get(a, P.INSPECT, pk=_int(post.get("area"), "area")),
            department=selectors.department_get(pk=_int(post.get("department"), "department")),
            sample_size=_int(post.get("sample_size"), "sample_size"),
            category=post.get("category", "")[:16],
            inspectors_per_check=_int(post.get("inspectors_per_check"), "inspectors_per_check",
                                      2))
        return redirect("safety:inspection", pk=plan.pk)
    return render(request, "safety/inspection_list.html", {
        "page": paginate(request, selectors.inspection_plan_list(a)),
        "query": query_without_page(request), "can_plan": a.has(P.INSPECT),
        "areas": selectors.area_choices(a, P.INSPECT) if a.has(P.INSPECT) else [],
        "departments": selectors.department_list(), "own_department": a.user.department_id,
        "categories": SafetyProfile.Category.choices})


@login_required
def inspection_detail(request, pk: int):
    a = actor(request)
    plan = selectors.inspection_plan_get(a, pk=pk)
    return render(request, "safety/inspection_detail.html", {
        "plan": plan, "checks": selectors.inspection_checks(plan),
        "reproduces": selectors.draw_reproduces(plan),
        "conflicts": selectors.draw_conflicts(plan),
        "inspectors": selectors.department_inspectors(plan.department),
        "enterprises": selectors.enterprise_list(a)[:500] if plan.drawn_at is None else [],
        "can_act": a.covers(P.INSPECT, plan.area), "today": timezone.localdate()})


@login_required
@require_POST
def inspection_action(request, pk: int, action: str):
    a = actor(request)
    plan = selectors.inspection_plan_get(a, pk=pk)
    post = request.POST
    if action == "draw":
        seed = post.get("seed", "").strip()
        inspection_svc.plan_draw(actor=a, plan=plan,
                                 seed=_int(seed, "seed") if seed else None)
    elif action == "conflict":
        inspector = selectors.department_inspectors(plan.department).filter(
            pk=_int(post.get("inspector"), "inspector")).first()
        if inspector is None:
            raise ValidationFailed(_("Choose an inspector of the plan's department."),
                                   field="inspector")
        inspection_svc.conflict_record(
            actor=a, inspector=inspector,
            enterprise=selectors.enterprise_get(a, pk=_int(post.get("enterprise"),
                                                            "enterprise")),
            reason=post.get("reason", "").strip() or _("Conflict of interest"))
    elif action == "publish":
        inspection_svc.plan_publish_results(actor=a, plan=plan)
    else:
        raise ValidationFailed(_("Unknown action: %s") % action)
    return redirect("safety:inspection", pk=plan.pk)


@login_required
@require_POST
def inspection_result(request, pk: int):
    a = actor(request)
    check = selectors.inspection_check_get(a, pk=pk)
    inspection_svc.check_record_result(
        actor=a, check=check, result=request.POST.get("result", ""),
        checked_on=_date(request.POST.get("checked_on"), "checked_on", True))
    return redirect("safety:inspection", pk=check.plan_id)


# --- emergency -------------------------------------------------------------------------

@login_required
def emergency(request):
    a = actor(request)
    require(a, P.VIEW)
    return render(request, "safety/emergency.html", {
        "plans": selectors.plan_list(a), "supplies": selectors.supply_list(a),
        "teams": selectors.team_list(a), "can_manage": a.has(P.EMERGENCY),
        "types": EmergencyPlan.Type.choices,
        "owners": selectors.owner_choices(a) if a.has(P.EMERGENCY) else [],
        "areas": selectors.area_choices(a, P.EMERGENCY) if a.has(P.EMERGENCY) else [],
        "today": timezone.localdate()})


@login_required
@require_POST
def emergency_plan_new(request):
    a = actor(request)
    post = request.POST
    owner = selectors.owner_get(a, pk=_int(post.get("owner"), "owner"))
    plan = emergency_svc.plan_create(
        actor=a, title=post.get("title", "").strip(), plan_type=post.get("plan_type", ""),
        owner=owner, area=owner.area,
        issued_on=_date(post.get("issued_on"), "issued_on", True))
    return redirect("safety:emergency_plan", pk=plan.pk)


@login_required
def emergency_plan(request, pk: int):
    a = actor(request)
    plan = selectors.plan_detail(a, pk=pk)
    return render(request, "safety/emergency_plan.html", {
        "plan": plan, "types": EmergencyPlan.Type.choices, "today": timezone.localdate(),
        "can_manage": a.covers(P.EMERGENCY, plan.area)})


@login_required
@require_POST
def emergency_plan_action(request, pk: int, action: str):
    a = actor(request)
    plan = selectors.plan_get(a, pk=pk)
    post = request.POST
    if action == "revise":
        emergency_svc.plan_revise(
            actor=a, plan=plan, version=_version(request), title=post.get("title", ""),
            plan_type=post.get("plan_type", ""),
            last_revised_on=_date(post.get("last_revised_on"), "last_revised_on"),
            last_evaluated_on=_date(post.get("last_evaluated_on"), "last_evaluated_on"))
    elif action == "drill":
        emergency_svc.drill_record(
            actor=a, plan=plan, held_on=_date(post.get("held_on"), "held_on", True),
            form=post.get("form", "field") if post.get("form") in ("field", "tabletop")
            else "field", participants=_int(post.get("participants"), "participants", 0),
            assessment=post.get("assessment", "").strip())
    else:
        raise ValidationFailed(_("Unknown action: %s") % action)
    return redirect("safety:emergency_plan", pk=plan.pk)


@login_required
@require_POST
def emergency_team(request, pk: int | None = None):
    a = actor(request)
    post = request.POST
    if pk is None:
        emergency_svc.team_create(
            actor=a, name=post.get("name", ""), specialty=post.get("specialty", ""),
            area=selectors.area_get(a, P.EMERGENCY, pk=_int(post.get("area"), "area")),
            members=_int(post.get("members"), "members", 0), contact=post.get("contact", ""))
    else:
        emergency_svc.equipment_add(
            actor=a, team=selectors.team_get(a, pk=pk), name=post.get("name", ""),
            quantity=_int(post.get("quantity"), "quantity", 1),
            checked_on=_date(post.get("checked_on"), "checked_on"))
    return redirect(f"{reverse('safety:emergency')}#teams")


@login_required
@require_POST
def emergency_supply(request, pk: int | None = None):
    a = actor(request)
    post = request.POST
    if pk is None:
        emergency_svc.supply_create(
            actor=a, catalogue_code=post.get("catalogue_code", ""), name=post.get("name", ""),
            unit=post.get("unit", ""),
            area=selectors.area_get(a, P.EMERGENCY, pk=_int(post.get("area"), "area")),
            location=post.get("location", ""), required=_int(post.get("required"), "required"),
            stock=_int(post.get("stock"), "stock", 0),
            expires_on=_date(post.get("expires_on"), "expires_on"))
    else:
        emergency_svc.supply_move(
            actor=a, item=selectors.supply_get(a, pk=pk), version=_version(request),
            quantity=_int(post.get("quantity"), "quantity"),
            direction=post.get("direction", ""),
            expires_on=_date(post.get("expires_on"), "expires_on"))
    return redirect(f"{reverse('safety:emergency')}#supplies")


# --- public (no login): documented for the portal --------------------------------------

def public_releases(request):
    return render(request, "safety/public_releases.html",
                  {"releases": selectors.public_releases()[:100],
                   "notices": selectors.public_publications()[:100]})
