"""JSON API of the safety module (/api/safety/). Separate input and output schemas; reads
through selectors, writes through services."""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from minsheng.core.access import actor_for
from minsheng.safety import selectors
from minsheng.safety.services import hazards as svc
from minsheng.safety.services import iot as iot_svc

router = Router(tags=["safety"])


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
    version: int


class HazardIn(Schema):
    enterprise_id: int
    origin: str
    grade: str
    category: str
    location: str
    description: str
    legal_basis: str = ""
    found_on: datetime.date | None = None


class HazardActionIn(Schema):
    version: int
    note: str = ""
    order_number: str = ""
    due: datetime.date | None = None
    rectified_on: datetime.date | None = None


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


class AlarmCloseIn(Schema):
    outcome: str


@router.get("/hazards", response=list[HazardOut])
def hazards(request, state: str = "", grade: str = "", overdue: bool = False,
            limit: int = 100, offset: int = 0):
    qs = selectors.hazard_list(actor_for(request.user), state=state, grade=grade,
                               overdue=overdue)
    return list(qs[offset:offset + min(limit, 500)])


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
        from minsheng.core.errors import ValidationFailed

        raise ValidationFailed(f"unknown action {action}")
    return calls[action]()


@router.get("/sources", response=list[SourceOut])
def sources(request):
    return selectors.board(actor_for(request.user))


@router.get("/sources/{pk}/sensors", response=list[SensorOut])
def sensors(request, pk: int):
    return list(selectors.source_get(actor_for(request.user), pk=pk).sensors.all())


@router.get("/alarms", response=list[AlarmOut])
def alarms(request, state: str = "open", limit: int = 100):
    return list(selectors.alarm_list(actor_for(request.user), state=state)[:min(limit, 500)])


@router.post("/alarms/{pk}/acknowledge", response=AlarmOut)
def alarm_ack(request, pk: int):
    a = actor_for(request.user)
    return iot_svc.alarm_acknowledge(actor=a, alarm=selectors.alarm_get(a, pk=pk))


@router.post("/alarms/{pk}/close", response=AlarmOut)
def alarm_close(request, pk: int, data: AlarmCloseIn):
    a = actor_for(request.user)
    return iot_svc.alarm_close(actor=a, alarm=selectors.alarm_get(a, pk=pk),
                               outcome=data.outcome)
