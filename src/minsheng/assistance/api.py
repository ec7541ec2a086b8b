"""Social assistance JSON API: thin, calling selectors and services; ninja schemas in and
out; every list paged (core.pagination.ApiPagination, with the full count)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from minsheng.assistance import selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.permissions import PAY
from minsheng.assistance.services import clocks
from minsheng.core.access import actor_for
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pagination import ApiPagination
from minsheng.core.ratelimit import client_key, hit

router = Router(tags=["assistance"])


class ClockOut(Schema):
    label: str
    title: str
    unit: str
    start: datetime.date
    due: datetime.date
    done: datetime.date | None
    status: str
    remaining: float | None
    summary: str


class CaseOut(Schema):
    id: int
    reference: str
    kind: str
    state: str
    state_label: str
    applicant_name: str
    area_code: str
    current_due: datetime.date | None
    eligible: bool | None
    per_capita_income: float | None
    proposed_amount: float | None
    version: int

    @staticmethod
    def resolve_applicant_name(obj):
        return obj.applicant.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.state_label)


class MemberOut(Schema):
    name: str
    id_number_masked: str
    authorised: bool
    income: dict


class CaseDetailOut(Schema):
    id: int
    reference: str
    kind: str
    state: str
    state_label: str
    applicant_name: str
    area_code: str
    current_due: datetime.date | None
    eligible: bool | None
    per_capita_income: float | None
    proposed_amount: float | None
    version: int
    clocks: list[ClockOut]
    members: list[MemberOut]


class MemberIn(Schema):
    id_number: str = Field(..., max_length=18)
    income: dict[str, str] = {}
    assets: dict[str, str] = {}
    authorised: bool = False


class ApplicationIn(Schema):
    applicant_id_number: str = Field(..., max_length=18)
    applicant_name: str = Field(..., max_length=60)
    members: list[MemberIn] = Field(..., max_length=20)
    phone: str = Field("", max_length=20)
    bank_account: str = Field("", max_length=32)
    reason: str = Field("", max_length=2000)
    agent_name: str = Field("", max_length=60)
    agent_relation: str = Field("", max_length=60)
    single_person: str = Field("", max_length=20)
    idempotency_key: str = Field("", max_length=64)
    # from the public: the challenge of POST /apply/code and the code sent to the phone
    challenge: str = Field("", max_length=64)
    code: str = Field("", max_length=6)


class CodeIn(Schema):
    applicant_id_number: str = Field(..., max_length=18)
    applicant_name: str = Field(..., max_length=60)


class CodeOut(Schema):
    challenge: str
    detail: str


class ApplicationOut(Schema):
    reference: str
    state: str
    created: bool


class StatusIn(Schema):
    reference: str = Field(..., max_length=16)
    id_number: str = Field(..., max_length=18)


class StatusOut(Schema):
    reference: str
    state: str
    state_label: str
    decision: str


class ActionIn(Schema):
    version: int = Field(..., ge=0, le=2_147_483_647)
    investigators: list[str] = Field([], max_length=10)
    home_visit_note: str = Field("", max_length=4000)
    opinion: str = Field("", max_length=4000)
    objection: str = Field("", max_length=4000)
    reasons: str = Field("", max_length=4000)
    missing_materials: list[str] = Field([], max_length=30)
    related_to_staff: bool = False
    related_note: str = Field("", max_length=200)
    delegated: bool = False
    note: str = Field("", max_length=4000)
    reason: str = Field("", max_length=300)


class FindingOut(Schema):
    id: int
    person_name: str
    source: str
    kind: str
    declared: float | None
    found: float | None
    match: str
    score: float
    status: str
    state_label: str
    version: int

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_status(obj):
        return obj.state

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.state_label)


class ResolveIn(Schema):
    status: str = Field(..., max_length=12)
    resolution: str = Field("", max_length=4000)
    version: int | None = Field(None, ge=0, le=2_147_483_647)


class RunOut(Schema):
    id: int
    label: str
    started_at: datetime.datetime
    households: int
    persons: int
    summary: dict


class BenefitOut(Schema):
    id: int
    household_number: str
    payee_name: str
    area_code: str
    monthly_amount: float
    status: str
    state_label: str
    start_month: datetime.date
    next_review_due: datetime.date
    review_months: int
    gradual_exit_until: datetime.date | None
    exited_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_household_number(obj):
        return obj.household.number

    @staticmethod
    def resolve_payee_name(obj):
        return obj.payee.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_status(obj):
        return obj.state

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.state_label)


class BenefitExitIn(Schema):
    version: int = Field(..., ge=0, le=2_147_483_647)
    reason: str = Field(..., max_length=300)
    gradual: bool = False


class ReviewTriggerIn(Schema):
    version: int = Field(..., ge=0, le=2_147_483_647)
    reason: str = Field(..., max_length=200)


class FraudRecoveryIn(Schema):
    amount: Decimal = Field(..., max_digits=12, decimal_places=2)
    fine_factor: Decimal = Field(..., max_digits=3, decimal_places=1)
    note: str = Field("", max_length=2000)


class FraudRecoveryOut(Schema):
    id: int
    amount: float
    fine_factor: float
    fine: float
    decided_on: datetime.date


class JobRefusalIn(Schema):
    job: str = Field(..., max_length=200)


class BenefitMemberOut(Schema):
    id: int
    name: str
    share: float
    share_removed_on: datetime.date | None
    refusals: int


class RosterOut(Schema):
    id: int
    area_code: str
    month: datetime.date
    lines_count: int
    total: float
    excluded: list

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code


class RosterIn(Schema):
    area_code: str = Field(..., max_length=12)
    month: datetime.date


class LineOut(Schema):
    id: int
    name: str
    id_number_masked: str
    account: str
    amount: float
    programme: str
    status: str
    return_reason: str
    version: int

    @staticmethod
    def resolve_name(obj):
        return obj.payee.name

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask(obj.payee.id_number)

    @staticmethod
    def resolve_status(obj):
        return obj.state


class ReturnedIn(Schema):
    version: int = Field(..., ge=0, le=2_147_483_647)
    reason: str = Field(..., max_length=200)


def _actor(request):
    return actor_for(request.user)


def _detail(a, case) -> dict:
    """The case with its clocks and members, validated here (inside the caller's
    transaction: an answer that cannot be built undoes the action)."""
    today = timezone.localdate()
    out = {name: getattr(case, name) for name in (
        "id", "reference", "kind", "state", "current_due", "eligible", "per_capita_income",
        "proposed_amount", "version")}
    out.update(state_label=str(case.state_label), applicant_name=case.applicant.name,
               area_code=case.area.code)
    out["clocks"] = [{"label": c.label, "title": c.title, "unit": c.unit, "start": c.start,
                      "due": c.due, "done": c.done, "status": c.status(today),
                      "remaining": c.remaining(today) if c.done is None else None,
                      "summary": c.summary(today)}
                     for c in clocks.dibao_clocks(case, today)]
    out["members"] = [{"name": m.person.name, "id_number_masked": mask(m.person.id_number),
                       "authorised": m.authorised, "income": m.income}
                      for m in selectors.case_members(a, case)]
    return CaseDetailOut(**out).dict()


# ------------------------------------------------------------------ public
@router.post("/apply/code", response={202: CodeOut}, auth=None)
def apply_code(request, payload: CodeIn):
    """Public application, step one: a one-time code to the phone registered for the
    applicant. The answer is the same whether or not the resident is registered."""
    challenge = services.dibao_apply_code(client=client_key(request), **payload.dict())
    return 202, {"challenge": challenge, "detail": _(
        "If the name and ID number match the population register, a six-digit code has "
        "been sent to the phone registered for this resident. It is valid for 10 minutes.")}


@router.post("/apply", response={201: ApplicationOut, 200: ApplicationOut}, auth=None)
def apply_public(request, payload: ApplicationIn):
    """Public (portal) application with the challenge and code of /apply/code; replaying
    the same idempotency key with a valid code returns the same case."""
    case, created = services.dibao_apply(actor=request.user, channel="online",
                                         **payload.dict())
    return (201 if created else 200), {"reference": case.reference, "state": case.state,
                                       "created": created}


@router.post("/status", response=StatusOut, auth=None)
def status_public(request, payload: StatusIn):
    """An application's status for its applicant (posted: the ID stays out of URLs)."""
    hit(f"assistance:status:{client_key(request)}",
            setting("PUBLIC_STATUS_LOOKUPS_PER_HOUR"), 3600)
    case = selectors.case_public_status(request.user, reference=payload.reference,
                                        id_number=payload.id_number)
    return {"reference": case.reference, "state": case.state,
            "state_label": str(case.state_label), "decision": case.decision}


