"""Every read of the safety module. Each selector takes the actor first and returns only
what it may see: lists are scoped to the actor's areas, single records outside them are
"not found", and the pages' lists refuse an actor without `safety.view`."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.dates import add_months
from minsheng.core.errors import NotFound
from minsheng.core.forms import MAX_INT
from minsheng.core.models import Area, Organization, User
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.models import (
    Accident,
    Alarm,
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

# How many suggestions an organisation search field offers at once (the page says how
# many more match, so the list is never cut silently).
OPTIONS_SHOWN = 20


def _covers(actor, permission: str, area) -> None:
    """A record reached through another one is still checked against the actor's scope."""
    if not actor.covers(permission, area):
        raise NotFound()


# --- enterprises and other organisations -------------------------------------------------

def enterprise_list(actor, *, permission: str = P.VIEW):
    actor = as_actor(actor)
    return scoped(Organization.objects.filter(kind="enterprise"), actor, permission).order_by(
        "name")


def enterprise_get(actor, *, pk: int) -> Organization:
    return get_in_scope(Organization.objects.filter(kind="enterprise"), as_actor(actor),
                        P.VIEW, pk=pk)


def enterprise_search(actor, *, q: str = "", risk: str = "", category: str = ""):
    """Enterprises in scope with their profile (if any), for the profiles list."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = enterprise_list(actor).select_related("area", "safety_profile")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc=q.upper()))
    if risk:
        qs = qs.filter(safety_profile__risk_level=risk)
    if category:
        qs = qs.filter(safety_profile__category=category)
    return qs


def _organizations(actor, permission: str, kinds: tuple[str, ...]):
    actor = as_actor(actor)
    qs = Organization.objects.filter(kind__in=kinds)
    if "department" in kinds:  # departments are district-wide: any holder may name them
        return qs.filter(Q(kind="department") | Q(area_id__in=actor.area_ids(permission)))
    return scoped(qs, actor, permission)


def organization_options(actor, *, q: str, kinds: tuple[str, ...] = ("enterprise",),
                         limit: int = OPTIONS_SHOWN) -> tuple[list[Organization], int]:
    """Suggestions for an organisation search field: the first `limit` matches by name or
    credit code and how many match in all."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
    q = (q or "").strip()[:60]
    if not q:
        return [], 0
    qs = _organizations(actor, P.VIEW, kinds).filter(
        Q(name__icontains=q) | Q(uscc__startswith=q.upper())).select_related("area")
    return list(qs.order_by("name")[:limit]), qs.count()


def organization_match(actor, text: str, *, permission: str = P.VIEW,
                       kinds: tuple[str, ...] = ("enterprise",)) -> list[Organization]:
    """The organisations a search field's text names, in the actor's scope for the
    permission: an id, an exact credit code or an exact name (at most two are returned;
    two means the text is ambiguous)."""
    text = (text or "").strip()
    if not text:
        return []
    qs = _organizations(actor, permission, kinds).select_related("area")
    # a credit code may be all digits: read 18 characters as a code before an id
    if len(text) == 18:
        return list(qs.filter(uscc=text.upper())[:2]) or list(qs.filter(name=text)[:2])
    if text.isdigit():
        number = int(text)
        return list(qs.filter(pk=number)) if 0 < number <= MAX_INT else []
    return list(qs.filter(name=text)[:2])


def department_list(actor):
    """Government departments (district-wide), for choosing an inspecting department."""
    as_actor(actor)
    return Organization.objects.filter(kind="department").order_by("name")


def department_get(actor, *, pk: int) -> Organization:
    department = department_list(actor).filter(pk=pk).first()
    if department is None:
        raise NotFound()
    return department


def area_choices(actor, permission: str, levels=("district", "subdistrict")):
    """Areas of the given levels where the actor holds the permission."""
    return Area.objects.filter(id__in=as_actor(actor).area_ids(permission),
                               level__in=levels).order_by("code")


def area_get(actor, permission: str, *, pk: int) -> Area:
    area = Area.objects.filter(id__in=as_actor(actor).area_ids(permission), pk=pk).first()
    if area is None:
        raise NotFound()
    return area


# Certificates expiring within this many days are highlighted (district practice: renewal
# of a 安全生产许可证 is applied for three months before expiry, 《安全生产许可证条例》第九条).
CERTIFICATE_WARNING_DAYS = 90
PROFILE_ROWS_SHOWN = 20


def profile_for(actor, enterprise: Organization) -> SafetyProfile | None:
    actor = as_actor(actor)
    _covers(actor, P.VIEW, enterprise.area)
    return SafetyProfile.objects.filter(enterprise=enterprise).first()


