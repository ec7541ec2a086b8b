"""Validation of count series and their dates, and calendar constants per period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from .errors import DetectionInputError

WEEKLY = "W"
DAILY = "D"
_FREQ_ALIASES = {"w": WEEKLY, "week": WEEKLY, "weekly": WEEKLY, "d": DAILY, "day": DAILY,
                 "daily": DAILY}
_SPACING_DAYS = {WEEKLY: 7, DAILY: 1}
# A "year" is a whole number of weeks so that seasonal lags keep the weekday (daily data) and
# the ISO-week phase (weekly data); 53-week years shift the window by one week, well inside +/- w.
PERIODS_PER_YEAR = {WEEKLY: 52, DAILY: 364}


def normalise_freq(freq: str | None) -> str | None:
    if freq is None:
        return None
    key = str(freq).strip().lower()
    if key not in _FREQ_ALIASES:
        raise DetectionInputError(f"unknown freq {freq!r}: use 'W' (weekly) or 'D' (daily)")
    return _FREQ_ALIASES[key]


def validate_counts(counts) -> np.ndarray:
    """Counts as a float array (1-D or 2-D series x time); reject NaN, negatives, fractions."""
    try:
        arr = np.asarray(counts, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(f"counts must be numbers: {exc}") from None
    if arr.ndim not in (1, 2):
        raise DetectionInputError("counts must be a 1-D series or a 2-D array (series x time)")
    if arr.shape[-1] == 0:
        raise DetectionInputError("counts are empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise DetectionInputError(
            f"count at position {_where(where)} is missing or not a number (NaN)")
    if (arr < 0).any():
        where = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        raise DetectionInputError(
            f"count at position {_where(where)} is negative ({arr[where]:g})")
    if (arr != np.round(arr)).any():
        where = tuple(int(i) for i in np.argwhere(arr != np.round(arr))[0])
        raise DetectionInputError(
            f"count at position {_where(where)} is not a whole number ({arr[where]:g})")
    return arr


def _where(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else f"(series {index[0]}, time {index[1]})"


def _as_date(value, position: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas / numpy timestamps
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DetectionInputError(f"date at position {position} is not a date: {value!r}")


def validate_dates(dates: Sequence, n: int, freq: str | None = None) -> tuple[list[dt.date], str]:
    """Check dates are strictly increasing with constant daily or weekly spacing; return freq.

    Gaps, duplicates and out-of-order dates are errors rather than being filled in, because a
    filled zero and a missing report mean different things to a detector.
    """
    freq = normalise_freq(freq)
    days = [_as_date(d, i) for i, d in enumerate(dates)]
    if len(days) != n:
        raise DetectionInputError(f"got {len(days)} dates for {n} counts")
    if n == 1:
        return days, freq or WEEKLY
    ordinals = np.array([d.toordinal() for d in days])
    steps = np.diff(ordinals)
    for i, step in enumerate(steps):
        if step == 0:
            raise DetectionInputError(f"duplicate date {days[i + 1].isoformat()}")
        if step < 0:
            raise DetectionInputError(
                f"dates are not increasing: {days[i + 1].isoformat()} follows "
                f"{days[i].isoformat()}")
    if freq is None:
        first = int(steps[0])
        freq = {7: WEEKLY, 1: DAILY}.get(first)
        if freq is None:
            raise DetectionInputError(
                f"cannot infer period from a spacing of {first} days: data must be daily or "
                "weekly (pass freq='D' or 'W')")
    spacing = _SPACING_DAYS[freq]
    off = np.flatnonzero(steps != spacing)
    if off.size:
        i = int(off[0])
        kind = "gap" if steps[i] > spacing else "irregular spacing"
        raise DetectionInputError(
            f"{kind} in dates between {days[i].isoformat()} and {days[i + 1].isoformat()}: "
            f"{'weekly' if freq == WEEKLY else 'daily'} data must have one row per "
            f"{'week' if freq == WEEKLY else 'day'} (fill missing periods with 0 if no cases "
            "were reported)")
    return days, freq
