"""Every write of the employment module: permission, validation, transaction, audit."""

from __future__ import annotations

import datetime
import decimal
import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.identifiers import clean_id_number
from minsheng.core.models import AuditEntry, Organization, Person
from minsheng.employment import occupations
from minsheng.employment.config import setting
from minsheng.employment.models import (
    DIFFICULTY_GROUPS,
    KEY_GROUPS,
    BenefitClaim,
    Contact,
    Education,
    Employment,
    HeadcountReport,
    JobPosting,
    JobSeeker,
    Placement,
    Recommendation,
    Shift,
    TrainingEnrolment,
    UnemploymentRegistration,
)
from minsheng.employment.permissions import MANAGE, REPORT, REVIEW

A = AuditEntry.Action
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
SEEKER_FIELDS = ("status", "education", "major", "occupation_codes", "skills", "certificates",
                 "experience_years", "salary_min", "salary_max", "max_commute_minutes",
                 "shifts", "key_groups", "graduation_year", "summary")


def _words(values, field: str, limit: int = 30) -> list[str]:
    out = []
    for v in values or []:
        v = str(v).strip()[:40]
        if v and v not in out:
            out.append(v)
    if len(out) > limit:
        raise ValidationFailed(_("Too many entries"), field=field)
    return out


def _clean_seeker(data: dict) -> dict:
    clean = {}
    if "status" in data:
        if data["status"] not in JobSeeker.Status.values:
            raise ValidationFailed(_("Unknown status"), field="status")
        clean["status"] = data["status"]
    if "education" in data:
        if int(data["education"]) not in Education.values:
            raise ValidationFailed(_("Unknown education level"), field="education")
        clean["education"] = int(data["education"])
    if "occupation_codes" in data:
        clean["occupation_codes"] = occupations.clean_codes(data["occupation_codes"])[:5]
    for f in ("skills", "certificates"):
        if f in data:
            clean[f] = _words(data[f], f)
    if "shifts" in data:
        bad = set(data["shifts"] or []) - set(Shift.values)
        if bad:
            raise ValidationFailed(_("Unknown shift pattern"), field="shifts")
        clean["shifts"] = list(dict.fromkeys(data["shifts"] or []))
    if "key_groups" in data:
        bad = set(data["key_groups"] or []) - set(KEY_GROUPS)
        if bad:
            raise ValidationFailed(_("Unknown key group"), field="key_groups")
        clean["key_groups"] = list(dict.fromkeys(data["key_groups"] or []))
        clean["difficulty"] = bool(set(clean["key_groups"]) & set(DIFFICULTY_GROUPS))
    for f in ("experience_years", "salary_min", "salary_max", "max_commute_minutes",
              "graduation_year"):
        if f in data and data[f] is not None:
            value = int(data[f])
            if value < 0 or value > 1_000_000:
                raise ValidationFailed(_("Value out of range"), field=f)
            clean[f] = value
    for f, limit in (("major", 100), ("summary", 2000)):
        if f in data:
            clean[f] = str(data[f] or "").strip()[:limit]
    smin = clean.get("salary_min", data.get("_salary_min", 0))
    smax = clean.get("salary_max", data.get("_salary_max", 0))
    if smin and smax and smin > smax:
        raise ValidationFailed(_("Minimum salary is higher than maximum salary"),
                               field="salary_min")
    return clean


def seeker_create(*, actor, person: Person | None = None, id_number: str = "",
                  acceptable_areas=None, **data) -> JobSeeker:
    """Register a person as a job seeker. The person is found by resident ID number; a
    seeker without a valid ID cannot be registered."""
    actor = as_actor(actor)
    if person is None:
        number = clean_id_number(id_number)
        person = Person.objects.filter(id_number=number).first()
        if person is None:
            raise ValidationFailed(_("No resident with this ID number is in the registry"),
                                   field="id_number")
    else:
        clean_id_number(person.id_number)
    require(actor, MANAGE, person.residence_area)
    if JobSeeker.objects.filter(person=person).exists():
        raise Conflict(_("This person is already registered as a job seeker"))
    clean = _clean_seeker(data)
    try:
        with transaction.atomic():
            seeker = JobSeeker.objects.create(person=person, area=person.residence_area,
                                              **clean)
            if acceptable_areas:
                seeker.acceptable_areas.set(acceptable_areas)
            audit.record(actor, A.CREATE, obj=seeker,
                         changes={k: [None, audit._plain(v)] for k, v in clean.items()})
    except IntegrityError:
        raise Conflict(_("This person is already registered as a job seeker")) from None
    return seeker


