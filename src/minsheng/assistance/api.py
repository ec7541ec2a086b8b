"""Social assistance JSON API: thin, calling selectors and services."""

from __future__ import annotations

import datetime

from ninja import Field, Router, Schema

from minsheng.assistance import management, selectors, services
from minsheng.core.access import actor_for
from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import mask

router = Router(tags=["assistance"])


class ClockOut(Schema):
    label: str
    start: datetime.date
    due: datetime.date
    done: datetime.date | None
    status: str
    remaining: int | None


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


class CaseDetailOut(CaseOut):
    clocks: list[ClockOut]
    members: list[dict]


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


class ApplicationOut(Schema):
    reference: str
    state: str
    created: bool


class StatusOut(Schema):
    reference: str
    state: str
    state_label: str
    decision: str


class ActionIn(Schema):
    version: int
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

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class ResolveIn(Schema):
    status: str = Field(..., max_length=12)
    resolution: str = Field("", max_length=4000)


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
    monthly_amount: float
    status: str
    next_review_due: datetime.date
    review_months: int

    @staticmethod
    def resolve_household_number(obj):
        return obj.household.number

    @staticmethod
    def resolve_payee_name(obj):
        return obj.payee.name


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
    name: str
    id_number_masked: str
    account: str
    amount: float
    status: str


def _detail(case):
    from django.utils import timezone

    today = timezone.localdate()
    out = CaseDetailOut.from_orm(case).dict()
    out["clocks"] = [{"label": str(c.label), "start": c.start, "due": c.due, "done": c.done,
                      "status": c.status(today),
                      "remaining": c.remaining(today) if c.done is None else None}
                     for c in services.dibao_clocks(case)]
    out["members"] = [{"name": m.person.name, "id_number_masked": mask(m.person.id_number),
                       "authorised": m.authorised, "income": m.income}
                      for m in case.members.select_related("person")]
    return out


@router.post("/apply", response={201: ApplicationOut, 200: ApplicationOut}, auth=None)
def apply_public(request, payload: ApplicationIn):
    """Public (portal) application; replaying the same idempotency key returns the same."""
    data = payload.dict()
    data["members"] = [m for m in data["members"]]
    case, created = services.dibao_apply(actor=request.user, channel="online", **data)
    return (201 if created else 200), {"reference": case.reference, "state": case.state,
                                       "created": created}


@router.get("/status", response=StatusOut, auth=None)
def status_public(request, reference: str, id_number: str):
    case = selectors.case_public_status(reference=reference[:16], id_number=id_number[:18])
    return {"reference": case.reference, "state": case.state,
            "state_label": str(case.state_label), "decision": case.decision}


@router.get("/cases", response=list[CaseOut])
def case_list(request, state: str = "open", due: str = "", mine: bool = False):
    if due not in ("", "due_soon", "overdue"):
        raise ValidationFailed("due must be due_soon or overdue", field="due")
    return list(selectors.case_list(actor_for(request.user), state=state[:30], due=due,
                                    mine=mine)[:500])


@router.post("/cases", response={201: ApplicationOut, 200: ApplicationOut})
def case_create_office(request, payload: ApplicationIn):
    case, created = services.dibao_apply(actor=actor_for(request.user), channel="office",
                                         **payload.dict())
    return (201 if created else 200), {"reference": case.reference, "state": case.state,
                                       "created": created}


@router.get("/cases/{pk}", response=CaseDetailOut)
def case_get(request, pk: int):
    return _detail(selectors.case_get(actor_for(request.user), pk=pk))


@router.post("/cases/{pk}/actions/{name}", response=CaseDetailOut)
def case_act(request, pk: int, name: str, payload: ActionIn):
    a = actor_for(request.user)
    case = selectors.case_get(a, pk=pk)
    kw = {"actor": a, "case": case, "version": payload.version}
    p = payload
    calls = {
        "accept": lambda: services.dibao_accept(**kw, missing_materials=p.missing_materials,
                                                related_to_staff=p.related_to_staff,
                                                related_note=p.related_note,
                                                delegated=p.delegated),
        "start_investigation": lambda: services.dibao_investigate(
            **kw, investigators=p.investigators, home_visit_note=p.home_visit_note),
        "request_verification": lambda: services.dibao_request_verification(**kw),
        "start_verification": lambda: services.dibao_start_verification(**kw),
        "first_review": lambda: services.dibao_first_review(**kw, opinion=p.opinion),
        "publish_notice": lambda: services.dibao_publish_notice(**kw),
        "objection": lambda: services.dibao_objection(**kw, objection=p.objection),
        "send_file": lambda: services.dibao_send_file(**kw),
        "approve": lambda: services.dibao_decide(**kw, approve=True),
        "refuse": lambda: services.dibao_decide(**kw, approve=False, reasons=p.reasons),
        "withdraw": lambda: services.dibao_close(**kw, name="withdraw", note=p.note),
        "not_accept": lambda: services.dibao_close(**kw, name="not_accept", note=p.note),
    }
    if name not in calls:
        raise ValidationFailed(f"Unknown action: {name}")
    return _detail(calls[name]())


@router.get("/cases/{pk}/findings", response=list[FindingOut])
def case_findings(request, pk: int):
    a = actor_for(request.user)
    return list(selectors.discrepancies(a, case=selectors.case_get(a, pk=pk)))


@router.post("/findings/{pk}/resolve", response=FindingOut)
def finding_resolve(request, pk: int, payload: ResolveIn):
    a = actor_for(request.user)
    return services.discrepancy_resolve(actor=a, discrepancy=selectors.discrepancy_get(
        a, pk=pk), status=payload.status, resolution=payload.resolution)


@router.get("/approvals", response=list[CaseOut])
def approvals(request):
    return list(selectors.approval_queue(actor_for(request.user))[:500])


@router.get("/verification/runs", response=list[RunOut])
def runs(request):
    return list(selectors.verification_runs(actor_for(request.user))[:200])


@router.get("/verification/runs/{pk}/findings", response=list[FindingOut])
def run_findings(request, pk: int):
    a = actor_for(request.user)
    return list(selectors.discrepancies(a, run=selectors.verification_get(a, pk=pk))[:5000])


@router.get("/reviews/due", response=list[BenefitOut])
def reviews_due(request, until: datetime.date):
    return list(selectors.reviews_due(actor_for(request.user), until=until)[:2000])


@router.get("/payments/rosters", response=list[RosterOut])
def rosters(request):
    return list(selectors.rosters(actor_for(request.user))[:200])


@router.post("/payments/rosters", response={201: RosterOut})
def roster_create(request, payload: RosterIn):
    a = actor_for(request.user)
    area = selectors.area_for(a, code=payload.area_code)
    return 201, management.roster_create(actor=a, area=area, month=payload.month)


@router.get("/payments/rosters/{pk}/lines", response=list[LineOut])
def roster_lines(request, pk: int):
    roster = selectors.roster_get(actor_for(request.user), pk=pk)
    return [{"name": line.payee.name, "id_number_masked": mask(line.payee.id_number),
             "account": line.account, "amount": float(line.amount), "status": line.status}
            for line in roster.lines.select_related("payee")]
