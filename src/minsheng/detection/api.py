"""Single-series entry point returning a table with a plain-English reason per row."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import DetectionInputError
from .registry import check_freq, required_history, resolve_params, run_batch
from .result import C3_CARRIED, NO_HISTORY, SUPPRESSED_FEW_CASES, DetectionResult
from .series import WEEKLY, validate_counts, validate_dates

COLUMNS = ("date", "count", "expected", "upper", "alarm", "reason")


def _reason(res: DetectionResult, i: int, count: float, need: int, unit: str,
            params: dict) -> str:
    status = int(res.status[i])
    if status == NO_HISTORY:
        return f"not enough history: needs {need} earlier {unit}s"
    if status == SUPPRESSED_FEW_CASES:
        return (f"above threshold {res.upper[i]:.2f} but fewer than {params['min_cases']} "
                "cases in the last 4 weeks; no alarm")
    if status == C3_CARRIED:
        return "alarm: C3 already above its threshold from the two previous periods"
    if res.alarm[i]:
        return (f"alarm: count {count:g} above threshold {res.upper[i]:.2f} "
                f"(expected {res.expected[i]:.2f})")
    return "no alarm"


def detect_arrays(method: str, counts, dates: Sequence, freq: str | None = None,
                  **params) -> tuple[list, np.ndarray, DetectionResult, list[str]]:
    y = validate_counts(counts)
    if y.ndim != 1:
        raise DetectionInputError("detect() takes one series; use registry.run_batch for many")
    days, freq = validate_dates(dates, y.size, freq)
    p = resolve_params(method, params)
    check_freq(method, freq)
    need = required_history(method, p, freq)
    unit = "week" if freq == WEEKLY else "day"
    if y.size <= need:
        raise DetectionInputError(
            f"{method} needs more than {need} {unit}s of data before the first point it can "
            f"evaluate (about {need / (52 if freq == WEEKLY else 364):.1f} years); got "
            f"{y.size}. Use a method with a shorter baseline (e.g. ears_c2) or more history.")
    res = run_batch(method, y[None, :], freq, p).row(0)
    reasons = [_reason(res, i, y[i], need, unit, p) for i in range(y.size)]
    return days, y, res, reasons


def detect(method: str, counts, dates: Sequence, freq: str | None = None, **params):
    """Run ``method`` on one count series; one row per date.

    Columns: date, count, expected, upper, alarm, reason. Points before the method has enough
    history get NaN expected/upper, alarm False and a reason saying so. Returns a pandas
    DataFrame (a dict of lists if pandas is unavailable).
    """
    days, y, res, reasons = detect_arrays(method, counts, dates, freq, **params)
    table = {
        "date": days,
        "count": y.astype(int).tolist(),
        "expected": res.expected.astype(float),
        "upper": res.upper.astype(float),
        "alarm": res.alarm.astype(bool),
        "reason": reasons,
    }
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas comes with statsmodels
        return {k: list(v) for k, v in table.items()}
    return pd.DataFrame(table, columns=list(COLUMNS))