def seeker_update(*, actor, seeker: JobSeeker, version: int, acceptable_areas=None,
                  **data) -> JobSeeker:
    """Change a seeker's profile (optimistic version); `acceptable_areas` None leaves the
    areas as they are."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    data.setdefault("_salary_min", seeker.salary_min)
    data.setdefault("_salary_max", seeker.salary_max)
    clean = _clean_seeker(data)
    before = audit.snapshot(seeker, clean)
    for k, v in clean.items():
        setattr(seeker, k, v)
    with transaction.atomic():
        save_versioned(seeker, version, list(clean) + ["updated_at"])
        changes = audit.diff(before, clean)
        if acceptable_areas is not None:
            old = sorted(seeker.acceptable_areas.values_list("code", flat=True))
            seeker.acceptable_areas.set(acceptable_areas)
            new = sorted(a.code for a in acceptable_areas)
            if old != new:
                changes["acceptable_areas"] = [old, new]
        audit.record(actor, A.UPDATE, obj=seeker, changes=changes)
    return seeker


def seeker_plan_update(*, actor, seeker: JobSeeker, plan: str, version: int) -> JobSeeker:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    before = seeker.plan
    seeker.plan = plan.strip()[:5000]
    if actor.is_authenticated and seeker.caseworker_id is None:
        seeker.caseworker = actor.user
    with transaction.atomic():
        save_versioned(seeker, version, ["plan", "caseworker", "updated_at"])
        audit.record(actor, A.UPDATE, obj=seeker, changes={"plan": [before, seeker.plan]})
    return seeker


def contact_record(*, actor, seeker: JobSeeker, contacted_on: datetime.date, channel: str,
                   note: str = "", outcome: str = "") -> Contact:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    if channel not in Contact.Channel.values:
        raise ValidationFailed(_("Unknown contact channel"), field="channel")
    if contacted_on > timezone.localdate():
        raise ValidationFailed(_("A contact cannot be in the future"), field="contacted_on")
    with transaction.atomic():
        contact = Contact.objects.create(seeker=seeker, contacted_on=contacted_on,
                                         channel=channel, note=note.strip()[:2000],
                                         outcome=outcome.strip()[:200],
                                         by=actor.user if actor.is_authenticated else None)
        if seeker.last_contact_on is None or contacted_on > seeker.last_contact_on:
            JobSeeker.objects.filter(pk=seeker.pk).update(last_contact_on=contacted_on)
            seeker.last_contact_on = contacted_on
        audit.record(actor, A.CREATE, obj=contact, object_repr=f"contact {seeker}")
    return contact


def contact_overdue(seeker: JobSeeker, today: datetime.date | None = None) -> bool:
    """The minimum-contact rule: an employment-difficulty person is contacted at least
    every DIFFICULTY_MIN_CONTACT_DAYS."""
    if not seeker.difficulty or seeker.status in ("employed", "inactive"):
        return False
    today = today or timezone.localdate()
    last = seeker.last_contact_on or seeker.created_at.date()
    return (today - last).days > setting("DIFFICULTY_MIN_CONTACT_DAYS")


# --- postings --------------------------------------------------------------------------

def fraud_flags(*texts: str) -> list[str]:
    """Wording that suggests fees, deposits or 'training loan' traps, and markup."""
    text = " ".join(t or "" for t in texts)
    flags = [f"fee:{p}" for p in setting("FRAUD_PATTERNS") if p in text]
    if HTML.search(text):
        flags.append("markup")
    if re.search(r"(日结|月入)\s*[过上]?\s*[1-9]\d*\s*万", text):
        flags.append("unrealistic_pay")
    return flags


def _clean_posting(data: dict, today: datetime.date) -> dict:
    clean = dict(data)
    clean["occupation_code"] = occupations.clean_code(data.get("occupation_code", ""))
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationFailed(_("A posting needs a title"), field="title")
    if len(title) > 100:
        raise ValidationFailed(_("The title is too long (100 characters at most)"),
                               field="title")
    clean["title"] = title
    description = (data.get("description") or "").strip()
    if not description:
        raise ValidationFailed(_("A posting needs a description"), field="description")
    limit = setting("DESCRIPTION_MAX_CHARS")
    for f in ("description", "requirements"):
        if len(data.get(f) or "") > limit:
            raise ValidationFailed(_("The text is too long (%(n)s characters at most)")
                                   % {"n": limit}, field=f)
    clean["description"] = description
    clean["requirements"] = (data.get("requirements") or "").strip()
    smin, smax = int(data.get("salary_min") or 0), int(data.get("salary_max") or 0)
    if smin <= 0 or smax <= 0:
        raise ValidationFailed(_("Give the salary range"), field="salary_min")
    if smin > smax:
        raise ValidationFailed(_("Minimum salary is higher than maximum salary"),
                               field="salary_min")
    if smax > 500_000:
        raise ValidationFailed(_("Salary is not plausible"), field="salary_max")
    openings = int(data.get("openings") or 1)
    if not 1 <= openings <= 10_000:
        raise ValidationFailed(_("Openings must be between 1 and 10000"), field="openings")
    clean["openings"] = openings
    if data.get("shift", "day") not in Shift.values:
        raise ValidationFailed(_("Unknown shift pattern"), field="shift")
    valid_from = data.get("valid_from") or today
    valid_until = data.get("valid_until")
    if valid_until is None:
        raise ValidationFailed(_("Give the date until which the posting is valid"),
                               field="valid_until")
    if valid_until < today:
        raise ValidationFailed(_("The posting has already expired"), field="valid_until")
    if valid_until < valid_from:
        raise ValidationFailed(_("The posting ends before it starts"), field="valid_until")
    if (valid_until - valid_from).days > setting("POSTING_MAX_VALID_DAYS"):
        raise ValidationFailed(_("A posting may run for %(n)s days at most")
                               % {"n": setting("POSTING_MAX_VALID_DAYS")},
                               field="valid_until")
    clean["valid_from"], clean["valid_until"] = valid_from, valid_until
    clean["skills"] = _words(data.get("skills"), "skills")
    if int(data.get("education_min") or 0) not in Education.values:
        raise ValidationFailed(_("Unknown education level"), field="education_min")
    clean["fraud_flags"] = fraud_flags(title, description, clean["requirements"])
    return clean


POSTING_FIELDS = ("occupation_code", "title", "description", "requirements", "skills",
                  "education_min", "experience_min", "salary_min", "salary_max", "openings",
                  "shift", "public_welfare", "valid_from", "valid_until", "contact_phone")


def posting_create(*, actor, employer: Organization, area=None, public: bool = False,
                   today: datetime.date | None = None, **data) -> JobPosting:
    """A new posting waits for review; flagged wording is shown to the reviewer."""
    actor = as_actor(actor)
    area = area or employer.area
    if not public:
        require(actor, MANAGE, area)
    if employer.kind == Organization.Kind.DEPARTMENT and not data.get("public_welfare"):
        pass  # departments may post public-welfare and other posts alike
    clean = _clean_posting(data, today or timezone.localdate())
    values = {k: clean[k] for k in POSTING_FIELDS if k in clean}
    with transaction.atomic():
        posting = JobPosting.objects.create(employer=employer, area=area,
                                            submitted_publicly=public,
                                            fraud_flags=clean["fraud_flags"], **values)
        audit.record(actor, A.CREATE, obj=posting,
                     changes={"state": [None, posting.state],
                              "fraud_flags": [None, posting.fraud_flags]})
    return posting


def posting_update(*, actor, posting: JobPosting, version: int,
                   today: datetime.date | None = None, **data) -> JobPosting:
    """Edit a posting: the same checks as a new one; it goes back to the review queue."""
    actor = as_actor(actor)
    require(actor, MANAGE, posting.area)
    if posting.state == JobPosting.State.CLOSED:
        raise ValidationFailed(_("A closed posting cannot be edited"))
    data.setdefault("valid_from", posting.valid_from)
    clean = _clean_posting(data, today or timezone.localdate())
    values = {k: clean[k] for k in POSTING_FIELDS if k in clean}
    values["fraud_flags"] = clean["fraud_flags"]
    values["state"] = JobPosting.State.PENDING
    before = audit.snapshot(posting, values)
    for k, v in values.items():
        setattr(posting, k, v)
    with transaction.atomic():
        save_versioned(posting, version, list(values) + ["updated_at"])
        audit.record(actor, A.UPDATE, obj=posting, changes=audit.diff(before, values))
    return posting


def posting_review(*, actor, posting: JobPosting, approve: bool, note: str = "",
                   version: int, today: datetime.date | None = None) -> JobPosting:
    actor = as_actor(actor)
    require(actor, REVIEW, posting.area)
    today = today or timezone.localdate()
    if posting.state != JobPosting.State.PENDING:
        raise ValidationFailed(_("Only postings waiting for review can be reviewed"))
    note = note.strip()[:300]
    if approve and posting.valid_until < today:
        raise ValidationFailed(_("The posting has already expired"), field="valid_until")
    if approve and posting.fraud_flags and not note:
        raise ValidationFailed(_("This posting is flagged; explain why it may be published"),
                               field="note")
    if not approve and not note:
        raise ValidationFailed(_("Give the reason for rejecting"), field="note")
    before = posting.state
    posting.state = JobPosting.State.PUBLISHED if approve else JobPosting.State.REJECTED
    posting.review_note = note
    posting.reviewed_by = actor.user if actor.is_authenticated else None
    posting.reviewed_at = timezone.now()
    with transaction.atomic():
        save_versioned(posting, version, ["state", "review_note", "reviewed_by",
                                          "reviewed_at", "updated_at"])
        audit.record(actor, A.TRANSITION, obj=posting,
                     changes={"state": [before, posting.state], "note": note})
    return posting


def posting_close(*, actor, posting: JobPosting, version: int) -> JobPosting:
    actor = as_actor(actor)
    require(actor, MANAGE, posting.area)
    before = posting.state
    posting.state = JobPosting.State.CLOSED
    with transaction.atomic():
        save_versioned(posting, version, ["state", "updated_at"])
        audit.record(actor, A.TRANSITION, obj=posting, changes={"state": [before, "closed"]})
    return posting


# --- registration, benefits, placements, training --------------------------------------

def registration_open(*, actor, seeker: JobSeeker, registered_on: datetime.date,
                      separation_reason: str = "", contribution_years=0
                      ) -> UnemploymentRegistration:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    if registered_on > timezone.localdate():
        raise ValidationFailed(_("Registration date cannot be in the future"),
                               field="registered_on")
    if UnemploymentRegistration.objects.filter(seeker=seeker, closed_on=None).exists():
        raise Conflict(_("This person is already registered as unemployed"))
    try:
        years = decimal.Decimal(str(contribution_years))
    except decimal.InvalidOperation:
        raise ValidationFailed(_("Contribution years must be a number"),
                               field="contribution_years") from None
    if years < 0 or years > 60:
        raise ValidationFailed(_("Contribution years out of range"), field="contribution_years")
    try:
        with transaction.atomic():
            reg = UnemploymentRegistration.objects.create(
                seeker=seeker, area=seeker.area, registered_on=registered_on,
                separation_reason=separation_reason[:20], contribution_years=years)
            JobSeeker.objects.filter(pk=seeker.pk).update(status=JobSeeker.Status.UNEMPLOYED)
            seeker.status = JobSeeker.Status.UNEMPLOYED
            audit.record(actor, A.CREATE, obj=reg, object_repr=f"registration {seeker}")
    except IntegrityError:
        raise Conflict(_("This person is already registered as unemployed")) from None
    return reg


def registration_close(*, actor, registration: UnemploymentRegistration,
                       closed_on: datetime.date, reason: str) -> UnemploymentRegistration:
    actor = as_actor(actor)
    require(actor, MANAGE, registration.area)
    if registration.closed_on is not None:
        raise ValidationFailed(_("This registration is already closed"))
    if reason not in UnemploymentRegistration.CloseReason.values:
        raise ValidationFailed(_("Give the reason for closing"), field="reason")
    if closed_on < registration.registered_on:
        raise ValidationFailed(_("Closing date is before the registration date"),
                               field="closed_on")
    with transaction.atomic():
        registration.closed_on, registration.close_reason = closed_on, reason
        registration.save(update_fields=["closed_on", "close_reason", "updated_at"])
        BenefitClaim.objects.filter(registration=registration, state="paying").update(
            state="ended", end_date=closed_on, stop_reason=_("Registration closed"))
        audit.record(actor, A.UPDATE, obj=registration,
                     changes={"closed_on": [None, closed_on.isoformat()],
                              "close_reason": ["", reason]})
    return registration


def benefit_assess(registration: UnemploymentRegistration) -> dict:
    """Eligibility, duration and monthly amount of unemployment insurance benefit."""
    problems = []
    years = float(registration.contribution_years)
    if years < setting("BENEFIT_MIN_CONTRIBUTION_YEARS"):
        problems.append(_("Less than one year of unemployment insurance contributions"))
    if registration.separation_reason not in setting("INVOLUNTARY_SEPARATIONS"):
        problems.append(_("Separation was not involuntary"))
    if registration.closed_on is not None:
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


def _add_months(day: datetime.date, months: int) -> datetime.date:
    y, m = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + y, m + 1, min(day.day, 28))


def benefit_grant(*, actor, registration: UnemploymentRegistration,
                  start_date: datetime.date) -> BenefitClaim:
    actor = as_actor(actor)
    require(actor, MANAGE, registration.area)
    result = benefit_assess(registration)
    if not result["eligible"]:
        raise ValidationFailed(_("Not eligible for unemployment benefit"),
                               details={"problems": result["problems"]})
    if BenefitClaim.objects.filter(registration=registration, state="paying").exists():
        raise Conflict(_("Benefit is already being paid for this registration"))
    with transaction.atomic():
        claim = BenefitClaim.objects.create(
            registration=registration, seeker_id=registration.seeker_id,
            area=registration.area, start_date=start_date, months=result["months"],
            monthly_amount=result["monthly_amount"],
            end_date=_add_months(start_date, result["months"]), rule_basis=result["basis"])
        audit.record(actor, A.CREATE, obj=claim, object_repr=f"benefit {registration.seeker}",
                     changes={"months": [None, claim.months],
                              "monthly_amount": [None, str(claim.monthly_amount)]})
    return claim


def benefit_stop(*, actor, claim: BenefitClaim, reason: str, stopped_on: datetime.date,
                 refused_offer: bool = False) -> BenefitClaim:
    """Stop a benefit, e.g. when the person refused suitable work or training without a
    proper reason (失业保险条例 art. 15)."""
    actor = as_actor(actor)
    require(actor, MANAGE, claim.area)
    if claim.state != BenefitClaim.State.PAYING:
        raise ValidationFailed(_("This benefit is not being paid"))
    if refused_offer and not setting("BENEFIT_STOP_ON_REFUSAL"):
        raise ValidationFailed(_("The district does not stop benefits for refusals"))
    if not reason.strip():
        raise ValidationFailed(_("Give the reason"), field="reason")
    with transaction.atomic():
        claim.state, claim.stop_reason, claim.end_date = "stopped", reason.strip()[:200], \
            stopped_on
        claim.save(update_fields=["state", "stop_reason", "end_date", "updated_at"])
        audit.record(actor, A.UPDATE, obj=claim,
                     changes={"state": ["paying", "stopped"], "reason": reason[:200]})
    return claim


def placement_record(*, actor, seeker: JobSeeker, employer: Organization,
                     placed_on: datetime.date, posting: JobPosting | None = None,
                     source: str = "caseworker", insured: bool = True) -> Placement:
    """A hire: closes the open registration, records the employment spell and marks the
    recommendation that led to it."""
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
        if source == "caseworker":
            Employment.objects.create(
                person_id=seeker.person_id, employer=employer, residence_area=seeker.area,
                workplace_area=employer.area, start_date=placed_on, insured=insured,
                start_kind="transfer" if was_employed else "new",
                occupation_code=posting.occupation_code if posting else "")
        for reg in UnemploymentRegistration.objects.filter(seeker=seeker, closed_on=None):
            reg.closed_on, reg.close_reason = placed_on, "employed"
            reg.save(update_fields=["closed_on", "close_reason", "updated_at"])
            BenefitClaim.objects.filter(registration=reg, state="paying").update(
                state="ended", end_date=placed_on)
        JobSeeker.objects.filter(pk=seeker.pk).update(status=JobSeeker.Status.EMPLOYED)
        seeker.status = JobSeeker.Status.EMPLOYED
        if posting is not None:
            Recommendation.objects.filter(seeker=seeker, posting=posting).update(
                status=Recommendation.Status.HIRED)
        audit.record(actor, A.CREATE, obj=placement, object_repr=f"placement {seeker}")
    return placement


def placements_confirm_from_insurance(*, actor, today: datetime.date | None = None) -> int:
    """Set-based: registered unemployed people who appear insured by a new employer after
    registering become placements."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    rows = list(UnemploymentRegistration.objects.filter(closed_on=None).filter(
        seeker__person__employments__start_date__gte=F("registered_on"),
        seeker__person__employments__insured=True,
        seeker__person__employments__end_date=None).values_list(
        "seeker_id", "seeker__person__employments__employer_id",
        "seeker__person__employments__start_date").distinct())
    count = 0
    for seeker_id, employer_id, start in rows:
        seeker = JobSeeker.objects.get(pk=seeker_id)
        try:
            placement_record(actor=actor, seeker=seeker,
                             employer=Organization.objects.get(pk=employer_id),
                             placed_on=start, source="insurance")
            count += 1
        except Conflict:
            continue
    return count


