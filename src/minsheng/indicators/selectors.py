"""Every read of the indicator engine a page or endpoint makes. Each takes the actor first and
returns only what the actor may see (values by area; the catalogue to every role that views
indicators); the definition forms belong to managers and refuse others here, so views never
check permissions themselves. The engine's computational reads are in `frames`."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from minsheng.core import selectors as core_selectors
from minsheng.core.access import R, as_actor, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Area
from minsheng.indicators import checks, engine, frames, registry
from minsheng.indicators.models import DataElement, DataValue, Indicator
from minsheng.indicators.permissions import APPROVE, ENTER, MANAGE, VIEW


def indicator_list(actor) -> QuerySet[Indicator]:
    actor = as_actor(actor)
    qs = Indicator.objects.select_related("department").order_by("code")
    return qs if actor.has(VIEW) else qs.none()


def indicator_get(actor, *, code: str) -> Indicator:
    try:
        return indicator_list(actor).get(code=code)
    except Indicator.DoesNotExist:
        raise NotFound() from None


def element_list(actor) -> QuerySet[DataElement]:
    actor = as_actor(actor)
    qs = DataElement.objects.select_related("department", "part_of").order_by("code")
    return qs if actor.has(VIEW) else qs.none()


def element_get(actor, *, code: str) -> DataElement:
    try:
        return element_list(actor).get(code=code)
    except DataElement.DoesNotExist:
        raise NotFound() from None


def enterable_elements(actor) -> list[DataElement]:
    """Elements whose values are entered by hand or imported (no formula, no source)."""
    return [e for e in element_list(actor) if not e.formula and e.code not in registry.SOURCES]


def entry_areas(actor) -> QuerySet[Area]:
    """The areas where the actor may enter values."""
    return Area.objects.filter(id__in=as_actor(actor).area_ids(ENTER)).order_by("path")


def entry_choices(actor) -> dict:
    """What the entry form offers; refused to those who do not enter values."""
    actor = as_actor(actor)
    require(actor, ENTER)
    return {"elements": enterable_elements(actor), "areas": entry_areas(actor)}


def entry_area(actor, *, code: str) -> Area:
    try:
        return entry_areas(actor).get(code=code)
    except Area.DoesNotExist:
        raise NotFound() from None


def value_list(actor, *, element: DataElement | None = None, area=None, state: str = "",
               current_only: bool = True) -> QuerySet[DataValue]:
    actor = as_actor(actor)
    qs = scoped(DataValue.objects.select_related("element__department", "area", "author"),
                actor, VIEW)
    if element is not None:
        qs = qs.filter(element=element)
    if area is not None:
        qs = qs.filter(area=area)
    if state:
        qs = qs.filter(state=state)
    if current_only:
        qs = qs.filter(current=True)
    return qs.order_by("-period_start", "area__code", "element__code", "id")


def values_page(actor, *, element_code: str = "", state: str = "") -> dict:
    """The values page's lists (to page) and what it offers the actor."""
    actor = as_actor(actor)
    require(actor, VIEW)
    element = element_list(actor).filter(code=element_code).first() if element_code else None
    return {"values": value_list(actor, element=element, state=state),
            "pending": value_list(actor, state=DataValue.State.PENDING),
            "elements": element_list(actor), "element": element,
            "can_enter": actor.has(ENTER), "can_approve": actor.has(APPROVE)}


def value_get(actor, *, pk: int) -> DataValue:
    try:
        return value_list(actor, current_only=False).get(pk=pk)
    except DataValue.DoesNotExist:
        raise NotFound() from None


def value_history(actor, *, value: DataValue) -> QuerySet[DataValue]:
    """Every vintage of a value (its area in the actor's scope), newest first."""
    return (scoped(DataValue.objects.filter(element=value.element_id, area=value.area_id,
                                            period_start=value.period_start),
                   as_actor(actor), VIEW)
            .select_related("author", "approved_by").order_by("-vintage"))


def can_decide(actor, value: DataValue) -> bool:
    """Whether the page offers approve/reject: pending and current, the actor approves in
    its area and belongs to the element's department (system administrators any). The
    service decides again when the form is sent."""
    actor = as_actor(actor)
    if value.state != DataValue.State.PENDING or not value.current:
        return False
    if not actor.covers(APPROVE, value.area):
        return False
    department = value.element.department
    return (department is None or actor.system or R.SYSTEM_ADMIN in actor.roles
            or actor.department_code == department.department_code)