def enterprise_profile(actor, *, pk: int, today: datetime.date | None = None) -> dict:
    """Everything the profile page shows: the profile, certificates with expiry flags,
    training, and the enterprise's hazards, major hazard sources and accidents (the most
    recent of each, with the full counts and links to the complete lists)."""
    actor = as_actor(actor)
    enterprise = enterprise_get(actor, pk=pk)
    today = today or timezone.localdate()
    profile = SafetyProfile.objects.filter(enterprise=enterprise).prefetch_related(
        "certificates", "training").first()
    certificates = list(profile.certificates.all()) if profile else []
    warn = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    for c in certificates:
        c.expired = c.expires_on < today
        c.expiring = today <= c.expires_on <= warn
    training = sorted(profile.training.all(), key=lambda t: t.held_on,
                      reverse=True) if profile else []
    hazards = hazard_list(actor, enterprise=enterprise)
    accidents = accident_list(actor, enterprise=enterprise)
    return {
        "enterprise": enterprise, "profile": profile, "certificates": certificates,
        "training": training[:PROFILE_ROWS_SHOWN], "training_total": len(training),
        "hazards": list(hazards[:10]),
        "hazard_counts": hazards.aggregate(open=Count("id", filter=~Q(state="closed")),
                                           total=Count("id")),
        "sources": list(source_list(actor).filter(enterprise=enterprise).order_by("code")),
        "accidents": list(accidents.order_by("-occurred_at")[:PROFILE_ROWS_SHOWN]),
        "accident_total": accidents.count(),
        "expired": sum(1 for c in certificates if c.expired),
        "expiring": sum(1 for c in certificates if c.expiring)}


def profile_edit(actor, *, pk: int) -> tuple[Organization, SafetyProfile | None]:
    """The enterprise and its profile for the edit form: only for those who keep
    profiles there (`safety.inspect`)."""
    actor = as_actor(actor)
    enterprise = enterprise_get(actor, pk=pk)
    require(actor, P.INSPECT, enterprise.area)
    return enterprise, SafetyProfile.objects.filter(enterprise=enterprise).first()


# --- hazards -----------------------------------------------------------------------------

def hazard_list(actor, *, permission: str = P.VIEW, state: str = "", grade: str = "",
                enterprise: Organization | None = None, overdue: bool = False,
                today: datetime.date | None = None):
    actor = as_actor(actor)
    require(actor, permission)
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


def hazard_detail(actor, *, pk: int) -> Hazard:
    """One hazard with its photos and (for a major hazard) its rectification plan."""
    hazard = get_in_scope(Hazard.objects.select_related("enterprise", "area")
                          .prefetch_related("photos"), as_actor(actor), P.VIEW, pk=pk)
    hazard.plan_record = (getattr(hazard, "plan", None) if hazard.grade == "major" else None)
    return hazard


def hazard_timeline(actor, hazard: Hazard) -> list:
    _covers(as_actor(actor), P.VIEW, hazard.area)
    return timeline(hazard)


def hazard_export(actor, qs):
    """Rows of the hazard spreadsheet (needs `safety.export`)."""
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    for h in qs.iterator(chunk_size=2000):
        yield [h.number, h.enterprise.name, h.area.name, str(h.get_grade_display()),
               h.category, h.location, h.found_on, h.rectify_due, str(h.state_label),
               h.written_off_on]


def hazard_counts(actor, today: datetime.date | None = None) -> dict:
    qs = hazard_list(actor)
    today = today or timezone.localdate()
    return qs.aggregate(open=Count("id", filter=~Q(state="closed")),
                        major=Count("id", filter=Q(grade="major") & ~Q(state="closed")),
                        overdue=Count("id", filter=overdue_q(today)),
                        listed=Count("id", filter=Q(listed=True) & ~Q(state="closed")))


def hazard_categories(actor) -> list[str]:
    """The categories to offer when a hazard is reported: the configured list, then the
    ones already in use in the actor's scope (so that one thing keeps one name)."""
    configured = list(setting("HAZARD_CATEGORIES"))
    used = (hazard_list(actor).order_by().values_list("category", flat=True).distinct())
    return configured + sorted(set(used) - set(configured))


def publication_list(actor, *, pending: bool = False):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(Publication.objects.all(), actor, P.VIEW).order_by("due_on", "id")
    return qs.filter(published_at__isnull=True) if pending else qs