def training_enrol(*, actor, seeker: JobSeeker, course: str, start_date: datetime.date,
                   provider: str = "", end_date: datetime.date | None = None
                   ) -> TrainingEnrolment:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    if not course.strip():
        raise ValidationFailed(_("Give the course"), field="course")
    if end_date and end_date < start_date:
        raise ValidationFailed(_("The course ends before it starts"), field="end_date")
    with transaction.atomic():
        t = TrainingEnrolment.objects.create(seeker=seeker, course=course.strip()[:200],
                                             provider=provider.strip()[:200],
                                             start_date=start_date, end_date=end_date)
        audit.record(actor, A.CREATE, obj=t, object_repr=f"training {seeker}")
    return t


# --- recommendations -------------------------------------------------------------------

def recommendation_override(*, actor, seeker: JobSeeker, posting: JobPosting, action: str,
                            note: str) -> Recommendation:
    """A caseworker adds ('pin') or removes ('hide') a post for a seeker, or records that
    the seeker applied or refused. Recorded with who and why."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    status = {"pin": "pinned", "hide": "hidden", "applied": "applied",
              "refused": "refused"}.get(action)
    if status is None:
        raise ValidationFailed(_("Unknown action"), field="action")
    if not note.strip():
        raise ValidationFailed(_("Give the reason"), field="note")
    if posting.state != JobPosting.State.PUBLISHED:
        raise ValidationFailed(_("Only published postings can be recommended"))
    period = timezone.localdate().replace(day=1)
    with transaction.atomic():
        rec, created = Recommendation.objects.get_or_create(
            seeker=seeker, posting=posting,
            defaults={"period": period, "rank": 0, "reasons": ["社工推荐"]})
        before = rec.status
        rec.status, rec.override_note = status, note.strip()[:300]
        rec.override_by = actor.user if actor.is_authenticated else None
        rec.save(update_fields=["status", "override_note", "override_by"])
        audit.record(actor, A.UPDATE, obj=rec, object_type="employment.recommendation",
                     object_repr=f"{seeker} → {posting}",
                     changes={"status": [None if created else before, status],
                              "note": note[:300]})
    return rec


def recommendations_store(*, actor, seeker_ids, posting_ids, scores, reasons,
                          period: datetime.date) -> int:
    """Replace machine suggestions for these seekers (caseworker overrides stay)."""
    seeker_ids = [int(s) for s in seeker_ids]
    distinct = sorted(set(seeker_ids))
    now = timezone.now()
    kept = set(Recommendation.objects.filter(seeker_id__in=distinct).exclude(
        status="suggested").values_list("seeker_id", "posting_id"))
    rows, rank, last = [], 0, None
    for s, p, v, r in zip(seeker_ids, posting_ids, scores, reasons, strict=True):
        rank = rank + 1 if s == last else 1
        last = s
        if (s, int(p)) in kept:
            continue
        rows.append(Recommendation(seeker_id=s, posting_id=int(p), period=period, rank=rank,
                                   score=round(float(v), 4), reasons=r, computed_at=now))
    with transaction.atomic():
        for start in range(0, len(distinct), 900):
            Recommendation.objects.filter(seeker_id__in=distinct[start:start + 900],
                                          status="suggested").delete()
        Recommendation.objects.bulk_create(rows, batch_size=2000)
        audit.record(actor, A.UPDATE, object_type="employment.recommendation",
                     object_repr=f"recommendations for {len(distinct)} seeker(s)",
                     changes={"rows": [None, len(rows)]})
    return len(rows)


# --- enterprise headcount reports ------------------------------------------------------

REDUCTIONS = ("reduced_closure", "reduced_suspension", "reduced_layoff", "reduced_contract",
              "reduced_other")


def headcount_report_submit(*, actor, enterprise: Organization, month: datetime.date,
                            baseline: int, additions: int = 0, layoff_notice_date=None,
                            layoff_effective_date=None, **reductions) -> HeadcountReport:
    actor = as_actor(actor)
    require(actor, REPORT, enterprise.area)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ValidationFailed(_("Only enterprises report headcount"), field="enterprise")
    month = month.replace(day=1)
    values = {k: int(reductions.get(k) or 0) for k in REDUCTIONS}
    unknown = set(reductions) - set(REDUCTIONS)
    if unknown:
        raise ValidationFailed(_("Unknown reduction reason"), field=sorted(unknown)[0])
    if baseline < 0 or additions < 0 or any(v < 0 for v in values.values()):
        raise ValidationFailed(_("Headcounts cannot be negative"), field="baseline")
    if sum(values.values()) > baseline + additions:
        raise ValidationFailed(_("Reductions (%(r)s) exceed the headcount (%(h)s)")
                               % {"r": sum(values.values()), "h": baseline + additions},
                               field="reduced_layoff")
    if layoff_notice_date and layoff_effective_date and \
            layoff_effective_date < layoff_notice_date:
        raise ValidationFailed(_("The layoff takes effect before it was announced"),
                               field="layoff_effective_date")
    try:
        with transaction.atomic():
            report = HeadcountReport.objects.create(
                enterprise=enterprise, month=month, baseline=baseline, additions=additions,
                layoff_notice_date=layoff_notice_date,
                layoff_effective_date=layoff_effective_date, **values)
            audit.record(actor, A.CREATE, obj=report,
                         object_repr=f"headcount {enterprise} {month:%Y-%m}",
                         changes={"baseline": [None, baseline], **{
                             k: [None, v] for k, v in values.items() if v}})
    except IntegrityError:
        raise Conflict(_("This enterprise already reported for this month")) from None
    return report
