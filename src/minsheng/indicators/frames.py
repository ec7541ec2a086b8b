"""The engine's set-based reads of the values that count (approved, not flagged), for
computation: target status, formulas, open data, the values computation itself.

These take the areas to read, not an actor: callers pass the areas their actor may see
(selectors and plans.status do), or read published aggregates (open data). Every read a
page or endpoint makes for a user goes through `selectors`, which take the actor."""

from __future__ import annotations

import datetime

import pandas as pd
from django.db.models import QuerySet

from minsheng.indicators import engine
from minsheng.indicators.models import DataElement, DataGeneration, DataValue, Indicator


def generation() -> int:
    return DataGeneration.objects.filter(pk=1).values_list("counter", flat=True).first() or 0


def element_meta(codes=None) -> dict[str, tuple[str, str]]:
    """code -> (aggregation, period)."""
    qs = DataElement.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {c: (a, p) for c, a, p in qs.values_list("code", "aggregation", "period")}


def element_frames(codes, *, area_ids=None, start: datetime.date | None = None,
                   end: datetime.date | None = None) -> dict[str, pd.DataFrame]:
    """Current values that count (approved, not flagged) of several elements: ONE query."""
    qs = DataValue.objects.filter(element__code__in=list(codes), current=True,
                                  state=DataValue.State.APPROVED, flag="")
    if area_ids is not None:
        qs = qs.filter(area_id__in=list(area_ids))
    if start is not None:
        qs = qs.filter(period_start__gte=start)
    if end is not None:
        qs = qs.filter(period_start__lte=end)
    rows = list(qs.values_list("element__code", "area_id", "period_start", "value"))
    frames = {c: engine.empty_frame() for c in codes}
    if rows:
        df = pd.DataFrame(rows, columns=["code", "area", "period", "value"])
        for code, part in df.groupby("code"):
            frames[code] = part[["area", "period", "value"]].reset_index(drop=True)
    return frames


def evaluate_formula(expr: str, *, area_ids=None, start=None, end=None) -> pd.DataFrame:
    codes = engine.formula_codes(expr)
    meta = element_meta(codes)
    missing = codes - set(meta)
    if missing:
        from minsheng.indicators.formula import FormulaError

        raise FormulaError(f"unknown data element {', '.join(sorted(missing))}")
    frames = element_frames(codes, area_ids=area_ids, start=start, end=end)
    frame, _ = engine.evaluate(expr, frames, {c: m[0] for c, m in meta.items()},
                               {c: m[1] for c, m in meta.items()})
    return frame


def indicator_frames(indicators, *, area_ids=None, start=None,
                     end=None) -> dict[str, tuple[pd.DataFrame, str]]:
    """Series of several indicators for several areas: one query for the element metadata
    and one for all values, whatever the number of indicators or areas."""
    codes_by = {i.code: engine.formula_codes(i.formula) for i in indicators}
    all_codes = set().union(*codes_by.values()) if codes_by else set()
    meta = element_meta(all_codes)
    frames = element_frames(all_codes, area_ids=area_ids, start=start, end=end)
    out = {}
    for i in indicators:
        if codes_by[i.code] - set(meta):
            out[i.code] = (engine.empty_frame(), "month")
            continue
        frame, kind = engine.evaluate(i.formula, frames, {c: m[0] for c, m in meta.items()},
                                      {c: m[1] for c, m in meta.items()})
        out[i.code] = (frame, kind)
    return out


def published_indicators() -> QuerySet[Indicator]:
    """Indicators published as open data (public, like their aggregate values)."""
    return Indicator.objects.filter(published=True).select_related("department")
