"""Job seekers: registration on the seeker register, profile, personal plan, contacts."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require, scoped
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, NotFound, ValidationFailed
from minsheng.core.identifiers import clean_id_number
from minsheng.core.models import AuditEntry, Person
from minsheng.employment import occupation_map, occupations
from minsheng.employment.config import setting
from minsheng.employment.models import (
    DIFFICULTY_GROUPS,
    KEY_GROUPS,
    Contact,
    Education,
    JobSeeker,
    Shift,
)
from minsheng.employment.permissions import MANAGE

A = AuditEntry.Action
SEEKER_FIELDS = ("status", "education", "major", "occupation_codes", "skills", "certificates",
                 "experience_years", "salary_min", "salary_max", "max_commute_minutes",
                 "shifts", "key_groups", "graduation_year", "summary", "wanted_text")
# Upper bounds of the numbers on a seeker's profile (their columns are small integers).
NUMBER_LIMITS = {"experience_years": 80, "salary_min": 1_000_000, "salary_max": 1_000_000,
                 "max_commute_minutes": 1440, "graduation_year": 2200}


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
        try:
            education = int(data["education"])
        except (TypeError, ValueError):
            education = None
        if education not in Education.values:
            raise ValidationFailed(_("Unknown education level"), field="education")
        clean["education"] = education
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
    for f, limit in NUMBER_LIMITS.items():
        if f in data and data[f] is not None:
            try:
                value = int(data[f])
            except (TypeError, ValueError):
                raise ValidationFailed(_("Enter a whole number"), field=f) from None
            if value < 0 or value > limit:
                raise ValidationFailed(_("Value out of range"), field=f)
            clean[f] = value
    for f, limit in (("major", 100), ("summary", 2000), ("wanted_text", 200)):
        if f in data:
            clean[f] = str(data[f] or "").strip()[:limit]
    smin = clean.get("salary_min", data.get("_salary_min", 0))
    smax = clean.get("salary_max", data.get("_salary_max", 0))
    if smin and smax and smin > smax:
        raise ValidationFailed(_("Minimum salary is higher than maximum salary"),
                               field="salary_min")
    return clean


WORD_FIELDS = ("wanted_text", "skills", "major", "summary")


def _suggestions(values: dict) -> list[dict]:
    """Occupations suggested by the seeker's own words (employment.occupation_map)."""
    return occupation_map.suggest(wanted=values.get("wanted_text", ""),
                                  skills=values.get("skills") or [],
                                  major=values.get("major", ""),
                                  summary=values.get("summary", ""))


def _person_by_id_number(actor, id_number: str) -> Person:
    """The resident with this ID number in the actor's area. An unknown number and a
    resident of another area get the same answer, so the register is no lookup service."""
    number = clean_id_number(id_number)
    person = scoped(Person.objects.select_related("residence_area"), actor, MANAGE,
                    "residence_area").filter(id_number=number).first()
    if person is None:
        raise NotFound(_("No resident with this ID number in your area"),
                       field="id_number")
    return person


