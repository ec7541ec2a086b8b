"""Every read of the safety module, scoped to what the actor may see."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Area, Organization, User
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.models import (
    Accident,
    Alarm,
    Drill,
    EmergencyPlan,
    Hazard,
    IngestReject,
    IngestStatus,
    InspectionCheck,
    InspectionPlan,
    MajorHazardSource,
    Publication,
    Reading,
    ReadingRollup,
    Release,
    RescueTeam,
    SafetyProfile,
    Sensor,
    SupplyItem,
)


def enterprise_list(actor):
    actor = as_actor(actor)
    return scoped(Organization.objects.filter(kind="enterprise"), actor, P.VIEW).order_by(
        "name")


def enterprise_get(actor, *, pk: int) -> Organization:
    return get_in_scope(Organization.objects.filter(kind="enterprise"), as_actor(actor),
                        P.VIEW, pk=pk)


def enterprise_search(actor, *, q: str = "", risk: str = "", category: str = ""):
    """Enterprises in scope with their profile (if any), for the profiles list."""
    qs = enterprise_list(actor).select_related("area", "safety_profile")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc=q.upper()))
    if risk:
        qs = qs.filter(safety_profile__risk_level=risk)
    if category:
        qs = qs.filter(safety_profile__category=category)
    return qs


# Certificates expiring within this many days are highlighted (district practice: renewal
# of a 安全生产许可证 is applied for three months before expiry, 《安全生产许可证条例》第九条).
CERTIFICATE_WARNING_DAYS = 90


def enterprise_profile(actor, *, pk: int, today: datetime.date | None = None) -> dict:
    """Everything the profile page shows: the profile, certificates with expiry flags,
    training, and the enterprise's hazards, major hazard sources and accidents."""
    actor = as_actor(actor)
    enterprise = enterprise_get(actor, pk=pk)
    today = today or timezone.localdate()
    profile = profile_for(enterprise)
    certificates = list(profile.certificates.all()) if profile else []
    warn = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    for c in certificates:
        c.expired = c.expires_on < today
        c.expiring = today <= c.expires_on <= warn
    hazards = hazard_list(actor, enterprise=enterprise)
    return {
        "enterprise": enterprise, "profile": profile, "certificates": certificates,
        "training": list(profile.training.all()[:200]) if profile else [],
        "hazards": list(hazards[:10]),
        "hazard_counts": hazards.aggregate(open=Count("id", filter=~Q(state="closed")),
                                           total=Count("id")),
        "sources": list(source_list(actor).filter(enterprise=enterprise).order_by("code")),
        "accidents": list(accident_list(actor).filter(enterprise=enterprise)
                          .order_by("-occurred_at")[:20]),
        "expired": sum(1 for c in certificates if c.expired),
        "expiring": sum(1 for c in certificates if c.expiring)}


def profile_for(enterprise: Organization) -> SafetyProfile | None:
    return SafetyProfile.objects.filter(enterprise=enterprise).prefetch_related(
        "certificates", "training").first()


def hazard_list(actor, *, permission: str = P.VIEW, state: str = "", grade: str = "",
                enterprise: Organization | None = None, overdue: bool = False,
                today: datetime.date | None = None):
    actor = as_actor(actor)
    qs = scoped(Hazard.objects.all(), actor, permission).select_related("enterprise", "area")
    if state:
        qs = qs.filter(state=state)
    if grade:
        qs = qs.filter(grade=grade)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    if overdue:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    return qs


def overdue_q(today: datetime.date) -> Q:
    return (Q(state__in=["reported", "rectifying"], rectify_due__lt=today)
            | Q(state="acceptance", acceptance_due__lt=today))


def hazard_get(actor, *, pk: int) -> Hazard:
    return get_in_scope(Hazard.objects.select_related("enterprise", "area"), as_actor(actor),
                        P.VIEW, pk=pk)


def hazard_timeline(hazard: Hazard):
    return timeline(hazard)


def hazard_counts(actor, today: datetime.date | None = None) -> dict:
    qs = hazard_list(actor)
    today = today or timezone.localdate()
    return qs.aggregate(open=Count("id", filter=~Q(state="closed")),
                        major=Count("id", filter=Q(grade="major") & ~Q(state="closed")),
                        overdue=Count("id", filter=overdue_q(today)),
                        listed=Count("id", filter=Q(listed=True) & ~Q(state="closed")))


def publication_list(actor, *, pending: bool = False):
    qs = scoped(Publication.objects.all(), as_actor(actor), P.VIEW)
    return qs.filter(published_at__isnull=True) if pending else qs


