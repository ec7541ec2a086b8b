"""Every write in social assistance: `<noun>_<verb>(*, actor, ...)`, permission checked,
one transaction, audited. Case state changes go through casework.workflow.transition."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import (
    BenefitMember,
    DibaoBenefit,
    DibaoCase,
    DibaoMember,
    Discrepancy,
)
from minsheng.assistance.workflows import APPLY, DECIDE, DIBAO_OPEN_STATES, REVIEW
from minsheng.casework import workflow
from minsheng.casework.clocks import Clock
from minsheng.core import audit, identifiers, workdays
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, HouseholdMember, Person

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(10))


def _today(today):
    return today or timezone.localdate()


def first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]
    return day.replace(year=year, month=month, day=min(day.day, last))


# ------------------------------------------------------------------------ dibao: clocks
def overall_limit(case: DibaoCase) -> int:
    if case.delegated:
        return setting("TOTAL_WORKING_DAYS_DELEGATED")
    if case.extension_reason:
        return setting("TOTAL_WORKING_DAYS_EXTENDED")
    return setting("TOTAL_WORKING_DAYS")


def overall_due(case: DibaoCase) -> datetime.date | None:
    if not case.accepted_on:
        return None
    return workdays.add_working_days(case.accepted_on, overall_limit(case))


def dibao_clocks(case: DibaoCase) -> list[Clock]:
    """The legal clocks of a case that have started, in the order of the procedure."""
    clocks = []
    add = workdays.add_working_days
    if case.accepted_on:
        clocks.append(Clock(_("Investigation starts (3 working days)"), case.accepted_on,
                            add(case.accepted_on, setting("INVESTIGATION_START_WORKING_DAYS")),
                            case.investigation_started_on))
    if case.verification_requested_on:
        clocks.append(Clock(_("Verification starts (3 working days)"),
                            case.verification_requested_on,
                            add(case.verification_requested_on,
                                setting("VERIFICATION_START_WORKING_DAYS")),
                            case.verification_started_on))
    if case.notice_start:
        done = case.notice_end if case.state not in ("notice",) else None
        clocks.append(Clock(_("Public notice (7 days)"), case.notice_start, case.notice_end,
                            done))
    if case.file_received_on:
        clocks.append(Clock(_("District decision (10 working days)"), case.file_received_on,
                            add(case.file_received_on, setting("DECISION_WORKING_DAYS")),
                            case.decided_on))
    if case.decision == "refused" and case.decided_on:
        clocks.append(Clock(_("Written reasons for the refusal (3 working days)"),
                            case.decided_on,
                            add(case.decided_on, setting("REFUSAL_NOTICE_WORKING_DAYS")),
                            case.refusal_notified_on))
    if case.accepted_on:
        done = case.decided_on or (timezone.localtime(case.closed_at).date()
                                   if case.closed_at else None)
        clocks.append(Clock(_("Whole procedure (%d working days)") % overall_limit(case),
                            case.accepted_on, overall_due(case), done))
    return clocks


def _due(case: DibaoCase, step_due: datetime.date | None) -> datetime.date | None:
    overall = overall_due(case)
    dues = [d for d in (step_due, overall) if d]
    return min(dues) if dues else None


def _move(actor, case, name, *, version=None, note="", data=None, changes=None,
          today=None):
    data = dict(data or {})
    data.setdefault("today", _today(today).isoformat())
    return workflow.transition(actor=actor, case=case, name=name, version=version, note=note,
                               data=data, changes=changes)


# ------------------------------------------------------------------------ dibao: intake
def _members_for(household, members_in: list[dict], applicant: Person, single_person: str):
    """Resolve declared members against the registry; every one must belong to the
    applicant's household."""
    listed = {}
    for row in members_in:
        number = identifiers.clean_id_number(row.get("id_number", ""), field="members")
        listed[number] = row
    if applicant.id_number not in listed:
        listed[applicant.id_number] = {"id_number": applicant.id_number, "income": {},
                                       "authorised": True}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=list(listed))}
    unknown = sorted(set(listed) - set(people))
    if unknown:
        raise ValidationFailed(_("These ID numbers are not in the population registry: %s")
                               % ", ".join(identifiers.mask(n) for n in unknown),
                               field="members")
    memberships = dict(HouseholdMember.objects.filter(person__in=people.values())
                       .values_list("person_id", "household_id"))
    outsiders = [p.name for p in people.values() if memberships.get(p.pk) != household.pk]
    if outsiders:
        raise ValidationFailed(_("These people are members of another household: %s")
                               % "、".join(outsiders), field="members")
    if single_person:
        if len(people) != 1:
            raise ValidationFailed(_("A single-person application lists only the applicant"),
                                   field="members")
    else:
        household_ids = set(HouseholdMember.objects.filter(
            household=household, person__status="living").values_list("person_id", flat=True))
        missing = household_ids - {p.pk for p in people.values()}
        if missing:
            names = Person.objects.filter(pk__in=missing).values_list("name", flat=True)
            raise ValidationFailed(
                _("Every household member must be listed (or choose a single-person "
                  "exception); missing: %s") % "、".join(names), field="members")
    return [(people[n], row) for n, row in listed.items()], memberships


