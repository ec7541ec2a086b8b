"""Dibao applications from intake to the district's decision (DBAC): every write is
`dibao_<verb>(*, actor, ...)`, permission checked, one transaction, audited; every state
change goes through the DIBAO workflow (workflows.py)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import DibaoBenefit, DibaoCase, DibaoMember
from minsheng.assistance.permissions import APPLY, DECIDE
from minsheng.assistance.services import clocks
from minsheng.assistance.services.moves import move, today_or
from minsheng.assistance.services.references import new_reference
from minsheng.assistance.workflows import DIBAO_OPEN_STATES
from minsheng.casework import workflow
from minsheng.core import audit, identifiers, proof, workdays
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, HouseholdMember, Person

PROOF_PURPOSE = "assistance.dibao_apply"


def _not_found() -> ValidationFailed:
    """The one answer for an applicant who is unknown, not living or (for staff) outside
    the area: the same words and status, so the form is not a lookup service."""
    return ValidationFailed(_("No resident with this name and ID number was found. Apply at "
                              "the subdistrict office."), field="applicant_id_number")


# ------------------------------------------------------------------------ intake
def _public_refusal() -> ValidationFailed:
    """What the public form says when the members do not fit the registry: never who
    else is registered, in which household or in which application (the caseworker sees
    the details when the household applies at the office)."""
    return ValidationFailed(_("The members listed do not match the household register. "
                              "List every member of your household, or apply at the "
                              "subdistrict office."), field="members")


def _members_for(household, members_in: list[dict], applicant: Person, single_person: str,
                 *, public: bool = False):
    """Resolve declared members against the registry; every one must belong to the
    applicant's household. For the public, a mismatch is one message naming nobody."""
    listed = {}
    for row in members_in:
        number = identifiers.clean_id_number(row.get("id_number", ""), field="members")
        listed[number] = row
    if applicant.id_number not in listed:
        listed[applicant.id_number] = {"id_number": applicant.id_number, "income": {},
                                       "authorised": True}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=list(listed))}
    unknown = sorted(set(listed) - set(people))
    if unknown and public:
        raise _public_refusal()
    if unknown:
        raise ValidationFailed(_("These ID numbers are not in the population registry: %s")
                               % ", ".join(identifiers.mask(n) for n in unknown),
                               field="members")
    memberships = dict(HouseholdMember.objects.filter(person__in=people.values())
                       .values_list("person_id", "household_id"))
    outsiders = [p.name for p in people.values() if memberships.get(p.pk) != household.pk]
    if outsiders and public:
        raise _public_refusal()
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
        if missing and public:
            raise _public_refusal()
        if missing:
            names = Person.objects.filter(pk__in=missing).values_list("name", flat=True)
            raise ValidationFailed(
                _("Every household member must be listed (or choose a single-person "
                  "exception); missing: %s") % "、".join(names), field="members")
    return [(people[n], row) for n, row in listed.items()]


def _clean_assets(assets: dict) -> dict:
    cleaned = {}
    for item in ("deposits", "vehicle_value", "business_capital"):
        value = eligibility.money(assets.get(item, 0))
        if value < 0:
            raise ValidationFailed(_("Assets cannot be negative"), field="assets")
        cleaned[item] = str(value)
    try:
        properties = int(assets.get("properties", 0) or 0)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The number of properties is a whole number"),
                               field="assets") from None
    if properties < 0:
        raise ValidationFailed(_("Assets cannot be negative"), field="assets")
    cleaned["properties"] = properties
    return cleaned


def dibao_apply_code(*, applicant_name: str, applicant_id_number: str, client: str) -> str:
    """A public applicant's first step: a one-time code to the phone registered for the
    resident named; returns the challenge the code answers (one answer for everyone)."""
    number = identifiers.clean_id_number(applicant_id_number, field="applicant_id_number")
    return proof.request_code(purpose=PROOF_PURPOSE, what=_("a dibao application"),
                              name=applicant_name, id_number=number, client=client)


