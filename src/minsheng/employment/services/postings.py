"""Job postings: creation (staff or the public form), edits, review, closing. The state
moves through the posting workflow (`employment.workflows.POSTING`)."""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.employment import certificates, occupations, screening
from minsheng.employment.config import setting
from minsheng.employment.models import Education, JobPosting, Shift
from minsheng.employment.permissions import MANAGE
from minsheng.employment.services.seekers import _words

A = AuditEntry.Action
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
POSTING_FIELDS = ("occupation_code", "title", "description", "requirements", "skills",
                  "education_min", "experience_min", "salary_min", "salary_max", "openings",
                  "shift", "public_welfare", "valid_from", "valid_until", "contact_phone",
                  "certificates_required", "certificates_preferred", "occupation_listed",
                  "latitude", "longitude")


def fraud_flags(*texts: str) -> list[str]:
    """Screening flags: the model's probability and the wording rules that explain it
    (employment.screening)."""
    return screening.screen(*texts)


def _number(data: dict, field: str, default: int = 0) -> int:
    try:
        return int(data.get(field) or default)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number"), field=field) from None


def _clean_posting(data: dict, today: datetime.date) -> dict:
    clean = dict(data)
    # a well-formed code the shipped table lacks is kept (the full 2022 table has ~1,600
    # occupations): matched by its minor and major group, marked on the posting page
    clean["occupation_code"] = occupations.clean_code(data.get("occupation_code", ""),
                                                      allow_unlisted=True)
    clean["occupation_listed"] = clean["occupation_code"] in occupations.table()
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
    smin, smax = _number(data, "salary_min"), _number(data, "salary_max")
    if smin <= 0 or smax <= 0:
        raise ValidationFailed(_("Give the salary range"), field="salary_min")
    if smin > smax:
        raise ValidationFailed(_("Minimum salary is higher than maximum salary"),
                               field="salary_min")
    if smax > 500_000:
        raise ValidationFailed(_("Salary is not plausible"), field="salary_max")
    clean["salary_min"], clean["salary_max"] = smin, smax
    openings = _number(data, "openings", 1)
    if not 1 <= openings <= 10_000:
        raise ValidationFailed(_("Openings must be between 1 and 10000"), field="openings")
    clean["openings"] = openings
    experience = _number(data, "experience_min")
    if not 0 <= experience <= 60:
        raise ValidationFailed(_("Value out of range"), field="experience_min")
    clean["experience_min"] = experience
    if (data.get("shift") or "day") not in Shift.values:
        raise ValidationFailed(_("Unknown shift pattern"), field="shift")
    clean["shift"] = data.get("shift") or "day"
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
    education = _number(data, "education_min")
    if education not in Education.values:
        raise ValidationFailed(_("Unknown education level"), field="education_min")
    clean["education_min"] = education
    clean["contact_phone"] = (data.get("contact_phone") or "").strip()[:20]
    # certificates: the ones given, plus those the requirement wording names
    required, preferred = certificates.from_requirements(clean["requirements"])
    clean["certificates_required"] = certificates.normalise(
        _words(data.get("certificates_required"), "certificates_required") + required)
    clean["certificates_preferred"] = [c for c in certificates.normalise(
        _words(data.get("certificates_preferred"), "certificates_preferred") + preferred)
        if c not in clean["certificates_required"]]
    for f in ("latitude", "longitude"):
        value = data.get(f)
        if value in (None, ""):
            clean[f] = None
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Enter a number"), field=f) from None
        if not (-90 <= value <= 90 if f == "latitude" else -180 <= value <= 180):
            raise ValidationFailed(_("Value out of range"), field=f)
        clean[f] = value
    if (clean["latitude"] is None) != (clean["longitude"] is None):
        raise ValidationFailed(_("Give both latitude and longitude, or neither"),
                               field="latitude")
    clean["fraud_flags"] = fraud_flags(title, description, clean["requirements"])
    return clean


def posting_create(*, actor, employer: Organization, area=None, public: bool = False,
                   today: datetime.date | None = None, **data) -> JobPosting:
    """A new posting waits for review; flagged wording is shown to the reviewer. `public`
    is the employers' form on the portal (rate-limited, no login): nothing is published
    before a reviewer approves it."""
    actor = as_actor(actor)
    area = area or employer.area
    if not public:
        require(actor, MANAGE, area)
    clean = _clean_posting(data, today or timezone.localdate())
    values = {k: clean[k] for k in POSTING_FIELDS if k in clean}
    with transaction.atomic():
        posting = JobPosting.objects.create(employer=employer, area=area,
                                            submitted_publicly=public,
                                            state=JobPosting.workflow.initial,
                                            fraud_flags=clean["fraud_flags"], **values)
        audit.record(actor, A.CREATE, obj=posting,
                     changes={"state": [None, posting.state],
                              "fraud_flags": [None, posting.fraud_flags]})
    return posting


def posting_update(*, actor, posting: JobPosting, version: int,
                   today: datetime.date | None = None, **data) -> JobPosting:
    """Edit a posting: the same checks as a new one; it goes back to the review queue
    (the workflow's 'edit' move, with the changed fields in the same update)."""
    actor = as_actor(actor)
    require(actor, MANAGE, posting.area)
    if posting.state == JobPosting.State.CLOSED:
        raise ValidationFailed(_("A closed posting cannot be edited"))
    data.setdefault("valid_from", posting.valid_from)
    clean = _clean_posting(data, today or timezone.localdate())
    values = {k: clean[k] for k in POSTING_FIELDS if k in clean}
    values["fraud_flags"] = clean["fraud_flags"]
    before = audit.snapshot(posting, values)
    with transaction.atomic():
        transition(actor=actor, case=posting, name="edit", version=version, changes=values)
        audit.record(actor, A.UPDATE, obj=posting, changes=audit.diff(before, values))
    return posting


def posting_review(*, actor, posting: JobPosting, approve: bool, note: str = "",
                   version: int, today: datetime.date | None = None) -> JobPosting:
    """Publish or reject a posting waiting for review. A flagged posting is published only
    with a written reason; a rejection always gives one."""
    actor = as_actor(actor)
    today = today or timezone.localdate()
    note = (note or "").strip()[:300]
    changes = {"review_note": note, "reviewed_at": timezone.now(),
               "reviewed_by": actor.user if actor.is_authenticated else None}
    return transition(actor=actor, case=posting, name="publish" if approve else "reject",
                      version=version, note=note, changes=changes,
                      data={"note": note, "today": today.isoformat()})


def posting_close(*, actor, posting: JobPosting, version: int, note: str = "") -> JobPosting:
    """Take a posting off the service (filled, withdrawn by the employer): it leaves the
    public search and the recommendations; the record stays."""
    actor = as_actor(actor)
    return transition(actor=actor, case=posting, name="close", version=version,
                      note=(note or "").strip()[:300])
