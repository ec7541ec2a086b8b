"""Every read of the safety module, scoped to what the actor may see."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.models import Organization
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
    months = setting("DRILL_MONTHS")
    for p in plans:
        base = p.last_drill or p.issued_on
        p.drill_due = add_months(base, months.get(p.plan_type, 12))
        p.drill_overdue = p.drill_due < today
        p.evaluation_due = add_months(p.last_evaluated_on or p.issued_on,
                                      setting("EVALUATION_MONTHS"))
        p.evaluation_overdue = p.evaluation_due < today
    return plans


def plan_get(actor, *, pk: int) -> EmergencyPlan:
    return get_in_scope(EmergencyPlan.objects.all(), as_actor(actor), P.VIEW, pk=pk)


def drill_list(actor):
    return Drill.objects.filter(plan__in=scoped(EmergencyPlan.objects.all(), as_actor(actor),
                                                P.VIEW)).select_related("plan")


def team_list(actor):
    return scoped(RescueTeam.objects.prefetch_related("equipment"), as_actor(actor), P.VIEW)


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