def dibao_apply(*, actor, channel: str, applicant_id_number: str, applicant_name: str,
                members: list[dict], phone: str = "", bank_account: str = "",
                reason: str = "", agent_name: str = "", agent_relation: str = "",
                single_person: str = "", idempotency_key: str = "",
                today: datetime.date | None = None) -> tuple[DibaoCase, bool]:
    """Register an application (portal or office). Returns (case, created); the same
    idempotency key returns the case created the first time."""
    actor = as_actor(actor)
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        existing = DibaoCase.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
    if channel not in DibaoCase.Channel.values:
        raise ValidationFailed(_("Unknown channel"), field="channel")
    if single_person not in DibaoCase.SingleException.values:
        raise ValidationFailed(_("Unknown single-person exception"), field="single_person")
    number = identifiers.clean_id_number(applicant_id_number, field="applicant_id_number")
    applicant = Person.objects.filter(id_number=number, name=applicant_name.strip()).first()
    if applicant is None or applicant.status != "living":
        raise ValidationFailed(_("No resident with this name and ID number was found. Apply at "
                                 "the subdistrict office."), field="applicant_id_number")
    membership = HouseholdMember.objects.filter(person=applicant).select_related(
        "household__area").first()
    if membership is None:
        raise ValidationFailed(_("The applicant is not registered in a household"),
                               field="applicant_id_number")
    household = membership.household
    if channel == DibaoCase.Channel.OFFICE or actor.is_authenticated:
        require(actor, APPLY, household.area)
    if agent_name and not agent_relation:
        raise ValidationFailed(_("Say how the agent is related to the household"),
                               field="agent_relation")
    resolved, _memberships = _members_for(household, members, applicant, single_person)
    cleaned = [(p, eligibility.clean_income(row.get("income") or {}),
                _clean_assets(row.get("assets") or {}), bool(row.get("authorised")))
               for p, row in resolved]
    busy = DibaoMember.objects.filter(person__in=[p for p, *_ in cleaned], active=True
                                      ).select_related("person", "case")
    if busy:
        raise ValidationFailed(_("Already in an open application: %s")
                               % "、".join(f"{m.person.name} ({m.case.reference})" for m in busy),
                               field="members")
    if DibaoBenefit.objects.filter(household=household).exclude(status="exited").exists():
        raise ValidationFailed(_("This household already receives dibao; ask for a re-review"
                                 " instead"))
    try:
        with transaction.atomic():
            case = DibaoCase.objects.create(
                reference=new_reference("DB"), household=household, applicant=applicant,
                area=household.area, state=DibaoCase.workflow.initial, channel=channel,
                agent_name=agent_name[:60], agent_relation=agent_relation[:60],
                phone=identifiers.clean_phone(phone), bank_account=bank_account.strip()[:32],
                reason=reason.strip(), idempotency_key=key, single_person=single_person)
            DibaoMember.objects.bulk_create([
                DibaoMember(case=case, person=p, income=income, assets=assets,
                            authorised=authorised,
                            relationship=getattr(getattr(p, "membership", None),
                                                 "relationship", ""))
                for p, income, assets, authorised in cleaned])
            workflow.record_event(case, actor=actor, note=_("Application received (%s)")
                                  % case.get_channel_display(),
                                  data={"today": _today(today).isoformat()})
            audit.record(actor, AuditEntry.Action.CREATE, obj=case,
                         changes={"reference": [None, case.reference]})
    except IntegrityError:
        if key and DibaoCase.objects.filter(idempotency_key=key).exists():
            return DibaoCase.objects.get(idempotency_key=key), False
        raise Conflict(_("A member was added to another open application at the same "
                         "moment; reload and check")) from None
    return case, True


