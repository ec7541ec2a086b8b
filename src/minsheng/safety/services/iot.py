"""Major hazard sources, sensors, readings and alarm incidents (one write path).

`Pipeline.process(messages)` is what the MQTT ingester calls for each batch: it validates,
stores readings idempotently ((sensor, ts) unique, one multi-row INSERT ... ON CONFLICT DO
NOTHING RETURNING per chunk), evaluates alarm rules on the readings that were new, and
groups triggers into open alarm incidents — all in one transaction.
"""

from __future__ import annotations

import datetime
import json
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, F, Max, Min
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import selectors as followup_selectors
from minsheng.casework import services as followups
from minsheng.casework.clocks import HOURS, Clock
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.safety import grading
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.models import (
    Alarm,
    IngestReject,
    IngestStatus,
    MajorHazardSource,
    Reading,
    ReadingRollup,
    Sensor,
    SourceSubstance,
)
from minsheng.safety.payloads import (
    MAX_PAYLOAD_BYTES,
    Reject,
    check_skew,
    parse_payload,
    sensor_code_from_topic,
)
from minsheng.safety.rules import RuleEngine, SensorInfo, SensorState, Trigger
from minsheng.safety.services.common import supervising_department

ALARM_FOLLOWUP_KIND = "safety_alarm"


# --- sources and sensors ---------------------------------------------------------------

def source_save(*, actor, enterprise: Organization, code: str, name: str,
                population_500m: int, substances: list[tuple[str, float]],
                unit_kind: str = "production", source: MajorHazardSource | None = None,
                version: int | None = None,
                today: datetime.date | None = None) -> MajorHazardSource:
    """Create or update a source from its substances [(substance code, tonnes)]; S, R,
    alpha and the level are computed per GB 18218. An update succeeds only if nobody saved
    the source after the editor read `version`."""
    actor = as_actor(actor)
    require(actor, P.SOURCES, enterprise.area)
    reference = grading.substances()
    items, rows = [], []
    for sub_code, quantity in substances:
        ref = reference.get(sub_code)
        if ref is None:
            raise ValidationFailed(_("Unknown substance: %s") % sub_code, field="substances")
        if quantity is None or quantity < 0:
            raise ValidationFailed(_("Quantities must not be negative."), field="substances")
        items.append((float(quantity), ref.q_t, ref.beta))
        rows.append((ref, float(quantity)))
    if population_500m < 0:
        raise ValidationFailed(_("Population must not be negative."), field="population_500m")
    result = grading.grade(items, population_500m)
    values = {"enterprise": enterprise, "area": enterprise.area, "name": name[:120],
              "unit_kind": unit_kind, "population_500m": population_500m,
              "s_value": result.s, "r_value": result.r, "alpha": result.alpha,
              "level": result.level, "identified_on": today or timezone.localdate()}
    with transaction.atomic():
        if source is None:
            source = MajorHazardSource.objects.create(code=code[:40], **values)
            action = AuditEntry.Action.CREATE
        else:
            save_versioned(source, version, values=values)
            source.substances.all().delete()
            action = AuditEntry.Action.UPDATE
        SourceSubstance.objects.bulk_create(
            SourceSubstance(source=source, substance_code=ref.code, name=ref.name,
                            quantity_t=q, critical_t=ref.q_t, beta=ref.beta) for ref, q in rows)
        audit.record(actor, action, obj=source,
                     changes={"s": [None, result.s], "r": [None, result.r],
                              "level": [None, result.level]})
    return source


def sensor_create(*, actor, source: MajorHazardSource, code: str, kind: str, unit: str,
                  **options) -> Sensor:
    actor = as_actor(actor)
    require(actor, P.SOURCES, source.area)
    if kind not in Sensor.Kind.values:
        raise ValidationFailed(_("Unknown sensor kind."), field="kind")
    if kind == "toxic" and not options.get("oel") and options.get("level1") is None:
        raise ValidationFailed(_("A toxic gas sensor needs its occupational exposure limit."),
                               field="oel")
    with transaction.atomic():
        sensor = Sensor.objects.create(source=source, code=code, kind=kind, unit=unit,
                                       **options)
        audit.record(actor, AuditEntry.Action.CREATE, obj=sensor)
    return sensor