def publication_get(actor, *, pk: int) -> Publication:
    return get_in_scope(Publication.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def public_publications():
    """Published items for the public page (no login)."""
    return Publication.objects.filter(published_at__isnull=False).order_by("-published_at",
                                                                           "-id")


def home_summary(actor) -> dict:
    """The overview page's counts."""
    actor = as_actor(actor)
    return {"counts": hazard_counts(actor), "open_alarms": alarm_list(actor).count(),
            "status": ingest_status(actor)}


# --- major hazard sources, sensors and alarms --------------------------------------------

def source_list(actor):
    return scoped(MajorHazardSource.objects.select_related("enterprise", "area"),
                  as_actor(actor), P.VIEW)


def source_get(actor, *, pk: int) -> MajorHazardSource:
    return get_in_scope(MajorHazardSource.objects.select_related("enterprise", "area"),
                        as_actor(actor), P.VIEW, pk=pk)


def source_sensors(actor, source: MajorHazardSource):
    _covers(as_actor(actor), P.VIEW, source.area)
    return Sensor.objects.filter(source=source).order_by("code")


SOURCE_ALARMS_SHOWN = 50


def source_detail(actor, *, pk: int, hours: float = 1.0) -> dict:
    """A source with its substances, sensor series and its latest alarms (with the count
    of all of them: the page links to the full list)."""
    actor = as_actor(actor)
    source = source_get(actor, pk=pk)
    alarms = alarm_list(actor, state="").filter(source=source)
    return {"source": source, "substances": list(source.substances.all()),
            "series": sensor_series(actor, source, hours=hours),
            "alarms": list(alarms[:SOURCE_ALARMS_SHOWN]), "alarm_total": alarms.count()}


def board(actor, *, level: str = "") -> list[MajorHazardSource]:
    """Sources with their sensors' current readings and open alarms: three queries."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
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


# Chart points per sensor: raw readings of the chosen hours (at most a day of 5-second
# readings), or the latest rollup buckets when there are none. The chart says which.
MAX_RAW_POINTS = 20000
MAX_ROLLUP_POINTS = 500


def sensor_series(actor, source: MajorHazardSource, *, hours: float = 1.0) -> list[dict]:
    """Readings of each sensor of a source: raw for the last hours, rollups before."""
    _covers(as_actor(actor), P.VIEW, source.area)
    since = timezone.now() - datetime.timedelta(hours=hours)
    result = []
    for sensor in source.sensors.order_by("code"):
        rows = list(Reading.objects.filter(sensor=sensor, ts__gte=since).order_by("-ts")
                    .values_list("ts", "value")[:MAX_RAW_POINTS])[::-1]
        if not rows:
            rows = list(ReadingRollup.objects.filter(sensor=sensor).order_by("-bucket")
                        .values_list("bucket", "vavg")[:MAX_ROLLUP_POINTS])[::-1]
        l1, l2 = sensor_thresholds(sensor)
        result.append({"code": sensor.code, "kind": sensor.kind, "unit": sensor.unit,
                       "x": [timezone.localtime(t).isoformat() for t, _ in rows],
                       "y": [v for _, v in rows], "level1": l1, "level2": l2})
    return result


def sensor_thresholds(sensor: Sensor):
    from minsheng.safety.services.iot import load_sensors

    info = load_sensors().get(sensor.code)
    return info.thresholds() if info else (None, None)


ALARM_STATES = ("open", "acknowledged", "closed")


def alarm_list(actor, *, state: str = "open", source: MajorHazardSource | None = None):
    """Alarm incidents in scope: `open` means not closed yet (open or acknowledged)."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(Alarm.objects.select_related("sensor", "source", "enterprise"), actor, P.VIEW)
    if source is not None:
        qs = qs.filter(source=source)
    if state == "open":
        return qs.exclude(state="closed")
    return qs.filter(state=state) if state else qs


def alarm_get(actor, *, pk: int) -> Alarm:
    return get_in_scope(Alarm.objects.select_related("sensor", "source", "enterprise",
                                                     "area"),
                        as_actor(actor), P.VIEW, pk=pk)


def alarm_timeline(actor, alarm: Alarm) -> list:
    _covers(as_actor(actor), P.VIEW, alarm.area)
    return timeline(alarm)


def ingest_status(actor):
    """The latest heartbeat of the ingester (platform-wide, no area)."""
    require(as_actor(actor), P.VIEW)
    return IngestStatus.objects.order_by("-heartbeat_at").first()


def ingest_rejects(actor, limit: int = 50):
    require(as_actor(actor), P.SOURCES)
    return IngestReject.objects.order_by("-received_at")[:limit]


# --- accidents and releases ----------------------------------------------------------------

def accident_list(actor, *, enterprise: Organization | None = None):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(Accident.objects.select_related("enterprise"), actor, P.VIEW)
    return qs.filter(enterprise=enterprise) if enterprise is not None else qs


def accident_get(actor, *, pk: int) -> Accident:
    return get_in_scope(Accident.objects.select_related("enterprise", "area"),
                        as_actor(actor), P.VIEW, pk=pk)


def accident_detail(actor, *, pk: int) -> Accident:
    """One accident with its relays, casualty updates and releases."""
    return get_in_scope(Accident.objects.select_related("enterprise", "area").prefetch_related(
        "relays", Prefetch("updates", queryset=_updates()), "releases"),
        as_actor(actor), P.VIEW, pk=pk)


def _updates():
    from minsheng.safety.models import CasualtyUpdate

    return CasualtyUpdate.objects.order_by("at", "id")


def accident_timeline(actor, accident: Accident) -> list:
    _covers(as_actor(actor), P.VIEW, accident.area)
    return timeline(accident)


def release_get(actor, *, pk: int) -> Release:
    return get_in_scope(Release.objects.select_related("accident"), as_actor(actor), P.VIEW,
                        pk=pk)


def public_releases():
    return Release.objects.filter(state="published").select_related("accident").order_by(
        "-published_at", "-id")


# --- emergency preparedness ------------------------------------------------------------------

def plan_list(actor, *, today: datetime.date | None = None):
    """Plans with their last drill, the next drill due and overdue flags."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
    today = today or timezone.localdate()
    plans = list(scoped(EmergencyPlan.objects.select_related("owner"), actor,
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


def team_list(actor):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    return scoped(RescueTeam.objects.prefetch_related("equipment"), actor, P.VIEW)


def team_get(actor, *, pk: int) -> RescueTeam:
    return get_in_scope(RescueTeam.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def supply_get(actor, *, pk: int) -> SupplyItem:
    return get_in_scope(SupplyItem.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def supply_list(actor, *, today: datetime.date | None = None):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    today = today or timezone.localdate()
    warn = today + datetime.timedelta(days=setting("SUPPLY_EXPIRY_WARNING_DAYS"))
    items = list(scoped(SupplyItem.objects.all(), actor, P.VIEW))
    for item in items:
        item.expired = item.expires_on is not None and item.expires_on < today
        item.expiring = item.expires_on is not None and today <= item.expires_on <= warn
    return items


# --- "double random, one public" inspection plans -------------------------------------

def inspection_plan_list(actor):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    return scoped(InspectionPlan.objects.select_related("area", "department").annotate(
        checks_total=Count("checks"), checks_done=Count("checks", filter=~Q(checks__result=""))),
        actor, P.VIEW).order_by("-id")


def inspection_plan_get(actor, *, pk: int) -> InspectionPlan:
    return get_in_scope(InspectionPlan.objects.select_related("area", "department",
                                                              "created_by"),
                        as_actor(actor), P.VIEW, pk=pk)


def inspection_checks(actor, plan: InspectionPlan) -> list[InspectionCheck]:
    _covers(as_actor(actor), P.VIEW, plan.area)
    return list(plan.checks.select_related("enterprise", "enterprise__area")
                .prefetch_related("inspectors").order_by("enterprise__name"))


def inspection_check_get(actor, *, pk: int) -> InspectionCheck:
    return get_in_scope(InspectionCheck.objects.select_related("plan", "plan__area",
                                                               "enterprise"),
                        as_actor(actor), P.VIEW, area_field="plan__area", pk=pk)


def inspection_timeline(actor, plan: InspectionPlan) -> list:
    _covers(as_actor(actor), P.VIEW, plan.area)
    return timeline(plan)


def draw_reproduces(actor, plan: InspectionPlan) -> bool | None:
    """Re-run the recorded draw from its inputs and seed: True when it gives the same
    assignment (what anyone can check with the published seed)."""
    from minsheng.safety.services.inspections import draw

    _covers(as_actor(actor), P.VIEW, plan.area)
    record = plan.draw_record or {}
    if plan.seed is None or "assignment" not in record:
        return None
    again = draw(plan, record["enterprises"], record["inspectors"],
                 {tuple(c) for c in record["conflicts"]}, plan.seed)
    return [[e, list(t)] for e, t in again] == [[e, list(t)] for e, t in record["assignment"]]


def draw_conflicts(actor, plan: InspectionPlan) -> list[tuple]:
    """The conflicts of interest the draw excluded, as (inspector, enterprise) objects."""
    _covers(as_actor(actor), P.VIEW, plan.area)
    pairs = [tuple(c) for c in (plan.draw_record or {}).get("conflicts", [])]
    users = User.objects.in_bulk({i for i, _ in pairs})
    orgs = Organization.objects.in_bulk({e for _, e in pairs})
    return [(users.get(i), orgs.get(e)) for i, e in pairs]


def department_inspectors(actor, department: Organization):
    """Active staff of a department: the inspectors a plan may draw."""
    as_actor(actor)
    return User.objects.filter(department=department, is_active=True).order_by("username")


def inspector_get(actor, plan: InspectionPlan, *, pk: int) -> User:
    inspector = department_inspectors(actor, plan.department).filter(pk=pk).first()
    if inspector is None:
        raise NotFound()
    return inspector

