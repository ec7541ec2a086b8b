"""Ingestion pipeline without a broker: validation, idempotency, alarm rules, grouping,
database outage."""

import datetime
import json

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from minsheng.casework.models import FollowUp
from minsheng.safety.models import Alarm, IngestReject, Reading, Sensor
from minsheng.safety.payloads import Reject, parse_payload
from minsheng.safety.services.iot import Message, Pipeline, readings_prune

PREFIX = "minsheng/safety/v1"


def msg(code, value, ts, **extra):
    body = {"ts": ts.isoformat() if isinstance(ts, datetime.datetime) else ts, "value": value,
            **extra}
    return Message(f"{PREFIX}/sensor/{code}", json.dumps(body).encode())


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.mark.django_db
def test_payload_validation():
    assert parse_payload(b'{"ts": 1795918500250, "value": 3}')[0].value == 3.0
    for bad, reason in [(b"{not json", "malformed_json"), (b'{"value": 1}', "missing_ts"),
                        (b'{"ts": "2026-01-01T00:00:00", "value": 1}', "ts_without_timezone"),
                        (b'{"ts": 1795918500, "value": "x"}', "bad_value"),
                        (b'{"ts": 1795918500, "value": NaN}', "bad_value"),
                        (b'{"readings": []}', "bad_batch")]:
        with pytest.raises(Reject) as caught:
            parse_payload(bad)
        assert caught.value.reason == reason


@pytest.mark.django_db
def test_geometry_of_grading_source(source):
    # NH3 60 t / 10 t * beta 2 + CH4 10/50 * 1.5 ; alpha 2 for 120 people
    assert source.s_value == pytest.approx(6.2)
    assert source.r_value == pytest.approx(2 * (12 + 0.3))
    assert source.level == "III"


@pytest.mark.django_db
def test_stores_once_and_rejects_bad_messages(source, now):
    p = Pipeline(prefix=PREFIX)
    batch = [msg("GAS-1", 2.0, now), msg("GAS-1", 2.0, now),  # duplicate delivery
             msg("NOPE-9", 1.0, now),  # unknown sensor
             Message(f"{PREFIX}/sensor/GAS-1", b'{"ts": '),  # malformed
             msg("GAS-1", 1.0, now + datetime.timedelta(hours=2)),  # clock ahead
             msg("GAS-1", 1.0, now - datetime.timedelta(seconds=1), unit="ppm")]
    p.process(batch)
    p.process(batch[:2])  # redelivered after a crash
    assert Reading.objects.count() == 1
    assert p.counters.stored == 1 and p.counters.duplicates == 3
    assert dict(p.counters.reasons) == {"unknown_sensor": 1, "malformed_json": 1,
                                        "clock_skew_future": 1, "unit_mismatch": 1}
    assert set(IngestReject.objects.values_list("reason", flat=True)) == {
        "unknown_sensor", "malformed_json", "clock_skew_future", "unit_mismatch"}


@pytest.mark.django_db
def test_threshold_alarms_are_grouped_and_escalated(source, now):
    p = Pipeline(prefix=PREFIX)
    p.process([msg("GAS-1", 10, now), msg("GAS-1", 26, now + datetime.timedelta(seconds=1))])
    alarm = Alarm.objects.get()
    assert (alarm.rule, alarm.level, alarm.count) == ("threshold", 1, 1)
    assert alarm.ack_due > alarm.created_at and alarm.handle_due > alarm.ack_due
    assert FollowUp.objects.filter(kind="safety_alarm", source_id=str(alarm.pk)).exists()
    p.process([msg("GAS-1", 55, now + datetime.timedelta(seconds=2 + i)) for i in range(3)])
    alarm.refresh_from_db()
    assert Alarm.objects.count() == 1  # grouped, not duplicated
    assert (alarm.level, alarm.count, alarm.peak_value) == (2, 4, 55)