# --- alarms ----------------------------------------------------------------------------

def alarm_open(*, sensor: SensorInfo, rule: str, group: list[Trigger], level: int, peak,
               department_id: int | None, now: datetime.datetime | None = None) -> Alarm:
    """Open an alarm incident for a sensor and rule (the ingester, as the platform): the
    incident, its acknowledgement and handling deadlines, the timeline event, the audit
    row and the department's follow-up, all in one transaction. Raises IntegrityError when
    another ingester opened the same incident a moment ago."""
    actor = system_actor()
    first, last = group[0], group[-1]
    created = now or timezone.now()
    with transaction.atomic():
        alarm = Alarm.objects.create(
            sensor_id=sensor.id, source_id=sensor.source_id, enterprise_id=sensor.enterprise_id,
            department_id=department_id, area_id=sensor.area_id, rule=rule, level=level,
            state=Alarm.workflow.initial, first_ts=first.ts, last_ts=last.ts, count=len(group),
            peak_value=peak, message=last.message[:200],
            ack_due=created + datetime.timedelta(minutes=setting("ALARM_ACK_MINUTES")),
            handle_due=created + datetime.timedelta(hours=setting("ALARM_HANDLE_HOURS")))
        record_event(alarm, actor=actor, to_state=alarm.state, note=alarm.message)
        audit.record(actor, AuditEntry.Action.CREATE, obj=alarm,
                     changes={"rule": [None, rule], "level": [None, level]})
        followups.followup_open(
            actor=actor, kind=ALARM_FOLLOWUP_KIND,
            title=_("Alarm at %(s)s: %(m)s") % {"s": sensor.code, "m": alarm.message},
            area=alarm.area, department=alarm.department, source_type="safety.alarm",
            source_id=alarm.pk, due_date=timezone.localdate(alarm.handle_due))
    return alarm


def alarm_acknowledge(*, actor, alarm: Alarm, version: int | None = None,
                      note: str = "") -> Alarm:
    """Someone on duty has seen the alarm and is handling it."""
    actor = as_actor(actor)
    return transition(actor=actor, case=alarm, name="acknowledge", version=version,
                      note=(note or "").strip(),
                      changes={"acknowledged_at": timezone.now(),
                               "acknowledged_by": actor.user if actor.is_authenticated
                               else None})


def alarm_close(*, actor, alarm: Alarm, outcome: str, version: int | None = None) -> Alarm:
    """Close the incident with how it was handled; its follow-up item closes with it."""
    actor = as_actor(actor)
    require(actor, P.ALARMS, alarm.area)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationFailed(_("Describe how the alarm was handled."), field="outcome")
    changes = {"outcome": outcome}
    if alarm.acknowledged_at is None:
        changes.update(acknowledged_at=timezone.now(),
                       acknowledged_by=actor.user if actor.is_authenticated else None)
    with transaction.atomic():
        transition(actor=actor, case=alarm, name="close", version=version, note=outcome,
                   changes=changes)
        open_items = followup_selectors.followup_list(system_actor(), kind=ALARM_FOLLOWUP_KIND)
        for item in open_items.filter(source_type="safety.alarm", source_id=str(alarm.pk),
                                      state="open"):
            followups.followup_close(actor=system_actor(), followup=item, outcome=outcome,
                                     version=item.version)
    return alarm


