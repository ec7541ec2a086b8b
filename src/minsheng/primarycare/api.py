"""JSON API of primary care (/api/primarycare/): contracts, referrals, coverage and the
uninsured list. Separate input and output schemas; reads through selectors, writes through
services; lists are paged."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for, require
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.forms import MAX_INT
from minsheng.core.identifiers import mask
from minsheng.core.pagination import ApiPagination
from minsheng.primarycare import selectors, services
from minsheng.primarycare.permissions import CONTRACT, OUTREACH, REFER, VIEW

router = Router(tags=["primarycare"])
Id = Field(..., ge=1, le=MAX_INT)


class ContractOut(Schema):
    id: int
    person_name: str
    id_number_masked: str
    area_id: int
    team_id: int
    package: str
    start_date: datetime.date
    end_date: datetime.date
    key_groups: list[str]
    state: str
    version: int

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.person.id_number)


class ContractIn(Schema):
    id_number: str = Field(..., max_length=20)
    team_id: int = Id
    package: str = Field(..., max_length=12)
    start_date: datetime.date | None = None
    declared_groups: list[str] = Field(default_factory=list, max_length=5)


class VersionIn(Schema):
    version: int = Id
    reason: str = Field("", max_length=2000)
    outcome: str = Field("", max_length=2000)
    package: str = Field("", max_length=12)


class ReferralOut(Schema):
    id: int
    person_name: str
    direction: str
    urgency: str
    from_facility_id: int
    to_facility_id: int
    state: str
    sent_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    escalated: bool
    followup_id: int | None
    version: int

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class ReferralIn(Schema):
    id_number: str = Field(..., max_length=20)
    direction: str = Field(..., max_length=4)
    urgency: str = Field(..., max_length=8)
    from_facility_id: int = Id
    to_facility_id: int = Id
    reason: str = Field(..., max_length=2000)


class UninsuredOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    area_id: int
    has_pension: bool
    has_medical: bool
    open_case: bool

    @staticmethod
    def resolve_person_id(obj):
        return obj.pk

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.id_number)

    @staticmethod
    def resolve_area_id(obj):
        return obj.residence_area_id


class RateOut(Schema):
    area_id: int
    area_name: str
    working_age: int
    pension: int
    medical: int
    uninsured: int


class OutreachIn(Schema):
    id_number: str = Field(..., max_length=20)
    missing: str = Field(..., max_length=8)


class OutreachOut(Schema):
    id: int
    person_id: int
    area_id: int
    missing: str
    state: str
    opened_on: datetime.date
    version: int


@router.get("/contracts", response=list[ContractOut])
@paginate(ApiPagination)
def contracts(request, state: str = "active", group: str = "", expiring: bool = False):
    return selectors.contract_list(actor_for(request.user), state=state[:12],
                                   group=group[:20], expiring=expiring)


@router.get("/contracts/{pk}", response=ContractOut)
def contract(request, pk: int):
    return selectors.contract_detail(actor_for(request.user), pk)


def _person(a, id_number: str, permission: str):
    try:
        return selectors.person_by_id_number(a, id_number.strip().upper(), permission)
    except NotFound:
        raise ValidationFailed(_("No resident with this ID number in your area"),
                               field="id_number") from None


@router.post("/contracts", response={201: ContractOut})
def contract_sign(request, data: ContractIn):
    a = actor_for(request.user)
    require(a, CONTRACT)
    person = _person(a, data.id_number, CONTRACT)
    team = selectors.team_get(a, data.team_id)
    return 201, services.contract_sign(actor=a, person=person, team=team,
                                       package=data.package, start_date=data.start_date,
                                       declared_groups=data.declared_groups)


@router.post("/contracts/{pk}/{action}", response=ContractOut)
def contract_act(request, pk: int, action: str, data: VersionIn):
    a = actor_for(request.user)
    contract = selectors.contract_detail(a, pk)
    if action == "renew":
        return services.contract_renew(actor=a, contract=contract, version=data.version,
                                       package=data.package or None)
    if action == "terminate":
        return services.contract_terminate(actor=a, contract=contract, version=data.version,
                                           reason=data.reason)
    raise NotFound()


@router.get("/referrals", response=list[ReferralOut])
@paginate(ApiPagination)
def referrals(request, box: str = "", state: str = "open"):
    return selectors.referral_list(actor_for(request.user), box=box[:10], state=state[:12])


@router.get("/referrals/{pk}", response=ReferralOut)
def referral(request, pk: int):
    return selectors.referral_detail(actor_for(request.user), pk)


@router.post("/referrals", response={201: ReferralOut})
def referral_send(request, data: ReferralIn):
    a = actor_for(request.user)
    require(a, REFER)
    person = _person(a, data.id_number, VIEW)
    facilities = selectors.facilities(a)
    source = facilities.filter(pk=data.from_facility_id).first()
    target = facilities.filter(pk=data.to_facility_id).first()
    if source is None or target is None:
        raise ValidationFailed(_("Choose the receiving facility"), field="to_facility")
    return 201, services.referral_send(actor=a, person=person, from_facility=source,
                                       to_facility=target, direction=data.direction,
                                       urgency=data.urgency, reason=data.reason)


@router.post("/referrals/{pk}/{action}", response=ReferralOut)
def referral_act(request, pk: int, action: str, data: VersionIn):
    a = actor_for(request.user)
    referral = selectors.referral_detail(a, pk)
    kw = {"actor": a, "referral": referral, "version": data.version}
    if action == "acknowledge":
        return services.referral_acknowledge(**kw)
    if action == "decline":
        return services.referral_decline(**kw, reason=data.reason)
    if action == "complete":
        return services.referral_complete(**kw, outcome=data.outcome)
    raise NotFound()


@router.get("/coverage", response=list[RateOut])
def coverage(request):
    return [RateOut(area_id=r["area"].id, area_name=r["area"].name, working_age=r["n"],
                    pension=r["pension"], medical=r["medical"], uninsured=r["uninsured"])
            for r in selectors.insured_rates(actor_for(request.user))]


@router.get("/uninsured", response=list[UninsuredOut])
@paginate(ApiPagination)
def uninsured(request, missing: str = ""):
    return selectors.uninsured(actor_for(request.user), missing=missing[:8])


@router.post("/outreach", response={201: OutreachOut})
def outreach_open(request, data: OutreachIn):
    a = actor_for(request.user)
    require(a, OUTREACH)
    person = _person(a, data.id_number, OUTREACH)
    return 201, services.outreach_open(actor=a, person=person, missing=data.missing)
