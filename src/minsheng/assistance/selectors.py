"""Every read in social assistance. Each takes the actor first and returns only what it may
see (core.access scoping; a record outside the scope is 'not found'); a list needs the
module's view permission somewhere. Reads of sensitive fields (declared income and
assets, bank accounts, disability) write an audit row (`AuditEntry.Action.READ`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import (
    AdlAssessment,
    BenefitMember,
    DibaoBenefit,
    DibaoCase,
    Discrepancy,
    FraudRecovery,
    PaymentLine,
    PaymentRoster,
    SpotCheckDraw,
    TekunCase,
    TekunPerson,
    TemporaryGrant,
    VerificationRun,
)
from minsheng.assistance.permissions import APPLY, DECIDE, MANAGE, PAY, VIEW
from minsheng.assistance.services.spot_checks import draw as spot_check_redraw
from minsheng.assistance.workflows import DIBAO_OPEN_STATES, DIBAO_STEPS
from minsheng.casework.workflow import timeline
from minsheng.core import audit, workdays
from minsheng.core.access import Actor, as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound, PermissionDenied
from minsheng.core.identifiers import clean_id_number
from minsheng.core.models import Area, AuditEntry, Person


def _viewer(actor) -> Actor:
    """The actor of a list page or endpoint: staff of the module somewhere."""
    actor = as_actor(actor)
    require(actor, VIEW)
    return actor


def _read(actor: Actor, obj, fields: list[str], *, object_type: str = "", **extra) -> None:
    """The audit row of a sensitive read (which fields of which record were shown)."""
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=obj, object_type=object_type,
                     changes={"read": sorted(fields), **extra})


# ------------------------------------------------------------------------ dibao cases
def case_list(actor, *, state: str = "", q: str = "", mine: bool = False, due: str = "",
              today: datetime.date | None = None):
    actor = _viewer(actor)
    qs = scoped(DibaoCase.objects.all(), actor, VIEW).select_related("applicant", "area",
                                                                      "assigned_to")
    if state == "open":
        qs = qs.filter(state__in=DIBAO_OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(reference__iexact=q) | Q(applicant__name__startswith=q))
    if mine and actor.is_authenticated:
        qs = qs.filter(assigned_to=actor.user)
    if due:
        today = today or timezone.localdate()
        open_q = Q(state__in=DIBAO_OPEN_STATES) | Q(decision="refused",
                                                     refusal_notified_on=None)
        qs = qs.filter(open_q, current_due__isnull=False)
        if due == "overdue":
            qs = qs.filter(current_due__lt=today)
        else:
            soon = workdays.add_working_days(today, setting("REMIND_WORKING_DAYS"))
            qs = qs.filter(current_due__gte=today, current_due__lte=soon)
        qs = qs.order_by("current_due", "id")
    return qs


def case_list_with_income(actor, **filters):
    """The case list as the API gives it (per-capita income and amount): audited once."""
    qs = case_list(actor, **filters)
    _read(as_actor(actor), None, ["per_capita_income", "proposed_amount"],
          object_type="assistance.dibaocase",
          list=filters.get("state", "") or filters.get("due", ""))
    return qs


def worklist_counts(actor, *, today: datetime.date | None = None) -> dict:
    actor = _viewer(actor)
    return {"due_soon": case_list(actor, due="due_soon", today=today).count(),
            "overdue": case_list(actor, due="overdue", today=today).count(),
            "paperwork": temporary_list(actor, open_obligations=True).count(),
            "reassess": tekun_persons(actor, reassess=True).count()}


def case_get(actor, *, pk: int) -> DibaoCase:
    return get_in_scope(DibaoCase.objects.select_related("applicant", "household", "area"),
                        as_actor(actor), VIEW, pk=pk)


def case_members(actor, case: DibaoCase) -> list:
    """The members of an application with their declared income and assets (audited)."""
    actor = as_actor(actor)
    members = list(case.members.select_related("person").order_by("id"))
    _read(actor, case, ["members.income", "members.assets"])
    return members


def household_assessment(case: DibaoCase) -> eligibility.Assessment:
    """Eligibility and amount from the declared incomes and assets, corrected by the
    confirmed verification findings (for the first review; the caller holds the case)."""
    members = list(case.members.select_related("person"))
    incomes = {m.person_id: dict(m.income) for m in members}
    assets = {"deposits": Decimal(0), "extra_properties": 0, "vehicle_value": Decimal(0),
              "business_capital": Decimal(0)}
    for m in members:
        a = m.assets or {}
        assets["deposits"] += eligibility.money(a.get("deposits", 0))
        assets["extra_properties"] += max(0, int(a.get("properties", 0) or 0) - 1)
        assets["vehicle_value"] += eligibility.money(a.get("vehicle_value", 0))
        assets["business_capital"] += eligibility.money(a.get("business_capital", 0))
    for d in case.discrepancies.filter(state="confirmed"):
        extra = (d.found or 0) - (d.declared or 0)
        if d.kind in ("undeclared_wages", "undeclared_income"):
            inc = incomes.setdefault(d.person_id, {})
            inc["other"] = str(eligibility.money(inc.get("other", 0)) + extra)
        elif d.kind == "undeclared_deposits":
            assets["deposits"] += extra
        elif d.kind == "undeclared_property":
            assets["extra_properties"] += int(extra)
        elif d.kind == "undeclared_vehicle":
            assets["vehicle_value"] += extra
        elif d.kind == "undeclared_business":
            assets["business_capital"] += extra
    living = [m for m in members if m.person.status == "living"]
    return eligibility.assess(list(incomes.values()), assets, max(len(living), 1))


def case_notice(actor, case: DibaoCase) -> dict | None:
    """What the community notice shows: name, household size and amount only."""
    if not case.notice_start:
        return None
    return {"name": case.applicant.name, "household_size": case.members.count(),
            "amount": case.proposed_amount}


def case_steps(actor, case: DibaoCase, events=None) -> list[tuple]:
    """The procedure's steps as a checklist: (label, reached, current)."""
    events = timeline(case) if events is None else events
    reached = {e.to_state for e in events if e.to_state} | {"submitted"}
    labels = DibaoCase.workflow.states
    return [(labels[s], s in reached, s == case.state) for s in DIBAO_STEPS]


