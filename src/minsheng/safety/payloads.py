"""The MQTT payload format sensor vendors send (see docs/iot-protocol.md), validated.

Topic:   <prefix>/sensor/<sensor_code>          e.g. minsheng/safety/v1/sensor/GAS-0001
Payload: {"ts": "2026-11-29T10:15:00.250+08:00" | 1795918500250, "value": 12.5,
          "unit": "%LEL", "msg_id": "...", "status": "ok"}
   or    {"readings": [{"ts": ..., "value": ...}, ...]}   (at most 500 per message)
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass

MAX_PAYLOAD_BYTES = 64 * 1024
MAX_BATCH = 500
STATUSES = {"ok", "fault", "maintenance"}


class Reject(Exception):  # noqa: N818 - a reason, not an error of ours
    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail[:200]
        super().__init__(reason)


@dataclass(frozen=True)
class Point:
    ts: datetime.datetime
    value: float
    status: str = "ok"
    unit: str = ""


def sensor_code_from_topic(topic: str, prefix: str) -> str:
    head = prefix.rstrip("/") + "/sensor/"
    if not topic.startswith(head):
        raise Reject("bad_topic", topic)
    code = topic[len(head):]
    if not code or "/" in code or len(code) > 64:
        raise Reject("bad_topic", topic)
    return code


def parse_ts(raw) -> datetime.datetime:
    if isinstance(raw, bool):
        raise Reject("bad_ts", repr(raw))
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise Reject("bad_ts", repr(raw))
        seconds = raw / 1000 if raw > 1e11 else raw  # epoch milliseconds or seconds
        try:
            return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            raise Reject("bad_ts", repr(raw)) from None
    if isinstance(raw, str):
        try:
            ts = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise Reject("bad_ts", raw) from None
        if ts.tzinfo is None:
            raise Reject("ts_without_timezone", raw)
        return ts.astimezone(datetime.UTC)
    raise Reject("bad_ts", repr(raw)[:50])


def _point(item) -> Point:
    if not isinstance(item, dict):
        raise Reject("bad_payload", "reading is not an object")
    if "ts" not in item:
        raise Reject("missing_ts")
    value = item.get("value")
    try:
        finite = not isinstance(value, bool) and isinstance(value, int | float) and (
            math.isfinite(value))
    except OverflowError:  # an integer too large for a float
        finite = False
    if not finite:
        raise Reject("bad_value", repr(value)[:50])
    status = item.get("status", "ok")
    if status not in STATUSES:
        raise Reject("bad_status", str(status)[:50])
    unit = item.get("unit", "")
    return Point(parse_ts(item["ts"]), float(value), status, unit if isinstance(unit, str) else "")


def parse_payload(payload: bytes) -> list[Point]:
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise Reject("too_large", f"{len(payload)} bytes")
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Reject("malformed_json", str(exc)) from None
    if isinstance(data, dict) and "readings" in data:
        items = data["readings"]
        if not isinstance(items, list) or not items or len(items) > MAX_BATCH:
            raise Reject("bad_batch", "readings must be a list of 1-500 objects")
        return [_point(i) for i in items]
    return [_point(data)]


def check_skew(ts: datetime.datetime, now: datetime.datetime, future_s: float,
               past_s: float) -> None:
    delta = (ts - now).total_seconds()
    if delta > future_s:
        raise Reject("clock_skew_future", f"{delta:.0f} s ahead of server time")
    if -delta > past_s:
        raise Reject("clock_skew_past", f"{-delta:.0f} s behind server time")
