"""IoT ingestion through the real broker (127.0.0.1:1883).

Default: 2,000 sensors x 5 readings/s (10,000 msg/s) for 60 s. Reports messages published
vs stored (goal: none lost), alarm latency publish -> stored alarm (goal p95 < 1 s), the
ingester's CPU and peak memory, and the sustained ingest rate (the ceiling: above it the
broker's queue grows; QoS 1 with ack-after-commit means backlog, not loss, until the
broker's own queue limit).

    .venv/bin/python benchmarks/iot_ingest.py --sensors 2000 --rate 5 --seconds 60
    .venv/bin/python benchmarks/iot_ingest.py --sensors 200 --seconds 15   # smoke

It uses its own SQLite file (var/bench-iot.sqlite3, or DATABASE_URL) and a fresh
persistent-session client id, runs the ingester as a separate process
(`minsheng safety iot ingest`) and publishes from --publishers processes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "minsheng/safety/v1"


def setup_django(db: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "minsheng.config.settings.demo"
    import django

    django.setup()


def prepare(sensors: int) -> None:
    from django.core.management import call_command

    from minsheng.core.access import system_actor
    from minsheng.core.models import Area, Organization
    from minsheng.safety.models import MajorHazardSource, Reading, Sensor
    from minsheng.safety.services import iot

    call_command("migrate", "--no-input", "-v", "0")
    Reading.objects.all().delete()
    from minsheng.safety.models import Alarm

    Alarm.objects.all().delete()
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


def publisher(index: int, codes: list[str], rate: float, seconds: float, spike_every: float,
              out: mp.Queue) -> None:
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{index}-"
                         f"{uuid.uuid4().hex[:4]}", protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(2000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    gas = [c for i, c in enumerate(codes) if int(c[2:]) % 2]
    published, spikes, tick = 0, 0, 0
    period = 1.0 / rate
    start = time.time()
    next_spike = start + spike_every
    while time.time() - start < seconds:
        for code in codes:
            now = time.time()
            value = 1.0
            if code in gas and now >= next_spike and spikes < len(gas):
                code = gas[spikes]  # each spike on a new sensor: one new alarm each
                value = 60.0
                spikes += 1
                next_spike += spike_every
            ts = round(now * 1000)  # epoch milliseconds
            client.publish(f"{PREFIX}/sensor/{code}",
                           json.dumps({"ts": ts, "value": value}).encode(), qos=1)
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
    out.put({"published": published, "spikes": spikes, "unacked": unacked,
             "behind_s": max(lag, 0)})


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds, resident KiB) of a process from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
    return cpu, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sensors", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=5.0, help="readings/s per sensor")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--spike-every", type=float, default=0.5,
                        help="seconds between injected gas leaks (alarm latency)")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-iot.sqlite3")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    setup_django(args.db.resolve())
    prepare(args.sensors)
    from django.db.models import F

    from minsheng.safety.models import Alarm, Reading

    client_id = f"bench-ingest-{uuid.uuid4().hex[:6]}"
    env = dict(os.environ)
    cmd = [sys.executable, "-c", "from minsheng.cli import main; main()", "safety", "iot",
           "ingest", "--client-id", client_id, "--seconds", str(args.seconds + 600)]
    log = open(args.db.parent / "bench-iot-ingester.log", "w")  # noqa: SIM115
    ingester = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(4)  # connect and subscribe
    cpu0, _ = proc_stats(ingester.pid)
    codes = [f"B-{i:05d}" for i in range(args.sensors)]
    out: mp.Queue = mp.Queue()
    procs = [mp.Process(target=publisher, args=(i, codes[i::args.publishers], args.rate,
                                                args.seconds, args.spike_every * args.publishers,
                                                out)) for i in range(args.publishers)]
    t0 = time.time()
    for p in procs:
        p.start()
    peak_rss, samples = 0, []
    while any(p.is_alive() for p in procs):
        time.sleep(1)
        cpu, rss = proc_stats(ingester.pid)
        peak_rss = max(peak_rss, rss)
        samples.append((time.time() - t0, Reading.objects.count()))
    results = [out.get() for _ in procs]
    published = sum(r["published"] for r in results)
    publish_end = time.time()
    stored, stable = -1, 0
    while stable < 5 and time.time() - publish_end < 300:  # drain the backlog
        time.sleep(1)
        now_stored = Reading.objects.count()
        cpu, rss = proc_stats(ingester.pid)
        peak_rss = max(peak_rss, rss)
        samples.append((time.time() - t0, now_stored))
        stable = stable + 1 if now_stored == stored else 0
        stored = now_stored
    drained = samples[-1][0] - 5
    cpu1, _ = proc_stats(ingester.pid)
    ingester.terminate()
    ingester.wait(30)
    latency = sorted((a.created_at - a.first_ts).total_seconds()
                     for a in Alarm.objects.filter(rule="threshold").annotate(
                         x=F("created_at")))
    wall = drained if drained > 0 else time.time() - t0
    rates = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(samples, samples[1:], strict=False)
             if b[0] > a[0]]
    print(f"offered: {args.sensors} sensors x {args.rate}/s = {args.sensors * args.rate:.0f} "
          f"msg/s for {args.seconds:g} s ({args.publishers} publisher processes)")
    print(f"published (PUBACKed by broker): {published - sum(r['unacked'] for r in results)} "
          f"of {published}; publishers fell behind schedule by "
          f"{max(r['behind_s'] for r in results):.1f} s")
    print(f"stored: {stored}  lost: {published - stored}  "
          f"({100 * (published - stored) / max(published, 1):.3f} %)")
    print(f"achieved publish rate: {published / args.seconds:.0f} msg/s; "
          f"sustained ingest (median of 1-s samples): {statistics.median(rates):.0f} rows/s, "
          f"peak {max(rates):.0f} rows/s; backlog drained {max(drained - args.seconds, 0):.1f} s "
          "after publishing ended")
    if latency:
        p95 = latency[int(0.95 * (len(latency) - 1))]
        print(f"alarm latency publish->stored alarm: n={len(latency)} "
              f"median {statistics.median(latency):.3f} s, p95 {p95:.3f} s, "
              f"max {latency[-1]:.3f} s")
    print(f"ingester CPU: {cpu1 - cpu0:.1f} s over {wall:.0f} s wall "
          f"({100 * (cpu1 - cpu0) / max(wall, 1):.0f} % of one core); peak RSS "
          f"{peak_rss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