def case_public_status(actor, *, reference: str, id_number: str) -> DibaoCase:
    """The applicant's own view: the reference and the applicant's ID must both match."""
    try:
        number = clean_id_number(id_number)
    except Exception:
        raise NotFound() from None
    case = (DibaoCase.objects.filter(reference=reference.strip().upper(),
                                     applicant__id_number=number).first())
    if case is None:
        raise NotFound()
    return case


def approval_queue(actor):
    actor = as_actor(actor)
    require(actor, DECIDE)
    return scoped(DibaoCase.objects.filter(state="file_sent"), actor, DECIDE).select_related(
        "applicant", "area").order_by("current_due", "id")


# ------------------------------------------------------------------------ verification
def verification_runs(actor):
    return scoped(VerificationRun.objects.all(), _viewer(actor), VIEW).select_related(
        "case", "area")


def verification_latest(actor, *, case: DibaoCase) -> VerificationRun | None:
    """The newest run that checked the case (its own, or a batch with findings for it);
    the case is one the actor may read."""
    get_in_scope(DibaoCase.objects.all(), _viewer(actor), VIEW, pk=case.pk)
    return (VerificationRun.objects.filter(Q(case=case) | Q(discrepancies__case=case))
            .order_by("-started_at", "-id").first())


def verification_get(actor, *, pk: int) -> VerificationRun:
    return get_in_scope(VerificationRun.objects.select_related("case"), as_actor(actor), VIEW,
                        pk=pk)


def discrepancies(actor, *, run: VerificationRun | None = None, case: DibaoCase | None = None):
    """A run's or a case's findings (declared and registry figures: audited)."""
    actor = _viewer(actor)
    qs = scoped(Discrepancy.objects.all(), actor, VIEW).select_related("person")
    if run is not None:
        qs = qs.filter(run=run)
    if case is not None:
        qs = qs.filter(case=case)
    if run is not None or case is not None:
        _read(actor, run if run is not None else case, ["findings.declared", "findings.found"])
    return qs


def discrepancy_get(actor, *, pk: int) -> Discrepancy:
    return get_in_scope(Discrepancy.objects.select_related("case", "person"), as_actor(actor),
                        VIEW, pk=pk)


# ------------------------------------------------------------------------ benefits
def benefit_list(actor, *, state: str = "", q: str = ""):
    qs = scoped(DibaoBenefit.objects.all(), _viewer(actor), VIEW).select_related(
        "household", "payee", "area")
    if state == "current":
        qs = qs.exclude(state="exited")
    elif state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(household__number=q) | Q(payee__name__startswith=q))
    return qs


