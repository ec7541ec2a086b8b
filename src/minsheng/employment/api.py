"""Employment JSON API: thin, calling selectors and services."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound
from minsheng.core.identifiers import mask
from minsheng.core.models import Organization
from minsheng.employment import early_warning, matchdata, selectors, services, tasks
from minsheng.employment.occupations import name as occupation_name
from minsheng.employment.occupations import occupations

router = Router(tags=["employment"])


class SeekerOut(Schema):
    id: int
    name: str = Field(..., alias="person.name")
    id_number_masked: str
    area_code: str = Field(..., alias="area.code")
    status: str
    education: int
    major: str
    occupation_codes: list[str]
    skills: list[str]
    certificates: list[str]
    experience_years: int
    salary_min: int
    salary_max: int
    max_commute_minutes: int
    shifts: list[str]
    key_groups: list[str]
    difficulty: bool
    last_contact_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.person.id_number)


class SeekerIn(Schema):
    id_number: str = Field(..., max_length=18)
    status: str = "unemployed"
    education: int = 2
    major: str = Field("", max_length=100)
    occupation_codes: list[str] = Field(default_factory=list, max_length=5)
    skills: list[str] = Field(default_factory=list, max_length=30)
    certificates: list[str] = Field(default_factory=list, max_length=30)
    experience_years: int = 0
    salary_min: int = 0
    salary_max: int = 0
    max_commute_minutes: int = 60
    shifts: list[str] = Field(default_factory=list)
    key_groups: list[str] = Field(default_factory=list)
    summary: str = Field("", max_length=2000)


class SeekerPatch(Schema):
    version: int
    status: str | None = None
    education: int | None = None
    major: str | None = Field(None, max_length=100)
    occupation_codes: list[str] | None = None
    skills: list[str] | None = None
    experience_years: int | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    max_commute_minutes: int | None = None
    shifts: list[str] | None = None
    key_groups: list[str] | None = None


class RecommendationOut(Schema):
    posting_id: int
    title: str
    employer: str
    score: float
    reasons: list[str]
    status: str = "suggested"


class OverrideIn(Schema):
    posting_id: int
    action: str = Field(..., max_length=10)
    note: str = Field(..., max_length=300)


class PostingOut(Schema):
    id: int
    employer_id: int
    employer_name: str = Field(..., alias="employer.name")
    area_code: str = Field(..., alias="area.code")
    occupation_code: str
    occupation_name: str
    title: str
    description: str
    requirements: str
    skills: list[str]
    education_min: int
    experience_min: int
    salary_min: int
    salary_max: int
    openings: int
    shift: str
    public_welfare: bool
    valid_from: datetime.date
    valid_until: datetime.date
    state: str
    fraud_flags: list[str]
    version: int

    @staticmethod
    def resolve_occupation_name(obj):
        return occupation_name(obj.occupation_code)


class PublicPostingOut(Schema):
    id: int
    employer_name: str = Field(..., alias="employer.name")
    area_name: str = Field(..., alias="area.name")
    occupation_code: str
    title: str
    description: str
    requirements: str
    salary_min: int
    salary_max: int
    openings: int
    shift: str
    public_welfare: bool
    valid_until: datetime.date


class PostingIn(Schema):
    employer_id: int
    occupation_code: str = Field(..., max_length=10)
    title: str = Field(..., max_length=100)
    description: str = Field(..., max_length=5000)
    requirements: str = Field("", max_length=5000)
    skills: list[str] = Field(default_factory=list, max_length=30)
    education_min: int = 0
    experience_min: int = 0
    salary_min: int
    salary_max: int
    openings: int = 1
    shift: str = "day"
    public_welfare: bool = False
    valid_from: datetime.date | None = None
    valid_until: datetime.date


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)
    version: int


class RegistrationIn(Schema):
    registered_on: datetime.date
    separation_reason: str = Field("", max_length=20)
    contribution_years: float = 0


class RegistrationOut(Schema):
    id: int
    seeker_id: int
    registered_on: datetime.date
    separation_reason: str
    contribution_years: float
    closed_on: datetime.date | None
    close_reason: str


class CloseIn(Schema):
    closed_on: datetime.date
    reason: str = Field(..., max_length=16)


class BenefitOut(Schema):
    id: int
    start_date: datetime.date
    months: int
    monthly_amount: float
    end_date: datetime.date
    state: str
    rule_basis: str


class PlacementIn(Schema):
    employer_id: int
    placed_on: datetime.date
    posting_id: int | None = None


class ContactIn(Schema):
    contacted_on: datetime.date
    channel: str = Field(..., max_length=8)
    note: str = Field("", max_length=2000)
    outcome: str = Field("", max_length=200)


class HeadcountIn(Schema):
    enterprise_id: int
    month: datetime.date
    baseline: int
    additions: int = 0
    reduced_closure: int = 0
    reduced_suspension: int = 0
    reduced_layoff: int = 0
    reduced_contract: int = 0
    reduced_other: int = 0
    layoff_notice_date: datetime.date | None = None
    layoff_effective_date: datetime.date | None = None


class WarningOut(Schema):
    id: int
    kind: str
    level: str
    month: datetime.date
    area_code: str = Field(..., alias="area.code")
    title: str
    details: dict
    followup_id: int | None
    matched_workers: int


class JobOut(Schema):
    id: int
    state: str
    done: int
    total: int
    message: str


class OccupationOut(Schema):
    code: str
    name: str


def _a(request):
    return actor_for(request.user)


def _org(request, pk: int) -> Organization:
    from minsheng.core import selectors as core_selectors

    return core_selectors.organization_get(_a(request), pk=pk)


@router.get("/occupations", response=list[OccupationOut], auth=None)
def list_occupations(request: HttpRequest):
    return [{"code": c, "name": n} for c, n in sorted(occupations().items())]


@router.get("/seekers", response=list[SeekerOut])
@paginate(PageNumberPagination, page_size=50)
def list_seekers(request: HttpRequest, q: str = "", status: str = ""):
    return selectors.seeker_list(_a(request), q=q[:60], status=status[:20])


@router.post("/seekers", response={201: SeekerOut})
def create_seeker(request: HttpRequest, payload: SeekerIn):
    data = payload.dict()
    return 201, services.seeker_create(actor=_a(request), **data)


@router.get("/seekers/{pk}", response=SeekerOut)
def get_seeker(request: HttpRequest, pk: int):
    return selectors.seeker_get(_a(request), pk=pk)


@router.patch("/seekers/{pk}", response=SeekerOut)
def update_seeker(request: HttpRequest, pk: int, payload: SeekerPatch):
    seeker = selectors.seeker_get(_a(request), pk=pk)
    return services.seeker_update(actor=_a(request), seeker=seeker, version=payload.version,
                                  **payload.dict(exclude_unset=True, exclude={"version"}))


@router.get("/seekers/{pk}/recommendations", response=list[RecommendationOut])
def seeker_recommendations(request: HttpRequest, pk: int, fresh: bool = False,
                           top: int = 10):
    seeker = selectors.seeker_get(_a(request), pk=pk)
    if fresh:
        rows = matchdata.recommend(seeker, top=min(max(top, 1), 50))
        posts = selectors.postings_by_id(r["posting_id"] for r in rows)
        return [{**r, "title": posts[r["posting_id"]].title,
                 "employer": posts[r["posting_id"]].employer.name} for r in rows]
    return [{"posting_id": r.posting_id, "title": r.posting.title,
             "employer": r.posting.employer.name, "score": r.score, "reasons": r.reasons,
             "status": r.status} for r in selectors.seeker_recommendations(seeker)]


@router.post("/seekers/{pk}/recommendations/override", response=RecommendationOut)
def override_recommendation(request: HttpRequest, pk: int, payload: OverrideIn):
    a = _a(request)
    seeker = selectors.seeker_get(a, pk=pk)
    posting = selectors.posting_get(a, pk=payload.posting_id)
    r = services.recommendation_override(actor=a, seeker=seeker, posting=posting,
                                         action=payload.action, note=payload.note)
    return {"posting_id": posting.pk, "title": posting.title, "employer": posting.employer.name,
            "score": r.score, "reasons": r.reasons, "status": r.status}


@router.post("/seekers/{pk}/registrations", response={201: RegistrationOut})
def open_registration(request: HttpRequest, pk: int, payload: RegistrationIn):
    seeker = selectors.seeker_get(_a(request), pk=pk)
    return 201, services.registration_open(actor=_a(request), seeker=seeker, **payload.dict())


def _registration(request, pk: int):
    reg = selectors.seeker_registrations(selectors.seeker_get(
        _a(request), pk=pk)).filter(closed_on=None).first()
    if reg is None:
        raise NotFound()
    return reg


@router.post("/seekers/{pk}/registrations/close", response=RegistrationOut)
def close_registration(request: HttpRequest, pk: int, payload: CloseIn):
    return services.registration_close(actor=_a(request), registration=_registration(
        request, pk), closed_on=payload.closed_on, reason=payload.reason)


@router.get("/seekers/{pk}/benefit/assess")
def assess_benefit(request: HttpRequest, pk: int):
    result = services.benefit_assess(_registration(request, pk))
    return {**result, "monthly_amount": float(result["monthly_amount"])}


@router.post("/seekers/{pk}/benefit", response={201: BenefitOut})
def grant_benefit(request: HttpRequest, pk: int, start_date: datetime.date):
    return 201, services.benefit_grant(actor=_a(request), registration=_registration(
        request, pk), start_date=start_date)


@router.post("/seekers/{pk}/placements", response={201: dict})
def record_placement(request: HttpRequest, pk: int, payload: PlacementIn):
    a = _a(request)
    seeker = selectors.seeker_get(a, pk=pk)
    posting = selectors.posting_get(a, pk=payload.posting_id) if payload.posting_id else None
    p = services.placement_record(actor=a, seeker=seeker, employer=_org(request,
                                  payload.employer_id), placed_on=payload.placed_on,
                                  posting=posting)
    return 201, {"id": p.pk, "placed_on": p.placed_on.isoformat()}


@router.post("/seekers/{pk}/contacts", response={201: dict})
def record_contact(request: HttpRequest, pk: int, payload: ContactIn):
    seeker = selectors.seeker_get(_a(request), pk=pk)
    c = services.contact_record(actor=_a(request), seeker=seeker, **payload.dict())
    return 201, {"id": c.pk}


@router.get("/postings", response=list[PostingOut])
@paginate(PageNumberPagination, page_size=50)
def list_postings(request: HttpRequest, q: str = "", state: str = ""):
    return selectors.posting_list(_a(request), q=q[:60], state=state[:10])


@router.post("/postings", response={201: PostingOut})
def create_posting(request: HttpRequest, payload: PostingIn):
    data = payload.dict()
    employer = _org(request, data.pop("employer_id"))
    return 201, services.posting_create(actor=_a(request), employer=employer, **data)


@router.get("/postings/{pk}", response=PostingOut)
def get_posting(request: HttpRequest, pk: int):
    return selectors.posting_get(_a(request), pk=pk)


@router.post("/postings/{pk}/review", response=PostingOut)
def review_posting(request: HttpRequest, pk: int, payload: ReviewIn):
    posting = selectors.posting_get(_a(request), pk=pk)
    return services.posting_review(actor=_a(request), posting=posting,
                                   approve=payload.approve, note=payload.note,
                                   version=payload.version)


@router.get("/review-queue", response=list[PostingOut])
@paginate(PageNumberPagination, page_size=50)
def list_review_queue(request: HttpRequest):
    return selectors.review_queue(_a(request))


@router.get("/public/postings", response=list[PublicPostingOut], auth=None)
@paginate(PageNumberPagination, page_size=20)
def public_postings(request: HttpRequest, q: str = Query("", max_length=40),
                    occupation: str = Query("", max_length=10)):
    from minsheng.employment import public
    from minsheng.employment.config import setting

    public.hit(f"search:{public.client_ip(request)}",
               setting("PUBLIC_SEARCH_PER_IP_PER_MINUTE"), 60)
    return selectors.public_postings(q=q, occupation=occupation)


@router.post("/headcount-reports", response={201: dict})
def submit_headcount(request: HttpRequest, payload: HeadcountIn):
    data = payload.dict()
    enterprise = _org(request, data.pop("enterprise_id"))
    r = services.headcount_report_submit(actor=_a(request), enterprise=enterprise, **data)
    return 201, {"id": r.pk, "reductions": r.reductions}


@router.get("/warnings", response=list[WarningOut])
@paginate(PageNumberPagination, page_size=50)
def list_warnings(request: HttpRequest, kind: str = ""):
    return selectors.warning_list(_a(request), kind=kind[:10])


@router.post("/warnings/scan", response=list[WarningOut])
def scan_warnings(request: HttpRequest, start: datetime.date, end: datetime.date):
    return early_warning.warnings_scan(actor=_a(request), start=start, end=end)


@router.get("/warnings/summary")
def warning_summary(request: HttpRequest, start: datetime.date, end: datetime.date):
    from minsheng.core.access import require
    from minsheng.employment.permissions import WARNINGS

    require(_a(request), WARNINGS)
    out = early_warning.summary(start, end)
    out["months"] = [m.isoformat() for m in out["months"]]
    return out


@router.post("/match", response={202: JobOut})
def start_match(request: HttpRequest, top: int = 10):
    return 202, tasks.match_start(actor=_a(request), top=min(max(top, 1), 50))
