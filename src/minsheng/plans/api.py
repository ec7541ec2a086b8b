"""Plan endpoints: plans, items, targets with their status. Thin over selectors/services."""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from minsheng.core.access import actor_for
from minsheng.plans import selectors

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
    results: list[AreaResult]


@router.get("/", response=list[PlanOut])
def plans(request):
    return list(selectors.plan_list(actor_for(request.user)).select_related("area"))


@router.get("/{plan_id}/items", response=list[ItemOut])
def items(request, plan_id: int):
    plan = selectors.plan_get(actor_for(request.user), pk=plan_id)
    return list(selectors.item_list(plan))


def _result(area, r) -> dict:
    return {"area_code": area.code, "status": r["status"] if r else None,
            "current_value": r["current_value"] if r else None,
            "current_date": r["current_date"] if r else None,
            "target_value": r["target_value"] if r else None,
            "projection": r["projection"] if r else None,
            "progress": r["progress"] if r else None, "reason": r["reason"] if r else ""}


@router.get("/{plan_id}/targets", response=list[TargetOut])
def targets(request, plan_id: int, chapter: int | None = None, department: int | None = None):
    actor = actor_for(request.user)
    plan = selectors.plan_get(actor, pk=plan_id)
    out = []
    for row in selectors.overview(actor, plan=plan, chapter=chapter, department=department):
        t = row["target"]
        out.append({"id": t.id, "name": t.name,
                    "indicator": t.indicator.code if t.indicator else None, "kind": t.kind,
                    "value": t.value, "deadline": t.deadline,
                    "lead_department": t.lead_department.department_code
                    if t.lead_department else None,
                    "status": row["result"]["status"] if row["result"] else t.status,
                    "results": [_result(t.area, row["result"])]
                    + [_result(a, r) for a, r in row["areas"]]})
    return out
