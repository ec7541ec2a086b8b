"""IoT ingestion through a real MQTT broker: its own Mosquitto, started for the run.

Default: 2,000 sensors x 5 readings/s (10,000 msg/s) for 60 s. Reports messages published
vs stored (goal: none lost), alarm latency publish -> stored alarm (goal p95 < 1 s), the
ingester's CPU and peak memory, and the sustained ingest rate. `--sweep` runs short runs
at several offered rates to find the ceiling (above it the broker's queue for the
ingester grows: QoS 1 with ack-after-commit means backlog, not loss, until the broker's
own queue limit: 60,000 messages, beyond it the broker drops).

    flock /tmp/minsheng-bench.lock .venv/bin/python benchmarks/iot_ingest.py
    flock /tmp/minsheng-bench.lock .venv/bin/python benchmarks/iot_ingest.py \
        --seconds 15 --sweep 2000,5000,10000,15000
    .venv/bin/python benchmarks/iot_ingest.py --sensors 200 --seconds 10   # smoke
    flock /tmp/minsheng-bench.lock .venv/bin/python benchmarks/iot_ingest.py \
        --broker rabbitmq --sensors 1000 --rate 5 --seconds 60

`--broker rabbitmq` uses the machine's RabbitMQ MQTT listener (127.0.0.1:1884, quorum
queues, see docs/decisions/0006-durable-iot-broker.md and .ci/run) with MQTT 3.1.1
clients; each run has fresh session ids and removes its sessions (durable queues) at the
end.

The broker does not depend on the system's Mosquitto configuration: a `mosquitto`
process is started on a free loopback port (127.0.0.1:18830 if free) with a temporary
config (no persistence, `max_queued_messages` 60,000) and stopped at the end; one fresh
broker per run. The database is its own SQLite file (var/bench-iot.sqlite3) unless
DATABASE_URL is set. The ingester runs as a separate process (`minsheng safety iot
ingest`, DEBUG off as in production) and --publishers processes publish QoS 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import queue
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "minsheng/safety/v1"
BROKER_CONFIG = """\
listener {port} 127.0.0.1
allow_anonymous true
persistence false
# the ingester's session absorbs a backlog; Mosquitto 2.0 stalls delivery to a client
# whose queue passes the 65,535 packet ids (docs/iot-protocol.md), so stay below that
max_queued_messages 60000
max_queued_bytes 0
# v3 clients; MQTT v5 clients (the ingester: Receive Maximum 20000) set their own
max_inflight_messages 1000
log_dest stderr
log_type error
log_type warning
"""


def setup_django(db: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "minsheng.config.settings.demo"
    import django

    django.setup()


def prepare(sensors: int) -> None:
    from django.core.management import call_command

    from minsheng.core.access import system_actor
    from minsheng.core.models import Area, Organization
    from minsheng.safety.models import Alarm, IngestReject, MajorHazardSource, Reading, Sensor
    from minsheng.safety.services import iot

    call_command("migrate", "--no-input", "-v", "0")
    Reading.objects.all().delete()
    Alarm.objects.all().delete()
    IngestReject.objects.all().delete()
    Sensor.objects.filter(code__startswith="B-").update(last_value=None, last_ts=None)
    if Sensor.objects.filter(code__startswith="B-").count() == sensors:
        return
    Sensor.objects.filter(code__startswith="B-").delete()
    MajorHazardSource.objects.filter(code__startswith="BS-").delete()
    area = Area.objects.filter(code="999999").first() or Area.objects.create(
        code="999999", name="bench", level="district", path="999999")
    ent = Organization.objects.filter(name="bench-ent").first() or Organization.objects.create(
        name="bench-ent", kind="enterprise", area=area)
    actor = system_actor()
    per_source = 20
    for s in range((sensors + per_source - 1) // per_source):
        src = iot.source_save(actor=actor, enterprise=ent, code=f"BS-{s:04d}", name=f"bench {s}",
                              population_500m=10, substances=[("NH3", 20.0)])
        rows = [Sensor(source=src, code=f"B-{s * per_source + i:05d}",
                       kind="combustible" if i % 2 else "temperature",
                       unit="%LEL" if i % 2 else "°C", interval_seconds=1)
                for i in range(per_source) if s * per_source + i < sensors]
        Sensor.objects.bulk_create(rows)


# --- the broker --------------------------------------------------------------------------

def free_port(preferred: int = 18830) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


@contextlib.contextmanager
def rabbit_broker(port: int):
    """The machine's RabbitMQ (MQTT plugin). Yields (port, pid of the node)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        raise RuntimeError(f"no RabbitMQ MQTT listener on 127.0.0.1:{port} (.ci/run "
                           "enables it)") from None
    pid = int(subprocess.run(["pgrep", "-o", "-x", "beam.smp"], capture_output=True,
                             text=True, check=True).stdout.split()[0])
    yield port, pid