def publication_get(actor, *, pk: int) -> Publication:
    return get_in_scope(Publication.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def public_publications():
    """Published items for the public page (no login)."""
    return Publication.objects.filter(published_at__isnull=False).order_by("-published_at")


def source_list(actor):
    return scoped(MajorHazardSource.objects.select_related("enterprise", "area"),
                  as_actor(actor), P.VIEW)


def source_get(actor, *, pk: int) -> MajorHazardSource:
    return get_in_scope(MajorHazardSource.objects.select_related("enterprise", "area"),
                        as_actor(actor), P.VIEW, pk=pk)


def board(actor, *, level: str = "") -> list[MajorHazardSource]:
    """Sources with their sensors' current readings and open alarms: three queries."""
    sources = list(source_list(actor).filter(level__in=[level] if level else
                                             ["I", "II", "III", "IV", ""]))
    ids = [s.id for s in sources]
    sensors: dict[int, list[Sensor]] = {}
    for sensor in Sensor.objects.filter(source_id__in=ids).order_by("code"):
        sensors.setdefault(sensor.source_id, []).append(sensor)
    alarms: dict[int, dict[int, Alarm]] = {}
    for alarm in Alarm.objects.filter(source_id__in=ids).exclude(state="closed").order_by(
            "level"):
        alarms.setdefault(alarm.source_id, {})[alarm.sensor_id] = alarm
    now = timezone.now()
    silent_factor = setting("SILENT_AFTER_INTERVALS")
    for s in sources:
        s.sensor_rows = sensors.get(s.id, [])
        s.open_alarms = alarms.get(s.id, {})
        s.alarm_level = max((a.level for a in s.open_alarms.values()), default=0)
        for sensor in s.sensor_rows:
            sensor.alarm = s.open_alarms.get(sensor.id)
            sensor.silent = (sensor.last_ts is None or (now - sensor.last_ts).total_seconds()
                             > sensor.interval_seconds * silent_factor)
    sources.sort(key=lambda s: (-s.alarm_level, s.code))
    return sources


def sensor_series(source: MajorHazardSource, *, hours: float = 1.0) -> list[dict]:
    """Readings of each sensor of a source: raw for the last hours, rollups before."""
    since = timezone.now() - datetime.timedelta(hours=hours)
    result = []
    for sensor in source.sensors.order_by("code"):
        rows = list(Reading.objects.filter(sensor=sensor, ts__gte=since).order_by("ts")
                    .values_list("ts", "value")[:20000])
        if not rows:
            rows = list(ReadingRollup.objects.filter(sensor=sensor).order_by("-bucket")
                        .values_list("bucket", "vavg")[:500])[::-1]
        l1, l2 = sensor_thresholds(sensor)
        result.append({"code": sensor.code, "kind": sensor.kind, "unit": sensor.unit,
                       "x": [timezone.localtime(t).isoformat() for t, _ in rows],
                       "y": [v for _, v in rows], "level1": l1, "level2": l2})
    return result


def sensor_thresholds(sensor: Sensor):
    from minsheng.safety.services.iot import load_sensors

    info = load_sensors().get(sensor.code)
    return info.thresholds() if info else (None, None)


def alarm_list(actor, *, state: str = "open"):
    qs = scoped(Alarm.objects.select_related("sensor", "source", "enterprise"),
                as_actor(actor), P.VIEW)
    if state == "open":
        return qs.exclude(state="closed")
    return qs.filter(state=state) if state else qs


def alarm_get(actor, *, pk: int) -> Alarm:
    return get_in_scope(Alarm.objects.select_related("sensor", "source", "enterprise"),
                        as_actor(actor), P.VIEW, pk=pk)


def ingest_status():
    return IngestStatus.objects.order_by("-heartbeat_at").first()


def ingest_rejects(actor, limit: int = 50):
    require(as_actor(actor), P.SOURCES)
    return IngestReject.objects.order_by("-received_at")[:limit]


def accident_list(actor):
    return scoped(Accident.objects.select_related("enterprise"), as_actor(actor), P.VIEW)


def accident_get(actor, *, pk: int) -> Accident:
    return get_in_scope(Accident.objects.select_related("enterprise", "area"),
                        as_actor(actor), P.VIEW, pk=pk)


def release_get(actor, *, pk: int) -> Release:
    return get_in_scope(Release.objects.select_related("accident"), as_actor(actor), P.VIEW,
                        pk=pk)


def public_releases():
    return Release.objects.filter(state="published").select_related("accident").order_by(
        "-published_at")


def plan_list(actor, *, today: datetime.date | None = None):
    """Plans with their last drill, the next drill due and overdue flags."""
    today = today or timezone.localdate()
    plans = list(scoped(EmergencyPlan.objects.select_related("owner"), as_actor(actor),
                        P.VIEW).annotate(last_drill=Max("drills__held_on")))
    for p in plans:
        _plan_flags(p, today)
    return plans


def _plan_flags(p: EmergencyPlan, today: datetime.date) -> EmergencyPlan:
    months = setting("DRILL_MONTHS")
    p.drill_months = months.get(p.plan_type, 12)
    p.drill_due = add_months(p.last_drill or p.issued_on, p.drill_months)
    p.drill_overdue = p.drill_due < today
    p.evaluation_due = add_months(p.last_evaluated_on or p.issued_on,
                                  setting("EVALUATION_MONTHS"))
    p.evaluation_overdue = p.evaluation_due < today
    return p


def plan_get(actor, *, pk: int) -> EmergencyPlan:
    return get_in_scope(EmergencyPlan.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def plan_detail(actor, *, pk: int, today: datetime.date | None = None) -> EmergencyPlan:
    """One plan with its overdue flags (as in plan_list) and its drills."""
    plan = get_in_scope(EmergencyPlan.objects.select_related("owner", "area").annotate(
        last_drill=Max("drills__held_on")), as_actor(actor), P.VIEW, pk=pk)
    plan.drill_rows = list(plan.drills.all())
    return _plan_flags(plan, today or timezone.localdate())


def drill_list(actor):
    return Drill.objects.filter(plan__in=scoped(EmergencyPlan.objects.all(), as_actor(actor),
                                                P.VIEW)).select_related("plan")


def team_list(actor):
    return scoped(RescueTeam.objects.prefetch_related("equipment"), as_actor(actor), P.VIEW)


def team_get(actor, *, pk: int) -> RescueTeam:
    return get_in_scope(RescueTeam.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def supply_get(actor, *, pk: int) -> SupplyItem:
    return get_in_scope(SupplyItem.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def supply_list(actor, *, today: datetime.date | None = None):
    today = today or timezone.localdate()
    warn = today + datetime.timedelta(days=setting("SUPPLY_EXPIRY_WARNING_DAYS"))
    items = list(scoped(SupplyItem.objects.all(), as_actor(actor), P.VIEW))
    for item in items:
        item.expired = item.expires_on is not None and item.expires_on < today
        item.expiring = item.expires_on is not None and today <= item.expires_on <= warn
    return items


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


# --- "double random, one public" inspection plans -------------------------------------

def inspection_plan_list(actor):
    return scoped(InspectionPlan.objects.select_related("area", "department").annotate(
        checks_total=Count("checks"), checks_done=Count("checks", filter=~Q(checks__result=""))),
        as_actor(actor), P.VIEW).order_by("-id")


def inspection_plan_get(actor, *, pk: int) -> InspectionPlan:
    return get_in_scope(InspectionPlan.objects.select_related("area", "department",
                                                              "created_by"),
                        as_actor(actor), P.VIEW, pk=pk)


def inspection_checks(plan: InspectionPlan) -> list[InspectionCheck]:
    return list(plan.checks.select_related("enterprise", "enterprise__area")
                .prefetch_related("inspectors").order_by("enterprise__name"))


def inspection_check_get(actor, *, pk: int) -> InspectionCheck:
    return get_in_scope(InspectionCheck.objects.select_related("plan", "plan__area",
                                                               "enterprise"),
                        as_actor(actor), P.VIEW, area_field="plan__area", pk=pk)


def draw_reproduces(plan: InspectionPlan) -> bool | None:
    """Re-run the recorded draw from its inputs and seed: True when it gives the same
    assignment (what anyone can check with the published seed)."""
    from minsheng.safety.services.inspections import draw

    record = plan.draw_record or {}
    if plan.seed is None or "assignment" not in record:
        return None
    again = draw(plan, record["enterprises"], record["inspectors"],
                 {tuple(c) for c in record["conflicts"]}, plan.seed)
    return [[e, list(t)] for e, t in again] == [[e, list(t)] for e, t in record["assignment"]]


def draw_conflicts(plan: InspectionPlan) -> list[tuple]:
    """The conflicts of interest the draw excluded, as (inspector, enterprise) objects."""
    pairs = [tuple(c) for c in (plan.draw_record or {}).get("conflicts", [])]
    users = User.objects.in_bulk({i for i, _ in pairs})
    orgs = Organization.objects.in_bulk({e for _, e in pairs})
    return [(users.get(i), orgs.get(e)) for i, e in pairs]


def department_inspectors(department: Organization):
    return User.objects.filter(department=department, is_active=True).order_by("username")


def department_get(*, pk: int) -> Organization:
    department = Organization.objects.filter(kind="department", pk=pk).first()
    if department is None:
        raise NotFound()
    return department


def department_list():
    return Organization.objects.filter(kind="department").order_by("name")


def area_choices(actor, permission: str):
    """Districts and subdistricts where the actor holds the permission (plan areas)."""
    return Area.objects.filter(id__in=as_actor(actor).area_ids(permission),
                               level__in=["district", "subdistrict"]).order_by("code")


def area_get(actor, permission: str, *, pk: int) -> Area:
    area = Area.objects.filter(id__in=as_actor(actor).area_ids(permission), pk=pk).first()
    if area is None:
        raise NotFound()
    return area


def owner_choices(actor):
    """Organisations that may own an emergency plan: departments and enterprises in scope."""
    return list(department_list()) + list(enterprise_list(actor)[:500])


def owner_get(actor, *, pk: int) -> Organization:
    return get_in_scope(Organization.objects.filter(kind__in=["department", "enterprise"]),
                        as_actor(actor), P.VIEW, pk=pk)
