"""Core registry endpoints: thin, calling selectors and services."""


import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from minsheng.core import selectors, services
from minsheng.core.access import actor_for
from minsheng.core.identifiers import mask, mask_phone
from minsheng.core.pagination import ApiPagination

router = Router(tags=["core"])


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, alias="parent.code")


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: datetime.date
    phone_masked: str
    residence_area_code: str
    residence_area_name: str
    status: str
    version: int

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.id_number)

    @staticmethod
    def resolve_phone_masked(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_residence_area_code(obj):
        return obj.residence_area.code

    @staticmethod
    def resolve_residence_area_name(obj):
        return obj.residence_area.name


class PersonIn(Schema):
    id_number: str = Field(..., max_length=18)
    name: str = Field(..., max_length=60)
    residence_area_code: str = Field(..., max_length=12)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    birth_date: datetime.date | None = None


class PersonPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=300)
    status: str | None = Field(None, max_length=10)


class RevealOut(Schema):
    field: str
    value: str


class PersonFilter(Schema):
    q: str = Field("", max_length=60)
    area: str = Field("", max_length=12)
    status: str = Field("", max_length=10)


class HouseholdOut(Schema):
    id: int
    number: str
    area_code: str = Field(..., alias="area.code")
    address: str
    member_count: int
    version: int


class MemberOut(Schema):
    person_id: int
    name: str
    relationship: str


class HouseholdDetailOut(Schema):
    id: int
    number: str
    area_code: str
    address: str
    member_count: int
    version: int
    members: list[MemberOut]


class DisabilityOut(Schema):
    id: int
    number_masked: str
    category: int
    category_label: str
    grade: int
    issued_on: datetime.date
    valid_until: datetime.date | None
    version: int

    @staticmethod
    def resolve_number_masked(obj):
        return mask(obj.number)

    @staticmethod
    def resolve_category_label(obj):
        return str(obj.get_category_display())


class DisabilityIn(Schema):
    category: int = Field(..., ge=1, le=7)
    grade: int = Field(..., ge=1, le=4)
    issued_on: datetime.date
    valid_until: datetime.date | None = None
    number: str = Field("", max_length=20)


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    uscc: str | None
    area_code: str = Field(..., alias="area.code")
    address: str
    industry_code: str
    version: int


class OrganizationFilter(Schema):
    q: str = Field("", max_length=100)
    kind: str = Field("", max_length=16)
    area: str = Field("", max_length=12)


class AuditOut(Schema):
    at: datetime.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    request_id: str
    ip: str | None


class AuditFilter(Schema):
    object_type: str = Field("", max_length=60)
    object_id: str = Field("", max_length=64)
    actor: str = Field("", max_length=150)
    action: str = Field("", max_length=12)


def _area(request, code: str):
    return selectors.area_get(actor_for(request.user), code=code) if code else None


@router.get("/areas", response=list[AreaOut])
def list_areas(request: HttpRequest, level: str = ""):
    return selectors.area_list(actor_for(request.user), level=level or None).select_related(
        "parent")


@router.get("/people", response=list[PersonOut])
@paginate(ApiPagination)
def list_people(request: HttpRequest, filters: Query[PersonFilter]):
    actor = actor_for(request.user)
    return selectors.person_list(actor, q=filters.q, area=_area(request, filters.area),
                                 status=filters.status or None)


@router.get("/people/{pk}", response=PersonOut)
def get_person(request: HttpRequest, pk: int):
    return selectors.person_get(actor_for(request.user), pk=pk)


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn):
    actor = actor_for(request.user)
    person = services.person_create(
        actor=actor, id_number=payload.id_number, name=payload.name,
        residence_area=_area(request, payload.residence_area_code), phone=payload.phone,
        address=payload.address, birth_date=payload.birth_date)
    return Status(201, person)


@router.patch("/people/{pk}", response=PersonOut)
def update_person(request: HttpRequest, pk: int, payload: PersonPatch):
    actor = actor_for(request.user)
    person = selectors.person_get(actor, pk=pk)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    return services.person_update(actor=actor, person=person, version=payload.version,
                                  **changes)


@router.post("/people/{pk}/reveal/{field}", response=RevealOut)
def reveal_person_field(request: HttpRequest, pk: int, field: str):
    actor = actor_for(request.user)
    person = selectors.person_get(actor, pk=pk)
    return {"field": field, "value": services.person_reveal(actor=actor, person=person,
                                                             field=field)}


@router.get("/households", response=list[HouseholdOut])
@paginate(ApiPagination)
def list_households(request: HttpRequest, q: str = "", area: str = ""):
    return selectors.household_list(actor_for(request.user), q=q[:60],
                                    area=_area(request, area))


@router.get("/households/{pk}", response=HouseholdDetailOut)
def get_household(request: HttpRequest, pk: int):
    actor = actor_for(request.user)
    household = selectors.household_get(actor, pk=pk)
    members = list(selectors.household_members(actor, household=household))
    return {"id": household.id, "number": household.number, "area_code": household.area.code,
            "address": household.address, "member_count": len(members),
            "version": household.version,
            "members": [{"person_id": m.person_id, "name": m.person.name,
                         "relationship": m.relationship} for m in members]}


@router.get("/people/{pk}/disabilities", response=list[DisabilityOut])
def list_person_disabilities(request: HttpRequest, pk: int):
    actor = actor_for(request.user)
    person = selectors.person_get(actor, pk=pk)
    return selectors.disability_certificates(actor, person=person)


@router.post("/people/{pk}/disabilities", response={201: DisabilityOut})
def create_person_disability(request: HttpRequest, pk: int, payload: DisabilityIn):
    actor = actor_for(request.user)
    person = selectors.person_get(actor, pk=pk)
    return Status(201, services.disability_certificate_create(actor=actor, person=person,
                                                              **payload.dict()))


@router.get("/organizations", response=list[OrganizationOut])
@paginate(ApiPagination)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]):
    return selectors.organization_list(actor_for(request.user), q=filters.q,
                                       kind=filters.kind or None,
                                       area=_area(request, filters.area))


@router.get("/organizations/{pk}", response=OrganizationOut)
def get_organization(request: HttpRequest, pk: int):
    return selectors.organization_get(actor_for(request.user), pk=pk)


@router.get("/audit", response=list[AuditOut])
@paginate(ApiPagination)
def list_audit(request: HttpRequest, filters: Query[AuditFilter]):
    return selectors.audit_list(actor_for(request.user), object_type=filters.object_type,
                                object_id=filters.object_id, actor_name=filters.actor,
                                action=filters.action)
