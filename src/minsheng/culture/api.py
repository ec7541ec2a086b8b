"""JSON API of the culture module (/api/culture/). Separate input and output schemas; reads
through selectors, writes through services; lists are paged (`core.pagination`)."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.forms import MAX_INT
from minsheng.core.pagination import ApiPagination
from minsheng.culture import geometry, selectors
from minsheng.culture import permissions as P
from minsheng.culture.services import checks as check_svc
from minsheng.culture.services import intangible as intangible_svc
from minsheng.culture.services import register as register_svc

router = Router(tags=["culture"])


def _id(value: int) -> int:
    """A path id outside the database's range is simply not found."""
    if not 1 <= value <= MAX_INT:
        raise NotFound()
    return value


class SiteOut(Schema):
    id: int
    code: str
    name: str
    level: str
    category: str
    era: str
    area_id: int
    address: str
    lon: float
    lat: float
    responsible_person: str
    designated_on: datetime.date | None
    risk: str
    has_protection: bool = False
    has_control: bool = False
    version: int


class SiteIn(Schema):
    code: str = Field(..., max_length=24)
    name: str = Field(..., max_length=120)
    level: str = Field(..., max_length=12)
    category: str = Field(..., max_length=12)
    era: str = Field(..., max_length=60)
    area_code: str = Field(..., max_length=12)
    address: str = Field(..., max_length=200)
    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    owner: str = Field("", max_length=120)
    responsible_person: str = Field(..., max_length=60)
    responsible_duties: str = Field("", max_length=4000)
    designated_on: datetime.date | None = None
    designation_document: str = Field("", max_length=120)
    risk: str = Field("good", max_length=12)


class ZoneIn(Schema):
    kind: str = Field(..., max_length=12)
    geometry: dict[str, Any]
    crs: str = Field("", max_length=60)
    repair: bool = False
    delimited_on: datetime.date | None = None
    approved_document: str = Field("", max_length=120)


class ZoneOut(Schema):
    id: int
    site_id: int
    kind: str
    area_m2: float
    repair_note: str
    delimited_on: datetime.date
    geometry: dict[str, Any]


class CheckIn(Schema):
    project_name: str = Field(..., max_length=200)
    applicant: str = Field(..., max_length=200)
    reference: str = Field("", max_length=60)
    area_code: str = Field(..., max_length=12)
    geometry: dict[str, Any]
    crs: str = Field("", max_length=60)
    repair: bool = False
    buffer_m: float | None = Field(None, ge=0, le=5000)
    exception_requested: bool = False
    exception_grounds: str = Field("", max_length=1000)


class CheckOut(Schema):
    id: int
    number: str
    project_name: str
    applicant: str
    area_id: int
    result: str
    buffer_m: float
    matches: list[dict[str, Any]]
    explanation: str
    input_note: str
    consent_id: int | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_consent_id(obj):
        # the reverse one-to-one raises (an AttributeError) when no case was opened
        return obj.consent.pk if hasattr(obj, "consent") else None


class ConsentOut(Schema):
    id: int
    number: str
    construction_check_id: int
    site_id: int
    kind: str
    state: str
    received_on: datetime.date
    due_on: datetime.date
    decided_on: datetime.date | None
    reason: str
    conditions: str
    version: int


class DecideIn(Schema):
    decision: str = Field(..., max_length=10)
    reason: str = Field("", max_length=4000)
    conditions: str = Field("", max_length=4000)
    version: int = Field(..., ge=1, le=MAX_INT)


class ItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    level: str
    area_id: int
    protection_unit: str
    listed_on: datetime.date


class NominateIn(Schema):
    name: str = Field(..., max_length=60)
    id_number: str = Field(..., max_length=18)
    subsidy: float = Field(0, ge=0, le=10_000_000)


class InheritorOut(Schema):
    id: int
    item_id: int
    name: str
    birth_year: int
    state: str
    notice_ends_on: datetime.date | None
    recognised_on: datetime.date | None
    version: int


class InheritorActIn(Schema):
    action: str = Field(..., max_length=20)
    reason: str = Field("", max_length=4000)
    version: int = Field(..., ge=1, le=MAX_INT)


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    area_id: int
    floor_area_m2: float
    opened_on: datetime.date
    closed_on: datetime.date | None
    yearly_visits: int


class AreaFigureOut(Schema):
    area_code: str
    area_name: str
    floor_area: float
    population: float | None
    per_10k: float | None


@router.get("/sites", response=list[SiteOut])
@paginate(ApiPagination)
def sites(request, q: str = "", level: str = "", overdue: bool = False):
    return selectors.site_list(actor_for(request.user), q=q[:100], level=level[:12],
                               overdue=overdue)


@router.get("/sites/{site_id}", response=SiteOut)
def site(request, site_id: int):
    return selectors.site_get(actor_for(request.user), pk=_id(site_id))


