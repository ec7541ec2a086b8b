"""The numeric core of the indicator engine: periods, roll-ups and formula evaluation over
whole tables at once (pandas/numpy; no Python loop per area or period).

A *frame* is a DataFrame with columns ``area`` (id), ``period`` (first day, a date) and
``value``; a *wide* frame has one column per data element code.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from minsheng.indicators import formula as formulas

PERIOD_RANK = {"month": 0, "quarter": 1, "year": 2}
_DOTTED = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")


def period_start(day: datetime.date, kind: str) -> datetime.date:
    if kind == "year":
        return datetime.date(day.year, 1, 1)
    if kind == "quarter":
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return datetime.date(day.year, day.month, 1)


def period_end(start: datetime.date, kind: str) -> datetime.date:
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    y, m = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + y, m + 1, 1) - datetime.timedelta(days=1)


def periods(start: datetime.date, end: datetime.date, kind: str) -> list[datetime.date]:
    out, p = [], period_start(start, kind)
    while p <= end:
        out.append(p)
        p = period_end(p, kind) + datetime.timedelta(days=1)
    return out


def period_label(start: datetime.date, kind: str) -> str:
    if kind == "year":
        return f"{start.year}"
    if kind == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def coarsest(kinds) -> str:
    return max(kinds, key=PERIOD_RANK.__getitem__, default="month")


# -- formulas over dotted codes ------------------------------------------------------------

def formula_name(code: str) -> str:
    return code.replace(".", "__")


def parse_formula(expr: str, known=None) -> formulas.Formula:
    """Parse a formula written with dotted data element codes (``health.hospital_beds``)."""
    translated = _DOTTED.sub(r"\1__\2", expr)
    known_names = None if known is None else {formula_name(c) for c in known}
    try:
        return formulas.parse(translated, known_names)
    except formulas.FormulaError as exc:
        message = str(exc).replace("__", ".")
        raise formulas.FormulaError(message, None, expr) from None


def formula_codes(expr: str) -> set[str]:
    return {n.replace("__", ".") for n in parse_formula(expr).names}


def dependency_order(definitions: dict[str, str]) -> list[str]:
    translated = {formula_name(c): _DOTTED.sub(r"\1__\2", e) for c, e in definitions.items()}
    try:
        return [c.replace("__", ".") for c in formulas.dependency_order(translated)]
    except formulas.FormulaError as exc:
        raise formulas.FormulaError(str(exc).replace("__", "."), None, None) from None


# -- roll-ups ------------------------------------------------------------------------------

def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({"area": pd.Series(dtype="int64"), "period": pd.Series(dtype="object"),
                         "value": pd.Series(dtype="float64")})


def rollup_periods(frame: pd.DataFrame, aggregation: str, to_kind: str) -> pd.DataFrame:
    """Month/quarter values to a coarser period: flows add up, stocks take the latest period
    present in the bucket (so a year still in progress shows its latest stock)."""
    if frame.empty:
        return frame
    out = frame.copy()
    out["bucket"] = [period_start(p, to_kind) for p in out["period"]]
    if aggregation == "sum":
        grouped = out.groupby(["area", "bucket"], as_index=False)["value"].sum()
    else:
        out = out.sort_values("period")
        grouped = out.groupby(["area", "bucket"], as_index=False)["value"].last()
    return grouped.rename(columns={"bucket": "period"})


def rollup_areas(frame: pd.DataFrame, parents: dict[int, int | None],
                 depth: dict[int, int]) -> pd.DataFrame:
    """Add ancestors' totals for additive values. The deepest level in the frame is summed
    upwards; values given directly for a higher level take precedence."""
    if frame.empty:
        return frame
    frame = frame.groupby(["area", "period"], as_index=False)["value"].sum()
    levels = frame["area"].map(depth)
    base = frame[levels == levels.max()]
    parts = [frame]
    current = base
    while True:
        up = current.assign(area=current["area"].map(parents))
        up = up[up["area"].notna()]
        if up.empty:
            break
        up = up.assign(area=up["area"].astype("int64"))
        up = up.groupby(["area", "period"], as_index=False)["value"].sum()
        parts.append(up)
        current = up
    merged = pd.concat(parts, ignore_index=True)
    # first occurrence wins: directly given values come before roll-ups
    return merged.drop_duplicates(["area", "period"], keep="first").reset_index(drop=True)


# -- evaluation ----------------------------------------------------------------------------

def evaluate(expr: str, elements: dict[str, pd.DataFrame], aggregations: dict[str, str],
             element_periods: dict[str, str]) -> tuple[pd.DataFrame, str]:
    """Evaluate a formula for every (area, period) where all its elements have values.

    Elements are first rolled up to the coarsest period among them. Returns a frame with an
    extra boolean column ``div_by_zero`` and the period kind of the result. Missing periods
    stay missing (no zero filling)."""
    f = parse_formula(expr)
    codes = sorted(n.replace("__", ".") for n in f.names)
    kind = coarsest(element_periods[c] for c in codes) if codes else "month"
    wide = None
    for code in codes:
        frame = elements.get(code, empty_frame())
        if element_periods[code] != kind:
            frame = rollup_periods(frame, aggregations[code], kind)
        frame = frame[["area", "period", "value"]].rename(columns={"value": formula_name(code)})
        wide = frame if wide is None else wide.merge(frame, on=["area", "period"], how="inner")
    if wide is None or wide.empty:
        out = empty_frame()
        out["div_by_zero"] = pd.Series(dtype=bool)
        return out, kind
    values = {formula_name(c): wide[formula_name(c)].to_numpy(dtype=float) for c in codes}
    result = f.evaluate_detailed(values)
    value = np.broadcast_to(np.asarray(result.value, dtype=float), (len(wide),))
    zero = np.broadcast_to(np.asarray(result.div_by_zero, dtype=bool), (len(wide),))
    out = pd.DataFrame({"area": wide["area"].to_numpy(), "period": wide["period"].to_numpy(),
                        "value": value, "div_by_zero": zero})
    return out.sort_values(["area", "period"]).reset_index(drop=True), kind


def modified_z(series: np.ndarray, value: float) -> float | None:
    """Iglewicz-Hoaglin modified z-score of ``value`` against a series (None: too short)."""
    s = np.asarray(series, dtype=float)
    s = s[~np.isnan(s)]
    if len(s) < 6:
        return None
    median = float(np.median(s))
    mad = float(np.median(np.abs(s - median)))
    if mad == 0:
        mad = float(np.mean(np.abs(s - median))) * 1.2533 or 0.0
        if mad == 0:
            return 0.0 if value == median else float("inf")
        return (value - median) / mad
    return 0.6745 * (value - median) / mad
