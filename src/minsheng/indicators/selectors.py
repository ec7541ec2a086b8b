"""Every read of the indicator engine, scoped to the actor where it concerns areas."""

from __future__ import annotations

import datetime

import pandas as pd
from django.db.models import QuerySet

from minsheng.core.access import as_actor, require, scoped
from minsheng.core.errors import NotFound
from minsheng.indicators import engine
from minsheng.indicators.models import DataElement, DataGeneration, DataValue, Indicator

VIEW = "indicators.view"


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


def indicator_list(actor=None, *, published: bool | None = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("department")
    if published is not None:
        qs = qs.filter(published=published)
    return qs


def indicator_get(actor, *, code: str) -> Indicator:
    actor = as_actor(actor)
    require(actor, VIEW)
    try:
        return Indicator.objects.get(code=code)
    except Indicator.DoesNotExist:
        raise NotFound() from None


def element_list() -> QuerySet[DataElement]:
    return DataElement.objects.select_related("department", "part_of")


def element_get(*, code: str) -> DataElement:
    try:
        return DataElement.objects.select_related("department", "part_of").get(code=code)
    except DataElement.DoesNotExist:
        raise NotFound() from None


def value_list(actor, *, element: DataElement | None = None, area=None, state: str = "",
               current_only: bool = True) -> QuerySet[DataValue]:
    actor = as_actor(actor)
    qs = scoped(DataValue.objects.select_related("element", "area", "author"), actor, VIEW)
    if element is not None:
        qs = qs.filter(element=element)
    if area is not None:
        qs = qs.filter(area=area)
    if state:
        qs = qs.filter(state=state)
    if current_only:
        qs = qs.filter(current=True)
    return qs.order_by("-period_start", "area__code")


def value_get(actor, *, pk: int) -> DataValue:
    actor = as_actor(actor)
    try:
        return value_list(actor, current_only=False).get(pk=pk)
    except DataValue.DoesNotExist:
        raise NotFound() from None


def value_history(value: DataValue) -> QuerySet[DataValue]:
    return (DataValue.objects.filter(element=value.element_id, area=value.area_id,
                                     period_start=value.period_start)
            .select_related("author").order_by("-vintage"))


def values_not_counted(actor, *, element_codes, area_ids) -> QuerySet[DataValue]:
    """Current values that do not count yet (pending, rejected or flagged), for display."""
    from django.db.models import Q

    return (scoped(DataValue.objects.filter(element__code__in=list(element_codes),
                                            area_id__in=list(area_ids), current=True)
                   .filter(~Q(state=DataValue.State.APPROVED) | ~Q(flag="")),
                   as_actor(actor), VIEW)
            .select_related("element", "area"))