def _clean_assets(assets: dict) -> dict:
    cleaned = {}
    for item in ("deposits", "vehicle_value", "business_capital"):
        value = eligibility.money(assets.get(item, 0))
        if value < 0:
            raise ValidationFailed(_("Assets cannot be negative"), field="assets")
        cleaned[item] = str(value)
    properties = int(assets.get("properties", 0) or 0)
    if properties < 0:
        raise ValidationFailed(_("Assets cannot be negative"), field="assets")
    cleaned["properties"] = properties
    return cleaned


def dibao_authorise(*, actor, case: DibaoCase, person_id: int) -> None:
    """Record at the office that a member signed the authorisation for the check."""
    actor = as_actor(actor)
    require(actor, APPLY, case.area)
    with transaction.atomic():
        updated = DibaoMember.objects.filter(case=case, person_id=person_id).update(
            authorised=True)
        if not updated:
            raise ValidationFailed(_("Not a member of this application"))
        workflow.record_event(case, actor=actor, note=_("Authorisation signed"),
                              data={"person_id": person_id})


def dibao_accept(*, actor, case: DibaoCase, version: int, missing_materials: list[str] = (),
                 related_to_staff: bool = False, related_note: str = "",
                 delegated: bool = False, today=None) -> DibaoCase:
    """Accept a complete application. With missing materials, issue the one notice that
    lists all of them instead (the case stays submitted)."""
    actor = as_actor(actor)
    today = _today(today)
    missing = [m.strip() for m in missing_materials if m and m.strip()]
    if missing:
        require(actor, APPLY, case.area)
        if case.state != "submitted":
            raise ValidationFailed(_("Materials can only be requested before acceptance"))
        with transaction.atomic():
            updated = DibaoCase.objects.filter(pk=case.pk, version=version).update(
                missing_materials=missing, version=version + 1)
            if not updated:
                from minsheng.core.errors import StaleVersion
                raise StaleVersion()
            case.missing_materials, case.version = missing, version + 1
            workflow.record_event(case, actor=actor, note=_("One-time notice of all missing "
                                  "materials: %s") % "、".join(missing),
                                  data={"missing": missing, "today": today.isoformat()})
            audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                         changes={"missing_materials": [[], missing]})
        return case
    case.delegated = delegated
    case.accepted_on = today
    due = workdays.add_working_days(today, setting("INVESTIGATION_START_WORKING_DAYS"))
    return _move(actor, case, "accept", version=version, today=today,
                 data={"related_to_staff": related_to_staff},
                 changes={"accepted_on": today, "related_to_staff": related_to_staff,
                          "related_note": related_note[:200], "delegated": delegated,
                          "current_due": _due(case, due)})


def dibao_materials_supplied(*, actor, case: DibaoCase, version: int, today=None) -> DibaoCase:
    actor = as_actor(actor)
    require(actor, APPLY, case.area)
    with transaction.atomic():
        if not DibaoCase.objects.filter(pk=case.pk, version=version).update(
                missing_materials=[], version=version + 1):
            from minsheng.core.errors import StaleVersion
            raise StaleVersion()
        workflow.record_event(case, actor=actor, note=_("Missing materials supplied"))
    case.missing_materials, case.version = [], version + 1
    return case


def dibao_investigate(*, actor, case, version: int, investigators: list[str],
                      home_visit_note: str, today=None) -> DibaoCase:
    today = _today(today)
    names = [n.strip() for n in investigators if n and n.strip()]
    return _move(actor, case, "start_investigation", version=version, today=today,
                 data={"investigators": names, "home_visit_note": home_visit_note},
                 note=home_visit_note,
                 changes={"investigation_started_on": case.investigation_started_on or today,
                          "investigators": names, "home_visit_note": home_visit_note,
                          "current_due": overall_due(case)})