def benefit_get(actor, *, pk: int) -> DibaoBenefit:
    return get_in_scope(DibaoBenefit.objects.select_related("household", "payee", "area",
                                                            "case"),
                        as_actor(actor), VIEW, pk=pk)


def benefit_detail(actor, *, pk: int) -> DibaoBenefit:
    """The benefit with its amount, account and members' shares, as its page shows them
    (audited)."""
    actor = as_actor(actor)
    benefit = benefit_get(actor, pk=pk)
    _read(actor, benefit, ["bank_account", "monthly_amount", "members.share"])
    return benefit


def benefit_members(actor, benefit: DibaoBenefit) -> list[BenefitMember]:
    return list(BenefitMember.objects.filter(benefit=benefit).select_related("person")
                .annotate(refusal_count=Count("refusals")).order_by("id"))


def benefit_member_get(actor, benefit: DibaoBenefit, *, pk: int) -> BenefitMember:
    member = BenefitMember.objects.filter(benefit=benefit, pk=pk).select_related(
        "benefit__area").first()
    if member is None:
        raise NotFound()
    return member


def benefit_recoveries(actor, benefit: DibaoBenefit):
    return FraudRecovery.objects.filter(benefit=benefit).order_by("-decided_on", "-id")


def reviews_due(actor, *, until: datetime.date):
    """Benefits whose re-review falls due by `until` and have no open review case."""
    open_reviews = DibaoCase.objects.filter(kind="review", state__in=DIBAO_OPEN_STATES
                                            ).values("benefit_id")
    return (benefit_list(actor).exclude(state="exited").filter(next_review_due__lte=until)
            .exclude(pk__in=open_reviews).order_by("next_review_due", "id"))


# ------------------------------------------------------------------------ payments
def rosters(actor):
    return scoped(PaymentRoster.objects.all(), _viewer(actor), VIEW).select_related("area")


def roster_get(actor, *, pk: int) -> PaymentRoster:
    return get_in_scope(PaymentRoster.objects.select_related("area"), as_actor(actor), VIEW,
                        pk=pk)


def roster_lines(actor, roster: PaymentRoster, *, accounts: bool = False):
    """A roster's payments (payees' accounts: audited). With `accounts` (the accounts in
    full, as the API gives them) only for those who pay in the roster's area; pages mask
    them for everyone else."""
    actor = as_actor(actor)
    if accounts:
        require(actor, PAY, roster.area)
    _read(actor, roster, ["lines.account"])
    return roster.lines.select_related("payee").order_by("id")


def roster_line_get(actor, *, pk: int) -> PaymentLine:
    return get_in_scope(PaymentLine.objects.select_related("roster__area", "payee"),
                        as_actor(actor), VIEW, "roster__area", pk=pk)


def payment_areas(actor, *, strict: bool = False):
    """Subdistricts where the actor may build rosters (`strict`: refused to anyone who
    may build none)."""
    actor = as_actor(actor)
    if strict:
        require(actor, PAY)
    return Area.objects.filter(level="subdistrict", id__in=actor.area_ids(PAY)).order_by(
        "path")


def area_for(actor, *, code: str, permission: str = VIEW) -> Area:
    actor = as_actor(actor)
    area = Area.objects.filter(code=code, id__in=actor.area_ids(permission)).first()
    if area is None:
        raise NotFound()
    return area


# ------------------------------------------------------------------------ temporary
def temporary_list(actor, *, kind: str = "", state: str = "", open_obligations: bool = False):
    qs = scoped(TemporaryGrant.objects.all(), _viewer(actor), VIEW).select_related(
        "applicant", "area")
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(closed_at=None)
    elif state:
        qs = qs.filter(state=state)
    if open_obligations:
        # emergency grants paid first whose paperwork is still open
        qs = qs.filter(state="granted").exclude(obligations=[])
    return qs


def temporary_get(actor, *, pk: int) -> TemporaryGrant:
    return get_in_scope(TemporaryGrant.objects.select_related("applicant", "household", "area"),
                        as_actor(actor), VIEW, pk=pk)


def temporary_detail(actor, *, pk: int) -> TemporaryGrant:
    """The grant as its page shows it (per-capita income: audited)."""
    actor = as_actor(actor)
    grant = temporary_get(actor, pk=pk)
    _read(actor, grant, ["per_capita_income"])
    return grant


