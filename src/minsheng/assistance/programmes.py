"""Temporary assistance and extreme-poverty (tekun) support: services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import AdlAssessment, TekunCase, TekunPerson, TemporaryGrant
from minsheng.assistance.services import add_months, first_of_next_month, new_reference
from minsheng.assistance.workflows import APPLY, DECIDE
from minsheng.casework import workflow
from minsheng.core import audit, workdays
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, HouseholdMember, Person


def _today(today):
    return today or timezone.localdate()


def _move(actor, case, name, *, today, data=None, changes=None, note=""):
    data = dict(data or {})
    data["today"] = today.isoformat()
    return workflow.transition(actor=actor, case=case, name=name, data=data,
                               changes=changes, note=note)


# ------------------------------------------------------------- temporary assistance
def temporary_limit_level(amount: Decimal) -> str:
    std = eligibility.standard()
    if amount <= std * setting("TEMPORARY_SUBDISTRICT_MAX_MONTHS"):
        return "subdistrict"
    if amount <= std * setting("TEMPORARY_DISTRICT_MAX_MONTHS"):
        return "district"
    raise ValidationFailed(_("The amount exceeds the limit of %(n)s months of the dibao "
                             "standard (%(max)s)") % {
        "n": setting("TEMPORARY_DISTRICT_MAX_MONTHS"),
        "max": std * setting("TEMPORARY_DISTRICT_MAX_MONTHS")}, field="amount")


def temporary_apply(*, actor, kind: str, applicant: Person, cause: str, amount,
                    description: str = "", per_capita_income=None, override_reason: str = "",
                    idempotency_key: str = "", today=None) -> TemporaryGrant:
    """Register a temporary-assistance case. Emergency grants can then be paid at once
    (help first) with the checks left as open obligations."""
    actor = as_actor(actor)
    today = _today(today)
    key = idempotency_key.strip()[:64] or None
    if key and (found := TemporaryGrant.objects.filter(idempotency_key=key).first()):
        return found
    membership = HouseholdMember.objects.filter(person=applicant).select_related(
        "household__area").first()
    if membership is None:
        raise ValidationFailed(_("The applicant is not registered in a household"))
    household = membership.household
    require(actor, APPLY, household.area)
    if kind not in TemporaryGrant.Kind.values:
        raise ValidationFailed(_("Unknown type"), field="kind")
    amount = eligibility.money(amount)
    if amount <= 0:
        raise ValidationFailed(_("The amount must be positive"), field="amount")
    level = temporary_limit_level(amount)
    if not cause.strip():
        raise ValidationFailed(_("Give the cause"), field="cause")
    if kind == "expenditure":
        if per_capita_income is None:
            raise ValidationFailed(_("The expenditure type needs the per-capita income"),
                                   field="per_capita_income")
        pci = eligibility.money(per_capita_income)
        if pci < 0:
            raise ValidationFailed(_("Income cannot be negative"), field="per_capita_income")
        if pci >= setting("LAST_YEAR_AVERAGE_MONTHLY_INCOME"):
            raise ValidationFailed(_("Per-capita income is not below last year's local "
                                     "average"), field="per_capita_income")
    year_start = today.replace(month=1, day=1)
    repeat = TemporaryGrant.objects.filter(household=household, cause=cause.strip(),
                                           accepted_on__gte=year_start).exclude(
        state="refused").exists()
    if repeat and not override_reason.strip():
        raise ValidationFailed(_("This household already had a grant for this cause this year;"
                                 " give a reason to override"), field="override_reason")
    obligations = ([str(_("Household economic check")), str(_("Signed application")),
                    str(_("Supporting documents"))] if kind == "emergency" else [])
    try:
        with transaction.atomic():
            grant = TemporaryGrant.objects.create(
                reference=new_reference("LS"), kind=kind, household=household,
                applicant=applicant, area=household.area, state="applied",
                cause=cause.strip()[:40], description=description, amount=amount,
                approval_level=level, per_capita_income=per_capita_income,
                override_reason=override_reason[:300], obligations=obligations,
                accepted_on=today, idempotency_key=key)
            audit.record(actor, AuditEntry.Action.CREATE, obj=grant)
    except IntegrityError:
        return TemporaryGrant.objects.get(idempotency_key=key)
    return grant


def temporary_due(grant: TemporaryGrant) -> datetime.date:
    return workdays.add_working_days(grant.accepted_on, setting("TEMPORARY_TOTAL_WORKING_DAYS"))


def temporary_grant_now(*, actor, grant, today=None) -> TemporaryGrant:
    from minsheng.casework.services import followup_open

    today = _today(today)
    if grant.kind != "emergency":
        raise ValidationFailed(_("Only emergency assistance is granted before the checks"))
    if grant.approval_level != "subdistrict":
        raise ValidationFailed(_("Above the subdistrict limit the district must approve"))
    with transaction.atomic():
        _move(actor, grant, "grant_emergency", today=today, changes={"decided_on": today})
        followup_open(actor=actor, kind="assistance.help_first", area=grant.area,
                      department=None, title=_("Complete the paperwork of emergency grant "
                                               "%s") % grant.reference,
                      source_type="assistance.temporarygrant", source_id=grant.pk,
                      working_days=setting("TEMPORARY_EMERGENCY_PAPERWORK_WORKING_DAYS"),
                      today=today)
    return grant


def temporary_obligation_done(*, actor, grant, obligation: str) -> TemporaryGrant:
    actor = as_actor(actor)
    require(actor, APPLY, grant.area)
    if obligation not in grant.obligations:
        raise ValidationFailed(_("Not an open obligation"))
    with transaction.atomic():
        grant.obligations = [o for o in grant.obligations if o != obligation]
        TemporaryGrant.objects.filter(pk=grant.pk).update(obligations=grant.obligations)
        workflow.record_event(grant, actor=actor, note=_("Done: %s") % obligation)
    return grant


def temporary_complete(*, actor, grant, today=None) -> TemporaryGrant:
    from minsheng.casework.models import FollowUp
    from minsheng.casework.services import followup_close

    today = _today(today)
    with transaction.atomic():
        _move(actor, grant, "complete", today=today)
        for item in FollowUp.objects.filter(source_type="assistance.temporarygrant",
                                            source_id=str(grant.pk), state="open"):
            followup_close(actor=actor, followup=item, outcome=_("Paperwork completed"),
                           version=item.version)
    return grant


def temporary_investigate(*, actor, grant, today=None) -> TemporaryGrant:
    return _move(actor, grant, "investigate", today=_today(today))


def temporary_decide(*, actor, grant, approve: bool, note: str = "", today=None):
    """Expenditure type, after the investigation: approve at the level the amount needs
    (subdistrict up to its limit, district above)."""
    today = _today(today)
    if not approve:
        return _move(actor, grant, "refuse", today=today, note=note,
                     changes={"decided_on": today})
    name = "approve_subdistrict" if grant.approval_level == "subdistrict" else "approve"
    actor = as_actor(actor)
    if name == "approve_subdistrict" and actor.covers(DECIDE, grant.area):
        name = "approve"  # the district may also approve small grants
    return _move(actor, grant, name, today=today, note=note, changes={"decided_on": today})


# ------------------------------------------------------------- extreme-poverty support
def adl_level(failed: list[str]) -> str:
    unknown = set(failed) - set(AdlAssessment.ACTIVITIES)
    if unknown:
        raise ValidationFailed(_("Unknown activities: %s") % ", ".join(sorted(unknown)))
    n = len(set(failed))
    if n >= setting("ADL_FULLY_FROM"):
        return "fully_dependent"
    if n >= setting("ADL_PARTLY_FROM"):
        return "partly_dependent"
    return "self_care"


def tekun_recognition(person: Person, *, disability_kind: str, disability_grade,
                      monthly_income, has_able_supporter: bool, today) -> dict:
    age = (today - person.birth_date).days // 365
    grades = setting("TEKUN_DISABILITY").get(disability_kind, ())
    no_labour = (age >= setting("TEKUN_ELDER_AGE") or age < setting("TEKUN_MINOR_AGE")
                 or (disability_grade is not None and int(disability_grade) in grades))
    no_income = eligibility.money(monthly_income) < eligibility.standard()
    result = {"age": age, "no_labour_capacity": no_labour, "no_income": no_income,
              "no_supporter": not has_able_supporter}
    result["recognised"] = no_labour and no_income and not has_able_supporter
    return result


def tekun_apply(*, actor, person: Person, disability_kind: str = "", disability_grade=None,
                monthly_income=0, has_able_supporter: bool = False, in_school: bool = False,
                support_mode: str = "home", today=None) -> TekunCase:
    actor = as_actor(actor)
    require(actor, APPLY, person.residence_area)
    today = _today(today)
    if eligibility.money(monthly_income) < 0:
        raise ValidationFailed(_("Income cannot be negative"), field="monthly_income")
    if support_mode not in ("home", "centralised"):
        raise ValidationFailed(_("Choose centralised or home support"), field="support_mode")
    if TekunPerson.objects.filter(person=person, status="active").exists() or \
            TekunCase.objects.filter(person=person, closed_at=None).exists():
        raise ValidationFailed(_("This person already has an open case or receives support"))
    recognition = tekun_recognition(person, disability_kind=disability_kind,
                                    disability_grade=disability_grade,
                                    monthly_income=monthly_income,
                                    has_able_supporter=has_able_supporter, today=today)
    with transaction.atomic():
        case = TekunCase.objects.create(
            reference=new_reference("TK"), person=person, area=person.residence_area,
            state="accepted", disability_kind=disability_kind,
            disability_grade=disability_grade, monthly_income=monthly_income,
            has_able_supporter=has_able_supporter, in_school=in_school,
            support_mode=support_mode, accepted_on=today, recognition=recognition,
            current_due=workdays.add_working_days(today,
                                                  setting("TEKUN_INVESTIGATION_WORKING_DAYS")))
        audit.record(actor, AuditEntry.Action.CREATE, obj=case)
    return case


def tekun_step(*, actor, case: TekunCase, name: str, today=None) -> TekunCase:
    today = _today(today)
    changes = {}
    if name == "investigate":
        # the investigation is recorded whatever it finds; an applicant who does not meet
        # the conditions is then refused by the district with reasons
        changes = {"investigated_on": today}
    elif name == "publish_notice":
        if not case.recognition.get("recognised"):
            raise ValidationFailed(_("The recognition conditions are not met; refuse instead"))
        end = today + datetime.timedelta(days=setting("TEKUN_NOTICE_DAYS"))
        changes = {"notice_start": today, "notice_end": end, "current_due": end}
    elif name == "send_file":
        changes = {"file_received_on": today, "current_due": workdays.add_working_days(
            today, setting("TEKUN_DECISION_WORKING_DAYS"))}
    elif name in ("approve", "refuse"):
        changes = {"decided_on": today, "current_due": None}
    with transaction.atomic():
        _move(actor, case, name, today=today, changes=changes)
        if name == "approve":
            _tekun_person_create(case, today)
    return case


def _tekun_person_create(case: TekunCase, today) -> TekunPerson:
    person = case.person
    until = None
    age = case.recognition.get("age", 99)
    if age < setting("TEKUN_MINOR_AGE"):
        until = person.birth_date.replace(year=person.birth_date.year
                                          + setting("TEKUN_SUPPORT_TO_AGE"))
    start = first_of_next_month(today)
    return TekunPerson.objects.create(
        person=person, area=case.area, case=case, support_mode=case.support_mode,
        monthly_amount=eligibility.standard() * Decimal(str(setting("TEKUN_AMOUNT_MULTIPLE"))),
        start_month=start,
        support_until=until, next_review_due=add_months(start,
                                                        setting("REVIEW_MONTHS_STABLE")))


def tekun_support_end_check(*, today=None) -> int:
    """Minors reaching 18 leave support unless still in school (set-based)."""
    today = _today(today)
    return TekunPerson.objects.filter(status="active", support_until__lt=today,
                                      case__in_school=False).update(
        status="ended", ended_on=today, end_reason="reached the age limit")


def adl_assess(*, actor, tekun: TekunPerson, failed: list[str], today=None) -> AdlAssessment:
    actor = as_actor(actor)
    require(actor, APPLY, tekun.area)
    today = _today(today)
    level = adl_level(failed)
    with transaction.atomic():
        a = AdlAssessment.objects.create(person=tekun.person, tekun=tekun, assessed_on=today,
                                         failed=sorted(set(failed)), care_level=level,
                                         assessor=actor.user if actor.is_authenticated
                                         else None)
        TekunPerson.objects.filter(pk=tekun.pk).update(care_level=level, reassess_due=None)
        tekun.care_level, tekun.reassess_due = level, None
        audit.record(actor, AuditEntry.Action.CREATE, obj=a,
                     changes={"care_level": [None, level]})
    return a


def tekun_change_reported(*, actor, tekun: TekunPerson, note: str, today=None) -> TekunPerson:
    """A reported change in condition: reassessment due within 10 working days."""
    actor = as_actor(actor)
    require(actor, APPLY, tekun.area)
    if not note.strip():
        raise ValidationFailed(_("Describe the change"), field="note")
    due = workdays.add_working_days(_today(today), setting("TEKUN_REASSESS_WORKING_DAYS"))
    with transaction.atomic():
        TekunPerson.objects.filter(pk=tekun.pk).update(reassess_due=due)
        tekun.reassess_due = due
        audit.record(actor, AuditEntry.Action.UPDATE, obj=tekun,
                     changes={"reassess_due": [None, due.isoformat()], "note": [None, note]})
    return tekun
