"""JSON API of the eldercare module (/api/eldercare/). Separate input and output schemas;
reads through selectors, writes through services; lists are paged."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.forms import MAX_INT
from minsheng.core.pagination import ApiPagination
from minsheng.eldercare import permissions as P
from minsheng.eldercare import selectors
from minsheng.eldercare.services import allowances as allowance_svc
from minsheng.eldercare.services import deaths as death_svc
from minsheng.eldercare.services import payments as pay_svc

router = Router(tags=["eldercare"])
Id = Field(..., ge=1, le=MAX_INT)


class InstitutionOut(Schema):
    id: int
    name: str
    area_id: int
    ownership: str
    licence_no: str
    star_rating: int
    beds: int
    nursing_beds: int
    occupied: int


class FiguresOut(Schema):
    on: datetime.date
    area_id: int | None
    beds: int
    nursing_beds: int
    occupied: int
    nursing_share: float | None
    occupancy: float | None
    residents_60_plus: int | None
    beds_per_1000_60_plus: float | None
    institutions: list[InstitutionOut]


def _inst(inst, fig) -> dict:
    return {"id": inst.pk, "name": inst.organization.name, "area_id": inst.area_id,
            "ownership": inst.ownership, "licence_no": inst.licence_no,
            "star_rating": inst.star_rating, "beds": fig.beds, "nursing_beds": fig.nursing,
            "occupied": fig.occupied}


@router.get("/figures", response=FiguresOut)
def figures(request, on: datetime.date | None = None, area: int | None = None):
    """Beds, nursing-bed share, occupancy and beds per 1,000 residents aged 60+ on any
    date, recomputed from the bed register's history."""
    a = actor_for(request.user)
    scope = selectors.area_get(a, pk=area) if area else None
    data = selectors.figures(a, on=on or timezone.localdate(), area=scope)
    t = data["total"]
    return {"on": data["on"], "area_id": data["area"].pk if data["area"] else None,
            "beds": t.beds, "nursing_beds": t.nursing, "occupied": t.occupied,
            "nursing_share": t.nursing_share, "occupancy": t.occupancy,
            "residents_60_plus": t.elders, "beds_per_1000_60_plus": t.per_1000_elders,
            "institutions": [_inst(i, f) for i, f in data["rows"]]}


class AllowanceOut(Schema):
    id: int
    person_id: int
    name: str
    kind: str
    origin: str
    state: str
    applied_on: datetime.date
    start_month: datetime.date
    stop_month: datetime.date | None
    version: int

    @staticmethod
    def resolve_name(obj):
        return obj.person.name


class AllowanceIn(Schema):
    id_number: str = Field(..., min_length=15, max_length=18)
    kind: str = Field(..., max_length=20)
    bank_account: str = Field(..., max_length=40)
    applied_on: datetime.date | None = None


class DecisionIn(Schema):
    version: int = Id
    reason: str = Field("", max_length=500)


class StopIn(DecisionIn):
    last_month: datetime.date
    stop_reason: str = Field(..., max_length=10)


@router.get("/allowances", response=list[AllowanceOut])
@paginate(ApiPagination)
def allowances(request, state: str = "", kind: str = ""):
    return selectors.allowance_list(actor_for(request.user), state=state[:10], kind=kind[:20])


@router.post("/allowances", response={201: AllowanceOut})
def allowance_create(request, data: AllowanceIn):
    a = actor_for(request.user)
    try:
        person = selectors.person_by_id_number(a, id_number=data.id_number,
                                               permission=P.APPLY)
    except NotFound:
        raise ValidationFailed("No resident with this ID number in your area.",
                               field="id_number") from None
    return 201, allowance_svc.allowance_apply(actor=a, person=person, kind=data.kind,
                                              bank_account=data.bank_account,
                                              applied_on=data.applied_on)


@router.post("/allowances/{pk}/stop", response=AllowanceOut)
def allowance_stop(request, pk: int, data: StopIn):
    a = actor_for(request.user)
    allowance = selectors.allowance_get(a, pk=pk)
    return allowance_svc.allowance_stop(actor=a, allowance=allowance, version=data.version,
                                        last_month=data.last_month,
                                        stop_reason=data.stop_reason, reason=data.reason)


@router.post("/allowances/{pk}/{action}", response=AllowanceOut)
def allowance_decide(request, pk: int, action: str, data: DecisionIn):
    a = actor_for(request.user)
    allowance = selectors.allowance_get(a, pk=pk)
    return allowance_svc.allowance_decide(actor=a, allowance=allowance, version=data.version,
                                          action=action[:10], reason=data.reason)


class PaymentListOut(Schema):
    id: int
    area_id: int
    month: datetime.date
    state: str
    lines_count: int
    total: Decimal
    excluded: list[dict]
    version: int


class PaymentListIn(Schema):
    area_id: int = Id
    month: datetime.date


@router.get("/payment-lists", response=list[PaymentListOut])
@paginate(ApiPagination)
def payment_lists(request):
    return selectors.payment_lists(actor_for(request.user))


@router.post("/payment-lists", response={201: PaymentListOut})
def payment_list_create(request, data: PaymentListIn):
    a = actor_for(request.user)
    area = selectors.pay_area_get(a, pk=data.area_id)
    return 201, pay_svc.payment_list_build(actor=a, area=area, month=data.month)


class CheckOut(Schema):
    recipients: int
    records: int
    exact: int
    probable: int
    stopped: int
    held: int


@router.post("/death-check", response=CheckOut)
def death_check(request):
    return death_svc.deaths_check(actor=actor_for(request.user))