# ------------------------------------------------------------------------ tekun
def tekun_cases(actor, *, state: str = ""):
    qs = scoped(TekunCase.objects.all(), _viewer(actor), VIEW).select_related("person",
                                                                               "area")
    if state == "open":
        qs = qs.filter(closed_at=None)
    elif state:
        qs = qs.filter(state=state)
    return qs


def tekun_case_get(actor, *, pk: int) -> TekunCase:
    return get_in_scope(TekunCase.objects.select_related("person", "area"), as_actor(actor),
                        VIEW, pk=pk)


def tekun_case_detail(actor, *, pk: int) -> TekunCase:
    """The recognition case as its page shows it (income and disability: audited)."""
    actor = as_actor(actor)
    case = tekun_case_get(actor, pk=pk)
    _read(actor, case, ["monthly_income", "disability"])
    return case


def tekun_persons(actor, *, reassess: bool = False):
    qs = scoped(TekunPerson.objects.all(), _viewer(actor), VIEW).select_related("person",
                                                                                 "area")
    if reassess:
        return qs.filter(state="active", reassess_due__isnull=False).order_by(
            "reassess_due", "id")
    return qs.order_by("-id")


def tekun_person_get(actor, *, pk: int) -> TekunPerson:
    return get_in_scope(TekunPerson.objects.select_related("person", "area", "case"),
                        as_actor(actor), VIEW, pk=pk)


def tekun_person_for_case(actor, case: TekunCase) -> TekunPerson | None:
    """The support record an approved recognition created."""
    return scoped(TekunPerson.objects.filter(case=case), as_actor(actor), VIEW).first()


def adl_assessments(actor, tekun: TekunPerson):
    return AdlAssessment.objects.filter(tekun=tekun).select_related("assessor").order_by(
        "-assessed_on", "-id")


def person_by_id_number(actor, *, id_number: str, permission: str = VIEW) -> Person:
    """A resident in the actor's scope, by resident ID number (not found otherwise: the
    same answer for an unknown number and one outside the area)."""
    actor = as_actor(actor)
    number = id_number.strip().upper()
    person = scoped(Person.objects.all(), actor, permission, "residence_area").filter(
        id_number=number).select_related("residence_area").first()
    if person is None:
        raise NotFound(_("No resident with this ID number in your area"),
                       field="id_number")
    return person


def tekun_recognition_preview(actor, *, id_number: str, disability_kind: str = "",
                              disability_grade=None, monthly_income=0,
                              has_able_supporter: bool = False) -> dict:
    """The three recognition checks for a resident and the answers typed so far."""
    person = person_by_id_number(actor, id_number=id_number, permission=APPLY)
    result = eligibility.tekun_recognition(
        person.birth_date, disability_kind=disability_kind, disability_grade=disability_grade,
        monthly_income=monthly_income, has_able_supporter=has_able_supporter,
        today=timezone.localdate())
    result["name"] = person.name
    return result


def apply_areas(actor):
    """Areas where the actor may take applications (a page with an application form is
    refused to anyone who may take none)."""
    actor = as_actor(actor)
    if not actor.has(APPLY):
        raise PermissionDenied()
    return Area.objects.filter(id__in=actor.area_ids(APPLY))


# ------------------------------------------------------------------------ spot checks
def spot_checks(actor):
    return scoped(SpotCheckDraw.objects.all(), _viewer(actor), VIEW).select_related(
        "area", "drawn_by").order_by("-drawn_at", "-id")


def spot_check_get(actor, *, pk: int) -> SpotCheckDraw:
    return get_in_scope(SpotCheckDraw.objects.select_related("area", "drawn_by"),
                        as_actor(actor), VIEW, pk=pk)


def spot_check_cases(actor, draw: SpotCheckDraw):
    return TekunCase.objects.filter(pk__in=draw.drawn).select_related("person", "area"
                                                                      ).order_by("pk")


def spot_check_reproduced(actor, draw: SpotCheckDraw) -> bool:
    """Whether drawing again with the stored seed and population gives the same cases."""
    return spot_check_redraw(draw.population, draw.seed, draw.share) == draw.drawn


def spot_check_areas(actor, *, strict: bool = False):
    """District and subdistricts where the actor may order a spot check (`strict`: refused
    to anyone who may order none)."""
    actor = as_actor(actor)
    if strict:
        require(actor, MANAGE)
    return Area.objects.filter(level__in=("district", "subdistrict"),
                               id__in=actor.area_ids(MANAGE)).order_by("path")
