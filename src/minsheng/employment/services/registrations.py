"""Unemployment registration, unemployment insurance benefit, placements and training.
Registrations and benefits change state only through their workflows
(`employment.workflows.REGISTRATION` / `BENEFIT`)."""

from __future__ import annotations

import datetime
import decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, scoped
from minsheng.core.dates import add_months
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.employment.config import setting
from minsheng.employment.models import (
    BenefitClaim,
    Employment,
    JobPosting,
    JobSeeker,
    Placement,
    Recommendation,
    TrainingEnrolment,
    UnemploymentRegistration,
)
from minsheng.employment.permissions import MANAGE
from minsheng.employment.services.seekers import seeker_set

A = AuditEntry.Action
OPEN = UnemploymentRegistration.State.OPEN


def registration_open(*, actor, seeker: JobSeeker, registered_on: datetime.date,
                      separation_reason: str = "", contribution_years=0
                      ) -> UnemploymentRegistration:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    if registered_on > timezone.localdate():
        raise ValidationFailed(_("Registration date cannot be in the future"),
                               field="registered_on")
    if UnemploymentRegistration.objects.filter(seeker=seeker, state=OPEN).exists():
        raise Conflict(_("This person is already registered as unemployed"))
    try:
        years = decimal.Decimal(str(contribution_years))
    except decimal.InvalidOperation:
        raise ValidationFailed(_("Contribution years must be a number"),
                               field="contribution_years") from None
    if not years.is_finite() or years < 0 or years > 60:
        raise ValidationFailed(_("Contribution years out of range"), field="contribution_years")
    try:
        with transaction.atomic():
            reg = UnemploymentRegistration.objects.create(
                seeker=seeker, area=seeker.area, registered_on=registered_on,
                separation_reason=(separation_reason or "")[:20], contribution_years=years,
                state=UnemploymentRegistration.workflow.initial)
            if seeker.status != JobSeeker.Status.UNEMPLOYED:
                seeker_set(seeker, status=JobSeeker.Status.UNEMPLOYED)
            audit.record(actor, A.CREATE, obj=reg, object_repr=f"registration {seeker}")
    except IntegrityError:
        raise Conflict(_("This person is already registered as unemployed")) from None
    return reg


def _end_benefits(actor, registration, on: datetime.date, reason: str) -> None:
    for claim in BenefitClaim.objects.filter(registration=registration,
                                             state=BenefitClaim.State.PAYING):
        transition(actor=actor, case=claim, name="end", note=reason,
                   changes={"end_date": min(on, claim.end_date), "stop_reason": reason[:200]})


def registration_close(*, actor, registration: UnemploymentRegistration,
                       closed_on: datetime.date, reason: str, version: int | None = None,
                       note: str = "") -> UnemploymentRegistration:
    """Close a registration (found work, moved away, ...): a benefit being paid ends the
    same day."""
    actor = as_actor(actor)
    with transaction.atomic():
        label = dict(UnemploymentRegistration.CloseReason.choices).get(reason, "")
        transition(actor=actor, case=registration, name="close", version=version,
                   note=(note or "").strip()[:300] or str(label),
                   changes={"closed_on": closed_on, "close_reason": reason},
                   data={"closed_on": closed_on.isoformat(), "reason": reason})
        _end_benefits(actor, registration, closed_on, _("Registration closed"))
    return registration


def benefit_assess(registration: UnemploymentRegistration) -> dict:
    """Eligibility, duration and monthly amount of unemployment insurance benefit."""
    problems = []
    years = float(registration.contribution_years)
    if years < setting("BENEFIT_MIN_CONTRIBUTION_YEARS"):
        problems.append(_("Less than one year of unemployment insurance contributions"))
    if registration.separation_reason not in setting("INVOLUNTARY_SEPARATIONS"):
        problems.append(_("Separation was not involuntary"))
    if registration.state != OPEN:
        problems.append(_("Not currently registered as unemployed"))
    months = 0
    for from_years, m in setting("BENEFIT_DURATION_MONTHS"):
        if years >= from_years:
            months = m
    amount = (decimal.Decimal(str(setting("MINIMUM_WAGE_MONTHLY")))
              * decimal.Decimal(str(setting("BENEFIT_SHARE_OF_MINIMUM_WAGE")))).quantize(
        decimal.Decimal("0.01"))
    return {"eligible": not problems, "problems": [str(p) for p in problems],
            "months": months if not problems else 0, "monthly_amount": amount,
            "basis": "社会保险法第45-47条；失业保险条例第14、17条"}


def benefit_grant(*, actor, registration: UnemploymentRegistration,
                  start_date: datetime.date) -> BenefitClaim:
    actor = as_actor(actor)
    require(actor, MANAGE, registration.area)
    result = benefit_assess(registration)
    if not result["eligible"]:
        raise ValidationFailed(_("Not eligible for unemployment benefit: %(why)s")
                               % {"why": "；".join(result["problems"])},
                               details={"problems": result["problems"]})
    if start_date < registration.registered_on:
        raise ValidationFailed(_("The benefit cannot start before the registration"),
                               field="start_date")
    if BenefitClaim.objects.filter(registration=registration,
                                   state=BenefitClaim.State.PAYING).exists():
        raise Conflict(_("Benefit is already being paid for this registration"))
    with transaction.atomic():
        claim = BenefitClaim.objects.create(
            registration=registration, seeker_id=registration.seeker_id,
            area=registration.area, start_date=start_date, months=result["months"],
            monthly_amount=result["monthly_amount"], state=BenefitClaim.workflow.initial,
            end_date=add_months(start_date, result["months"]), rule_basis=result["basis"])
        audit.record(actor, A.CREATE, obj=claim, object_repr=f"benefit {registration.seeker}",
                     changes={"months": [None, claim.months],
                              "monthly_amount": [None, str(claim.monthly_amount)]})
    return claim