def dibao_apply(*, actor, channel: str, applicant_id_number: str, applicant_name: str,
                members: list[dict], phone: str = "", bank_account: str = "",
                reason: str = "", agent_name: str = "", agent_relation: str = "",
                single_person: str = "", idempotency_key: str = "",
                challenge: str = "", code: str = "",
                today: datetime.date | None = None) -> tuple[DibaoCase, bool]:
    """Register an application (portal or office). Returns (case, created); the same
    idempotency key returns the case created the first time.

    From the public, the applicant must prove they hold the phone registered for the
    resident they name: `challenge` and `code` from `core.proof` (a staff member at the
    office checks the ID card instead)."""
    actor = as_actor(actor)
    staff = channel == DibaoCase.Channel.OFFICE or actor.is_authenticated
    if staff:
        require(actor, APPLY)
    if channel not in DibaoCase.Channel.values:
        raise ValidationFailed(_("Unknown channel"), field="channel")
    if single_person not in DibaoCase.SingleException.values:
        raise ValidationFailed(_("Unknown single-person exception"), field="single_person")
    number = identifiers.clean_id_number(applicant_id_number, field="applicant_id_number")
    if staff:
        applicant = Person.objects.filter(id_number=number, name=applicant_name.strip(),
                                          status="living").first()
        if applicant is None:
            raise _not_found()
    else:
        applicant = proof.proven_person(purpose=PROOF_PURPOSE, challenge=challenge, code=code)
        if (applicant.id_number, applicant.name) != (number, applicant_name.strip()):
            raise proof.wrong_code()
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        existing = DibaoCase.objects.filter(idempotency_key=key).first()
        if existing is not None and (staff or existing.applicant_id == applicant.pk):
            return existing, False
        if existing is not None:  # someone else's key: it proves nothing
            raise ValidationFailed(_("The form has expired; reload the page."))
    membership = HouseholdMember.objects.filter(person=applicant).select_related(
        "household__area").first()
    if membership is None:
        raise ValidationFailed(_("The applicant is not registered in a household"),
                               field="applicant_id_number")
    household = membership.household
    if staff and not actor.covers(APPLY, household.area):
        raise _not_found()
    if agent_name and not agent_relation:
        raise ValidationFailed(_("Say how the agent is related to the household"),
                               field="agent_relation")
    resolved = _members_for(household, members, applicant, single_person, public=not staff)
    cleaned = [(p, eligibility.clean_income(row.get("income") or {}),
                _clean_assets(row.get("assets") or {}), bool(row.get("authorised")))
               for p, row in resolved]
    busy = DibaoMember.objects.filter(person__in=[p for p, *_ in cleaned], active=True
                                      ).select_related("person", "case")
    if not staff and (busy or DibaoBenefit.objects.filter(household=household).exclude(
            state="exited").exists()):
        raise ValidationFailed(_("This household cannot apply online now. Ask at the "
                                 "subdistrict office."), field="members")
    if busy:
        raise ValidationFailed(_("Already in an open application: %s")
                               % "、".join(f"{m.person.name} ({m.case.reference})" for m in busy),
                               field="members")
    if DibaoBenefit.objects.filter(household=household).exclude(state="exited").exists():
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
                                  data={"today": today_or(today).isoformat()})
            audit.record(actor, AuditEntry.Action.CREATE, obj=case,
                         changes={"reference": [None, case.reference]})
    except IntegrityError:
        if key and DibaoCase.objects.filter(idempotency_key=key).exists():
            return DibaoCase.objects.get(idempotency_key=key), False
        raise Conflict(_("A member was added to another open application at the same "
                         "moment; reload and check")) from None
    if not staff:
        proof.consume(challenge)
    return case, True


def dibao_authorise(*, actor, case: DibaoCase, person_id: int) -> None:
    """Record at the office that a member signed the authorisation for the check."""
    actor = as_actor(actor)
    require(actor, APPLY, case.area)
    with transaction.atomic():
        updated = DibaoMember.objects.filter(case=case, person_id=person_id).update(
            authorised=True)
        if not updated:
            raise ValidationFailed(_("Not a member of this application"), field="person_id")
        workflow.record_event(case, actor=actor, note=_("Authorisation signed"),
                              data={"person_id": person_id})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                     changes={"authorised": [None, person_id]})


def dibao_accept(*, actor, case: DibaoCase, version: int, missing_materials: list[str] = (),
                 related_to_staff: bool = False, related_note: str = "",
                 delegated: bool = False, today=None) -> DibaoCase:
    """Accept a complete application. With missing materials, issue the one notice that
    lists all of them instead (the case stays submitted)."""
    actor = as_actor(actor)
    today = today_or(today)
    missing = [m.strip() for m in missing_materials if m and m.strip()]
    if missing:
        require(actor, APPLY, case.area)
        if case.state != "submitted":
            raise ValidationFailed(_("Materials can only be requested before acceptance"))
        with transaction.atomic():
            save_versioned(case, version, values={"missing_materials": missing})
            workflow.record_event(case, actor=actor, note=_("One-time notice of all missing "
                                  "materials: %s") % "、".join(missing),
                                  data={"missing": missing, "today": today.isoformat()})
            audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                         changes={"missing_materials": [[], missing]})
        return case
    overall = workdays.add_working_days(today, setting("TOTAL_WORKING_DAYS_DELEGATED"
                                                      if delegated else "TOTAL_WORKING_DAYS"))
    due = min(clocks.investigation_due(today), overall)
    return move(actor, case, "accept", version=version, today=today,
                data={"related_to_staff": related_to_staff},
                changes={"accepted_on": today, "related_to_staff": related_to_staff,
                         "related_note": related_note[:200], "delegated": delegated,
                         "current_due": due})


