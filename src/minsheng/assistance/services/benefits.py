"""A household's dibao benefit after approval (dynamic management, DBAC ch. 5): how it is
created, reviewed, reduced and ended. State changes go through the BENEFIT workflow."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import (
    BenefitMember,
    DibaoBenefit,
    DibaoCase,
    DibaoMember,
    FraudRecovery,
    JobOfferRefusal,
)
from minsheng.assistance.permissions import APPLY, MANAGE
from minsheng.assistance.services.moves import move, today_or
from minsheng.assistance.services.references import new_reference
from minsheng.assistance.workflows import DIBAO_OPEN_STATES
from minsheng.casework import workflow
from minsheng.core import audit, dates, workdays
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Person


def _working_age(person: Person, today: datetime.date) -> bool:
    low, high = setting("WORKING_AGE")
    age = (today - person.birth_date).days // 365
    return low <= age < high


def benefit_create(*, actor, case: DibaoCase, today: datetime.date) -> DibaoBenefit:
    """The benefit an approval starts, paid from the month after the decision. Called by
    `dibao_decide` inside its transaction (the approval already checked the permission).
    A re-review's approval replaces the household's current benefit from that month."""
    members = list(case.members.select_related("person"))
    working = any(_working_age(m.person, today) for m in members)
    irregular = any(eligibility.money(m.income.get("other", 0)) > 0
                    or eligibility.money(m.income.get("business", 0)) > 0 for m in members)
    months = (setting("REVIEW_MONTHS_WORKING_AGE") if working or irregular
              else setting("REVIEW_MONTHS_STABLE"))
    start = dates.next_month_start(today)
    if case.kind == DibaoCase.Kind.REVIEW and case.benefit_id:
        old = DibaoBenefit.objects.get(pk=case.benefit_id)
        if old.state != "exited":
            # the old benefit pays through this month, the new one from the next
            move(actor, old, "replace", today=today, note=case.reference,
                 changes={"exited_on": start, "exit_reason": _("Replaced after re-review")})
    benefit = DibaoBenefit.objects.create(
        household=case.household, area=case.area, case=case, payee=case.applicant,
        bank_account=case.bank_account, members=len(members),
        monthly_amount=case.proposed_amount, standard=eligibility.standard(),
        start_month=start, working_age=working, irregular_income=irregular,
        review_months=months, next_review_due=dates.add_months(start, months))
    share = (case.proposed_amount / len(members)).quantize(Decimal("0.01"))
    BenefitMember.objects.bulk_create([BenefitMember(benefit=benefit, person=m.person,
                                                     share=share) for m in members])
    audit.record(actor, AuditEntry.Action.CREATE, obj=benefit,
                 changes={"monthly_amount": [None, str(benefit.monthly_amount)],
                          "start_month": [None, start.isoformat()]})
    return benefit


# -------------------------------------------------------------------- re-review
def review_trigger(*, actor, benefit: DibaoBenefit, reason: str, version: int | None = None,
                   today=None) -> DibaoBenefit:
    """A death or a registry change (new vehicle, employer, property): the review falls
    due within the configured months (earlier if it already was)."""
    actor = as_actor(actor)
    require(actor, APPLY, benefit.area)
    reason = reason.strip()[:200]
    if not reason:
        raise ValidationFailed(_("Give the event that triggers the review"), field="reason")
    if benefit.state == "exited":
        raise ValidationFailed(_("This benefit has ended"))
    due = dates.add_months(today_or(today), setting("REVIEW_MONTHS_TRIGGERED"))
    with transaction.atomic():
        old = benefit.next_review_due
        save_versioned(benefit, version, values={"next_review_due": min(old, due),
                                                 "review_trigger": reason})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=benefit,
                     changes={"next_review_due": [old.isoformat(),
                                                  benefit.next_review_due.isoformat()],
                              "review_trigger": [None, reason]})
    return benefit


def reviews_open(*, actor, until: datetime.date, today=None) -> dict:
    """Open a re-review case (already accepted, verification requested) for every benefit
    due by `until` in the actor's scope, then run one batch verification over them."""
    from minsheng.assistance.services.verification import verification_run

    actor = as_actor(actor)
    require(actor, APPLY)
    today = today_or(today)
    open_reviews = DibaoCase.objects.filter(kind="review", state__in=DIBAO_OPEN_STATES
                                            ).values("benefit_id")
    due = list(DibaoBenefit.objects.filter(
        area_id__in=actor.area_ids(APPLY), next_review_due__lte=until).exclude(
        state="exited").exclude(pk__in=open_reviews).select_related("case", "area"))
    opened = []
    for benefit in due:
        busy = set(DibaoMember.objects.filter(active=True, person__in=benefit.benefit_members
                                              .values("person")).values_list("person_id",
                                                                             flat=True))
        with transaction.atomic():
            case = DibaoCase.objects.create(
                reference=new_reference("RV"), kind="review", benefit=benefit,
                household=benefit.household, applicant=benefit.payee, area=benefit.area,
                channel="office", state="verifying", accepted_on=today,
                bank_account=benefit.bank_account, investigators=[],
                verification_requested_on=today, verification_started_on=today,
                current_due=workdays.add_working_days(today, setting("TOTAL_WORKING_DAYS")))
            old = {m.person_id: m for m in DibaoMember.objects.filter(case=benefit.case)}
            DibaoMember.objects.bulk_create([
                DibaoMember(case=case, person_id=bm.person_id, authorised=True,
                            income=getattr(old.get(bm.person_id), "income", {}),
                            assets=getattr(old.get(bm.person_id), "assets", {}))
                for bm in benefit.benefit_members.filter(share_removed_on=None)
                if bm.person_id not in busy])
            workflow.record_event(case, actor=actor, note=_("Re-review opened (due %s)")
                                  % benefit.next_review_due, to_state="verifying")
            audit.record(actor, AuditEntry.Action.CREATE, obj=case)
        opened.append(case)
    run = verification_run(actor=actor, cases=opened, label=_("Re-review batch %s") % today
                           ) if opened else None
    return {"opened": len(opened), "run": run.pk if run else None,
            "discrepancies": run.summary.get("discrepancies", 0) if run else 0}


