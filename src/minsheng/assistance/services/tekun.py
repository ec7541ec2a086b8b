"""Extreme-poverty (tekun) support (TKRD): recognition through the TEKUN workflow, then the
person's support record (TEKUN_SUPPORT workflow) with its self-care assessments."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import AdlAssessment, TekunCase, TekunPerson
from minsheng.assistance.permissions import APPLY, MANAGE
from minsheng.assistance.services import clocks
from minsheng.assistance.services.moves import move, today_or
from minsheng.assistance.services.references import new_reference
from minsheng.core import audit, dates
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Person

SUPPORT_MODES = ("home", "centralised")


def tekun_apply(*, actor, person: Person, disability_kind: str = "", disability_grade=None,
                monthly_income=0, has_able_supporter: bool = False, in_school: bool = False,
                support_mode: str = "home", today=None) -> TekunCase:
    actor = as_actor(actor)
    require(actor, APPLY, person.residence_area)
    today = today_or(today)
    if eligibility.money(monthly_income) < 0:
        raise ValidationFailed(_("Income cannot be negative"), field="monthly_income")
    if support_mode not in SUPPORT_MODES:
        raise ValidationFailed(_("Choose centralised or home support"), field="support_mode")
    if TekunPerson.objects.filter(person=person, state="active").exists() or \
            TekunCase.objects.filter(person=person, closed_at=None).exists():
        raise ValidationFailed(_("This person already has an open case or receives support"),
                               field="id_number")
    recognition = eligibility.tekun_recognition(
        person.birth_date, disability_kind=disability_kind, disability_grade=disability_grade,
        monthly_income=monthly_income, has_able_supporter=has_able_supporter, today=today)
    with transaction.atomic():
        case = TekunCase.objects.create(
            reference=new_reference("TK"), person=person, area=person.residence_area,
            state=TekunCase.workflow.initial, disability_kind=disability_kind,
            disability_grade=disability_grade, monthly_income=monthly_income,
            has_able_supporter=has_able_supporter, in_school=in_school,
            support_mode=support_mode, accepted_on=today, recognition=recognition,
            current_due=clocks.tekun_investigation_due(today))
        audit.record(actor, AuditEntry.Action.CREATE, obj=case)
    return case


def tekun_step(*, actor, case: TekunCase, name: str, version: int | None = None,
               today=None) -> TekunCase:
    today = today_or(today)
    changes = {}
    if name == "investigate":
        # the investigation is recorded whatever it finds; an applicant who does not meet
        # the conditions is then refused by the district with reasons
        changes = {"investigated_on": today}
    elif name == "publish_notice":
        if not case.recognition.get("recognised"):
            raise ValidationFailed(_("The recognition conditions are not met; refuse instead"))
        end = clocks.tekun_notice_end(today)
        changes = {"notice_start": today, "notice_end": end, "current_due": end}
    elif name == "send_file":
        changes = {"file_received_on": today,
                   "current_due": clocks.tekun_decision_due(today)}
    elif name in ("approve", "refuse"):
        changes = {"decided_on": today, "current_due": None}
    with transaction.atomic():
        move(actor, case, name, version=version, today=today, changes=changes)
        if name == "approve":
            _support_create(actor, case, today)
    return case


def _support_create(actor, case: TekunCase, today) -> TekunPerson:
    person = case.person
    until = None
    age = case.recognition.get("age", 99)
    if age < setting("TEKUN_MINOR_AGE"):
        until = person.birth_date.replace(year=person.birth_date.year
                                          + setting("TEKUN_SUPPORT_TO_AGE"))
    start = dates.next_month_start(today)
    support = TekunPerson.objects.create(
        person=person, area=case.area, case=case, support_mode=case.support_mode,
        monthly_amount=eligibility.standard() * Decimal(str(setting("TEKUN_AMOUNT_MULTIPLE"))),
        start_month=start, support_until=until,
        next_review_due=dates.add_months(start, setting("REVIEW_MONTHS_STABLE")))
    audit.record(actor, AuditEntry.Action.CREATE, obj=support,
                 changes={"monthly_amount": [None, str(support.monthly_amount)]})
    return support


def tekun_support_end(*, actor, support: TekunPerson, version: int, reason: str,
                      today=None) -> TekunPerson:
    """End a person's support (death, moving away, a change found at review)."""
    actor = as_actor(actor)
    require(actor, MANAGE, support.area)
    reason = reason.strip()[:200]
    if not reason:
        raise ValidationFailed(_("Give the reason"), field="reason")
    today = today_or(today)
    return move(actor, support, "end", version=version, today=today, note=reason,
                data={"reason": reason},
                changes={"ended_on": today, "end_reason": reason})


def tekun_support_end_check(*, actor=None, today=None) -> int:
    """Minors who reached the age limit and are not in school leave support (the daily
    sweep): selected in one query, each moved through the workflow (timeline and audit
    row per person)."""
    actor = as_actor(actor) if actor is not None else system_actor()
    today = today_or(today)
    ended = 0
    for support in (TekunPerson.objects.filter(state="active", support_until__lt=today,
                                               case__in_school=False)
                    .select_related("case", "area").order_by("pk")):
        with transaction.atomic():
            move(actor, support, "age_limit", today=today,
                 changes={"ended_on": today, "end_reason": _("Reached the age limit")})
        ended += 1
    return ended


def adl_assess(*, actor, tekun: TekunPerson, failed: list[str], version: int | None = None,
               today=None) -> AdlAssessment:
    """A self-care assessment on the six activities; it sets the person's care level."""
    actor = as_actor(actor)
    require(actor, APPLY, tekun.area)
    if tekun.state != "active":
        raise ValidationFailed(_("Support has ended"))
    today = today_or(today)
    level = eligibility.adl_level(failed)
    with transaction.atomic():
        old = tekun.care_level
        save_versioned(tekun, version, values={"care_level": level, "reassess_due": None})
        a = AdlAssessment.objects.create(person=tekun.person, tekun=tekun, assessed_on=today,
                                         failed=sorted(set(failed)), care_level=level,
                                         assessor=actor.user if actor.is_authenticated
                                         else None)
        audit.record(actor, AuditEntry.Action.CREATE, obj=a,
                     changes={"care_level": [old, level]})
    return a


def tekun_change_reported(*, actor, tekun: TekunPerson, note: str, version: int | None = None,
                          today=None) -> TekunPerson:
    """A reported change in condition: the reassessment falls due within the configured
    working days."""
    actor = as_actor(actor)
    require(actor, APPLY, tekun.area)
    note = note.strip()[:500]
    if not note:
        raise ValidationFailed(_("Describe the change"), field="note")
    if tekun.state != "active":
        raise ValidationFailed(_("Support has ended"))
    due = clocks.tekun_reassess_due(today_or(today))
    with transaction.atomic():
        save_versioned(tekun, version, values={"reassess_due": due})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=tekun,
                     changes={"reassess_due": [None, due.isoformat()], "note": [None, note]})
    return tekun