# ------------------------------------------------------------------ dibao cases
@router.get("/cases", response=list[CaseOut])
@paginate(ApiPagination)
def case_list(request, state: str = Query("open", max_length=30),
              due: str = Query("", max_length=10), mine: bool = False):
    if due not in ("", "due_soon", "overdue"):
        raise ValidationFailed("due must be due_soon or overdue", field="due")
    return selectors.case_list_with_income(_actor(request), state=state, due=due, mine=mine)


@router.post("/cases", response={201: ApplicationOut, 200: ApplicationOut})
def case_create_office(request, payload: ApplicationIn):
    case, created = services.dibao_apply(actor=_actor(request), channel="office",
                                         **payload.dict())
    return (201 if created else 200), {"reference": case.reference, "state": case.state,
                                       "created": created}


@router.get("/cases/{pk}", response=CaseDetailOut)
def case_get(request, pk: int):
    a = _actor(request)
    return _detail(a, selectors.case_get(a, pk=pk))


@router.post("/cases/{pk}/actions/{name}", response=CaseDetailOut)
def case_act(request, pk: int, name: str, payload: ActionIn):
    a = _actor(request)
    case = selectors.case_get(a, pk=pk)
    kw = {"actor": a, "case": case, "version": payload.version}
    p = payload
    calls = {
        "accept": lambda: services.dibao_accept(**kw, missing_materials=p.missing_materials,
                                                related_to_staff=p.related_to_staff,
                                                related_note=p.related_note,
                                                delegated=p.delegated),
        "supplied": lambda: services.dibao_materials_supplied(**kw),
        "start_investigation": lambda: services.dibao_investigate(
            **kw, investigators=p.investigators, home_visit_note=p.home_visit_note),
        "request_verification": lambda: services.dibao_request_verification(**kw),
        "start_verification": lambda: services.dibao_start_verification(**kw),
        "first_review": lambda: services.dibao_first_review(**kw, opinion=p.opinion),
        "publish_notice": lambda: services.dibao_publish_notice(**kw),
        "objection": lambda: services.dibao_objection(**kw, objection=p.objection),
        "send_file": lambda: services.dibao_send_file(**kw),
        "approver_visit": lambda: services.dibao_approver_visit(**kw, note=p.note),
        "approve": lambda: services.dibao_decide(**kw, approve=True),
        "refuse": lambda: services.dibao_decide(**kw, approve=False, reasons=p.reasons),
        "refusal_notified": lambda: services.dibao_refusal_notified(**kw),
        "extend": lambda: services.dibao_extend(**kw, reason=p.reason),
        "withdraw": lambda: services.dibao_close(**kw, name="withdraw", note=p.note),
        "not_accept": lambda: services.dibao_close(**kw, name="not_accept", note=p.note),
    }
    if name not in calls:
        raise ValidationFailed(f"Unknown action: {name}", field="name")
    with transaction.atomic():
        return _detail(a, calls[name]())


