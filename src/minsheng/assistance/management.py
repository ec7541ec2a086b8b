"""Dynamic management (re-review schedule, exits, fraud recovery, job-offer refusals,
spot checks) and monthly payments. Writes only, each audited."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance.config import setting
from minsheng.assistance.models import (
    BenefitMember,
    DibaoBenefit,
    DibaoCase,
    DibaoMember,
    FraudRecovery,
    JobOfferRefusal,
    PaymentLine,
    PaymentRoster,
    SpotCheckDraw,
    TekunCase,
    TekunPerson,
)
from minsheng.assistance.services import add_months, first_of_next_month, new_reference
from minsheng.assistance.workflows import APPLY, DIBAO_OPEN_STATES
from minsheng.casework import workflow
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area, AuditEntry
from minsheng.core.spreadsheets import write_xlsx

MANAGE = "assistance.manage"
PAY = "assistance.pay"

__all__ = ["add_months", "first_of_next_month"]


def subdistricts(actor):
    actor = as_actor(actor)
    return Area.objects.filter(level="subdistrict", id__in=actor.area_ids("assistance.view"))


def _today(today):
    return today or timezone.localdate()


# -------------------------------------------------------------------- re-review
def review_trigger(*, actor, benefit: DibaoBenefit, reason: str, today=None) -> DibaoBenefit:
    """A death or a registry change (new vehicle, employer, property): the review falls
    due within 3 months (earlier if it already was)."""
    actor = as_actor(actor)
    require(actor, APPLY, benefit.area)
    if not reason.strip():
        raise ValidationFailed(_("Give the event that triggers the review"), field="reason")
    due = add_months(_today(today), setting("REVIEW_MONTHS_TRIGGERED"))
    with transaction.atomic():
        old = benefit.next_review_due
        benefit.next_review_due = min(old, due)
        benefit.review_trigger = reason[:200]
        DibaoBenefit.objects.filter(pk=benefit.pk).update(
            next_review_due=benefit.next_review_due, review_trigger=benefit.review_trigger)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=benefit,
                     changes={"next_review_due": [old.isoformat(),
                                                  benefit.next_review_due.isoformat()]})
    return benefit


def reviews_open(*, actor, until: datetime.date, today=None) -> dict:
    """Open a re-review case (already accepted, verification requested) for every benefit
    due by `until` in the actor's scope, then run one batch verification over them."""
    from minsheng.assistance.verification import verification_run
    from minsheng.core import workdays

    actor = as_actor(actor)
    today = _today(today)
    open_reviews = DibaoCase.objects.filter(kind="review", state__in=DIBAO_OPEN_STATES
                                            ).values("benefit_id")
    due = list(DibaoBenefit.objects.filter(
        area_id__in=actor.area_ids(APPLY), next_review_due__lte=until).exclude(
        status="exited").exclude(pk__in=open_reviews).select_related("case", "area"))
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
                                  % benefit.next_review_due, to_state="verifying",
                                  transition="open_review")
            audit.record(actor, AuditEntry.Action.CREATE, obj=case)
        opened.append(case)
    run = verification_run(actor=actor, cases=opened, label=_("Re-review batch %s") % today
                           ) if opened else None
    return {"opened": len(opened), "run": run.pk if run else None,
            "discrepancies": run.summary.get("discrepancies", 0) if run else 0}


def benefit_exit(*, actor, benefit: DibaoBenefit, version: int, reason: str,
                 gradual: bool = False, today=None) -> DibaoBenefit:
    """End dibao with a reason and a written notice; with `gradual` (income from work above
    the standard) payment continues for up to the configured months."""
    actor = as_actor(actor)
    require(actor, MANAGE, benefit.area)
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the exit"), field="reason")
    today = _today(today)
    changes = {"exit_reason": reason.strip()[:300]}
    if gradual:
        changes.update(status="gradual_exit", gradual_exit_until=add_months(
            first_of_next_month(today), setting("GRADUAL_EXIT_MONTHS")) - datetime.timedelta(
            days=1))
    else:
        changes.update(status="exited", exited_on=today)
    with transaction.atomic():
        if not DibaoBenefit.objects.filter(pk=benefit.pk, version=version).exclude(
                status="exited").update(version=version + 1, **changes):
            raise Conflict(_("This benefit was changed or ended a moment ago; reload it"))
        old = benefit.status
        for k, v in changes.items():
            setattr(benefit, k, v)
        benefit.version = version + 1
        audit.record(actor, AuditEntry.Action.UPDATE, obj=benefit,
                     changes={"status": [old, benefit.status], "reason": [None, reason],
                              "notice": [None, _("Exit notice issued on %s") % today]})
    return benefit