def benefit_stop(*, actor, claim: BenefitClaim, reason: str, stopped_on: datetime.date,
                 refused_offer: bool = False, version: int | None = None) -> BenefitClaim:
    """Stop a benefit, e.g. when the person refused suitable work or training without a
    proper reason (失业保险条例 art. 15)."""
    actor = as_actor(actor)
    reason = (reason or "").strip()[:200]
    return transition(actor=actor, case=claim, name="stop", version=version, note=reason,
                      changes={"stop_reason": reason,
                               "end_date": min(stopped_on, claim.end_date)},
                      data={"note": reason, "stopped_on": stopped_on.isoformat(),
                            "refused_offer": bool(refused_offer)})


def placement_record(*, actor, seeker: JobSeeker, employer: Organization,
                     placed_on: datetime.date, posting: JobPosting | None = None,
                     source: str = "caseworker", insured: bool = True) -> Placement:
    """A hire: closes the open registration (and the benefit being paid), records the
    employment spell and marks the recommendation that led to it."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    if placed_on > timezone.localdate():
        raise ValidationFailed(_("A placement cannot be in the future"), field="placed_on")
    if Placement.objects.filter(seeker=seeker, employer=employer, placed_on=placed_on).exists():
        raise Conflict(_("This placement is already recorded"))
    groups = set(seeker.key_groups)
    with transaction.atomic():
        placement = Placement.objects.create(
            seeker=seeker, employer=employer, posting=posting, area=seeker.area,
            placed_on=placed_on, source=source, difficulty=seeker.difficulty,
            graduate="graduate" in groups)
        was_employed = Employment.objects.filter(person_id=seeker.person_id,
                                                 end_date=None).exists()
        if source == Placement.Source.CASEWORKER:
            Employment.objects.create(
                person_id=seeker.person_id, employer=employer, residence_area=seeker.area,
                workplace_area=employer.area, start_date=placed_on, insured=insured,
                start_kind="transfer" if was_employed else "new",
                occupation_code=posting.occupation_code if posting else "")
        for reg in UnemploymentRegistration.objects.filter(seeker=seeker, state=OPEN):
            transition(actor=actor, case=reg, name="close",
                       note=str(UnemploymentRegistration.CloseReason.EMPLOYED.label),
                       changes={"closed_on": max(placed_on, reg.registered_on),
                                "close_reason": UnemploymentRegistration.CloseReason.EMPLOYED},
                       data={"closed_on": max(placed_on, reg.registered_on).isoformat(),
                             "reason": "employed"})
            _end_benefits(actor, reg, placed_on, _("Found employment"))
        if seeker.status != JobSeeker.Status.EMPLOYED:
            seeker_set(seeker, status=JobSeeker.Status.EMPLOYED)
        if posting is not None:
            Recommendation.objects.filter(seeker=seeker, posting=posting).update(
                status=Recommendation.Status.HIRED)
        audit.record(actor, A.CREATE, obj=placement, object_repr=f"placement {seeker}")
    return placement


def placements_confirm_from_insurance(*, actor, today: datetime.date | None = None) -> int:
    """Registered unemployed people in the actor's area who appear insured by an employer
    from their registration date on become placements (source: social insurance); their
    registration closes. Returns the number of placements recorded."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    today = today or timezone.localdate()
    registrations = scoped(UnemploymentRegistration.objects.filter(state=OPEN), actor, MANAGE)
    rows = list(Employment.objects.filter(
        person__job_seeker__registrations__in=registrations, insured=True, end_date=None,
        start_date__gte=F("person__job_seeker__registrations__registered_on"),
        start_date__lte=today).order_by("person_id", "start_date", "id")
        .values_list("person__job_seeker", "employer_id", "start_date"))
    first = {}
    for seeker_id, employer_id, start in rows:  # the first new job after registering
        first.setdefault(seeker_id, (employer_id, start))
    seekers = JobSeeker.objects.select_related("area").in_bulk(list(first))
    employers = Organization.objects.select_related("area").in_bulk(
        [e for e, _start in first.values()])
    count = 0
    for seeker_id, (employer_id, start) in first.items():
        try:
            placement_record(actor=actor, seeker=seekers[seeker_id],
                             employer=employers[employer_id], placed_on=start,
                             source=Placement.Source.INSURANCE)
        except Conflict:
            continue
        count += 1
    return count


def training_enrol(*, actor, seeker: JobSeeker, course: str, start_date: datetime.date,
                   provider: str = "", end_date: datetime.date | None = None
                   ) -> TrainingEnrolment:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    if not (course or "").strip():
        raise ValidationFailed(_("Give the course"), field="course")
    if end_date and end_date < start_date:
        raise ValidationFailed(_("The course ends before it starts"), field="end_date")
    with transaction.atomic():
        t = TrainingEnrolment.objects.create(seeker=seeker, course=course.strip()[:200],
                                             provider=(provider or "").strip()[:200],
                                             start_date=start_date, end_date=end_date)
        audit.record(actor, A.CREATE, obj=t, object_repr=f"training {seeker}")
    return t
