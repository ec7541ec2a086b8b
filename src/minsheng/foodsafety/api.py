"""The food and drug safety API: operators, coverage by grade, plans with their draw
record (re-derived on read), inspections. Thin: schemas in and out, selectors, services."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for, require
from minsheng.core.errors import NotFound
from minsheng.core.pagination import ApiPagination
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety import selectors as S
from minsheng.foodsafety.services import inspections as svc

router = Router(tags=["foodsafety"])


class OperatorOut(Schema):
    id: int
    name: str
    area: str
    category: str
    grade: str
    state: str

    @staticmethod
    def resolve_name(obj):
        return obj.organization.name

    @staticmethod
    def resolve_area(obj):
        return obj.area.name


class CoverageOut(Schema):
    grade: str
    operators: int
    required: int
    done: int
    short: int


class DrawIn(Schema):
    seed: int | None = None
    version: int | None = None


class DrawOut(Schema):
    plan: int
    seed: int
    digest: str
    reproduces: bool
    assignment: list


class InspectionOut(Schema):
    id: int
    operator: str
    kind: str
    state: str
    scheduled_on: datetime.date
    done_on: datetime.date | None
    score: int | None
    rating: str

    @staticmethod
    def resolve_operator(obj):
        return obj.operator.organization.name


@router.get("/operators", response=list[OperatorOut])
@paginate(ApiPagination)
def operators(request, grade: str = "", q: str = ""):
    a = actor_for(request.user)
    require(a, P.VIEW)
    return S.operators(a, q=q[:60], grade=grade[:1]).order_by("id")


@router.get("/coverage", response=list[CoverageOut])
def coverage(request, year: int):
    a = actor_for(request.user)
    require(a, P.VIEW)
    return S.coverage(a, year)


def _draw_out(plan, log, reproduces) -> DrawOut:
    return DrawOut(plan=plan.pk, seed=log.seed, digest=log.digest, reproduces=reproduces,
                   assignment=log.assignment)


@router.get("/plans/{pk}/draw", response=DrawOut)
def plan_draw_get(request, pk: int):
    a = actor_for(request.user)
    plan = S.plan_get(a, pk)
    log, reproduces = S.plan_draw_log(a, plan)
    if log is None:
        raise NotFound()
    return _draw_out(plan, log, reproduces)


@router.post("/plans/{pk}/draw", response=DrawOut)
def plan_draw(request, pk: int, body: DrawIn):
    a = actor_for(request.user)
    plan = S.plan_get(a, pk)
    svc.plan_draw(actor=a, plan=plan, seed=body.seed, version=body.version)
    log, reproduces = S.plan_draw_log(a, plan)
    return _draw_out(plan, log, reproduces)


@router.get("/inspections", response=list[InspectionOut])
@paginate(ApiPagination)
def inspections(request, state: str = ""):
    a = actor_for(request.user)
    require(a, P.VIEW)
    return S.inspections(a, state=state[:12]).order_by("-scheduled_on", "-id")