def alarm_clocks(alarm: Alarm) -> list[Clock]:
    """Acknowledgement (minutes) and handling (hours) from the configured limits."""
    minutes = setting("ALARM_ACK_MINUTES")
    ack = Clock(_("Acknowledgement (%(n)s minutes)") % {"n": minutes}, alarm.created_at,
                alarm.created_at + datetime.timedelta(minutes=minutes),
                alarm.acknowledged_at, unit=HOURS, waiting_on=_("the officer on duty"))
    handle = Clock.after(_("Handling"), alarm.created_at, setting("ALARM_HANDLE_HOURS"), HOURS,
                         done=alarm.closed_at, waiting_on=_("the enterprise and the department"))
    return [ack, handle]


# --- ingestion pipeline ----------------------------------------------------------------

@dataclass(slots=True)
class Message:
    topic: str
    payload: bytes
    mid: int = 0
    connection: int = 0  # which broker connection delivered it (its mid is acked there)


_fromtimestamp = datetime.datetime.fromtimestamp
_fromisoformat = datetime.datetime.fromisoformat


def _by_sensor_and_time(row):
    return row[0].id, row[1]


def _ts_adapter():
    """The database parameter for an aware datetime, as Django's
    `adapt_datetimefield_value` makes it (the unique (sensor, ts) key must match exactly),
    without its per-value overhead where that is safe."""
    ops = connection.ops
    if connection.vendor == "postgresql":
        return _same
    if connection.vendor == "sqlite" and str(connection.timezone) == "UTC":
        probe = datetime.datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=datetime.UTC)
        if (_naive_str(probe) == ops.adapt_datetimefield_value(probe)
                and _naive_str(probe.replace(microsecond=0))
                == ops.adapt_datetimefield_value(probe.replace(microsecond=0))):
            return _naive_str
    return ops.adapt_datetimefield_value


def _same(value):
    return value


def _naive_str(value: datetime.datetime) -> str:
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(datetime.UTC)
    return str(value.replace(tzinfo=None))


@dataclass
class Counters:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    dropped: int = 0
    db_retries: int = 0
    alarms: int = 0
    reasons: Counter = field(default_factory=Counter)


def load_sensors() -> dict[str, SensorInfo]:
    rows = Sensor.objects.filter(active=True).values_list(
        "id", "code", "kind", "unit", "source_id", "source__enterprise_id", "source__area_id",
        "interval_seconds", "oel", "level1", "level2", "low1", "max_rate_per_min")
    return {r[1]: SensorInfo(*r) for r in rows}


