"""Realistic sensor readings over MQTT for the demo, tests and benchmark, with injected
faults: malformed payloads, unknown sensors, clock-skewed timestamps, duplicates and gas
leaks (threshold alarms)."""

from __future__ import annotations

import datetime
import json
import math
import random
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt

BASELINE = {  # kind: (unit, mean, noise)
    "temperature": ("°C", 28.0, 0.4),
    "pressure": ("MPa", 0.85, 0.01),
    "level": ("%", 62.0, 0.3),
    "flow": ("m3/h", 41.0, 1.2),
    "combustible": ("%LEL", 1.5, 0.6),
    "toxic": ("mg/m3", 2.0, 0.5),
}


@dataclass
class SimSensor:
    code: str
    kind: str
    unit: str = ""
    oel: float | None = None
    leak_until: float = 0.0


@dataclass
class FaultPlan:
    malformed: float = 0.0
    unknown: float = 0.0
    skew: float = 0.0
    duplicate: float = 0.0
    leak: float = 0.0  # probability per reading that a gas sensor starts a leak


@dataclass
class Stats:
    published: int = 0
    faults: dict = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.faults[kind] = self.faults.get(kind, 0) + 1


def iso(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC).isoformat(
        timespec="milliseconds")


def value_for(sensor: SimSensor, now: float, rng: random.Random) -> float:
    unit, mean, noise = BASELINE[sensor.kind]
    daily = math.sin(now / 86400 * 2 * math.pi)
    value = mean * (1 + 0.03 * daily) + rng.gauss(0, noise)
    if sensor.leak_until > now:
        value = 62.0 + rng.gauss(0, 3) if sensor.kind == "combustible" else (
            (sensor.oel or 10) * 2.5)
    return round(max(value, 0.0), 3)


def connect(host: str, port: int, client_id: str) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect(host, port, keepalive=30)
    client.loop_start()
    return client


def payloads(sensors: list[SimSensor], now: float, rng: random.Random, faults: FaultPlan,
             prefix: str, stats: Stats):
    """(topic, payload) pairs for one reading of every sensor, with faults injected."""
    for s in sensors:
        topic = f"{prefix}/sensor/{s.code}"
        if s.kind in ("combustible", "toxic") and rng.random() < faults.leak:
            s.leak_until = now + 30
            stats.count("leak")
        body = {"ts": iso(now), "value": value_for(s, now, rng), "unit": s.unit}
        roll = rng.random()
        if roll < faults.malformed:
            stats.count("malformed")
            yield topic, b'{"ts": "not a time", "value": '
            continue
        roll -= faults.malformed
        if roll < faults.unknown:
            stats.count("unknown_sensor")
            yield f"{prefix}/sensor/UNKNOWN-{rng.randint(1, 999)}", json.dumps(body).encode()
            continue
        roll -= faults.unknown
        if roll < faults.skew:
            stats.count("clock_skew")
            body["ts"] = iso(now + 3600 * rng.choice([1, 8]))
            yield topic, json.dumps(body).encode()
            continue
        data = json.dumps(body).encode()
        yield topic, data
        if rng.random() < faults.duplicate:
            stats.count("duplicate")
            yield topic, data


def run(*, sensors: list[SimSensor], rate: float, seconds: float, host: str, port: int,
        prefix: str, faults: FaultPlan, seed: int = 1, client_id: str = "minsheng-sim",
        progress=None) -> Stats:
    """Publish one reading per sensor every 1/rate seconds (QoS 1) for `seconds`."""
    rng = random.Random(seed)
    stats = Stats()
    client = connect(host, port, client_id)
    period = 1.0 / rate
    start = time.time()
    tick = 0
    try:
        while time.time() - start < seconds:
            now = start + tick * period
            for topic, data in payloads(sensors, now, rng, faults, prefix, stats):
                client.publish(topic, data, qos=1)
                stats.published += 1
            tick += 1
            if progress:
                progress(stats)
            sleep = start + tick * period - time.time()
            if sleep > 0:
                time.sleep(sleep)
    finally:
        deadline = time.time() + 30
        while client._out_messages and time.time() < deadline:  # wait for PUBACKs
            time.sleep(0.05)
        client.disconnect()
        client.loop_stop()
    return stats
