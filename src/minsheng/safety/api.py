"""JSON API of the safety module (/api/safety/). Separate input and output schemas; reads
through selectors, writes through services; lists are paged (`core.pagination`)."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.forms import MAX_INT
from minsheng.core.pagination import ApiPagination
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.services import accidents as accident_svc
from minsheng.safety.services import hazards as svc
from minsheng.safety.services import iot as iot_svc

router = Router(tags=["safety"])

Count = Field(0, ge=0, le=MAX_INT)


class HazardOut(Schema):
    id: int
    number: str
    enterprise_id: int
    grade: str
    category: str
    location: str
    state: str
    found_on: datetime.date
    rectify_due: datetime.date | None
    listed: bool
    suspension: str
    version: int


class HazardIn(Schema):
    enterprise_id: int = Field(..., ge=1, le=MAX_INT)
    origin: str
    grade: str
    category: str = Field(..., max_length=40)
    location: str = Field(..., max_length=200)
    description: str = Field(..., max_length=10_000)
    legal_basis: str = Field("", max_length=300)
    found_on: datetime.date | None = None


class HazardActionIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    note: str = Field("", max_length=2000)
    order_number: str = Field("", max_length=40)
    due: datetime.date | None = None
    rectified_on: datetime.date | None = None


class SuspensionIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    suspension: str
    note: str = Field("", max_length=300)


class SourceOut(Schema):
    id: int
    code: str
    name: str
    enterprise_id: int
    level: str
    s_value: float
    r_value: float
    alarm_level: int = 0


class SensorOut(Schema):
    code: str
    kind: str
    unit: str
    last_value: float | None
    last_ts: datetime.datetime | None


class AlarmOut(Schema):
    id: int
    sensor_id: int
    source_id: int
    rule: str
    level: int
    state: str
    count: int
    first_ts: datetime.datetime
    last_ts: datetime.datetime
    ack_due: datetime.datetime
    message: str
    version: int


class AlarmCloseIn(Schema):
    outcome: str = Field(..., max_length=2000)
    version: int | None = Field(None, ge=1, le=MAX_INT)


class AccidentOut(Schema):
    id: int
    title: str
    kind: str
    enterprise_id: int | None
    area_id: int
    occurred_at: datetime.datetime
    place: str
    deaths: int
    serious_injuries: int
    missing: int
    direct_loss_10k: Decimal
    grade: str
    state: str
    investigation_due: datetime.date | None
    investigation_extended: bool
    version: int


class AccidentIn(Schema):
    title: str = Field(..., max_length=200)
    kind: str
    enterprise_id: int | None = Field(None, ge=1, le=MAX_INT)
    area_id: int | None = Field(None, ge=1, le=MAX_INT)
    occurred_at: datetime.datetime
    place: str = Field(..., max_length=200)
    summary: str = Field("", max_length=10_000)
    unit_reported_at: datetime.datetime | None = None
    deaths: int = Count
    serious_injuries: int = Count
    missing: int = Count
    direct_loss_10k: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)


class CasualtiesIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    deaths: int = Count
    serious_injuries: int = Count
    note: str = Field("", max_length=200)


class ExtendIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    reason: str = Field(..., max_length=2000)


@router.get("/hazards", response=list[HazardOut])
@paginate(ApiPagination)
def hazards(request, state: str = "", grade: str = "", overdue: bool = False):
    return selectors.hazard_list(actor_for(request.user), state=state[:20], grade=grade[:10],
                                 overdue=overdue).order_by("-found_on", "-id")


@router.get("/hazards/{pk}", response=HazardOut)
def hazard(request, pk: int):
    return selectors.hazard_get(actor_for(request.user), pk=pk)


@router.post("/hazards", response={201: HazardOut})
def hazard_create(request, data: HazardIn):
    a = actor_for(request.user)
    enterprise = selectors.enterprise_get(a, pk=data.enterprise_id)
    return 201, svc.hazard_report(actor=a, enterprise=enterprise, origin=data.origin,
                                  grade=data.grade, category=data.category,
                                  location=data.location, description=data.description,
                                  legal_basis=data.legal_basis, found_on=data.found_on)


@router.post("/hazards/{pk}/suspension", response=HazardOut)
def hazard_suspension(request, pk: int, data: SuspensionIn):
    """Order, change or lift the suspension of work at a major hazard."""
    a = actor_for(request.user)
    return svc.hazard_set_suspension(actor=a, hazard=selectors.hazard_get(a, pk=pk),
                                     version=data.version, suspension=data.suspension,
                                     note=data.note)


@router.post("/hazards/{pk}/{action}", response=HazardOut)
def hazard_action(request, pk: int, action: str, data: HazardActionIn):
    a = actor_for(request.user)
    h = selectors.hazard_get(a, pk=pk)
    calls = {
        "order": lambda: svc.hazard_order(actor=a, hazard=h, version=data.version,
                                          order_number=data.order_number, due=data.due,
                                          note=data.note),
        "rectified_on_spot": lambda: svc.hazard_rectified_on_spot(
            actor=a, hazard=h, version=data.version, note=data.note),
        "apply_acceptance": lambda: svc.hazard_apply_acceptance(
            actor=a, hazard=h, version=data.version, rectified_on=data.rectified_on,
            note=data.note),
        "accept": lambda: svc.hazard_accept(actor=a, hazard=h, version=data.version,
                                            passed=True, note=data.note),
        "reject": lambda: svc.hazard_accept(actor=a, hazard=h, version=data.version,
                                            passed=False, note=data.note, new_due=data.due),
        "write_off": lambda: svc.hazard_write_off(actor=a, hazard=h, version=data.version,
                                                  note=data.note),
    }
    if action not in calls:
        raise NotFound()
    return calls[action]()


@router.get("/sources", response=list[SourceOut])
@paginate(ApiPagination)
def sources(request):
    return selectors.board(actor_for(request.user))


@router.get("/sources/{pk}/sensors", response=list[SensorOut])
@paginate(ApiPagination)
def sensors(request, pk: int):
    a = actor_for(request.user)
    return selectors.source_sensors(a, selectors.source_get(a, pk=pk))


@router.get("/alarms", response=list[AlarmOut])
@paginate(ApiPagination)
def alarms(request, state: str = "open"):
    return selectors.alarm_list(actor_for(request.user), state=state[:12]).order_by(
        "-last_ts", "-id")


@router.post("/alarms/{pk}/acknowledge", response=AlarmOut)
def alarm_ack(request, pk: int):
    a = actor_for(request.user)
    return iot_svc.alarm_acknowledge(actor=a, alarm=selectors.alarm_get(a, pk=pk))


@router.post("/alarms/{pk}/close", response=AlarmOut)
def alarm_close(request, pk: int, data: AlarmCloseIn):
    a = actor_for(request.user)
    return iot_svc.alarm_close(actor=a, alarm=selectors.alarm_get(a, pk=pk),
                               outcome=data.outcome, version=data.version)


@router.get("/accidents", response=list[AccidentOut])
@paginate(ApiPagination)
def accidents(request):
    return selectors.accident_list(actor_for(request.user)).order_by("-occurred_at", "-id")


@router.get("/accidents/{pk}", response=AccidentOut)
def accident(request, pk: int):
    return selectors.accident_get(actor_for(request.user), pk=pk)


@router.post("/accidents", response={201: AccidentOut})
def accident_report(request, data: AccidentIn):
    """Record an accident at an enterprise (`enterprise_id`) or in an area (`area_id`)."""
    a = actor_for(request.user)
    values = data.dict()
    enterprise_id, area_id = values.pop("enterprise_id"), values.pop("area_id")
    enterprise = selectors.enterprise_get(a, pk=enterprise_id) if enterprise_id else None
    if enterprise is not None:
        area = enterprise.area
    elif area_id:
        area = selectors.area_get(a, P.ACCIDENTS, pk=area_id)
    else:
        raise ValidationFailed(_("Give the enterprise or, for an accident outside an "
                                 "enterprise, the area."), field="area_id")
    return 201, accident_svc.accident_report(actor=a, area=area, enterprise=enterprise,
                                             **values)


@router.post("/accidents/{pk}/casualties", response=AccidentOut)
def accident_casualties(request, pk: int, data: CasualtiesIn):
    """A change in deaths or serious injuries (条例第十三条); the grade follows."""
    a = actor_for(request.user)
    accident = selectors.accident_get(a, pk=pk)
    accident_svc.accident_update_casualties(actor=a, accident=accident, **data.dict())
    return accident


@router.post("/accidents/{pk}/extend", response=AccidentOut)
def accident_extend(request, pk: int, data: ExtendIn):
    """Extend the investigation period once (条例第二十九条)."""
    a = actor_for(request.user)
    return accident_svc.accident_extend_investigation(
        actor=a, accident=selectors.accident_get(a, pk=pk), **data.dict())