@router.get("/cases/{pk}/findings", response=list[FindingOut])
@paginate(ApiPagination)
def case_findings(request, pk: int):
    a = _actor(request)
    return selectors.discrepancies(a, case=selectors.case_get(a, pk=pk))


@router.post("/findings/{pk}/resolve", response=FindingOut)
def finding_resolve(request, pk: int, payload: ResolveIn):
    a = _actor(request)
    return services.discrepancy_resolve(actor=a, discrepancy=selectors.discrepancy_get(
        a, pk=pk), status=payload.status, resolution=payload.resolution,
        version=payload.version)


@router.get("/approvals", response=list[CaseOut])
@paginate(ApiPagination)
def approvals(request):
    return selectors.approval_queue(_actor(request))


# ------------------------------------------------------------------ verification
@router.get("/verification/runs", response=list[RunOut])
@paginate(ApiPagination)
def runs(request):
    return selectors.verification_runs(_actor(request))


@router.get("/verification/runs/{pk}/findings", response=list[FindingOut])
@paginate(ApiPagination)
def run_findings(request, pk: int):
    a = _actor(request)
    return selectors.discrepancies(a, run=selectors.verification_get(a, pk=pk))


# ------------------------------------------------------------------ benefits
@router.get("/reviews/due", response=list[BenefitOut])
@paginate(ApiPagination)
def reviews_due(request, until: datetime.date):
    return selectors.reviews_due(_actor(request), until=until)


