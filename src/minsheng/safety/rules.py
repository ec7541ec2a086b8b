"""Alarm rules on sensor readings (pure Python, no database): thresholds, low limits,
rate of change, stuck and silent sensors."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from minsheng.safety.config import setting

PROCESS_KINDS = {"temperature", "pressure", "level", "flow"}


@dataclass(frozen=True)
class SensorInfo:
    id: int
    code: str
    kind: str
    unit: str
    source_id: int
    enterprise_id: int
    area_id: int
    interval_seconds: int = 5
    oel: float | None = None
    level1: float | None = None
    level2: float | None = None
    low1: float | None = None
    max_rate_per_min: float | None = None

    def thresholds(self) -> tuple[float | None, float | None]:
        """(level-1, level-2) in the sensor's unit: configured values, else the national
        default for combustible (%LEL) and toxic (x OEL) gas."""
        l1, l2 = self.level1, self.level2
        if self.kind == "combustible":
            l1 = setting("COMBUSTIBLE_LEVEL1_PCT_LEL") if l1 is None else l1
            l2 = setting("COMBUSTIBLE_LEVEL2_PCT_LEL") if l2 is None else l2
        elif self.kind == "toxic" and self.oel:
            l1 = self.oel * setting("TOXIC_LEVEL1_PCT_OEL") / 100 if l1 is None else l1
            l2 = self.oel * setting("TOXIC_LEVEL2_PCT_OEL") / 100 if l2 is None else l2
        return l1, l2


@dataclass
class SensorState:
    last_value: float | None = None
    last_ts: datetime.datetime | None = None
    same_count: int = 0
    same_since: datetime.datetime | None = None
    stuck_reported: bool = False


@dataclass(frozen=True)
class Trigger:
    sensor_id: int
    rule: str
    level: int
    ts: datetime.datetime
    value: float | None
    message: str


@dataclass
class RuleEngine:
    states: dict[int, SensorState] = field(default_factory=dict)

    def evaluate(self, sensor: SensorInfo, ts: datetime.datetime, value: float) -> list[Trigger]:
        """Evaluate one new reading (readings of a sensor must come in time order)."""
        return self.evaluate_many([(sensor, ts, value)])

    def evaluate_many(self, items) -> list[Trigger]:
        """Evaluate a batch of new readings [(sensor, ts, value)], in time order per
        sensor. Each sensor's thresholds are worked out once per batch; a reading that
        triggers nothing costs a few comparisons."""
        found: list[Trigger] = []
        stuck_after = setting("STUCK_AFTER_READINGS")
        params: dict[int, tuple] = {}
        states = self.states
        for sensor, ts, value in items:
            sid = sensor.id
            p = params.get(sid)
            if p is None:
                p = params[sid] = (*sensor.thresholds(), sensor.low1,
                                   sensor.max_rate_per_min, sensor.kind in PROCESS_KINDS)
            l1, l2, low1, max_rate, process = p
            if l2 is not None and value >= l2:
                found.append(Trigger(sid, "threshold", 2, ts, value,
                                     f"{value:g} {sensor.unit} ≥ {l2:g} (level 2)"))
            elif l1 is not None and value >= l1:
                found.append(Trigger(sid, "threshold", 1, ts, value,
                                     f"{value:g} {sensor.unit} ≥ {l1:g} (level 1)"))
            if low1 is not None and value <= low1:
                found.append(Trigger(sid, "low", 1, ts, value,
                                     f"{value:g} {sensor.unit} ≤ {low1:g}"))
            state = states.get(sid)
            if state is None:
                state = states[sid] = SensorState()
            last_ts, last_value = state.last_ts, state.last_value
            if last_ts is not None and ts <= last_ts:
                continue  # late or replayed reading: thresholds only
            if max_rate and last_ts is not None and last_value is not None:
                minutes = (ts - last_ts).total_seconds() / 60
                if minutes > 0:
                    rate = abs(value - last_value) / minutes
                    if rate > max_rate:
                        found.append(Trigger(sid, "rate", 1, ts, value,
                                             f"{rate:.3g} {sensor.unit}/min > {max_rate:g}"))
            if value == last_value:
                state.same_count += 1
            else:
                state.same_count, state.same_since, state.stuck_reported = 1, ts, False
            if (process and not state.stuck_reported and state.same_count >= stuck_after
                    and state.same_since is not None
                    and (ts - state.same_since).total_seconds() >= 60):
                state.stuck_reported = True
                found.append(Trigger(sid, "stuck", 1, ts, value,
                                     f"{state.same_count} identical readings"))
            state.last_value, state.last_ts = value, ts
        return found

    def silent(self, sensors: dict[int, SensorInfo],
               now: datetime.datetime) -> list[Trigger]:
        """Sensors that reported before but not within their expected interval times the
        configured factor."""
        found = []
        factor = setting("SILENT_AFTER_INTERVALS")
        for sensor_id, state in self.states.items():
            sensor = sensors.get(sensor_id)
            if sensor is None or state.last_ts is None:
                continue
            quiet = (now - state.last_ts).total_seconds()
            if quiet > sensor.interval_seconds * factor:
                found.append(Trigger(sensor_id, "silent", 1, now, None,
                                     f"no reading for {int(quiet)} s"))
        return found
