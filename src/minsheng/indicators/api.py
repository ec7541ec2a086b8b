"""Indicator endpoints: indicators, data elements, values (read, enter, review), series, open
data. Thin over selectors/services; every list is paged (core.pagination.ApiPagination)."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from minsheng.core import selectors as core_selectors
from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound
from minsheng.core.forms import MAX_INT
from minsheng.core.pagination import ApiPagination
from minsheng.indicators import opendata, selectors, services

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


class ValueFilter(Schema):
    element: str = Field("", max_length=80)
    area_code: str = Field("", max_length=12)
    state: Literal["", "pending", "approved", "rejected"] = ""


class ValueIn(Schema):
    element: str = Field(..., max_length=80)
    area_code: str = Field(..., max_length=12)
    period: str = Field(..., max_length=10, description="YYYY, YYYY-MM or YYYYQn")
    value: float = Field(..., allow_inf_nan=False)
    version: int | None = Field(None, ge=1, le=MAX_INT,
                                description="the version you read, when revising")
    note: str = Field("", max_length=300)


class DecisionIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT, description="the version you read")
    action: Literal["approve", "reject"]
    accept_flag: bool = Field(False, description="approve a value flagged as an outlier")
    note: str = Field("", max_length=200)


class SeriesPoint(Schema):
    area_code: str
    period: str
    value: float | None


@router.get("/", response=list[IndicatorOut])
@paginate(ApiPagination)
def indicators(request: HttpRequest):
    return selectors.indicator_list(actor_for(request.user))


@router.get("/elements", response=list[ElementOut])
@paginate(ApiPagination)
def elements(request: HttpRequest):
    return selectors.element_list(actor_for(request.user))


@router.get("/open-data", auth=None)
def open_data(request: HttpRequest):
    return opendata.as_json()


@router.get("/values", response=list[ValueOut])
@paginate(ApiPagination)
def values(request: HttpRequest, filters: Query[ValueFilter]):
    actor = actor_for(request.user)
    element = selectors.element_get(actor, code=filters.element) if filters.element else None
    area = core_selectors.area_lookup(filters.area_code)
    if filters.area_code and area is None:
        raise NotFound()
    return selectors.value_list(actor, element=element, area=area, state=filters.state)


@router.post("/values", response={201: ValueOut})
def value_enter(request: HttpRequest, payload: ValueIn):
    actor = actor_for(request.user)
    element = selectors.element_get(actor, code=payload.element)
    area = core_selectors.area_lookup(payload.area_code)
    if area is None:
        raise NotFound()
    value = services.value_enter(actor=actor, element=element, area=area, period=payload.period,
                                 value=payload.value, version=payload.version,
                                 note=payload.note)
    return Status(201, value)


@router.post("/values/{value_id}/decide", response=ValueOut)
def value_decide(request: HttpRequest, value_id: int, payload: DecisionIn):
    actor = actor_for(request.user)
    value = selectors.value_get(actor, pk=value_id)
    return services.value_decide(actor=actor, value=value, version=payload.version,
                                 approve=payload.action == "approve",
                                 accept_flag=payload.accept_flag, note=payload.note)


@router.get("/{code}/series", response=list[SeriesPoint])
def series(request: HttpRequest, code: str):
    """One indicator's whole series for the areas you see (chart data: areas × periods,
    bounded by the area tree and the years stored, so it is not paged)."""
    actor = actor_for(request.user)
    return selectors.series(actor, indicator=selectors.indicator_get(actor, code=code))