def gradual_exits_close(*, today=None) -> int:
    """Benefits whose gradual-exit period has ended become exited (set-based)."""
    today = _today(today)
    return DibaoBenefit.objects.filter(status="gradual_exit",
                                       gradual_exit_until__lt=today).update(
        status="exited", exited_on=today)


def fraud_recovery_record(*, actor, benefit: DibaoBenefit, amount, fine_factor,
                          note: str = "", today=None) -> FraudRecovery:
    actor = as_actor(actor)
    require(actor, MANAGE, benefit.area)
    amount = Decimal(str(amount))
    factor = Decimal(str(fine_factor))
    low, high = setting("FRAUD_FINE_FACTORS")
    if amount <= 0:
        raise ValidationFailed(_("The amount obtained by fraud must be positive"),
                               field="amount")
    if not low <= factor <= high:
        raise ValidationFailed(_("The fine is %(low)s to %(high)s times the amount")
                               % {"low": low, "high": high}, field="fine_factor")
    with transaction.atomic():
        rec = FraudRecovery.objects.create(benefit=benefit, amount=amount, fine_factor=factor,
                                           fine=(amount * factor).quantize(Decimal("0.01")),
                                           decided_on=_today(today), note=note)
        audit.record(actor, AuditEntry.Action.CREATE, obj=rec,
                     changes={"amount": [None, str(amount)], "fine": [None, str(rec.fine)]})
    return rec


def job_offer_refusal_record(*, actor, member: BenefitMember, job: str,
                             today=None) -> BenefitMember:
    """Record a refused suitable job; at the third refusal the member's share is removed
    from the household's amount."""
    actor = as_actor(actor)
    benefit = member.benefit
    require(actor, APPLY, benefit.area)
    today = _today(today)
    with transaction.atomic():
        JobOfferRefusal.objects.create(member=member, offered_on=today, job=job[:200],
                                       recorded_by=actor.user if actor.is_authenticated
                                       else None)
        count = member.refusals.count()
        if count >= setting("JOB_OFFER_REFUSALS") and member.share_removed_on is None:
            updated = BenefitMember.objects.filter(pk=member.pk, share_removed_on=None).update(
                share_removed_on=today)
            if updated:
                member.share_removed_on = today
                old = benefit.monthly_amount
                benefit.monthly_amount = max(Decimal(0), old - member.share)
                DibaoBenefit.objects.filter(pk=benefit.pk).update(
                    monthly_amount=benefit.monthly_amount)
                audit.record(actor, AuditEntry.Action.UPDATE, obj=benefit,
                             changes={"monthly_amount": [str(old),
                                                         str(benefit.monthly_amount)],
                                      "reason": [None, "job_offer_refusals"]})
    return member


def spot_check_draw(*, actor, area: Area, start: datetime.date, end: datetime.date,
                    seed: int | None = None) -> SpotCheckDraw:
    """Draw at least the configured share (30%) of new extreme-poverty recognitions in the
    period for a district re-check. The seed and population are stored: the same seed and
    population always give the same draw."""
    actor = as_actor(actor)
    require(actor, MANAGE, area)
    population = list(TekunCase.objects.filter(
        state="approved", decided_on__gte=start, decided_on__lte=end,
        area__path__startswith=area.path).order_by("pk").values_list("pk", flat=True))
    seed = secrets.randbits(48) if seed is None else seed
    share = setting("SPOT_CHECK_SHARE")
    drawn = draw(population, seed, share)
    with transaction.atomic():
        record = SpotCheckDraw.objects.create(area=area, seed=seed, share=share,
                                              population=population, drawn=drawn,
                                              period_start=start, period_end=end,
                                              drawn_by=actor.user if actor.is_authenticated
                                              else None)
        audit.record(actor, AuditEntry.Action.CREATE, obj=record,
                     changes={"drawn": [None, len(drawn)], "seed": [None, seed]})
    return record


