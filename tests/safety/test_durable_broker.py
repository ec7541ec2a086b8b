"""Faults against the durable broker (RabbitMQ's MQTT plugin on 127.0.0.1:1884, quorum
queues; docs/decisions/0006-durable-iot-broker.md). CI enables it (.ci/run); elsewhere the
tests skip when it is down.

The ingester runs as a real process (`minsheng safety iot ingest`) on a copy of the test
database, so it can be killed with SIGKILL mid-batch."""

import datetime
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from django.utils import timezone

import minsheng
from minsheng.safety.ingest import Ingester
from minsheng.safety.models import Alarm, Reading

PREFIX = "minsheng/safety/v1"
PORT = 1884


def rabbit_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def rabbit():
    if not rabbit_up():
        if os.environ.get("CI"):
            pytest.fail("RabbitMQ's MQTT listener must run on 1884 in CI (.ci/run)")
        pytest.skip("no RabbitMQ MQTT listener at 127.0.0.1:1884")


def publish(messages) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                         client_id=f"test-pub-{uuid.uuid4().hex[:6]}",
                         protocol=mqtt.MQTTv311)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", PORT)
    client.loop_start()
    infos = [client.publish(topic, data, qos=1) for topic, data in messages]
    for info in infos:
        info.wait_for_publish(20)
    assert all(info.is_published() for info in infos)  # the broker took each one (PUBACK)
    client.disconnect()
    client.loop_stop()


def readings(code, n, start, value=1.0):
    for i in range(n):
        ts = (start + datetime.timedelta(milliseconds=100 * i)).isoformat()
        yield f"{PREFIX}/sensor/{code}", json.dumps({"ts": ts, "value": value + i % 3}).encode()


def delete_session(client_id: str) -> None:
    """End a persistent session (clean session on connect removes its durable queue)."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv311, clean_session=True)
    client.connect("127.0.0.1", PORT)
    client.loop_start()
    time.sleep(0.3)
    client.disconnect()
    client.loop_stop()


class Child:
    """The ingester as its own process, on a database the test can read."""

    def __init__(self, tmp_path, client_id):
        self.client_id = client_id
        self.tmp = tmp_path
        if connection.vendor == "sqlite":
            self.path = tmp_path / "ingest.sqlite3"
            with sqlite3.connect(self.path) as target:
                connection.ensure_connection()
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.path}"
        else:
            self.path = None
            s = connection.settings_dict
            self.url = (f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
                        f"{s['PORT'] or 5432}/{s['NAME']}")
        self.proc = None

    def start(self):
        self.started = timezone.now()
        src = str(Path(minsheng.__file__).resolve().parents[1])  # this checkout's code
        env = dict(os.environ, DATABASE_URL=self.url, DEBUG="0", PYTHONPATH=src,
                   DJANGO_SETTINGS_MODULE="minsheng.config.settings.demo")
        cmd = [sys.executable, "-c", "from minsheng.cli import main; main()", "safety", "iot",
               "ingest", "--host", "127.0.0.1", "--port", str(PORT), "--protocol", "3.1.1",
               "--client-id", self.client_id, "--no-alarm-lane", "--seconds", "120"]
        self.log = open(self.tmp / "ingest.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        # its status row says connected (and subscribed) within a few seconds
        assert wait_for(self.connected, 40), (self.tmp / "ingest.log").read_text()

    def connected(self) -> bool:
        from minsheng.safety.models import IngestStatus

        sql = (f"SELECT connected FROM {IngestStatus._meta.db_table} "  # noqa: S608
               "WHERE client_id = %s AND heartbeat_at > %s")
        after = self.started
        return bool(self._query(sql, [self.client_id, after]))

    def _query(self, sql, params=()):
        if self.path is not None:
            with sqlite3.connect(self.path, timeout=10) as db:
                row = db.execute(sql.replace("%s", "?"), [
                    str(p.replace(tzinfo=None)) if isinstance(p, datetime.datetime) else p
                    for p in params]).fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        return row[0] if row and len(row) == 1 else row

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)
        self.log.close()

    def counts(self) -> tuple[int, int]:
        """(rows, distinct (sensor, ts)) in the ingester's database."""
        table = Reading._meta.db_table
        sql = (f"SELECT COUNT(*), COUNT(DISTINCT sensor_id || '/' || ts) "  # noqa: S608
               f"FROM {table}")
        if self.path is None:
            sql = sql.replace("|| ts", "|| ts::text")
        return tuple(self._query(sql))


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_run_loses_nothing_and_stores_nothing_twice(rabbit, source, tmp_path):
    client_id = f"test-kill-{uuid.uuid4().hex[:8]}"
    child = Child(tmp_path, client_id)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)
    sent = list(readings("GAS-1", 3000, start)) + list(readings("T-1", 3000, start, 20.0))
    try:
        child.start()
        # the first run creates the durable session; half is published while it runs
        publish(sent[:3000])
        assert wait_for(lambda: child.counts()[0] > 0, 40), "the ingester stored nothing"
        child.kill()  # SIGKILL: whatever it held unacknowledged comes back from the queue
        publish(sent[3000:])  # while it is down: the broker's durable queue keeps them
        child.start()
        wait_for(lambda: child.counts()[0] >= len(sent), 40)
        time.sleep(1)  # nothing more arrives late
        rows, distinct = child.counts()
    finally:
        child.stop()
        delete_session(client_id)
    assert (rows, distinct) == (len(sent), len(sent))  # 0 lost, 0 stored twice


