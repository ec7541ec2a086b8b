"""CSV in, CSV out: the file interface behind ``minsheng detect``."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from .api import detect_arrays
from .errors import DetectionInputError

OUTPUT_COLUMNS = ("date", "count", "expected", "upper", "alarm")


def read_counts(path: str | Path) -> tuple[list[str], list[str]]:
    """Dates and counts (as text) from a CSV with a header containing date and count."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in (reader.fieldnames or [])]
            if "date" not in fields or "count" not in fields:
                raise DetectionInputError(
                    f"{path}: the first line must be a header with columns date,count "
                    f"(found: {', '.join(reader.fieldnames or []) or 'nothing'})")
            reader.fieldnames = fields
            dates, counts = [], []
            for line, row in enumerate(reader, start=2):
                date, count = (row.get("date") or "").strip(), (row.get("count") or "").strip()
                if not date:
                    raise DetectionInputError(f"{path}, line {line}: empty date")
                if not count:
                    raise DetectionInputError(f"{path}, line {line}: empty count")
                dates.append(date)
                counts.append(count)
    except OSError as exc:
        raise DetectionInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not dates:
        raise DetectionInputError(f"{path}: no data rows")
    return dates, counts


def _number(text: str, line: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise DetectionInputError(f"line {line}: count {text!r} is not a number") from None


def _fmt(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")


def detect_csv(method: str, input_path, output_path, alpha: float | None = None,
               params: dict[str, str] | None = None) -> int:
    """Run ``method`` on input_path (date,count) and write date,count,expected,upper,alarm.

    ``alarm`` is written as true/false; expected/upper are empty where the method had too
    little history. Returns the number of alarms.
    """
    dates, texts = read_counts(input_path)
    counts = [_number(t, i + 2) for i, t in enumerate(texts)]
    params = dict(params or {})
    if alpha is not None:
        if "alpha" in params:
            raise DetectionInputError("give alpha either as --alpha or as --param, not both")
        params["alpha"] = str(alpha)
    freq = params.pop("freq", None)
    days, y, res, _ = detect_arrays(method, counts, dates, freq, **params)
    with open(output_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(OUTPUT_COLUMNS)
        for i, day in enumerate(days):
            writer.writerow([day.isoformat(), int(y[i]), _fmt(float(res.expected[i])),
                             _fmt(float(res.upper[i])), "true" if res.alarm[i] else "false"])
    return int(res.alarm.sum())