def end_session(port: int, client_id: str, v5: bool) -> None:
    """Remove a persistent session (and so its durable queue on RabbitMQ)."""
    import paho.mqtt.client as mqtt

    if v5:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                             protocol=mqtt.MQTTv5)
        client.connect("127.0.0.1", port, clean_start=True)
    else:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                             protocol=mqtt.MQTTv311, clean_session=True)
        client.connect("127.0.0.1", port)
    client.loop_start()
    time.sleep(0.5)
    client.disconnect()
    client.loop_stop()


@contextlib.contextmanager
def own_broker(log_path: Path):
    """A Mosquitto of our own on a free loopback port, stopped (and its config removed) at
    the end. Yields (port, pid)."""
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    tmp = Path(tempfile.mkdtemp(prefix="minsheng-bench-mqtt-"))
    port = free_port()
    conf = tmp / "mosquitto.conf"
    conf.write_text(BROKER_CONFIG.format(port=port))
    log = open(log_path, "a")  # noqa: SIM115
    proc = subprocess.Popen([mosquitto, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"mosquitto did not start (see {log_path})") from None
                time.sleep(0.05)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


# --- publishers --------------------------------------------------------------------------

def publisher(index: int, port: int, codes: list[str], rate: float, seconds: float,
              spike_every: float, out: mp.Queue, v5: bool = True) -> None:
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{index}-"
                         f"{uuid.uuid4().hex[:4]}",
                         protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311)
    client.max_inflight_messages_set(2000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    rng = random.Random(index)
    gas = {c for c in codes if int(c[2:]) % 2}
    spiked: set[str] = set()
    published, tick = 0, 0
    keys: set[tuple[str, int]] = set()
    sent: list = []  # (key, MQTTMessageInfo): which ones the broker acknowledged (PUBACK)
    period = 1.0 / rate
    start = time.time()
    next_spike = start + spike_every
    while time.time() - start < seconds:
        for code in codes:
            now = time.time()
            value = round(20 + rng.random(), 3)  # noisy: a constant value is a stuck sensor
            if now >= next_spike and code in gas and code not in spiked:
                spiked.add(code)  # each leak on a new sensor: one new alarm each
                value = 60.0
                next_spike += spike_every
            ts = round(now * 1000)  # epoch milliseconds
            info = client.publish(f"{PREFIX}/sensor/{code}",
                                  json.dumps({"ts": ts, "value": value}).encode(), qos=1)
            keys.add((code, ts))
            sent.append(((code, ts), info))
            published += 1
        tick += 1
        sleep = start + tick * period - time.time()
        if sleep > 0:
            time.sleep(sleep)
    lag = time.time() - (start + tick * period)
    deadline = time.time() + 60
    while client._out_messages and time.time() < deadline:
        time.sleep(0.05)
    unacked = len(client._out_messages)
    client.disconnect()
    client.loop_stop()
    acked = [key for key, info in sent if info.is_published()]
    out.put({"acked_keys": acked,
             "published": published, "distinct": len(keys), "spikes": len(spiked),
             "unacked": unacked, "behind_s": max(lag, 0)})


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds, resident KiB) of a process from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
    return cpu, rss


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# --- one run -----------------------------------------------------------------------------