# -------------------------------------------------------------------- exits
def benefit_exit(*, actor, benefit: DibaoBenefit, version: int, reason: str,
                 gradual: bool = False, today=None) -> DibaoBenefit:
    """End dibao with a reason and a written notice; with `gradual` (income from work above
    the standard) payment continues for up to the configured months."""
    actor = as_actor(actor)
    require(actor, MANAGE, benefit.area)
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationFailed(_("Give the reason for the exit"), field="reason")
    today = today_or(today)
    notice = _("Exit notice issued on %s") % today
    if gradual:
        until = dates.add_months(dates.next_month_start(today),
                                 setting("GRADUAL_EXIT_MONTHS")) - datetime.timedelta(days=1)
        name, changes = "gradual_exit", {"exit_reason": reason, "gradual_exit_until": until}
    else:
        name, changes = "exit", {"exit_reason": reason, "exited_on": today}
        if benefit.gradual_exit_until and benefit.gradual_exit_until > today:
            changes["gradual_exit_until"] = today  # ended before the period ran out
    return move(actor, benefit, name, version=version, today=today,
                note=f"{reason} · {notice}", data={"reason": reason, "notice": notice},
                changes=changes)


def gradual_exits_close(*, actor=None, today=None) -> int:
    """Benefits whose gradual-exit period is over end (the daily sweep): selected in one
    query, each then moved through the workflow (timeline and audit row per household).
    The benefit counts as ended from the day after the period, whenever the sweep runs."""
    actor = as_actor(actor) if actor is not None else system_actor()
    today = today_or(today)
    ended = 0
    for benefit in DibaoBenefit.objects.filter(state="gradual_exit",
                                               gradual_exit_until__lt=today).order_by("pk"):
        with transaction.atomic():
            move(actor, benefit, "gradual_exit_end", today=today,
                 changes={"exited_on": benefit.gradual_exit_until
                          + datetime.timedelta(days=1)})
        ended += 1
    return ended


# -------------------------------------------------------------------- fraud and refusals
def fraud_recovery_record(*, actor, benefit: DibaoBenefit, amount, fine_factor,
                          note: str = "", today=None) -> FraudRecovery:
    """Recover dibao obtained by fraud, with a fine of the configured multiple (SAIM
    art. 68)."""
    actor = as_actor(actor)
    require(actor, MANAGE, benefit.area)
    amount = eligibility.money(amount)
    factor = Decimal(str(fine_factor))
    low, high = setting("FRAUD_FINE_FACTORS")
    if amount <= 0:
        raise ValidationFailed(_("The amount obtained by fraud must be positive"),
                               field="amount")
    if not factor.is_finite() or not low <= factor <= high:
        raise ValidationFailed(_("The fine is %(low)s to %(high)s times the amount")
                               % {"low": low, "high": high}, field="fine_factor")
    with transaction.atomic():
        rec = FraudRecovery.objects.create(benefit=benefit, amount=amount, fine_factor=factor,
                                           fine=(amount * factor).quantize(Decimal("0.01")),
                                           decided_on=today_or(today), note=note[:2000])
        audit.record(actor, AuditEntry.Action.CREATE, obj=rec,
                     changes={"benefit": [None, benefit.pk], "amount": [None, str(amount)],
                              "fine": [None, str(rec.fine)]})
    return rec


def job_offer_refusal_record(*, actor, member: BenefitMember, job: str,
                             today=None) -> BenefitMember:
    """Record a refused suitable job; at the configured number of refusals the member's
    share is removed from the household's amount (SAIM art. 45)."""
    actor = as_actor(actor)
    benefit = member.benefit
    require(actor, APPLY, benefit.area)
    job = job.strip()[:200]
    if not job:
        raise ValidationFailed(_("Name the job that was offered"), field="job")
    if benefit.state == "exited":
        raise ValidationFailed(_("This benefit has ended"))
    today = today_or(today)
    with transaction.atomic():
        refusal = JobOfferRefusal.objects.create(
            member=member, offered_on=today, job=job,
            recorded_by=actor.user if actor.is_authenticated else None)
        audit.record(actor, AuditEntry.Action.CREATE, obj=refusal,
                     changes={"benefit": [None, benefit.pk], "job": [None, job]})
        count = member.refusals.count()
        if count >= setting("JOB_OFFER_REFUSALS") and member.share_removed_on is None:
            updated = BenefitMember.objects.filter(pk=member.pk, share_removed_on=None).update(
                share_removed_on=today)
            if updated:
                member.share_removed_on = today
                old = benefit.monthly_amount
                save_versioned(benefit, None, values={
                    "monthly_amount": max(Decimal(0), old - member.share)})
                audit.record(actor, AuditEntry.Action.UPDATE, obj=benefit,
                             changes={"monthly_amount": [str(old),
                                                         str(benefit.monthly_amount)],
                                      "reason": [None, "job_offer_refusals"]})
    return member