def draw(population: list[int], seed: int, share: float) -> list[int]:
    import math

    if not population:
        return []
    k = max(1, math.ceil(len(population) * share))
    rng = np.random.default_rng(seed)
    return sorted(int(x) for x in rng.choice(np.array(population), size=k, replace=False))


# -------------------------------------------------------------------- payments
def roster_create(*, actor, area: Area, month: datetime.date) -> PaymentRoster:
    """The month's payment roster for a subdistrict: active dibao households and tekun
    persons whose payment has started; deceased or moved-out payees and exited benefits
    are left out and listed with the reason (checked against the registry now)."""
    actor = as_actor(actor)
    require(actor, PAY, area)
    month = month.replace(day=1)
    month_end = first_of_next_month(month) - datetime.timedelta(days=1)
    in_area = Q(area__path__startswith=area.path + "/") | Q(area=area)
    benefits = DibaoBenefit.objects.filter(in_area, start_month__lte=month).filter(
        Q(status="active") | Q(status="gradual_exit", gradual_exit_until__gte=month)
        | Q(status="exited", exited_on__gt=month_end)).select_related("payee")
    tekun = TekunPerson.objects.filter(in_area, start_month__lte=month, status="active"
                                       ).select_related("person")
    lines, excluded = [], []
    for b in benefits:
        if b.payee.status != "living":
            excluded.append({"programme": "dibao", "benefit": b.pk, "name": b.payee.name,
                             "reason": b.payee.get_status_display()})
        elif b.monthly_amount > 0:
            lines.append(PaymentLine(programme="dibao", benefit_id=b.pk, payee=b.payee,
                                     account=b.bank_account, amount=b.monthly_amount))
    for t in tekun:
        if t.person.status != "living":
            excluded.append({"programme": "tekun", "benefit": t.pk, "name": t.person.name,
                             "reason": t.person.get_status_display()})
        else:
            lines.append(PaymentLine(programme="tekun", benefit_id=t.pk, payee=t.person,
                                     account="", amount=t.monthly_amount))
    try:
        with transaction.atomic():
            roster = PaymentRoster.objects.create(area=area, month=month, excluded=excluded,
                                                  lines_count=len(lines),
                                                  total=sum((x.amount for x in lines),
                                                            Decimal(0)))
            for line in lines:
                line.roster = roster
            PaymentLine.objects.bulk_create(lines)
            audit.record(actor, AuditEntry.Action.CREATE, obj=roster,
                         object_repr=f"{area.name} {month:%Y-%m}",
                         changes={"lines": [0, len(lines)], "excluded": [0, len(excluded)]})
    except IntegrityError:
        raise Conflict(_("The roster for this month already exists")) from None
    return roster


def roster_write_xlsx(*, actor, roster: PaymentRoster, target) -> None:
    """Bank layout: name, masked ID, account, amount."""
    actor = as_actor(actor)
    require(actor, PAY, roster.area)
    lines = roster.lines.select_related("payee")
    header = [_("Name"), _("Resident ID number"), _("Bank account"), _("Amount")]
    rows = ([line.payee.name, mask(line.payee.id_number), line.account, float(line.amount)]
            for line in lines.iterator(chunk_size=2000))
    write_xlsx(target, [(f"{roster.month:%Y-%m}", header, rows)])
    audit.record(actor, AuditEntry.Action.EXPORT, obj=roster,
                 object_repr=f"roster {roster.area.name} {roster.month:%Y-%m}")


def payment_returned(*, actor, line: PaymentLine, reason: str) -> PaymentLine:
    """Reconcile a payment the bank returned (closed account, deceased, ...)."""
    actor = as_actor(actor)
    require(actor, PAY, line.roster.area)
    if not reason.strip():
        raise ValidationFailed(_("Give the bank's reason"), field="reason")
    with transaction.atomic():
        if not PaymentLine.objects.filter(pk=line.pk).exclude(status="returned").update(
                status="returned", return_reason=reason[:200]):
            raise Conflict(_("This payment is already marked as returned"))
        line.status, line.return_reason = "returned", reason[:200]
        audit.record(actor, AuditEntry.Action.UPDATE, obj=line,
                     changes={"status": ["pending", "returned"]})
    return line