@pytest.mark.django_db
def test_toxic_default_is_oel_based(source, now):
    p = Pipeline(prefix=PREFIX)
    p.process([msg("TOX-1", 19, now)])
    assert not Alarm.objects.exists()
    p.process([msg("TOX-1", 41, now + datetime.timedelta(seconds=1))])
    assert Alarm.objects.get().level == 2  # 41 mg/m3 >= 200 % of OEL 20


@pytest.mark.django_db
def test_rate_stuck_and_silent(source, now, settings):
    settings.MINSHENG_SAFETY = {"STUCK_AFTER_READINGS": 5}
    p = Pipeline(prefix=PREFIX, now=lambda: now + datetime.timedelta(minutes=10))
    p.process([msg("T-1", 30, now), msg("T-1", 40, now + datetime.timedelta(seconds=60))])
    assert Alarm.objects.filter(rule="rate").exists()  # 10 °C/min > 5
    p.process([msg("T-1", 40, now + datetime.timedelta(seconds=60 + 30 * i))
               for i in range(1, 8)])
    assert Alarm.objects.filter(rule="stuck").count() == 1
    p.check_silent()  # the clock says 10 minutes later: T-1 last reported 4 minutes ago
    assert Alarm.objects.filter(rule="silent", sensor__code="T-1").exists()


@pytest.mark.django_db
def test_database_outage_is_retried_without_loss(source, now, monkeypatch):
    from minsheng.safety.ingest import Ingester

    ing = Ingester(batch=10, flush_seconds=0.01)
    real = ing.pipeline.process
    calls = {"n": 0}

    def flaky(items):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise OperationalError("database is locked")
        return real(items)

    monkeypatch.setattr(ing.pipeline, "process", flaky)
    monkeypatch.setattr("minsheng.safety.ingest.close_old_connections", lambda: None)
    ing._store([msg("GAS-1", 1.0, now + datetime.timedelta(seconds=i)) for i in range(5)])
    assert Reading.objects.count() == 5 and ing.pipeline.counters.db_retries == 2


@pytest.mark.django_db
def test_full_buffer_drops_are_counted_and_not_acknowledged(source):
    from minsheng.safety.ingest import Ingester

    ing = Ingester(buffer=2)

    class M:
        topic, payload, mid = f"{PREFIX}/sensor/GAS-1", b"{}", 7

    for _ in range(3):
        ing._on_message(None, None, M)
    assert ing.buffer.qsize() == 2 and ing.pipeline.counters.dropped == 1
    assert ing.needs_redelivery  # reconnect later so the broker sends it again


@pytest.mark.django_db
def test_state_flush_and_prune(source, settings):
    # Time is fixed: two readings 5 s apart fall in one 5-minute rollup bucket only when
    # they do not straddle a bucket boundary (with a free-running clock the test failed
    # whenever "now" fell in the last 5 s before one).
    now = timezone.now().replace(minute=2, second=0, microsecond=0)
    p = Pipeline(prefix=PREFIX, now=lambda: now)
    old = now - datetime.timedelta(days=40)
    p.process([msg("GAS-1", 3.0, now)])
    p.flush_state()
    assert Sensor.objects.get(code="GAS-1").last_value == 3.0
    p2 = Pipeline(prefix=PREFIX, now=lambda: old)
    p2.process([msg("GAS-1", 1.0, old), msg("GAS-1", 2.0, old + datetime.timedelta(seconds=5))])
    result = readings_prune(now=now)
    assert result["deleted"] == 2 and result["rolled_up"] == 1
    assert Reading.objects.count() == 1


@pytest.mark.django_db
def test_prune_buckets_straddling_a_boundary(source):
    """Readings either side of a bucket boundary roll up into two buckets."""
    now = timezone.now().replace(minute=2, second=0, microsecond=0)
    old = now.replace(minute=0) - datetime.timedelta(days=40, seconds=2)  # xx:59:58
    Pipeline(prefix=PREFIX, now=lambda: old).process(
        [msg("GAS-1", 1.0, old), msg("GAS-1", 2.0, old + datetime.timedelta(seconds=5))])
    result = readings_prune(now=now)
    assert result["deleted"] == 2 and result["rolled_up"] == 2