def dibao_request_verification(*, actor, case, version: int, today=None) -> DibaoCase:
    today = _today(today)
    due = workdays.add_working_days(today, setting("VERIFICATION_START_WORKING_DAYS"))
    return _move(actor, case, "request_verification", version=version, today=today,
                 changes={"verification_requested_on": today,
                          "verification_started_on": None, "current_due": _due(case, due)})


def dibao_start_verification(*, actor, case, version: int, today=None) -> DibaoCase:
    """Start the economic verification: the case moves on and the check runs against the
    registry extracts in the same transaction (its findings are listed on the case)."""
    from minsheng.assistance.verification import verification_run

    today = _today(today)
    with transaction.atomic():
        case = _move(actor, case, "start_verification", version=version, today=today,
                     changes={"verification_started_on": today,
                              "current_due": overall_due(case)})
        verification_run(actor=actor, cases=[case], label=case.reference)
    return case


def _adjusted(case: DibaoCase):
    """Declared incomes and assets, corrected by confirmed verification findings."""
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
    for d in case.discrepancies.filter(status="confirmed"):
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
    return list(incomes.values()), assets, max(len(living), 1)


def dibao_assess(case: DibaoCase) -> eligibility.Assessment:
    incomes, assets, count = _adjusted(case)
    return eligibility.assess(incomes, assets, count)


def dibao_first_review(*, actor, case, version: int, opinion: str, today=None) -> DibaoCase:
    today = _today(today)
    result = dibao_assess(case)
    return _move(actor, case, "first_review", version=version, today=today, note=opinion,
                 data={"opinion": opinion, "eligible": result.eligible,
                       "per_capita_income": str(result.per_capita_income),
                       "amount": str(result.amount), "reasons": result.reasons},
                 changes={"first_review_on": today, "first_review_opinion": opinion,
                          "eligible": result.eligible,
                          "per_capita_income": result.per_capita_income,
                          "proposed_amount": result.amount,
                          "current_due": overall_due(case)})


def dibao_publish_notice(*, actor, case, version: int, today=None) -> DibaoCase:
    today = _today(today)
    end = today + datetime.timedelta(days=setting("NOTICE_DAYS"))
    return _move(actor, case, "publish_notice", version=version, today=today,
                 data={"round": case.notice_round + 1},
                 changes={"notice_round": case.notice_round + 1, "notice_start": today,
                          "notice_end": end, "current_due": _due(case, end)})


def notice_text(case: DibaoCase) -> dict:
    """What the community notice shows: name, household size and amount only."""
    return {"name": case.applicant.name, "household_size": case.members.count(),
            "amount": case.proposed_amount}


def dibao_objection(*, actor, case, version: int, objection: str, today=None) -> DibaoCase:
    today = _today(today)
    return _move(actor, case, "objection", version=version, today=today, note=objection,
                 data={"objection": objection},
                 changes={"current_due": overall_due(case), "notice_end": today,
                          "verification_requested_on": None, "verification_started_on": None})


def dibao_send_file(*, actor, case, version: int, today=None) -> DibaoCase:
    today = _today(today)
    due = workdays.add_working_days(today, setting("DECISION_WORKING_DAYS"))
    name = "send_file" if case.state == "notice" else "send_refusal_file"
    return _move(actor, case, name, version=version, today=today,
                 changes={"file_received_on": today, "current_due": _due(case, due)})


def dibao_extend(*, actor, case, reason: str) -> DibaoCase:
    actor = as_actor(actor)
    require(actor, APPLY, case.area)
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the extension"), field="reason")
    if case.state not in DIBAO_OPEN_STATES or case.delegated:
        raise ValidationFailed(_("This case cannot be extended"))
    with transaction.atomic():
        case.extension_reason = reason.strip()[:300]
        case.current_due = overall_due(case)
        DibaoCase.objects.filter(pk=case.pk).update(extension_reason=case.extension_reason)
        workflow.record_event(case, actor=actor, note=_("Time limit extended to %d working "
                              "days: %s") % (overall_limit(case), case.extension_reason))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                     changes={"extension_reason": ["", case.extension_reason]})
    return case