def dibao_materials_supplied(*, actor, case: DibaoCase, version: int, today=None) -> DibaoCase:
    actor = as_actor(actor)
    require(actor, APPLY, case.area)
    if not case.missing_materials:
        raise ValidationFailed(_("No materials are missing"))
    with transaction.atomic():
        old = list(case.missing_materials)
        save_versioned(case, version, values={"missing_materials": []})
        workflow.record_event(case, actor=actor, note=_("Missing materials supplied"))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                     changes={"missing_materials": [old, []]})
    return case


def dibao_investigate(*, actor, case, version: int, investigators: list[str],
                      home_visit_note: str, today=None) -> DibaoCase:
    today = today_or(today)
    names = [n.strip() for n in investigators if n and n.strip()]
    return move(actor, case, "start_investigation", version=version, today=today,
                data={"investigators": names, "home_visit_note": home_visit_note},
                note=home_visit_note,
                changes={"investigation_started_on": case.investigation_started_on or today,
                         "investigators": names, "home_visit_note": home_visit_note,
                         "current_due": clocks.overall_due(case)})


def dibao_request_verification(*, actor, case, version: int, today=None) -> DibaoCase:
    today = today_or(today)
    return move(actor, case, "request_verification", version=version, today=today,
                changes={"verification_requested_on": today, "verification_started_on": None,
                         "current_due": clocks.step_due(case, clocks.verification_due(today))})


def dibao_start_verification(*, actor, case, version: int, today=None) -> DibaoCase:
    """Start the economic verification: the case moves on and the check runs against the
    registry extracts in the same transaction (its findings are listed on the case)."""
    from minsheng.assistance.services.verification import verification_run

    today = today_or(today)
    with transaction.atomic():
        case = move(actor, case, "start_verification", version=version, today=today,
                    changes={"verification_started_on": today,
                             "current_due": clocks.overall_due(case)})
        verification_run(actor=actor, cases=[case], label=case.reference)
    return case


def dibao_first_review(*, actor, case, version: int, opinion: str, today=None) -> DibaoCase:
    from minsheng.assistance.selectors import household_assessment

    today = today_or(today)
    result = household_assessment(case)
    return move(actor, case, "first_review", version=version, today=today, note=opinion,
                data={"opinion": opinion, "eligible": result.eligible,
                      "per_capita_income": str(result.per_capita_income),
                      "amount": str(result.amount), "reasons": result.reasons},
                changes={"first_review_on": today, "first_review_opinion": opinion,
                         "eligible": result.eligible,
                         "per_capita_income": result.per_capita_income,
                         "proposed_amount": result.amount,
                         "current_due": clocks.overall_due(case)})


def dibao_publish_notice(*, actor, case, version: int, today=None) -> DibaoCase:
    today = today_or(today)
    end = clocks.notice_end(today)
    return move(actor, case, "publish_notice", version=version, today=today,
                data={"round": case.notice_round + 1},
                changes={"notice_round": case.notice_round + 1, "notice_start": today,
                         "notice_end": end, "current_due": clocks.step_due(case, end)})


def dibao_objection(*, actor, case, version: int, objection: str, today=None) -> DibaoCase:
    today = today_or(today)
    return move(actor, case, "objection", version=version, today=today, note=objection,
                data={"objection": objection},
                changes={"current_due": clocks.overall_due(case), "notice_end": today,
                         "verification_requested_on": None, "verification_started_on": None})


def dibao_send_file(*, actor, case, version: int, today=None) -> DibaoCase:
    today = today_or(today)
    name = "send_file" if case.state == "notice" else "send_refusal_file"
    return move(actor, case, name, version=version, today=today,
                changes={"file_received_on": today,
                         "current_due": clocks.step_due(case, clocks.decision_due(today))})


