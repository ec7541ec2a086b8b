"""Plan endpoints: plans, items, targets with their status, editing a target. Thin over
selectors/services; every list is paged (core.pagination.ApiPagination)."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.forms import MAX_INT
from minsheng.core.pagination import ApiPagination
from minsheng.indicators import selectors as indicator_selectors
from minsheng.plans import selectors, services
from minsheng.plans.models import Target

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    title: str
    state: str
    area_code: str
    version: int

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code


class ItemOut(Schema):
    id: int
    number: str
    level: str
    title: str
    text: str
    parent_id: int | None
    lead_department: str | None
    deadline: datetime.date | None
    version: int

    @staticmethod
    def resolve_lead_department(obj):
        return obj.lead_department.department_code if obj.lead_department else None


class AreaResult(Schema):
    area_code: str
    status: str | None
    current_value: float | None
    current_date: str | None
    target_value: float | None
    projection: dict | None
    progress: dict | None
    reason: str


class TargetOut(Schema):
    id: int
    name: str
    indicator: str | None
    kind: str
    value: float | None
    deadline: datetime.date
    lead_department: str | None
    status: str
    version: int
    results: list[AreaResult]


class TargetPatch(Schema):
    """Fields of a district target to change; those left out stay as they are."""

    version: int = Field(..., ge=1, le=MAX_INT, description="the version you read")
    name: str | None = Field(None, min_length=1, max_length=200)
    indicator: str | None = Field(None, max_length=80, description="indicator code; '' for none")
    kind: str | None = Field(None, max_length=12, description=" / ".join(Target.Kind.values))
    value: float | None = Field(None, ge=0, allow_inf_nan=False)
    deadline: datetime.date | None = None
    baseline_value: float | None = Field(None, allow_inf_nan=False)
    baseline_date: datetime.date | None = None
    lead_department: str | None = Field(None, max_length=40,
                                        description="department code; '' for none")
    tolerance: float | None = Field(None, ge=0, allow_inf_nan=False)


class TargetFilter(Schema):
    chapter: int | None = Field(None, ge=1, le=MAX_INT, description="chapter item id")
    department: int | None = Field(None, ge=1, le=MAX_INT, description="lead department id")


class TargetSaved(Schema):
    id: int
    name: str
    indicator: str | None
    kind: str
    value: float | None
    deadline: datetime.date
    baseline_value: float | None
    baseline_date: datetime.date | None
    lead_department: str | None
    tolerance: float
    version: int

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code if obj.indicator else None

    @staticmethod
    def resolve_lead_department(obj):
        return obj.lead_department.department_code if obj.lead_department else None


@router.get("/", response=list[PlanOut])
@paginate(ApiPagination)
def plans(request: HttpRequest):
    return selectors.plan_list(actor_for(request.user)).order_by("-created_at", "id")


@router.get("/{plan_id}/items", response=list[ItemOut])
@paginate(ApiPagination)
def items(request: HttpRequest, plan_id: int):
    actor = actor_for(request.user)
    plan = selectors.plan_get(actor, pk=plan_id)
    return selectors.item_list(actor, plan=plan).order_by("position", "id")


def _result(area, r) -> dict:
    return {"area_code": area.code, "status": r["status"] if r else None,
            "current_value": r["current_value"] if r else None,
            "current_date": r["current_date"] if r else None,
            "target_value": r["target_value"] if r else None,
            "projection": r["projection"] if r else None,
            "progress": r["progress"] if r else None, "reason": r["reason"] if r else ""}


@router.get("/{plan_id}/targets", response=list[TargetOut])
@paginate(ApiPagination)
def targets(request: HttpRequest, plan_id: int, filters: Query[TargetFilter]):
    actor = actor_for(request.user)
    plan = selectors.plan_get(actor, pk=plan_id)
    out = []
    for row in selectors.overview(actor, plan=plan, chapter=filters.chapter,
                                  department=filters.department):
        t = row["target"]
        out.append({"id": t.id, "name": t.name,
                    "indicator": t.indicator.code if t.indicator else None, "kind": t.kind,
                    "value": t.value, "deadline": t.deadline,
                    "lead_department": t.lead_department.department_code
                    if t.lead_department else None,
                    "status": row["result"]["status"] if row["result"] else t.status,
                    "version": t.version,
                    "results": [_result(t.area, row["result"])]
                    + [_result(a, r) for a, r in row["areas"]]})
    return out


@router.patch("/targets/{target_id}", response=TargetSaved)
def target_update(request: HttpRequest, target_id: int, payload: TargetPatch):
    actor = actor_for(request.user)
    target = selectors.target_get(actor, pk=target_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if "indicator" in changes:
        code = changes["indicator"] or ""
        changes["indicator"] = indicator_selectors.indicator_get(actor, code=code) \
            if code else None
    if "lead_department" in changes:
        code = changes["lead_department"] or ""
        changes["lead_department"] = (selectors.department_by_code(actor, code=code)
                                      if code else None)
    return services.target_update(actor=actor, target=target, version=version, **changes)