@router.get("/benefits", response=list[BenefitOut])
@paginate(ApiPagination)
def benefit_list(request, state: str = Query("", max_length=14),
                 q: str = Query("", max_length=40)):
    return selectors.benefit_list(_actor(request), state=state, q=q)


@router.get("/benefits/{pk}", response=BenefitOut)
def benefit_get(request, pk: int):
    return selectors.benefit_detail(_actor(request), pk=pk)


@router.get("/benefits/{pk}/members", response=list[BenefitMemberOut])
def benefit_members(request, pk: int):
    a = _actor(request)
    benefit = selectors.benefit_get(a, pk=pk)
    return [{"id": m.pk, "name": m.person.name, "share": float(m.share),
             "share_removed_on": m.share_removed_on, "refusals": m.refusal_count}
            for m in selectors.benefit_members(a, benefit)]


@router.post("/benefits/{pk}/exit", response=BenefitOut)
def benefit_exit(request, pk: int, payload: BenefitExitIn):
    a = _actor(request)
    return services.benefit_exit(actor=a, benefit=selectors.benefit_get(a, pk=pk),
                                 version=payload.version, reason=payload.reason,
                                 gradual=payload.gradual)


@router.post("/benefits/{pk}/review-trigger", response=BenefitOut)
def benefit_review_trigger(request, pk: int, payload: ReviewTriggerIn):
    a = _actor(request)
    return services.review_trigger(actor=a, benefit=selectors.benefit_get(a, pk=pk),
                                   version=payload.version, reason=payload.reason)


@router.post("/benefits/{pk}/fraud-recoveries", response={201: FraudRecoveryOut})
def benefit_fraud_recovery(request, pk: int, payload: FraudRecoveryIn):
    a = _actor(request)
    return 201, services.fraud_recovery_record(
        actor=a, benefit=selectors.benefit_get(a, pk=pk), amount=payload.amount,
        fine_factor=payload.fine_factor, note=payload.note)


@router.post("/benefits/{pk}/members/{member_pk}/job-refusals",
             response={201: BenefitMemberOut})
def benefit_job_refusal(request, pk: int, member_pk: int, payload: JobRefusalIn):
    a = _actor(request)
    benefit = selectors.benefit_get(a, pk=pk)
    member = selectors.benefit_member_get(a, benefit, pk=member_pk)
    services.job_offer_refusal_record(actor=a, member=member, job=payload.job)
    return 201, {"id": member.pk, "name": member.person.name, "share": float(member.share),
                 "share_removed_on": member.share_removed_on,
                 "refusals": member.refusals.count()}


# ------------------------------------------------------------------ payments
@router.get("/payments/rosters", response=list[RosterOut])
@paginate(ApiPagination)
def rosters(request):
    return selectors.rosters(_actor(request))


@router.post("/payments/rosters", response={201: RosterOut})
def roster_create(request, payload: RosterIn):
    a = _actor(request)
    try:
        area = selectors.area_for(a, code=payload.area_code, permission=PAY)
    except NotFound:
        raise ValidationFailed("Unknown area", field="area_code") from None
    return 201, services.roster_create(actor=a, area=area, month=payload.month)


@router.get("/payments/rosters/{pk}/lines", response=list[LineOut])
@paginate(ApiPagination)
def roster_lines(request, pk: int):
    a = _actor(request)
    return selectors.roster_lines(a, selectors.roster_get(a, pk=pk), accounts=True)


@router.post("/payments/lines/{pk}/returned", response=LineOut)
def payment_returned(request, pk: int, payload: ReturnedIn):
    a = _actor(request)
    return services.payment_returned(actor=a, line=selectors.roster_line_get(a, pk=pk),
                                     reason=payload.reason, version=payload.version)