class Pipeline:
    """Validation, idempotent storage and alarm evaluation of MQTT messages."""

    REJECTS_KEPT_PER_BATCH = 100

    def __init__(self, *, prefix: str | None = None, now=timezone.now):
        self.prefix = prefix or setting("MQTT_TOPIC_PREFIX")
        self.now = now
        self.sensors: dict[str, SensorInfo] = {}
        self.by_id: dict[int, SensorInfo] = {}
        self.loaded_at = -1e9
        self.engine = RuleEngine()
        self.counters = Counters()
        self.open_alarms: dict[tuple[int, str], int] = {}
        self.alarms_loaded_at = -1e9
        self.dirty: dict[int, tuple[float, datetime.datetime]] = {}
        self.department_id = None
        # rules evaluated elsewhere (the ingester's alarm lane), left out of `process`
        self.lane_rules: frozenset[str] = frozenset()

    # sensors are cached; an unknown code reloads them at most every 5 seconds
    def _refresh(self, force: bool = False) -> None:
        if force or time.monotonic() - self.loaded_at > 300:
            self.sensors = load_sensors()
            self.by_id = {s.id: s for s in self.sensors.values()}
            self.loaded_at = time.monotonic()
            dept = supervising_department()
            self.department_id = dept.pk if dept else None
            for sensor_id, value, ts in Sensor.objects.filter(
                    last_ts__isnull=False).values_list("id", "last_value", "last_ts"):
                self.engine.states.setdefault(sensor_id,
                                              SensorState(last_value=value, last_ts=ts))

    def _sensor(self, code: str) -> SensorInfo:
        sensor = self.sensors.get(code)
        if sensor is None and time.monotonic() - self.loaded_at > 5:
            self._refresh(force=True)
            sensor = self.sensors.get(code)
        if sensor is None:
            raise Reject("unknown_sensor", code)
        return sensor

    def parse(self, messages: list[Message]):
        """Validate a batch: [(sensor, ts, value, status)] and [(message, Reject)].

        The common message (a registered sensor, one reading with a numeric or ISO `ts`,
        a finite value, no unit or the registered one, status ok) takes a fast path with
        plain comparisons; anything else goes through `parse_payload`, which names the
        reason it is refused."""
        self._refresh()
        now = self.now()
        future = setting("MAX_FUTURE_SKEW_SECONDS")
        past = setting("MAX_PAST_SKEW_SECONDS")
        now_s = now.timestamp()
        lo, hi = now_s - past, now_s + future
        head = self.prefix.rstrip("/") + "/sensor/"
        cut = len(head)
        sensors = self.sensors
        loads, fromts, fromiso, utc = json.loads, _fromtimestamp, _fromisoformat, datetime.UTC
        rows, rejects = [], []
        self.counters.received += len(messages)
        for m in messages:
            topic, payload = m.topic, m.payload
            sensor = sensors.get(topic[cut:]) if topic.startswith(head) else None
            if sensor is not None and len(payload) <= MAX_PAYLOAD_BYTES:
                try:
                    data = loads(payload)
                except ValueError:
                    data = None
                if type(data) is dict and "readings" not in data:
                    ts, value = data.get("ts"), data.get("value")
                    kind = type(value)
                    if ((kind is float or (kind is int and -1e15 < value < 1e15))
                            and value - value == 0
                            and data.get("status", "ok") == "ok"
                            and data.get("unit", sensor.unit) == sensor.unit):
                        at = None
                        kind = type(ts)
                        if kind is int or kind is float:
                            seconds = ts / 1000 if ts > 1e11 else ts
                            if lo <= seconds <= hi:
                                at = fromts(seconds, utc)
                        elif kind is str:
                            try:
                                at = fromiso(ts)
                            except ValueError:
                                at = None
                            if at is not None:
                                if at.tzinfo is None or not lo <= at.timestamp() <= hi:
                                    at = None
                                else:
                                    at = at.astimezone(utc)
                        if at is not None:
                            rows.append((sensor, at, float(value), "ok"))
                            continue
            try:  # the careful path: find the reason
                sensor = self._sensor(sensor_code_from_topic(topic, self.prefix))
                parsed = parse_payload(payload)
                for p in parsed:
                    check_skew(p.ts, now, future, past)
                    if p.unit and p.unit != sensor.unit:
                        raise Reject("unit_mismatch", f"{p.unit} != {sensor.unit}")
                rows.extend((sensor, p.ts, p.value, p.status) for p in parsed)
            except Reject as r:
                self.counters.rejected += 1
                self.counters.reasons[r.reason] += 1
                rejects.append((m, r))
        return rows, rejects

    def process(self, messages: list[Message]) -> list[Alarm]:
        """Store one batch in one transaction. Raises the database error if the database is
        unavailable (the caller retries the same batch: storage is idempotent)."""
        rows, rejects = self.parse(messages)
        received_at = self.now()
        with transaction.atomic():
            new = self._insert(rows, received_at)
            self.counters.stored += len(new)
            self.counters.duplicates += len(rows) - len(new)
            new.sort(key=_by_sensor_and_time)
            dirty = self.dirty
            for sensor, ts, value, _status in new:
                dirty[sensor.id] = (value, ts)
            triggers = self.engine.evaluate_many(
                [(sensor, ts, value) for sensor, ts, value, status in new if status == "ok"])
            if self.lane_rules:
                triggers = [t for t in triggers if t.rule not in self.lane_rules]
            alarms = self.raise_alarms(triggers)
            if rejects:
                IngestReject.objects.bulk_create(
                    IngestReject(topic=m.topic[:200], payload=m.payload[:500].decode(
                        "utf-8", "replace"), reason=r.reason, detail=r.detail)
                    for m, r in rejects[:self.REJECTS_KEPT_PER_BATCH])
        return alarms

    def alarm_now(self, messages: list[Message], rules: frozenset[str]) -> list[Alarm]:
        """The alarm lane: evaluate `rules` (stateless ones: threshold, low limit) on the
        messages as they arrive and open or count the incidents; nothing is stored."""
        rows, _rejects = self.parse(messages)
        triggers = [t for t in self.engine.evaluate_many(
            [(sensor, ts, value) for sensor, ts, value, status in rows if status == "ok"])
            if t.rule in rules]
        if not triggers:
            return []
        with transaction.atomic():
            return self.raise_alarms(triggers)

    def _insert(self, rows, received_at) -> list:
        """One multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING per chunk; the rows
        that were new (the others are duplicates: redeliveries, replays)."""
        if not rows:
            return []
        table = connection.ops.quote_name(Reading._meta.db_table)
        adapt = _ts_adapter()
        at = adapt(received_at)
        new = []
        chunk = 2000 if connection.vendor != "sqlite" else 8000  # bound the statement size
        with connection.cursor() as cursor:
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                lookup = {}
                params = []
                for row in part:
                    sensor_id, key = row[0].id, adapt(row[1])
                    lookup[(sensor_id, key)] = row
                    params += (sensor_id, key, row[2], at)
                values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
                cursor.execute(
                    f"INSERT INTO {table} (sensor_id, ts, value, received_at) "  # noqa: S608
                    f"VALUES {values} ON CONFLICT (sensor_id, ts) DO NOTHING "
                    "RETURNING sensor_id, ts", params)
                for sensor_id, ts in cursor.fetchall():
                    found = lookup.get((sensor_id, ts if isinstance(ts, str) else adapt(ts)))
                    if found is not None:
                        new.append(found)
        return new

    def _open_alarm_ids(self) -> dict[tuple[int, str], int]:
        if time.monotonic() - self.alarms_loaded_at > 2:
            self.open_alarms = {(s, r): pk for pk, s, r in Alarm.objects.exclude(
                state="closed").values_list("id", "sensor_id", "rule")}
            self.alarms_loaded_at = time.monotonic()
        return self.open_alarms

    def raise_alarms(self, triggers: list[Trigger]) -> list[Alarm]:
        """Group triggers per (sensor, rule) into the open incident or open a new one."""
        if not triggers:
            return []
        grouped: dict[tuple[int, str], list[Trigger]] = {}
        for t in triggers:
            grouped.setdefault((t.sensor_id, t.rule), []).append(t)
        opened = []
        open_ids = self._open_alarm_ids()
        for (sensor_id, rule), group in grouped.items():
            level = max(t.level for t in group)
            values = [t.value for t in group if t.value is not None]
            peak = max(values) if values else None
            last = group[-1]
            pk = open_ids.get((sensor_id, rule))
            if pk is not None and Alarm.objects.filter(pk=pk).exclude(state="closed").update(
                    count=F("count") + len(group), last_ts=last.ts,
                    level=Greatest("level", level), message=last.message[:200],
                    **({"peak_value": Greatest("peak_value", peak)} if peak is not None
                       else {})):
                continue
            alarm = self._open(self.by_id[sensor_id], rule, group, level, peak)
            if alarm is not None:
                opened.append(alarm)
        return opened

    def _open(self, sensor: SensorInfo, rule: str, group, level: int, peak):
        try:
            alarm = alarm_open(sensor=sensor, rule=rule, group=group, level=level, peak=peak,
                               department_id=self.department_id)
        except IntegrityError:  # opened a moment ago by another ingester
            self.alarms_loaded_at = -1e9
            return None
        self.open_alarms[(sensor.id, rule)] = alarm.pk
        self.counters.alarms += 1
        return alarm

    def check_silent(self) -> list[Alarm]:
        self._refresh()
        with transaction.atomic():
            return self.raise_alarms(self.engine.silent(self.by_id, self.now()))

    def flush_state(self) -> int:
        """Write each sensor's latest reading (for the live board), one statement."""
        if not self.dirty:
            return 0
        rows = [(v, ts, sid) for sid, (v, ts) in self.dirty.items()]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(Sensor._meta.db_table)} "  # noqa: S608
                "SET last_value = %s, last_ts = %s WHERE id = %s AND "
                "(last_ts IS NULL OR last_ts <= %s)",
                [(v, connection.ops.adapt_datetimefield_value(ts), sid,
                  connection.ops.adapt_datetimefield_value(ts)) for v, ts, sid in rows])
        self.dirty.clear()
        return len(rows)

    def save_status(self, client_id: str, started_at, connected: bool, buffered: int) -> None:
        c = self.counters
        IngestStatus.objects.update_or_create(client_id=client_id, defaults=dict(
            started_at=started_at, heartbeat_at=timezone.now(), connected=connected,
            received=c.received, stored=c.stored, duplicates=c.duplicates,
            rejected=c.rejected, dropped=c.dropped, db_retries=c.db_retries,
            alarms=c.alarms, buffered=buffered))


