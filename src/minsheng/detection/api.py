"""Single-series entry point returning a table with a plain-English reason per row."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import DetectionInputError
from .registry import (
    METHODS,
    check_freq,
    required_history,
    resolve_params,
    run_batch,
    supports,
)
from .result import C3_CARRIED, NO_HISTORY, SUPPRESSED_FEW_CASES, DetectionResult
from .series import periods, span, unit, validate_counts, validate_dates

COLUMNS = ("date", "count", "expected", "upper", "alarm", "reason")


def _reason(res: DetectionResult, i: int, count: float, need: int, freq: str,
            params: dict) -> str:
    status = int(res.status[i])
    if status == NO_HISTORY:
        return f"not enough history: needs {need} earlier {unit(need, freq)}, has {i}"
    if status == SUPPRESSED_FEW_CASES:
        return (f"above threshold {res.upper[i]:.2f} but fewer than {params['min_cases']} "
                f"cases in the last {periods(4, freq)}; no alarm")
    if status == C3_CARRIED:
        return "alarm: C3 already above its threshold from the two previous periods"
    if res.alarm[i]:
        return (f"alarm: count {count:g} above threshold {res.upper[i]:.2f} "
                f"(expected {res.expected[i]:.2f})")
    return "no alarm"


def runnable_methods(n: int, freq: str) -> list[tuple[str, int]]:
    """Methods that can evaluate at least one point of an n-period series with their
    defaults for ``freq``, with the earlier periods each needs."""
    out = []
    for name in METHODS:
        if not supports(name, freq):
            continue
        need = required_history(name, resolve_params(name, None, freq), freq)
        if need < n:
            out.append((name, need))
    return out


def _span(n: int, freq: str) -> str:
    text = span(n, freq)
    return "" if text == periods(n, freq) else f" ({text})"


def history_error(method: str, need: int, n: int, freq: str) -> DetectionInputError:
    """'farrington_flexible needs more than 61 months of data: 61 earlier months ...'."""
    others = [f"{name} ({need_o})" for name, need_o in runnable_methods(n, freq)
              if name != method and need_o > 0]
    alternatives = (
        f" Methods that can run on this series with their defaults (earlier {unit(2, freq)}"
        f" needed): {', '.join(others)}." if others else "")
    return DetectionInputError(
        f"{method} needs more than {periods(need, freq)} of data: {need} earlier "
        f"{unit(need, freq)}{_span(need, freq)} before the first {unit(1, freq)} it can "
        f"evaluate; the series has {periods(n, freq)}{_span(n, freq)}. Give at least "
        f"{periods(need + 1, freq)}, or shorten the method's baseline.{alternatives}")


def detect_arrays(method: str, counts, dates: Sequence, freq: str | None = None,
                  **params) -> tuple[list, np.ndarray, DetectionResult, list[str]]:
    y = validate_counts(counts)
    if y.ndim != 1:
        raise DetectionInputError("detect() takes one series; use registry.run_batch for many")
    days, freq = validate_dates(dates, y.size, freq)
    resolve_params(method, params)  # unknown method or parameter before the period check
    check_freq(method, freq)
    p = resolve_params(method, params, freq)
    need = required_history(method, p, freq)
    if y.size <= need:
        raise history_error(method, need, y.size, freq)
    res = run_batch(method, y[None, :], freq, p).row(0)
    reasons = [_reason(res, i, y[i], need, freq, p) for i in range(y.size)]
    return days, y, res, reasons


def detect(method: str, counts, dates: Sequence, freq: str | None = None, **params):
    """Run ``method`` on one count series; one row per date.

    ``freq`` is 'D', 'W' or 'M' (inferred from the dates when omitted). Columns: date, count,
    expected, upper, alarm, reason. Points before the method has enough history get NaN
    expected/upper, alarm False and a reason saying so; a series too short for any point is an
    error saying how many periods are needed. Returns a pandas DataFrame (a dict of lists if
    pandas is unavailable).
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
