"""Indicator endpoints: indicators, data elements, values (read, enter), open data."""

from __future__ import annotations

import datetime

from ninja import Field, Router, Schema

from minsheng.core import selectors as core_selectors
from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound
from minsheng.indicators import engine, opendata, selectors, services

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    formula: str
    published: bool


class ElementOut(Schema):
    code: str
    name: str
    unit: str
    aggregation: str
    period: str
    formula: str


class ValueOut(Schema):
    id: int
    element: str = Field(..., alias="element.code")
    area_code: str = Field(..., alias="area.code")
    period_start: datetime.date
    value: float
    source: str
    state: str
    flag: str
    vintage: int
    version: int


class ValueIn(Schema):
    element: str = Field(..., max_length=80)
    area_code: str = Field(..., max_length=12)
    period: str = Field(..., max_length=10, description="YYYY, YYYY-MM or YYYYQn")
    value: float
    version: int | None = Field(None, description="the version you read, when revising")
    note: str = Field("", max_length=300)


class SeriesPoint(Schema):
    area_code: str
    period: str
    value: float | None


@router.get("/", response=list[IndicatorOut])
def indicators(request):
    actor_for(request.user)
    return list(selectors.indicator_list())


@router.get("/elements", response=list[ElementOut])
def elements(request):
    return list(selectors.element_list())


@router.get("/open-data", auth=None)
def open_data(request):
    return opendata.as_json()


@router.get("/values", response=list[ValueOut])
def values(request, element: str = "", area_code: str = "", state: str = ""):
    actor = actor_for(request.user)
    el = selectors.element_get(code=element) if element else None
    area = core_selectors.area_lookup(area_code)
    if area_code and area is None:
        raise NotFound()
    return list(selectors.value_list(actor, element=el, area=area, state=state)[:1000])


@router.post("/values", response={201: ValueOut})
def value_enter(request, payload: ValueIn):
    actor = actor_for(request.user)
    element = selectors.element_get(code=payload.element)
    area = core_selectors.area_lookup(payload.area_code)
    if area is None:
        raise NotFound()
    try:
        period = services.parse_period(payload.period, element.period)
    except ValueError as exc:
        from minsheng.core.errors import ValidationFailed

        raise ValidationFailed(str(exc), field="period") from None
    value = services.value_enter(actor=actor, element=element, area=area, period=period,
                                 value=payload.value, version=payload.version,
                                 note=payload.note)
    return 201, value


@router.get("/{code}/series", response=list[SeriesPoint])
def series(request, code: str):
    actor = actor_for(request.user)
    indicator = selectors.indicator_get(actor, code=code)
    ids = actor.area_ids(selectors.VIEW)
    frame, kind = selectors.indicator_frames([indicator], area_ids=ids)[code]
    areas = core_selectors.area_codes(ids)
    return [{"area_code": areas[int(a)], "period": engine.period_label(p, kind),
             "value": None if v != v else float(v)}
            for a, p, v in frame[["area", "period", "value"]].itertuples(index=False)]