def dibao_approver_visit(*, actor, case, note: str, today=None) -> DibaoCase:
    actor = as_actor(actor)
    require(actor, DECIDE, case.area)
    if not note.strip():
        raise ValidationFailed(_("Record what the visit found"), field="note")
    today = _today(today)
    with transaction.atomic():
        DibaoCase.objects.filter(pk=case.pk).update(approver_visit_on=today,
                                                    approver_visit_note=note)
        case.approver_visit_on, case.approver_visit_note = today, note
        workflow.record_event(case, actor=actor, note=_("Approver's home visit: %s") % note)
    return case


def _working_age(person: Person, today: datetime.date) -> bool:
    low, high = setting("WORKING_AGE")
    age = (today - person.birth_date).days // 365
    return low <= age < high


def dibao_decide(*, actor, case, version: int, approve: bool, reasons: str = "",
                 today=None) -> DibaoCase:
    """The district's decision. Approval starts payment from the next month; a refusal
    starts the 3-working-day clock for the written reasons."""
    today = _today(today)
    with transaction.atomic():
        if approve:
            if not case.eligible or not case.proposed_amount:
                raise ValidationFailed(_("The first review found the household not "
                                         "eligible; it can only be refused"))
            case = _move(actor, case, "approve", version=version, today=today,
                         changes={"decided_on": today, "decision": "approved",
                                  "current_due": None})
            _benefit_create(case, today)
        else:
            due = workdays.add_working_days(today, setting("REFUSAL_NOTICE_WORKING_DAYS"))
            case = _move(actor, case, "refuse", version=version, today=today, note=reasons,
                         data={"reasons": reasons},
                         changes={"decided_on": today, "decision": "refused",
                                  "refusal_reasons": reasons, "current_due": due})
        DibaoMember.objects.filter(case=case).update(active=False)
    return case


def _close_members(case):
    DibaoMember.objects.filter(case=case).update(active=False)


def dibao_close(*, actor, case, version: int, name: str, note: str = "", today=None):
    """Withdraw or do not accept: the case closes and its members are free again."""
    if name not in ("withdraw", "not_accept"):
        raise ValidationFailed(_("Unknown action: %s") % name)
    if not note.strip():
        raise ValidationFailed(_("Give the reason"), field="note")
    with transaction.atomic():
        case = _move(actor, case, name, version=version, note=note, today=today,
                     changes={"current_due": None})
        _close_members(case)
    return case


def dibao_refusal_notified(*, actor, case, today=None) -> DibaoCase:
    actor = as_actor(actor)
    require(actor, DECIDE, case.area)
    if case.decision != "refused" or case.refusal_notified_on:
        raise ValidationFailed(_("No refusal notice is pending"))
    today = _today(today)
    with transaction.atomic():
        DibaoCase.objects.filter(pk=case.pk).update(refusal_notified_on=today,
                                                    current_due=None)
        case.refusal_notified_on, case.current_due = today, None
        workflow.record_event(case, actor=actor, note=_("Written reasons sent to the "
                                                         "applicant"))
    return case


def _benefit_create(case: DibaoCase, today: datetime.date) -> DibaoBenefit:
    members = list(case.members.select_related("person"))
    working = any(_working_age(m.person, today) for m in members)
    irregular = any(eligibility.money(m.income.get("other", 0)) > 0
                    or eligibility.money(m.income.get("business", 0)) > 0 for m in members)
    months = (setting("REVIEW_MONTHS_WORKING_AGE") if working or irregular
              else setting("REVIEW_MONTHS_STABLE"))
    start = first_of_next_month(today)
    if case.kind == DibaoCase.Kind.REVIEW and case.benefit_id:
        DibaoBenefit.objects.filter(pk=case.benefit_id).update(
            status="exited", exited_on=today, exit_reason=_("Replaced after re-review"))
    benefit = DibaoBenefit.objects.create(
        household=case.household, area=case.area, case=case, payee=case.applicant,
        bank_account=case.bank_account, members=len(members),
        monthly_amount=case.proposed_amount, standard=eligibility.standard(),
        start_month=start, working_age=working, irregular_income=irregular,
        review_months=months, next_review_due=add_months(start, months))
    share = (case.proposed_amount / len(members)).quantize(Decimal("0.01"))
    BenefitMember.objects.bulk_create([BenefitMember(benefit=benefit, person=m.person,
                                                     share=share) for m in members])
    return benefit