def seeker_create(*, actor, person: Person | None = None, id_number: str = "",
                  acceptable_areas=None, **data) -> JobSeeker:
    """Register a person as a job seeker. The person is found by resident ID number within
    the actor's area; a seeker without a valid ID cannot be registered."""
    actor = as_actor(actor)
    if person is None:
        person = _person_by_id_number(actor, id_number)
    else:
        clean_id_number(person.id_number)
    require(actor, MANAGE, person.residence_area)
    if JobSeeker.objects.filter(person=person).exists():
        raise Conflict(_("This person is already registered as a job seeker"))
    clean = _clean_seeker(data)
    clean["occupation_suggestions"] = _suggestions(clean)
    if clean.get("occupation_codes"):  # typed by the caseworker: confirmed
        clean["occupations_confirmed_at"] = timezone.now()
        clean["occupations_confirmed_by"] = actor.user if actor.is_authenticated else None
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
    areas as they are. An edit that changes nothing keeps the version (no spurious
    conflicts for someone else editing)."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    data.setdefault("_salary_min", seeker.salary_min)
    data.setdefault("_salary_max", seeker.salary_max)
    clean = _clean_seeker(data)
    if any(f in clean for f in WORD_FIELDS):
        merged = {f: clean.get(f, getattr(seeker, f)) for f in WORD_FIELDS}
        clean["occupation_suggestions"] = _suggestions(merged)
    if clean.get("occupation_codes") and clean["occupation_codes"] != seeker.occupation_codes:
        clean["occupations_confirmed_at"] = timezone.now()
        clean["occupations_confirmed_by"] = actor.user if actor.is_authenticated else None
    before = audit.snapshot(seeker, clean)
    changed = {k: v for k, v in clean.items() if audit._plain(before[k]) != audit._plain(v)}
    with transaction.atomic():
        old = sorted(seeker.acceptable_areas.values_list("code", flat=True))
        new = old if acceptable_areas is None else sorted(a.code for a in acceptable_areas)
        if changed or old != new:
            save_versioned(seeker, version, values=changed)
        elif int(version) != seeker.version:
            save_versioned(seeker, version, values={})  # refuses the stale edit
        changes = audit.diff(before, clean)
        if old != new:
            seeker.acceptable_areas.set(acceptable_areas)
            changes["acceptable_areas"] = [old, new]
        if changes:
            audit.record(actor, A.UPDATE, obj=seeker, changes=changes)
    return seeker


def seeker_occupations_confirm(*, actor, seeker: JobSeeker, codes: list[str],
                               version: int) -> JobSeeker:
    """The caseworker confirms which occupations the seeker is looking for (picked from the
    suggestions of the seeker's words, or typed): from then on matching uses these."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    codes = occupations.clean_codes(codes)[:5]
    if not codes:
        raise ValidationFailed(_("Choose at least one occupation"), field="codes")
    before = list(seeker.occupation_codes)
    with transaction.atomic():
        save_versioned(seeker, version, values={
            "occupation_codes": codes, "occupations_confirmed_at": timezone.now(),
            "occupations_confirmed_by": actor.user if actor.is_authenticated else None})
        audit.record(actor, A.UPDATE, obj=seeker,
                     changes={"occupation_codes": [before, codes], "confirmed": [None, True]})
    return seeker


def seeker_plan_update(*, actor, seeker: JobSeeker, plan: str, version: int) -> JobSeeker:
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    before = seeker.plan
    values = {"plan": plan.strip()[:5000]}
    if actor.is_authenticated and seeker.caseworker_id is None:
        values["caseworker"] = actor.user
    with transaction.atomic():
        save_versioned(seeker, version, values=values)
        audit.record(actor, A.UPDATE, obj=seeker, changes={"plan": [before, seeker.plan]})
    return seeker


def seeker_set(seeker: JobSeeker, **values) -> None:
    """A change the platform makes to a seeker as part of another record's service (status
    after a registration or a hire, the last contact date): the versioned update, so that
    an editor who read the profile before cannot overwrite it unknowingly. Called inside
    the caller's transaction, which writes the audit row."""
    save_versioned(seeker, None, values=values)


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
            seeker_set(seeker, last_contact_on=contacted_on)
        audit.record(actor, A.CREATE, obj=contact, object_repr=f"contact {seeker}")
    return contact


def contact_due(seeker: JobSeeker) -> datetime.date | None:
    """The minimum-contact rule: the date by which an employment-difficulty person still
    looking for work must be contacted (None: the rule does not apply)."""
    if not seeker.difficulty or seeker.status in ("employed", "inactive"):
        return None
    last = seeker.last_contact_on or seeker.created_at.date()
    return last + datetime.timedelta(days=setting("DIFFICULTY_MIN_CONTACT_DAYS"))


def contact_overdue(seeker: JobSeeker, today: datetime.date | None = None) -> bool:
    """Whether the minimum contact (every DIFFICULTY_MIN_CONTACT_DAYS) was missed."""
    due = contact_due(seeker)
    return due is not None and (today or timezone.localdate()) > due
