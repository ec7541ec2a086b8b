"""The batch path of the ingester: the fast validation agrees with the careful one, rules
over a batch match reading-by-reading evaluation, acknowledgements stay on their
connection."""

import datetime
import json

import pytest
from django.utils import timezone

from minsheng.safety.ingest import Ingester
from minsheng.safety.models import Reading
from minsheng.safety.rules import RuleEngine, SensorInfo
from minsheng.safety.services.iot import Message, Pipeline

PREFIX = "minsheng/safety/v1"


def raw(code, body):
    return Message(f"{PREFIX}/sensor/{code}", json.dumps(body).encode()
                   if not isinstance(body, bytes) else body)


@pytest.mark.django_db
def test_fast_and_careful_paths_store_the_same_instant(source):
    now = timezone.now().replace(microsecond=0)
    local = now.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    p = Pipeline(prefix=PREFIX)
    p.process([raw("GAS-1", {"ts": round(now.timestamp() * 1000), "value": 1}),
               raw("GAS-1", {"ts": local.isoformat(), "value": 2.0, "unit": "%LEL"}),
               raw("GAS-1", {"ts": now.timestamp(), "value": 3, "status": "ok"}),
               raw("GAS-1", {"readings": [{"ts": now.isoformat(), "value": 4}]})])
    assert Reading.objects.count() == 1  # one instant, four spellings
    assert p.counters.stored == 1 and p.counters.duplicates == 3


@pytest.mark.django_db
def test_unusual_messages_get_their_reason(source):
    now = timezone.now()
    p = Pipeline(prefix=PREFIX)
    p.process([raw("GAS-1", {"ts": now.isoformat(), "value": 10 ** 400}),
               raw("GAS-1", {"ts": now.replace(tzinfo=None).isoformat(), "value": 1}),
               raw("GAS-1", {"ts": now.isoformat(), "value": 1, "unit": "ppm"}),
               raw("GAS-1", {"ts": now.timestamp() + 3600, "value": 1}),
               raw("GAS-1", {"ts": now.isoformat(), "value": True}),
               raw("GAS-1", b'{"ts": 1, "value": Infinity}'),
               raw("GAS-1", {"ts": (now + datetime.timedelta(seconds=1)).isoformat(),
                             "value": 80, "status": "fault"})])
    assert dict(p.counters.reasons) == {"bad_value": 3, "ts_without_timezone": 1,
                                        "unit_mismatch": 1, "clock_skew_future": 1}
    assert p.counters.stored == 1  # the fault reading is stored, and does not alarm
    assert p.counters.alarms == 0


def test_batch_rules_match_one_by_one():
    temp = SensorInfo(1, "T-1", "temperature", "°C", 1, 1, 1, level1=60, level2=80,
                      low1=5, max_rate_per_min=5)
    gas = SensorInfo(2, "G-1", "combustible", "%LEL", 1, 1, 1)
    start = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    values = [30, 40, 40, 4, 65, 90, 90, 90, 30, 30]
    items = [(s, start + datetime.timedelta(seconds=20 * i), float(v))
             for s in (temp, gas) for i, v in enumerate(values)]
    items.append((temp, start, 99.0))  # late: thresholds only
    one = RuleEngine()
    expected = [t for s, ts, v in items for t in one.evaluate(s, ts, v)]
    assert RuleEngine().evaluate_many(items) == expected
    assert {t.rule for t in expected} == {"threshold", "low", "rate"}


@pytest.mark.django_db
def test_acks_only_for_the_current_connection(source):
    ing = Ingester()
    sent = []
    ing.client.ack_many = sent.extend
    ing.connection = 2
    ing._ack([Message("t", b"", 5, 1), Message("t", b"", 6, 2), Message("t", b"", 7, 2)])
    assert sent == [6, 7]  # message 5 came on the old connection: the broker resends it