# --- retention -------------------------------------------------------------------------

def readings_prune(*, now: datetime.datetime | None = None, days: int | None = None) -> dict:
    """Roll raw readings older than the retention into buckets, then delete them."""
    now = now or timezone.now()
    days = days if days is not None else setting("RAW_RETENTION_DAYS")
    if days < setting("RAW_RETENTION_DAYS") and days < 30:
        raise ValidationFailed(_("Raw readings are kept at least 30 days."))
    cutoff = now - datetime.timedelta(days=days)
    rolled = downsample(until=cutoff)
    with transaction.atomic():
        deleted, _detail = Reading.objects.filter(ts__lt=cutoff).delete()
    return {"rolled_up": rolled, "deleted": deleted, "cutoff": cutoff.isoformat()}


def downsample(*, until: datetime.datetime, since: datetime.datetime | None = None) -> int:
    """Buckets of DOWNSAMPLE_MINUTES per sensor (aggregated in SQL per bucket window)."""
    minutes = setting("DOWNSAMPLE_MINUTES")
    qs = Reading.objects.filter(ts__lt=until)
    if since is None:  # continue after the last bucket already rolled up
        last = ReadingRollup.objects.aggregate(m=Max("bucket"))["m"]
        since = last + datetime.timedelta(minutes=minutes) if last else None
    if since is not None:
        qs = qs.filter(ts__gte=since)
    first = qs.order_by("ts").values_list("ts", flat=True).first()
    if first is None:
        return 0
    step = datetime.timedelta(minutes=minutes)
    bucket = first.replace(second=0, microsecond=0)
    bucket -= datetime.timedelta(minutes=bucket.minute % minutes)
    made = 0
    with transaction.atomic():
        while bucket < until:
            end = min(bucket + step, until)
            rows = list(qs.filter(ts__gte=bucket, ts__lt=end).values("sensor_id")
                    .annotate(n=Count("id"), vmin=Min("value"), vmax=Max("value"),
                              vavg=Avg("value")))
            ReadingRollup.objects.bulk_create(
                [ReadingRollup(sensor_id=r["sensor_id"], bucket=bucket, n=r["n"],
                               vmin=r["vmin"], vmax=r["vmax"], vavg=r["vavg"]) for r in rows],
                update_conflicts=True, unique_fields=["sensor", "bucket"],
                update_fields=["n", "vmin", "vmax", "vavg"])
            made += len(rows)
            bucket = end
    return made
