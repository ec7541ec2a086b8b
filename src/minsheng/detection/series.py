"""Validation of count series and their dates, and calendar constants per period.

Three periods are supported: daily ('D'), weekly ('W') and monthly ('M'). Daily and weekly
rows are a fixed number of days apart; monthly rows are calendar months, each labelled by a
date inside the month (inferred from dates that are all the first, or all the last, day of
their month). A "year" is 364 days, 52 weeks or 12 months (``PERIODS_PER_YEAR``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from .errors import DetectionInputError

WEEKLY = "W"
DAILY = "D"
MONTHLY = "M"
FREQUENCIES = (DAILY, WEEKLY, MONTHLY)
_FREQ_ALIASES = {"w": WEEKLY, "week": WEEKLY, "weekly": WEEKLY, "d": DAILY, "day": DAILY,
                 "daily": DAILY, "m": MONTHLY, "ms": MONTHLY, "me": MONTHLY, "month": MONTHLY,
                 "monthly": MONTHLY}
_SPACING_DAYS = {WEEKLY: 7, DAILY: 1}
# A "year" is a whole number of periods so that seasonal lags keep the weekday (daily data), the
# ISO-week phase (weekly data; 53-week years shift the window by one week, well inside +/- w)
# and the calendar month (monthly data: lag 12 is the same month a year earlier).
PERIODS_PER_YEAR = {WEEKLY: 52, DAILY: 364, MONTHLY: 12}
UNIT = {DAILY: "day", WEEKLY: "week", MONTHLY: "month"}
ADJECTIVE = {DAILY: "daily", WEEKLY: "weekly", MONTHLY: "monthly"}


def normalise_freq(freq: str | None) -> str | None:
    if freq is None:
        return None
    key = str(freq).strip().lower()
    if key not in _FREQ_ALIASES:
        raise DetectionInputError(
            f"unknown freq {freq!r}: use 'D' (daily), 'W' (weekly) or 'M' (monthly)")
    return _FREQ_ALIASES[key]


def unit(n: int, freq: str) -> str:
    """'month' for n = 1, else 'months' (or day/week)."""
    return UNIT[freq] if n == 1 else UNIT[freq] + "s"


def periods(n: int, freq: str) -> str:
    """'1 month', '15 months', '263 weeks'."""
    return f"{n} {unit(n, freq)}"


def span(n: int, freq: str) -> str:
    """Length of n periods in years: '5 years and 1 month', 'about 5.1 years', '9 months'."""
    per_year = PERIODS_PER_YEAR[freq]
    years, rest = divmod(int(n), per_year)
    if freq == MONTHLY:
        if years == 0:
            return periods(rest, freq)
        text = f"{years} year" + ("s" if years != 1 else "")
        return text + (f" and {periods(rest, freq)}" if rest else "")
    return f"about {n / per_year:.1f} years"


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


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_name(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def _looks_monthly(days: list[dt.date]) -> bool:
    """Every date the first of its month, or every date the last of its month."""
    return all(d.day == 1 for d in days) or all(_is_month_end(d) for d in days)


def _anchor_problem(days: list[dt.date]) -> str:
    odd = next((d for d in days if d.day != 1 and not _is_month_end(d)), None)
    if odd is not None:
        return f"{odd.isoformat()} is neither"
    first = next(d for d in days if d.day == 1)
    last = next(d for d in days if _is_month_end(d))
    return f"{first.isoformat()} is a first, {last.isoformat()} a last"


def validate_dates(dates: Sequence, n: int, freq: str | None = None) -> tuple[list[dt.date], str]:
    """Check dates are strictly increasing with one row per day, week or month; return freq.

    Without ``freq`` the period is inferred: 1 day apart = daily, 7 days = weekly, dates that
    are all the first (or all the last) day of their month = monthly. Gaps, duplicates and
    out-of-order dates are errors rather than being filled in, because a filled zero and a
    missing report mean different things to a detector.
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
        if freq is None and _looks_monthly(days):
            freq = MONTHLY
        if freq is None:
            hint = ""
            if 28 <= first <= 31:
                hint = ("; dates about a month apart must all be the first or all the last day "
                        f"of their month ({_anchor_problem(days)}), or pass freq='M' to count "
                        "each date as its calendar month")
            raise DetectionInputError(
                f"cannot infer period from a spacing of {first} days: data must be daily, weekly "
                f"or monthly (pass freq='D', 'W' or 'M'){hint}")
    if freq == MONTHLY:
        _check_months(days)
        return days, freq
    spacing = _SPACING_DAYS[freq]
    off = np.flatnonzero(steps != spacing)
    if off.size:
        i = int(off[0])
        kind = "gap" if steps[i] > spacing else "irregular spacing"
        raise DetectionInputError(
            f"{kind} in dates between {days[i].isoformat()} and {days[i + 1].isoformat()}: "
            f"{ADJECTIVE[freq]} data must have one row per {UNIT[freq]} (fill missing periods "
            "with 0 if no cases were reported)")
    return days, freq


def _check_months(days: list[dt.date]) -> None:
    """One row per calendar month, consecutive; name the duplicated or missing months."""
    months = np.array([_month_index(d) for d in days])
    steps = np.diff(months)
    same = np.flatnonzero(steps == 0)
    if same.size:
        i = int(same[0])
        raise DetectionInputError(
            f"duplicate month {_month_name(int(months[i]))}: {days[i].isoformat()} and "
            f"{days[i + 1].isoformat()} fall in the same month; monthly data must have one row "
            "per month (aggregate to months first)")
    gaps = np.flatnonzero(steps > 1)
    if gaps.size:
        i = int(gaps[0])
        lo, hi = int(months[i]) + 1, int(months[i + 1]) - 1
        missing = _month_name(lo) if lo == hi else (
            f"{_month_name(lo)} to {_month_name(hi)} ({hi - lo + 1} months)")
        more = f"; {gaps.size - 1} more gap(s) after it" if gaps.size > 1 else ""
        raise DetectionInputError(
            f"gap in months: no row for {missing} between {days[i].isoformat()} and "
            f"{days[i + 1].isoformat()}{more}. Monthly data must have one row per month (fill "
            "missing months with 0 if nothing was reported)")
