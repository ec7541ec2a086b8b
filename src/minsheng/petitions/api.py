"""JSON API of the petitions module (/api/petitions/). Separate input and output schemas;
reads through selectors, writes through services; lists are paged."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import ValidationFailed
from minsheng.core.forms import MAX_INT
from minsheng.core.identifiers import mask
from minsheng.core.pagination import ApiPagination
from minsheng.petitions import selectors, services

router = Router(tags=["petitions"])


class PetitionOut(Schema):
    id: int
    reference: str
    channel: str
    category: str
    petitioner_name: str
    petitioner_id_masked: str
    area_id: int
    subject: str
    department_id: int | None
    state: str
    received_on: datetime.date
    accept_due: datetime.date
    accepted_on: datetime.date | None
    handle_due: datetime.date | None
    extension_days: int
    replied_on: datetime.date | None
    satisfaction: str
    repeat_of_id: int | None
    current_due: datetime.date | None
    version: int

    @staticmethod
    def resolve_petitioner_id_masked(obj):
        return mask(obj.petitioner_id_number)


class PetitionIn(Schema):
    channel: str = Field(..., max_length=8)
    category: str = Field(..., max_length=12)
    petitioner_name: str = Field(..., max_length=60)
    petitioner_id_number: str = Field(..., max_length=30)
    petitioner_phone: str = Field("", max_length=20)
    petitioner_address: str = Field("", max_length=300)
    area_id: int = Field(..., ge=1, le=MAX_INT)
    subject: str = Field(..., max_length=200)
    content: str = Field(..., max_length=60_000)
    joint_count: int = Field(1, ge=1, le=100_000)
    representatives: str = Field("", max_length=200)
    department_id: int | None = Field(None, ge=1, le=MAX_INT)
    received_on: datetime.date | None = None


class ActionIn(Schema):
    version: int = Field(..., ge=1, le=MAX_INT)
    note: str = Field("", max_length=2000)
    department_id: int | None = Field(None, ge=1, le=MAX_INT)
    days: int | None = Field(None, ge=1, le=365)
    reason: str = Field("", max_length=500)
    text: str = Field("", max_length=60_000)
    requested_on: datetime.date | None = None
    satisfaction: str = Field("", max_length=12)


@router.get("/", response=list[PetitionOut])
@paginate(ApiPagination)
def petitions(request, state: str = "", overdue: bool = False, repeats: bool = False,
              q: str = ""):
    return selectors.petition_list(actor_for(request.user), state=state[:20],
                                   overdue=overdue, repeats=repeats, q=q[:60]).order_by(
        "-received_on", "-id")


@router.get("/{pk}", response=PetitionOut)
def petition(request, pk: int):
    return selectors.petition_detail(actor_for(request.user), pk=pk)["p"]


@router.post("/", response={201: PetitionOut})
def petition_create(request, data: PetitionIn):
    a = actor_for(request.user)
    values = data.dict()
    values["area"] = selectors.area_get(a, pk=values.pop("area_id"))
    dept = values.pop("department_id")
    values["department"] = selectors.department_get(a, pk=dept) if dept else None
    return 201, services.petition_register(actor=a, **values)


@router.post("/{pk}/{action}", response=PetitionOut)
def petition_action(request, pk: int, action: str, data: ActionIn):
    a = actor_for(request.user)
    p = selectors.petition_get(a, pk=pk)
    dept = selectors.department_get(a, pk=data.department_id) if data.department_id else None
    v = data.version
    calls = {
        "assign": lambda: services.petition_assign(actor=a, petition=p, version=v,
                                                   department=dept, note=data.note),
        "accept": lambda: services.petition_accept(actor=a, petition=p, version=v,
                                                   note=data.note, department=dept),
        "decline": lambda: services.petition_decline(actor=a, petition=p, version=v,
                                                     note=data.note),
        "extend": lambda: services.petition_extend(actor=a, petition=p, version=v,
                                                   days=data.days or 0, reason=data.reason),
        "reply": lambda: services.petition_reply(actor=a, petition=p, version=v,
                                                 reply=data.text),
        "request_review": lambda: services.petition_request_review(
            actor=a, petition=p, version=v, requested_on=data.requested_on, note=data.note),
        "decide_review": lambda: services.petition_decide_review(
            actor=a, petition=p, version=v, opinion=data.text),
        "request_re_review": lambda: services.petition_request_re_review(
            actor=a, petition=p, version=v, requested_on=data.requested_on, note=data.note),
        "decide_re_review": lambda: services.petition_decide_re_review(
            actor=a, petition=p, version=v, opinion=data.text),
        "conclude": lambda: services.petition_conclude(actor=a, petition=p, version=v,
                                                       note=data.note),
        "rate": lambda: services.petition_rate(actor=a, petition=p, version=v,
                                               satisfaction=data.satisfaction),
        "recuse": lambda: services.petition_recuse(actor=a, petition=p, version=v,
                                                   reason=data.reason),
    }
    if action not in calls:
        raise ValidationFailed(_("Unknown action: %s") % action[:40])
    calls[action]()
    return selectors.petition_get(a, pk=pk)
