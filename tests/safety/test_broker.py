"""Through the real Mosquitto broker at 127.0.0.1:1883 (CI starts it; outside CI the tests
skip when it is down)."""

import datetime
import json
import os
import socket
import time
import uuid

import pytest
from django.utils import timezone

from minsheng.safety.ingest import Ingester
from minsheng.safety.models import Reading
from minsheng.safety.simulate import connect

PREFIX = "minsheng/safety/v1"


def broker_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 1883), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def broker():
    if not broker_up():
        if os.environ.get("CI"):
            pytest.fail("the MQTT broker must run in CI (mosquitto -d -c "
                        "/etc/mosquitto/mosquitto.conf)")
        pytest.skip("no MQTT broker at 127.0.0.1:1883")


def subscribe_session(client_id: str) -> None:
    """Create the persistent session (and its subscription) so the broker queues for it."""
    ing = Ingester(client_id=client_id, alarm_lane=False)
    ing.run(seconds=5, stop_when=ing.connected.is_set)


def publish(messages) -> None:
    client = connect("127.0.0.1", 1883, f"test-pub-{uuid.uuid4().hex[:6]}")
    infos = [client.publish(topic, data, qos=1) for topic, data in messages]
    for info in infos:
        info.wait_for_publish(10)
    client.disconnect()
    client.loop_stop()


def readings(n, start):
    for i in range(n):
        ts = (start + datetime.timedelta(seconds=i)).isoformat()
        yield f"{PREFIX}/sensor/GAS-1", json.dumps({"ts": ts, "value": 1 + i % 3}).encode()


@pytest.mark.django_db
def test_qos1_messages_are_stored_once(broker, source):
    client_id = f"test-ingest-{uuid.uuid4().hex[:8]}"
    subscribe_session(client_id)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
    batch = list(readings(200, start))
    publish(batch + batch[:50])  # 50 duplicates, sent while the ingester is down
    ing = Ingester(client_id=client_id, flush_seconds=0.05, alarm_lane=False)
    deadline = time.monotonic() + 20
    ing.run(seconds=25, stop_when=lambda: ing.pipeline.counters.received >= 250
            or time.monotonic() > deadline)
    assert Reading.objects.count() == 200
    assert ing.pipeline.counters.duplicates == 50


@pytest.mark.django_db
def test_ingester_crash_loses_nothing(broker, source):
    client_id = f"test-ingest-{uuid.uuid4().hex[:8]}"
    subscribe_session(client_id)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
    publish(list(readings(300, start)))
    crashing = Ingester(client_id=client_id, batch=50, flush_seconds=0.05,
                        alarm_lane=False)
    real = crashing.pipeline.process
    calls = {"n": 0}

    def crash_on_third(items):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed")  # before the batch is committed and acknowledged
        return real(items)

    crashing.pipeline.process = crash_on_third
    with pytest.raises(RuntimeError):
        crashing.run(seconds=20)
    assert 0 < Reading.objects.count() < 300
    again = Ingester(client_id=client_id, flush_seconds=0.05, alarm_lane=False)
    deadline = time.monotonic() + 20
    again.run(seconds=25, stop_when=lambda: Reading.objects.count() >= 300
              or time.monotonic() > deadline)
    assert Reading.objects.count() == 300
