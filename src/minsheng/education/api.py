"""JSON API of the education module (/api/education/). Separate input and output schemas;
reads through selectors, writes through services; lists are paged. ID numbers leave the
API masked."""

import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound
from minsheng.core.forms import MAX_INT
from minsheng.core.identifiers import mask
from minsheng.core.pagination import ApiPagination
from minsheng.education import permissions as P
from minsheng.education import selectors
from minsheng.education.services import dropout, rolls
from minsheng.education.workflows import DROPOUT_WORKFLOW

router = Router(tags=["education"])


class SchoolOut(Schema):
    id: int
    name: str
    area: str
    stage: str
    sponsorship: str
    places: int
    classes: int
    teachers: int
    pupils: int

    @staticmethod
    def resolve_name(obj):
        return obj.organization.name

    @staticmethod
    def resolve_area(obj):
        return obj.area.code


class EnrolmentOut(Schema):
    id: int
    school_id: int
    name: str
    id_number_masked: str
    grade: int
    class_name: str
    intake_year: int
    entry_date: datetime.date
    left_on: datetime.date | None
    state: str
    version: int

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.id_number)


class EnrolmentIn(Schema):
    school_id: int = Field(..., ge=1, le=MAX_INT)
    id_number: str = Field(..., max_length=22)
    name: str = Field(..., max_length=60)
    birth_date: datetime.date | None = None
    guardian_name: str = Field("", max_length=60)
    grade: int = Field(..., ge=1, le=12)
    class_name: str = Field("", max_length=20)
    intake_year: int = Field(..., ge=1990, le=2100)
    entry_date: datetime.date | None = None


class MoveIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    on: datetime.date | None = None
    note: str = Field("", max_length=2000)


class CaseOut(Schema):
    id: int
    number: str
    child: str
    area: str
    origin: str
    cause: str
    state: str
    discovered_on: datetime.date
    returned_on: datetime.date | None
    low_income: bool
    suggested_id: int | None
    match_probability: float | None
    version: int

    @staticmethod
    def resolve_child(obj):
        return obj.person.name

    @staticmethod
    def resolve_area(obj):
        return obj.area.code


class CaseActIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    note: str = Field("", max_length=2000)
    cause: str = Field("", max_length=12)
    school_officer: str = Field("", max_length=60)
    street_officer: str = Field("", max_length=60)
    enrolment_id: int | None = Field(None, ge=1, le=MAX_INT)


class MatchIn(Schema):
    area: str = Field(..., max_length=12)
    on: datetime.date | None = None


class MatchOut(Schema):
    id: int
    on: datetime.date
    children: int
    roll_entries: int
    exact: int
    probable: int
    unmatched: int
    opened: int
    seconds: float


class PersonOut(Schema):
    name: str
    id_number_masked: str
    birth_date: datetime.date
    community: str

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.id_number)

    @staticmethod
    def resolve_community(obj):
        return obj.residence_area.code


@router.get("/schools", response=list[SchoolOut])
@paginate(ApiPagination)
def schools(request, stage: str = ""):
    return selectors.school_list(actor_for(request.user), stage=stage[:12])


@router.get("/enrolments", response=list[EnrolmentOut])
@paginate(ApiPagination)
def enrolments(request, school_id: int | None = None, state: str = ""):
    a = actor_for(request.user)
    school = selectors.school_get(a, pk=school_id) if school_id else None
    return selectors.enrolment_list(a, school=school, state=state[:12])


@router.post("/enrolments", response={201: EnrolmentOut})
def enrolment_create(request, data: EnrolmentIn):
    a = actor_for(request.user)
    school = selectors.school_get(a, pk=data.school_id)
    values = data.dict()
    values.pop("school_id")
    return 201, rolls.enrolment_create(actor=a, school=school, **values)


@router.post("/enrolments/{pk}/{action}", response=EnrolmentOut)
def enrolment_move(request, pk: int, action: str, data: MoveIn):
    a = actor_for(request.user)
    enrolment = selectors.enrolment_get(a, pk=pk)
    return rolls.enrolment_move(actor=a, enrolment=enrolment, action=action[:20],
                                version=data.version, on=data.on, note=data.note)


@router.get("/cases", response=list[CaseOut])
@paginate(ApiPagination)
def cases(request, state: str = "", late: bool = False):
    return selectors.case_list(actor_for(request.user), state=state[:12], late=late)


@router.get("/cases/{pk}", response=CaseOut)
def case(request, pk: int):
    return selectors.case_get(actor_for(request.user), pk=pk)


@router.post("/cases/{pk}/{action}", response=CaseOut)
def case_act(request, pk: int, action: str, data: CaseActIn):
    a = actor_for(request.user)
    record = selectors.case_get(a, pk=pk)
    if action not in DROPOUT_WORKFLOW.transitions:
        raise NotFound()
    enrolment = selectors.enrolment_get(a, pk=data.enrolment_id) if data.enrolment_id else None
    return dropout.case_act(actor=a, case=record, action=action, version=data.version,
                            note=data.note, cause=data.cause, enrolment=enrolment,
                            school_officer=data.school_officer,
                            street_officer=data.street_officer)


@router.post("/match", response={201: MatchOut})
def match(request, data: MatchIn):
    a = actor_for(request.user)
    area = selectors.area_by_code(a, code=data.area)
    return 201, dropout.rolls_match(actor=a, area=area, on=data.on)


@router.get("/figures/{figure}", response=list[PersonOut])
@paginate(ApiPagination)
def figure(request, figure: str, year: int, area: str = ""):
    a = actor_for(request.user)
    where = selectors.area_by_code(a, code=area, permission=P.VIEW) if area else None
    if not 2000 <= year <= 2100:
        raise NotFound()
    return selectors.figure_people(a, figure=figure[:40], year=year, area=where)