def run_once(args, rate: float) -> dict:
    from django.db import connection
    from django.db.models import F

    from minsheng.safety.models import Alarm, Reading

    prepare(args.sensors)
    connection.close()
    var = args.db.parent
    load_before = load()
    rabbit = args.broker == "rabbitmq"
    broker = (rabbit_broker(args.rabbit_port) if rabbit
              else own_broker(var / "bench-iot-mosquitto.log"))
    with broker as (port, broker_pid):
        client_id = f"bench-ingest-{uuid.uuid4().hex[:6]}"
        env = dict(os.environ, DEBUG="0", PYTHONPATH=str(ROOT / "src"))
        cmd = [sys.executable, "-c", "from minsheng.cli import main; main()", "safety", "iot",
               "ingest", "--host", "127.0.0.1", "--port", str(port), "--client-id",
               client_id, "--seconds", str(args.seconds + 600),
               "--protocol", "3.1.1" if rabbit else "5",
               "--alarm-lane" if args.alarm_lane else "--no-alarm-lane"]
        log = open(var / "bench-iot-ingester.log", "w")  # noqa: SIM115
        ingester = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            time.sleep(4)  # connect and subscribe
            cpu0, _ = proc_stats(ingester.pid)
            bcpu0, _ = proc_stats(broker_pid)
            n = args.sensors
            codes = [f"B-{i:05d}" for i in range(n)]
            out: mp.Queue = mp.Queue()
            procs = [mp.Process(target=publisher, args=(
                i, port, codes[i * n // args.publishers:(i + 1) * n // args.publishers], rate,
                args.seconds,
                args.spike_every * args.publishers, out, not rabbit))
                for i in range(args.publishers)]
            t0 = time.time()
            for p in procs:
                p.start()
            peak_rss, broker_rss, samples = 0, 0, [(0.0, 0)]
            results = []
            while any(p.is_alive() for p in procs) or len(results) < len(procs):
                time.sleep(1)
                with contextlib.suppress(queue.Empty):  # read while they exit (big lists)
                    while len(results) < len(procs):
                        results.append(out.get_nowait())
                peak_rss = max(peak_rss, proc_stats(ingester.pid)[1])
                broker_rss = max(broker_rss, proc_stats(broker_pid)[1])
                samples.append((time.time() - t0, Reading.objects.count()))
            publish_end = time.time() - t0
            load_during = load()
            stored, stable = -1, 0
            while stable < 5 and time.time() - t0 - publish_end < 300:  # drain the backlog
                time.sleep(1)
                now_stored = Reading.objects.count()
                peak_rss = max(peak_rss, proc_stats(ingester.pid)[1])
                samples.append((time.time() - t0, now_stored))
                stable = stable + 1 if now_stored == stored else 0
                stored = now_stored
            drained = samples[-6][0]  # last time the count changed
            cpu1, _ = proc_stats(ingester.pid)
            bcpu1, _ = proc_stats(broker_pid)
        finally:
            ingester.terminate()
            ingester.wait(30)
            log.close()
            if rabbit:  # the run's durable queues go with its sessions
                for cid in (client_id, f"{client_id}-alarms"):
                    end_session(port, cid, v5=False)
    latency = sorted((a.created_at - a.first_ts).total_seconds()
                     for a in Alarm.objects.filter(rule="threshold").annotate(
                         x=F("created_at")))
    rates = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(samples, samples[1:], strict=False)
             if b[0] > a[0] and b[0] <= publish_end + 0.5]
    busy = rates[1:] or rates
    published = sum(r["published"] for r in results)
    distinct = sum(r["distinct"] for r in results)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT DISTINCT sensor_id, ts FROM "  # noqa: S608
                       f"{Reading._meta.db_table}) d")
        distinct_stored = cursor.fetchone()[0]
    # the promise: no reading the broker acknowledged (PUBACK to the publisher) is lost
    stored_keys = {(code, round(ts.timestamp() * 1000)) for code, ts in
                   Reading.objects.values_list("sensor__code", "ts").iterator(10000)}
    acked_keys = {k for r in results for k in r.pop("acked_keys")}
    lost_acked = len(acked_keys - stored_keys)
    return {
        "broker": args.broker, "duplicates_stored": stored - distinct_stored,
        "lost_acked": lost_acked, "acked_distinct": len(acked_keys),
        "offered": rate * args.sensors, "seconds": args.seconds,
        "published": published, "distinct": distinct,
        "broker_acked": published - sum(r["unacked"] for r in results),
        "behind_s": max(r["behind_s"] for r in results),
        "stored": stored, "lost": distinct - stored,
        "publish_rate": published / max(publish_end, args.seconds),
        "ingest_median": statistics.median(busy) if busy else 0.0,
        "ingest_peak": max(rates) if rates else 0.0,
        "backlog_drain_s": max(drained - publish_end, 0.0),
        "latency": latency,
        "cpu_s": cpu1 - cpu0, "wall_s": max(drained, publish_end),
        "rss_mib": peak_rss / 1024, "broker_cpu_s": bcpu1 - bcpu0,
        "broker_rss_mib": broker_rss / 1024,
        "load_before": load_before, "load_during": load_during,
    }


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def report(r: dict, args) -> None:
    print(f"offered: {args.sensors} sensors, {r['offered']:.0f} msg/s for {r['seconds']:g} s "
          f"({args.publishers} publisher processes); {r['load_before']} before, "
          f"{r['load_during']} at the end of publishing")
    print(f"published: {r['published']} ({r['distinct']} distinct sensor+ts), PUBACKed by the "
          f"broker {r['broker_acked']}; achieved {r['publish_rate']:.0f} msg/s, publishers "
          f"behind schedule by {r['behind_s']:.1f} s")
    print(f"broker: {r['broker']}; alarm lane: {'on' if args.alarm_lane else 'off'}")
    print(f"acknowledged by the broker and not stored (lost): {r['lost_acked']} of "
          f"{r['acked_distinct']}")
    print(f"stored: {r['stored']}  duplicates stored: {r['duplicates_stored']}  "
          f"published and not stored: {r['lost']} "
          f"({100 * r['lost'] / max(r['distinct'], 1):.3f} %)")
    print(f"ingest while publishing: median {r['ingest_median']:.0f} rows/s, peak "
          f"{r['ingest_peak']:.0f} rows/s; backlog drained {r['backlog_drain_s']:.1f} s after "
          "publishing ended")
    lat = r["latency"]
    if lat:
        print(f"alarm latency publish->stored alarm: n={len(lat)} median "
              f"{statistics.median(lat):.3f} s, p95 {pct(lat, 0.95):.3f} s, max {lat[-1]:.3f} s")
    print(f"ingester CPU: {r['cpu_s']:.1f} s over {r['wall_s']:.0f} s wall "
          f"({100 * r['cpu_s'] / max(r['wall_s'], 1):.0f} % of one core); peak RSS "
          f"{r['rss_mib']:.0f} MiB. broker CPU {r['broker_cpu_s']:.1f} s, peak RSS "
          f"{r['broker_rss_mib']:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sensors", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=5.0, help="readings/s per sensor")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--spike-every", type=float, default=0.5,
                        help="seconds between injected gas leaks (alarm latency)")
    parser.add_argument("--sweep", default="",
                        help="comma-separated offered msg/s, e.g. 2000,5000,10000,15000")
    parser.add_argument("--broker", choices=["mosquitto", "rabbitmq"], default="mosquitto",
                        help="mosquitto: its own, started for the run; rabbitmq: the "
                        "machine's RabbitMQ MQTT listener (durable quorum queues)")
    parser.add_argument("--rabbit-port", type=int, default=1884)
    parser.add_argument("--alarm-lane", action=argparse.BooleanOptionalAction, default=True,
                        help="threshold alarms on their own session, on arrival")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-iot.sqlite3")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    setup_django(args.db.resolve())
    if not args.sweep:
        report(run_once(args, args.rate), args)
        return
    rows = []
    for total in (float(x) for x in args.sweep.split(",")):
        r = run_once(args, total / args.sensors)
        report(r, args)
        print()
        rows.append(r)
    print("offered  published/s  stored/s(median)  lost  drain_s  alarm_p95  cpu%  rss  load")
    for r in rows:
        lat = r["latency"]
        print(f"{r['offered']:7.0f}  {r['publish_rate']:11.0f}  {r['ingest_median']:16.0f}  "
              f"{r['lost']:4d}  {r['backlog_drain_s']:7.1f}  "
              f"{pct(lat, 0.95) if lat else float('nan'):9.3f}  "
              f"{100 * r['cpu_s'] / max(r['wall_s'], 1):4.0f}  {r['rss_mib']:3.0f}  "
              f"{r['load_during']}")


if __name__ == "__main__":
    main()