def discrepancy_resolve(*, actor, discrepancy: Discrepancy, status: str,
                        resolution: str = "") -> Discrepancy:
    """A caseworker confirms or dismisses a finding (fuzzy ones must be decided here), or
    records the applicant's dispute and its outcome."""
    actor = as_actor(actor)
    if status == "upheld" or not actor.covers(APPLY, discrepancy.area):
        require(actor, REVIEW, discrepancy.area)
    allowed = {"open": {"confirmed", "dismissed", "disputed"},
               "to_confirm": {"confirmed", "dismissed"},
               "disputed": {"confirmed", "upheld"}}
    if status not in allowed.get(discrepancy.status, set()):
        raise ValidationFailed(_("A finding that is “%(old)s” cannot become “%(new)s”")
                               % {"old": discrepancy.get_status_display(), "new": status})
    if status in ("dismissed", "disputed", "upheld") and not resolution.strip():
        raise ValidationFailed(_("Record the reason or the applicant's evidence"),
                               field="resolution")
    old = discrepancy.status
    with transaction.atomic():
        updated = Discrepancy.objects.filter(pk=discrepancy.pk, status=old).update(
            status=status, resolution=resolution,
            dispute_text=resolution if status == "disputed" else discrepancy.dispute_text,
            resolved_by=actor.user if actor.is_authenticated else None)
        if not updated:
            raise Conflict(_("Someone else resolved this finding a moment ago"))
        discrepancy.status = status
        audit.record(actor, AuditEntry.Action.UPDATE, obj=discrepancy,
                     changes={"status": [old, status]})
        if discrepancy.case_id:
            workflow.record_event(discrepancy.case, actor=actor,
                                  note=_("Verification finding %(kind)s (%(source)s): "
                                         "%(status)s") % {"kind": discrepancy.kind,
                                                          "source": discrepancy.source,
                                                          "status": status})
    return discrepancy


# ------------------------------------------------------------------- reminders / escalation
def dibao_clock_sweep(*, today=None) -> dict:
    """Reminders before a deadline (a timeline note, once per deadline) and a follow-up
    item after it (escalated yellow/red by casework). Set-based over open cases."""
    from minsheng.casework.models import CaseEvent
    from minsheng.casework.services import followup_open
    from minsheng.core.access import system_actor

    today = _today(today)
    soon = workdays.add_working_days(today, setting("REMIND_WORKING_DAYS"))
    open_cases = DibaoCase.objects.filter(
        Q(state__in=DIBAO_OPEN_STATES) | Q(decision="refused", refusal_notified_on=None),
        current_due__isnull=False)
    due_soon = list(open_cases.filter(current_due__gte=today, current_due__lte=soon))
    reminded = set(CaseEvent.objects.filter(
        case_type="assistance.dibaocase", transition="reminder",
        case_id__in=[c.pk for c in due_soon]).values_list("case_id", "data__due"))
    system = system_actor()
    reminders = 0
    for case in due_soon:
        if (case.pk, case.current_due.isoformat()) in reminded:
            continue
        workflow.record_event(case, actor=system, transition="reminder",
                              note=_("Reminder: the current step is due on %s")
                              % case.current_due, data={"due": case.current_due.isoformat()})
        reminders += 1
    escalated = 0
    for case in open_cases.filter(current_due__lt=today).select_related("area"):
        followup_open(actor=system, kind="assistance.overdue",
                      title=_("Dibao case %(ref)s overdue (%(state)s)")
                      % {"ref": case.reference, "state": case.state_label},
                      area=case.area, department=None,
                      source_type="assistance.dibaocase", source_id=f"{case.pk}:{case.state}",
                      due_date=case.current_due)
        escalated += 1
    return {"reminders": reminders, "overdue": escalated}