@router.post("/sites", response={201: SiteOut})
def site_create(request, payload: SiteIn):
    actor = actor_for(request.user)
    values = payload.dict()
    area = selectors.area_for(actor, P.REGISTER, code=values.pop("area_code"))
    created = register_svc.site_create(actor=actor, area=area, **values)
    return 201, selectors.site_get(actor, pk=created.pk)


@router.get("/sites/{site_id}/zones", response=list[ZoneOut])
def site_zones(request, site_id: int):
    actor = actor_for(request.user)
    return selectors.site_zones(actor, selectors.site_get(actor, pk=_id(site_id)))


@router.post("/sites/{site_id}/zones", response={201: ZoneOut})
def zone_set(request, payload: ZoneIn, site_id: int):
    actor = actor_for(request.user)
    target = selectors.site_get(actor, pk=_id(site_id))
    shape = geometry.read_geojson(payload.geometry, crs=payload.crs or None,
                                  repair=payload.repair)[0]
    return 201, register_svc.zone_set(actor=actor, site=target, kind=payload.kind, shape=shape,
                                      source="api", delimited_on=payload.delimited_on,
                                      approved_document=payload.approved_document)


@router.get("/zones.geojson")
def zones_geojson(request):
    return selectors.zones_geojson(actor_for(request.user))


@router.post("/checks", response={201: CheckOut})
def check_create(request, payload: CheckIn):
    """Check a project (GeoJSON point or polygon, WGS-84 unless `crs` names another)
    against every zone; the check is recorded and a consent case opens when needed."""
    actor = actor_for(request.user)
    area = selectors.area_for(actor, P.CHECK, code=payload.area_code)
    shape = geometry.read_geojson(payload.geometry, crs=payload.crs or None,
                                  repair=payload.repair, polygon_only=False)[0]
    done = check_svc.project_check(
        actor=actor, project_name=payload.project_name, applicant=payload.applicant,
        reference=payload.reference, area=area, shape=shape, buffer_m=payload.buffer_m,
        exception_requested=payload.exception_requested,
        exception_grounds=payload.exception_grounds)
    return 201, selectors.check_get(actor, pk=done.pk)


@router.get("/checks", response=list[CheckOut])
@paginate(ApiPagination)
def checks(request, result: str = ""):
    return selectors.check_list(actor_for(request.user), result=result[:12]).select_related(
        "consent")


@router.get("/checks/{check_id}", response=CheckOut)
def check(request, check_id: int):
    return selectors.check_get(actor_for(request.user), pk=_id(check_id))


@router.get("/consents", response=list[ConsentOut])
@paginate(ApiPagination)
def consents(request, state: str = ""):
    return selectors.consent_list(actor_for(request.user), state=state[:12])


@router.post("/consents/{consent_id}/decide", response=ConsentOut)
def consent_decide(request, payload: DecideIn,
                   consent_id: int):
    actor = actor_for(request.user)
    case = selectors.consent_get(actor, pk=_id(consent_id))
    return check_svc.consent_decide(actor=actor, case=case, version=payload.version,
                                    decision=payload.decision, reason=payload.reason,
                                    conditions=payload.conditions)


@router.get("/items", response=list[ItemOut])
@paginate(ApiPagination)
def items(request, q: str = "",
          category: str = ""):
    return selectors.item_list(actor_for(request.user), q=q[:100], category=category[:12])


@router.get("/items/{item_id}/inheritors", response=list[InheritorOut])
def inheritors(request, item_id: int):
    actor = actor_for(request.user)
    return selectors.item_inheritors(actor, selectors.item_get(actor, pk=_id(item_id)))


@router.post("/items/{item_id}/inheritors", response={201: InheritorOut})
def nominate(request, payload: NominateIn, item_id: int):
    actor = actor_for(request.user)
    item = selectors.item_get(actor, pk=_id(item_id))
    return 201, intangible_svc.inheritor_nominate(actor=actor, item=item, name=payload.name,
                                                  id_number=payload.id_number,
                                                  subsidy=payload.subsidy)


@router.post("/inheritors/{inheritor_id}/act", response=InheritorOut)
def inheritor_act(request, payload: InheritorActIn,
                  inheritor_id: int):
    actor = actor_for(request.user)
    person = selectors.inheritor_get(actor, pk=_id(inheritor_id))
    return intangible_svc.inheritor_act(actor=actor, person=person, version=payload.version,
                                        action=payload.action, reason=payload.reason)


@router.get("/facilities", response=list[FacilityOut])
@paginate(ApiPagination)
def facilities(request, kind: str = ""):
    return selectors.facility_list(actor_for(request.user), kind=kind[:10])


@router.get("/facility-area", response=list[AreaFigureOut])
def facility_area(request, year: int):
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("The year is between 2000 and 2100."), field="year")
    rows = selectors.facility_area_per_10k(actor_for(request.user), year=year)
    return [{"area_code": r["area"].code, "area_name": r["area"].name, **{
        k: r[k] for k in ("floor_area", "population", "per_10k")}} for r in rows]