def dibao_extend(*, actor, case, reason: str, version: int | None = None) -> DibaoCase:
    """Extend the whole procedure to the longer limit, with the reason on record."""
    actor = as_actor(actor)
    require(actor, APPLY, case.area)
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationFailed(_("Give the reason for the extension"), field="reason")
    if case.state not in DIBAO_OPEN_STATES or case.delegated or case.extension_reason:
        raise ValidationFailed(_("This case cannot be extended"))
    with transaction.atomic():
        limit = setting("TOTAL_WORKING_DAYS_EXTENDED")
        due = workdays.add_working_days(case.accepted_on, limit) if case.accepted_on else None
        current = case.current_due
        if current is not None and due is not None and current == clocks.overall_due(case):
            current = due  # the case was listed under the whole procedure's deadline
        save_versioned(case, version, values={"extension_reason": reason,
                                              "current_due": current})
        workflow.record_event(case, actor=actor, note=_("Time limit extended to %d working "
                              "days: %s") % (limit, reason))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                     changes={"extension_reason": ["", reason]})
    return case


def dibao_approver_visit(*, actor, case, note: str, version: int | None = None,
                         today=None) -> DibaoCase:
    """The approver's own home visit, required before deciding on a staff relative."""
    actor = as_actor(actor)
    require(actor, DECIDE, case.area)
    note = note.strip()
    if not note:
        raise ValidationFailed(_("Record what the visit found"), field="note")
    today = today_or(today)
    with transaction.atomic():
        save_versioned(case, version, values={"approver_visit_on": today,
                                              "approver_visit_note": note})
        workflow.record_event(case, actor=actor, note=_("Approver's home visit: %s") % note)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                     changes={"approver_visit_on": [None, today.isoformat()]})
    return case


def dibao_decide(*, actor, case, version: int, approve: bool, reasons: str = "",
                 today=None) -> DibaoCase:
    """The district's decision. Approval starts payment from the next month; a refusal
    starts the clock for the written reasons."""
    from minsheng.assistance.services.benefits import benefit_create

    today = today_or(today)
    with transaction.atomic():
        if approve:
            if not case.eligible or not case.proposed_amount:
                raise ValidationFailed(_("The first review found the household not "
                                         "eligible; it can only be refused"))
            case = move(actor, case, "approve", version=version, today=today,
                        changes={"decided_on": today, "decision": "approved",
                                 "current_due": None})
            benefit_create(actor=actor, case=case, today=today)
        else:
            case = move(actor, case, "refuse", version=version, today=today, note=reasons,
                        data={"reasons": reasons},
                        changes={"decided_on": today, "decision": "refused",
                                 "refusal_reasons": reasons,
                                 "current_due": clocks.refusal_notice_due(today)})
        DibaoMember.objects.filter(case=case).update(active=False)
    return case


def dibao_close(*, actor, case, version: int, name: str, note: str = "", today=None):
    """Withdraw or do not accept: the case closes and its members are free again."""
    if name not in ("withdraw", "not_accept"):
        raise ValidationFailed(_("Unknown action: %s") % name)
    if not note.strip():
        raise ValidationFailed(_("Give the reason"), field="note")
    with transaction.atomic():
        case = move(actor, case, name, version=version, note=note, today=today,
                    changes={"current_due": None})
        DibaoMember.objects.filter(case=case).update(active=False)
    return case


def dibao_refusal_notified(*, actor, case, version: int | None = None,
                           today=None) -> DibaoCase:
    actor = as_actor(actor)
    require(actor, DECIDE, case.area)
    if case.decision != "refused" or case.refusal_notified_on:
        raise ValidationFailed(_("No refusal notice is pending"))
    today = today_or(today)
    with transaction.atomic():
        save_versioned(case, version, values={"refusal_notified_on": today,
                                              "current_due": None})
        workflow.record_event(case, actor=actor, note=_("Written reasons sent to the "
                                                         "applicant"))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                     changes={"refusal_notified_on": [None, today.isoformat()]})
    return case


# ------------------------------------------------------------------- reminders / escalation
def dibao_clock_sweep(*, today=None) -> dict:
    """Reminders before a deadline (a timeline note, once per deadline) and a follow-up
    item after it (escalated yellow/red by casework). Set-based over open cases."""
    from minsheng.casework.models import CaseEvent
    from minsheng.casework.services import followup_open
    from minsheng.core.access import system_actor

    today = today_or(today)
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
        with transaction.atomic():
            workflow.record_event(case, actor=system, transition="reminder",
                                  note=_("Reminder: the current step is due on %s")
                                  % case.current_due,
                                  data={"due": case.current_due.isoformat()})
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