def with_decide_flags(actor, values) -> list[DataValue]:
    values = list(values)
    for value in values:
        value.can_decide = can_decide(actor, value)
    return values


def value_page(actor, *, pk: int) -> dict:
    """A value with its vintages and the timeline of its review."""
    from minsheng.casework.workflow import timeline

    actor = as_actor(actor)
    value = value_get(actor, pk=pk)
    value.can_decide = can_decide(actor, value)
    return {"value": value, "history": value_history(actor, value=value),
            "timeline": timeline(value)}


# -- definition pages ----------------------------------------------------------------------

def element_rows(actor) -> list[dict]:
    """Every data element with where its values come from: a registered source (which), a
    formula over other elements, or manual entry and import."""
    rows = []
    for e in element_list(actor):
        source = registry.SOURCES.get(e.code)
        origin = "source" if source else ("formula" if e.formula else "manual")
        rows.append({"element": e, "origin": origin, "source": source,
                     "module": e.code.split(".", 1)[0]})
    return rows


def definitions_page(actor) -> dict:
    actor = as_actor(actor)
    require(actor, VIEW)
    return {"elements": element_rows(actor), "indicators": indicator_list(actor),
            "can_manage": actor.has(MANAGE)}


def definition_choices(actor, *, exclude: str = "") -> dict:
    """What a definition form offers (departments, the element codes a formula may use);
    only for those who manage definitions."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    return {"departments": core_selectors.departments(),
            "elements": DataElement.objects.exclude(code=exclude).only("code", "name")
            .order_by("code")}


def element_for_edit(actor, *, code: str) -> DataElement:
    require(as_actor(actor), MANAGE)
    return element_get(actor, code=code)


def indicator_for_edit(actor, *, code: str) -> Indicator:
    require(as_actor(actor), MANAGE)
    return indicator_get(actor, code=code)


def district_for(actor) -> Area | None:
    """The top area the actor sees (the district, for a district-wide role)."""
    actor = as_actor(actor)
    return (Area.objects.filter(id__in=actor.area_ids(VIEW)).order_by("path").first())


def formula_check(actor, expr: str, *, element_code: str = "") -> checks.FormulaCheck:
    """The check of a formula being typed (definition forms: managers only)."""
    require(as_actor(actor), MANAGE)
    return checks.formula_check(expr, element_code=element_code)


def formula_preview(actor, expr: str, *, years: int = 3) -> dict | None:
    """The formula's latest value for the actor's district (over the last ``years`` years of
    values that count), or None when there is nothing to show."""
    district = district_for(actor)
    if district is None:
        return None
    codes = engine.formula_codes(expr)
    meta = frames.element_meta(codes)
    if codes - set(meta):
        return None
    start = datetime.date(timezone.localdate().year - years, 1, 1)
    values = frames.element_frames(codes, area_ids=[district.id], start=start)
    frame, kind = engine.evaluate(expr, values, {c: m[0] for c, m in meta.items()},
                                  {c: m[1] for c, m in meta.items()})
    preview = {"area": district, "value": None, "period": "", "div_by_zero": False}
    if frame.empty:
        return preview
    last = frame.iloc[-1]
    preview["period"] = engine.period_label(last["period"], kind)
    if bool(last["div_by_zero"]):
        preview["div_by_zero"] = True
    elif last["value"] == last["value"]:
        preview["value"] = float(last["value"])
    return preview


def series(actor, *, indicator: Indicator) -> list[dict]:
    """An indicator's series for every area the actor sees (the API's chart data)."""
    actor = as_actor(actor)
    ids = actor.area_ids(VIEW)
    frame, kind = frames.indicator_frames([indicator], area_ids=ids)[indicator.code]
    areas = core_selectors.area_codes(ids)
    return [{"area_code": areas[int(a)], "period": engine.period_label(p, kind),
             "value": None if v != v else float(v)}
            for a, p, v in frame[["area", "period", "value"]].itertuples(index=False)]