@pytest.mark.django_db(transaction=True)
def test_alarm_lane_alarms_while_readings_wait(rabbit, source):
    """The alarm lane opens the incident on arrival, before the batch is stored."""
    client_id = f"test-lane-{uuid.uuid4().hex[:8]}"
    ing = Ingester(client_id=client_id, port=PORT, protocol="3.1.1", share_group="",
                   alarm_lane=True, flush_seconds=0.05)
    ing.pipeline.process = lambda items: time.sleep(0.5)  # storage far behind: stores nothing
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(seconds=30)
    try:
        ing.start()
        assert wait_for(lambda: ing.connected.is_set() and ing.lane.connected.is_set(), 20)
        time.sleep(0.5)  # subscribed
        publish(list(readings("GAS-1", 5, start, value=60.0)))  # ≥ 50 %LEL: level 2
        assert wait_for(lambda: Alarm.objects.filter(rule="threshold").exists(), 15)
    finally:
        ing.stop()
        delete_session(client_id)
        delete_session(f"{client_id}-alarms")
    alarm = Alarm.objects.get(rule="threshold")
    assert alarm.level == 2 and Reading.objects.count() == 0


def rabbitmqctl(*args) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


@pytest.mark.django_db(transaction=True)
def test_broker_restart_mid_run_loses_nothing(rabbit, source, tmp_path):
    """RabbitMQ stopped and started (its quorum queues recover from disk) while the
    ingester works through a backlog and publishers wait."""
    if not shutil.which("rabbitmqctl") or os.geteuid() != 0:
        pytest.skip("needs rabbitmqctl (as root) to restart the broker")
    client_id = f"test-restart-{uuid.uuid4().hex[:8]}"
    child = Child(tmp_path, client_id)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)
    sent = list(readings("GAS-1", 4000, start)) + list(readings("T-1", 2000, start, 20.0))
    try:
        child.start()
        publish(sent[:4000])
        assert wait_for(lambda: child.counts()[0] > 0, 40), "the ingester stored nothing"
        rabbitmqctl("stop_app")  # with messages queued and some unacknowledged in flight
        rabbitmqctl("start_app")
        assert wait_for(rabbit_up, 30)
        publish(sent[4000:])
        wait_for(lambda: child.counts()[0] >= len(sent), 40)
        time.sleep(1)
        rows, distinct = child.counts()
    finally:
        child.stop()
        if rabbit_up():
            delete_session(client_id)
    assert (rows, distinct) == (len(sent), len(sent))
