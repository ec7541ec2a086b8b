"""Employment JSON API: thin, calling selectors and services."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound
from minsheng.core.forms import MAX_INT
from minsheng.core.identifiers import mask
from minsheng.core.models import Organization
from minsheng.core.pagination import ApiPagination
from minsheng.employment import matchdata, selectors, services
from minsheng.employment.occupations import name as occupation_name
from minsheng.employment.occupations import occupations

router = Router(tags=["employment"])
# Numbers a client sends are bounded where they meet the database (no overflow errors).
Int = Field(0, ge=0, le=MAX_INT)


def Id():  # noqa: N802 - a path parameter: a record id
    return Path(..., ge=1, le=MAX_INT)


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
    wanted_text: str
    occupation_suggestions: list[dict]
    occupations_confirmed: bool
    version: int

    @staticmethod
    def resolve_occupations_confirmed(obj):
        return obj.occupations_confirmed_at is not None

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.person.id_number)


class SeekerIn(Schema):
    id_number: str = Field(..., max_length=18)
    status: str = Field("unemployed", max_length=20)
    education: int = Field(2, ge=0, le=10)
    major: str = Field("", max_length=100)
    occupation_codes: list[str] = Field(default_factory=list, max_length=5)
    skills: list[str] = Field(default_factory=list, max_length=30)
    certificates: list[str] = Field(default_factory=list, max_length=30)
    experience_years: int = Field(0, ge=0, le=MAX_INT)
    salary_min: int = Field(0, ge=0, le=MAX_INT)
    salary_max: int = Field(0, ge=0, le=MAX_INT)
    max_commute_minutes: int = Field(60, ge=0, le=MAX_INT)
    shifts: list[str] = Field(default_factory=list, max_length=10)
    key_groups: list[str] = Field(default_factory=list, max_length=20)
    summary: str = Field("", max_length=2000)
    wanted_text: str = Field("", max_length=200)


class SeekerPatch(Schema):
    version: int = Field(..., ge=0, le=MAX_INT)
    status: str | None = Field(None, max_length=20)
    education: int | None = Field(None, ge=0, le=10)
    major: str | None = Field(None, max_length=100)
    occupation_codes: list[str] | None = Field(None, max_length=5)
    skills: list[str] | None = Field(None, max_length=30)
    experience_years: int | None = Field(None, ge=0, le=MAX_INT)
    salary_min: int | None = Field(None, ge=0, le=MAX_INT)
    salary_max: int | None = Field(None, ge=0, le=MAX_INT)
    max_commute_minutes: int | None = Field(None, ge=0, le=MAX_INT)
    shifts: list[str] | None = Field(None, max_length=10)
    key_groups: list[str] | None = Field(None, max_length=20)
    wanted_text: str | None = Field(None, max_length=200)


class OccupationsConfirmIn(Schema):
    codes: list[str] = Field(..., min_length=1, max_length=5)
    version: int = Field(..., ge=0, le=MAX_INT)


class RecommendationOut(Schema):
    posting_id: int
    title: str
    employer: str
    score: float
    reasons: list[str]
    status: str = "suggested"
    # screening flags of a post published despite them: never recommended without them
    fraud_flags: list[str] = Field(default_factory=list)
    review_note: str = ""


class OverrideIn(Schema):
    posting_id: int = Field(..., ge=1, le=MAX_INT)
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
    certificates_required: list[str]
    certificates_preferred: list[str]
    occupation_listed: bool
    latitude: float | None = None
    longitude: float | None = None
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
    employer_id: int = Field(..., ge=1, le=MAX_INT)
    occupation_code: str = Field(..., max_length=10)
    title: str = Field(..., max_length=100)
    description: str = Field(..., max_length=5000)
    requirements: str = Field("", max_length=5000)
    skills: list[str] = Field(default_factory=list, max_length=30)
    education_min: int = Field(0, ge=0, le=10)
    experience_min: int = Field(0, ge=0, le=MAX_INT)
    salary_min: int = Field(..., ge=0, le=MAX_INT)
    salary_max: int = Field(..., ge=0, le=MAX_INT)
    openings: int = Field(1, ge=0, le=MAX_INT)
    shift: str = Field("day", max_length=10)
    public_welfare: bool = False
    valid_from: datetime.date | None = None
    valid_until: datetime.date
    certificates_required: list[str] = Field(default_factory=list, max_length=10)
    certificates_preferred: list[str] = Field(default_factory=list, max_length=10)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)
    version: int = Field(..., ge=0, le=MAX_INT)


class PostingCloseIn(Schema):
    version: int = Field(..., ge=0, le=MAX_INT)
    note: str = Field("", max_length=300)


class RegistrationIn(Schema):
    registered_on: datetime.date
    separation_reason: str = Field("", max_length=20)
    contribution_years: float = Field(0, ge=0, le=60)


class RegistrationOut(Schema):
    id: int
    seeker_id: int
    registered_on: datetime.date
    separation_reason: str
    contribution_years: float
    closed_on: datetime.date | None
    close_reason: str
    state: str
    version: int


class CloseIn(Schema):
    closed_on: datetime.date
    reason: str = Field(..., max_length=16)
    version: int | None = Field(None, ge=0, le=MAX_INT)
    note: str = Field("", max_length=300)


class BenefitOut(Schema):
    id: int
    start_date: datetime.date
    months: int
    monthly_amount: float
    end_date: datetime.date
    state: str
    rule_basis: str
    stop_reason: str
    version: int


class BenefitStopIn(Schema):
    stopped_on: datetime.date
    reason: str = Field(..., max_length=200)
    refused_offer: bool = False
    version: int | None = Field(None, ge=0, le=MAX_INT)


class PlacementIn(Schema):
    employer_id: int = Field(..., ge=1, le=MAX_INT)
    placed_on: datetime.date
    posting_id: int | None = Field(None, ge=1, le=MAX_INT)


class ContactIn(Schema):
    contacted_on: datetime.date
    channel: str = Field(..., max_length=8)
    note: str = Field("", max_length=2000)
    outcome: str = Field("", max_length=200)


class HeadcountIn(Schema):
    enterprise_id: int = Field(..., ge=1, le=MAX_INT)
    month: datetime.date
    baseline: int = Field(..., ge=0, le=MAX_INT)
    additions: int = Int
    reduced_closure: int = Int
    reduced_suspension: int = Int
    reduced_layoff: int = Int
    reduced_contract: int = Int
    reduced_other: int = Int
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


class ConfirmOut(Schema):
    placements: int


def _a(request):
    return actor_for(request.user)


def _org(request, pk: int) -> Organization:
    from minsheng.core import selectors as core_selectors

    return core_selectors.organization_get(_a(request), pk=pk)


@router.get("/occupations", response=list[OccupationOut], auth=None)
def list_occupations(request: HttpRequest):
    return [{"code": c, "name": n} for c, n in sorted(occupations().items())]


@router.get("/seekers", response=list[SeekerOut])
@paginate(ApiPagination, page_size=50)
def list_seekers(request: HttpRequest, q: str = Query("", max_length=60),
                 status: str = Query("", max_length=20)):
    return selectors.seeker_list(_a(request), q=q, status=status)


@router.post("/seekers", response={201: SeekerOut})
def create_seeker(request: HttpRequest, payload: SeekerIn):
    """Register a resident of the caller's area as a job seeker. An unknown ID number and a
    resident of another area get the same 'not found'."""
    return 201, services.seeker_create(actor=_a(request), **payload.dict())


@router.get("/seekers/{pk}", response=SeekerOut)
def get_seeker(request: HttpRequest, pk: int = Id()):
    return selectors.seeker_get(_a(request), pk=pk)


@router.patch("/seekers/{pk}", response=SeekerOut)
def update_seeker(request: HttpRequest, payload: SeekerPatch, pk: int = Id()):
    a = _a(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    return services.seeker_update(actor=a, seeker=seeker, version=payload.version,
                                  **payload.dict(exclude_unset=True, exclude={"version"}))


@router.get("/seekers/{pk}/recommendations", response=list[RecommendationOut])
def seeker_recommendations(request: HttpRequest, pk: int = Id(), fresh: bool = False,
                           top: int = Query(10, ge=1, le=50)):
    a = _a(request)
    seeker = selectors.seeker_get(a, pk=pk)
    if fresh:
        rows = matchdata.recommend(seeker, top=top)
        posts = selectors.postings_by_id(a, (r["posting_id"] for r in rows))
        return [{**r, "title": posts[r["posting_id"]].title,
                 "employer": posts[r["posting_id"]].employer.name,
                 "fraud_flags": posts[r["posting_id"]].fraud_flags,
                 "review_note": posts[r["posting_id"]].review_note}
                for r in rows if r["posting_id"] in posts]
    return [{"posting_id": r.posting_id, "title": r.posting.title,
             "employer": r.posting.employer.name, "score": r.score, "reasons": r.reasons,
             "status": r.status, "fraud_flags": r.posting.fraud_flags,
             "review_note": r.posting.review_note}
            for r in selectors.seeker_recommendations(a, seeker)]


@router.post("/seekers/{pk}/occupations/confirm", response=SeekerOut)
def confirm_occupations(request: HttpRequest, payload: OccupationsConfirmIn, pk: int = Id()):
    """The caseworker confirms the occupations (from the suggestions of the seeker's words,
    or others): matching uses them from then on."""
    a = _a(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    return services.seeker_occupations_confirm(actor=a, seeker=seeker, codes=payload.codes,
                                               version=payload.version)


@router.post("/seekers/{pk}/recommendations/override", response=RecommendationOut)
def override_recommendation(request: HttpRequest, payload: OverrideIn, pk: int = Id()):
    a = _a(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    posting = selectors.posting_get(a, pk=payload.posting_id)
    r = services.recommendation_override(actor=a, seeker=seeker, posting=posting,
                                         action=payload.action, note=payload.note)
    return {"posting_id": posting.pk, "title": posting.title, "employer": posting.employer.name,
            "score": r.score, "reasons": r.reasons, "status": r.status,
            "fraud_flags": posting.fraud_flags, "review_note": posting.review_note}


@router.post("/seekers/{pk}/registrations", response={201: RegistrationOut})
def open_registration(request: HttpRequest, payload: RegistrationIn, pk: int = Id()):
    a = _a(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    return 201, services.registration_open(actor=a, seeker=seeker, **payload.dict())


def _registration(request, pk: int):
    a = _a(request)
    reg = selectors.open_registration(a, selectors.seeker_get(a, pk=pk))
    if reg is None:
        raise NotFound()
    return reg


@router.post("/seekers/{pk}/registrations/close", response=RegistrationOut)
def close_registration(request: HttpRequest, payload: CloseIn, pk: int = Id()):
    return services.registration_close(actor=_a(request), registration=_registration(
        request, pk), **payload.dict())


@router.get("/seekers/{pk}/benefit/assess")
def assess_benefit(request: HttpRequest, pk: int = Id()):
    result = services.benefit_assess(_registration(request, pk))
    return {**result, "monthly_amount": float(result["monthly_amount"])}


@router.post("/seekers/{pk}/benefit", response={201: BenefitOut})
def grant_benefit(request: HttpRequest, start_date: datetime.date, pk: int = Id()):
    return 201, services.benefit_grant(actor=_a(request), registration=_registration(
        request, pk), start_date=start_date)


@router.post("/seekers/{pk}/benefit/stop", response=BenefitOut)
def stop_benefit(request: HttpRequest, payload: BenefitStopIn, pk: int = Id()):
    """Stop the benefit being paid (e.g. suitable work refused without a proper reason)."""
    a = _a(request)
    claim = selectors.paying_benefit(a, selectors.seeker_get(a, pk=pk))
    if claim is None:
        raise NotFound()
    return services.benefit_stop(actor=a, claim=claim, **payload.dict())


@router.post("/seekers/{pk}/placements", response={201: dict})
def record_placement(request: HttpRequest, payload: PlacementIn, pk: int = Id()):
    a = _a(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    posting = selectors.posting_get(a, pk=payload.posting_id) if payload.posting_id else None
    p = services.placement_record(actor=a, seeker=seeker, employer=_org(request,
                                  payload.employer_id), placed_on=payload.placed_on,
                                  posting=posting)
    return 201, {"id": p.pk, "placed_on": p.placed_on.isoformat()}


@router.post("/placements/confirm-from-insurance", response=ConfirmOut)
def confirm_placements(request: HttpRequest):
    """Registered unemployed people of the caller's area found insured by an employer since
    registering become placements (their registration closes)."""
    return {"placements": services.placements_confirm_from_insurance(actor=_a(request))}


@router.post("/seekers/{pk}/contacts", response={201: dict})
def record_contact(request: HttpRequest, payload: ContactIn, pk: int = Id()):
    a = _a(request)
    seeker = selectors.seeker_for_manage(a, pk=pk)
    c = services.contact_record(actor=a, seeker=seeker, **payload.dict())
    return 201, {"id": c.pk}


@router.get("/postings", response=list[PostingOut])
@paginate(ApiPagination, page_size=50)
def list_postings(request: HttpRequest, q: str = Query("", max_length=60),
                  state: str = Query("", max_length=10)):
    return selectors.posting_list(_a(request), q=q, state=state)


@router.post("/postings", response={201: PostingOut})
def create_posting(request: HttpRequest, payload: PostingIn):
    data = payload.dict()
    employer = _org(request, data.pop("employer_id"))
    return 201, services.posting_create(actor=_a(request), employer=employer, **data)


@router.get("/postings/{pk}", response=PostingOut)
def get_posting(request: HttpRequest, pk: int = Id()):
    return selectors.posting_get(_a(request), pk=pk)


@router.post("/postings/{pk}/review", response=PostingOut)
def review_posting(request: HttpRequest, payload: ReviewIn, pk: int = Id()):
    a = _a(request)
    posting = selectors.posting_get(a, pk=pk)
    return services.posting_review(actor=a, posting=posting, approve=payload.approve,
                                   note=payload.note, version=payload.version)


@router.post("/postings/{pk}/close", response=PostingOut)
def close_posting(request: HttpRequest, payload: PostingCloseIn, pk: int = Id()):
    """Take a posting off the service (filled or withdrawn); the record stays."""
    a = _a(request)
    posting = selectors.posting_get(a, pk=pk)
    return services.posting_close(actor=a, posting=posting, **payload.dict())


@router.get("/review-queue", response=list[PostingOut])
@paginate(ApiPagination, page_size=50)
def list_review_queue(request: HttpRequest):
    return selectors.review_queue(_a(request))


@router.get("/public/postings", response=list[PublicPostingOut], auth=None)
@paginate(ApiPagination, page_size=20)
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
@paginate(ApiPagination, page_size=50)
def list_warnings(request: HttpRequest, kind: str = Query("", max_length=10)):
    return selectors.warning_list(_a(request), kind=kind)


@router.post("/warnings/scan", response=list[WarningOut])
def scan_warnings(request: HttpRequest, start: datetime.date, end: datetime.date):
    """Run the early-warning rules for the caller's area (a write: warnings and follow-ups
    are created); returns the warnings found there."""
    return services.warnings_scan(actor=_a(request), start=start, end=end)


@router.get("/warnings/summary")
def warning_summary(request: HttpRequest, start: datetime.date, end: datetime.date):
    out = selectors.warning_summary(_a(request), start=start, end=end)
    out["months"] = [m.isoformat() for m in out["months"]]
    return out


@router.post("/match", response={202: JobOut})
def start_match(request: HttpRequest, top: int = Query(10, ge=1, le=50)):
    return 202, services.match_start(actor=_a(request), top=top)
