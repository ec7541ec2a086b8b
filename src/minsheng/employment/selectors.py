"""Every read of the employment module. Each takes the actor first and returns only what
it may see; a record outside the actor's area is 'not found' (no existence leak), a record
it sees but may not change is 'permission denied'."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound, PermissionDenied
from minsheng.core.identifiers import clean_id_number
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.employment import occupations
from minsheng.employment.models import (
    BenefitClaim,
    HeadcountReport,
    JobPosting,
    JobSeeker,
    Recommendation,
    UnemploymentRegistration,
    UnemploymentWarning,
)
from minsheng.employment.permissions import (
    EXPORT,
    MANAGE,
    REPORT,
    REVIEW,
    SCAN,
    VIEW,
    WARNINGS,
)


@dataclass
class Shown:
    """The first rows of a list shown on a page together with how many there are, so the
    page says "showing 20 of 134" instead of cutting the list silently."""

    rows: list
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _head(qs, n: int) -> Shown:
    rows = list(qs[:n])
    return Shown(rows, len(rows) if len(rows) < n else qs.count())


def _visible(actor, record, *permissions) -> None:
    """A record reached through another one already read (a seeker's contacts): the actor
    must still see the record it hangs on."""
    if not any(actor.covers(p, record.area) for p in permissions):
        raise NotFound()


# --- job seekers -----------------------------------------------------------------------

def seeker_list(actor, *, q: str = "", status: str = "", difficulty: bool | None = None):
    actor = as_actor(actor)
    qs = scoped(JobSeeker.objects.all(), actor, VIEW).select_related("person", "area")
    if q:
        qs = qs.filter(Q(person__name__startswith=q) | Q(major__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if difficulty is not None:
        qs = qs.filter(difficulty=difficulty)
    return qs.order_by("person__name", "id")


def seekers_export(actor, *, status: str = ""):
    """The seekers of the export (masked by the caller): needs the export permission and
    writes the export to the audit log."""
    actor = as_actor(actor)
    require(actor, EXPORT)
    qs = seeker_list(actor, status=status)
    _export_audited(actor, "employment.jobseeker", "seekers.xlsx", {"status": status})
    return qs


def _export_audited(actor, object_type: str, name: str, filters: dict) -> None:
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.EXPORT, object_type=object_type,
                     object_repr=name, changes={"filters": filters})


def seeker_get(actor, *, pk: int) -> JobSeeker:
    return get_in_scope(JobSeeker.objects.select_related("person", "area", "caseworker"),
                        as_actor(actor), VIEW, pk=pk)


def seeker_for_manage(actor, *, pk: int) -> JobSeeker:
    """A seeker the actor may change: not found outside its area, refused when it only
    reads."""
    actor = as_actor(actor)
    seeker = seeker_get(actor, pk=pk)
    if not actor.covers(MANAGE, seeker.area):
        raise PermissionDenied()
    return seeker


def seeker_recommendations(actor, seeker: JobSeeker):
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return (Recommendation.objects.filter(seeker=seeker).exclude(status="hidden")
            .select_related("posting", "posting__employer", "posting__area")
            .order_by("-status", "rank", "-score"))


def seeker_match_summary(actor, seeker: JobSeeker) -> dict:
    """What the seeker page says about matching: the filters with this seeker's values,
    the scored criteria, how many otherwise-suitable posts each filter removed, the
    training to suggest when fewer than RECOMMENDATIONS_SHOWN posts fit, the travel-time
    model and the occupations used (confirmed, or suggested from the seeker's words)."""
    from minsheng.employment import matchdata
    from minsheng.employment.config import setting

    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    explained = matchdata.explain(seeker) or {"blocked": {}, "missing_certificates": [],
                                              "suitable": 0, "rough": False,
                                              "speed": matchdata.speed_model()}
    limit = setting("RECOMMENDATIONS_SHOWN")
    codes = matchdata.seeker_occupations(seeker)
    training = [c for c, _ in explained["missing_certificates"][:3]]
    labels = {"certificates": _("Filter: required certificate"),
              "experience": _("Filter: years of experience"),
              "education": _("Filter: education"), "salary": _("Filter: salary minimum"),
              "travel": _("Filter: travel time"), "shift": _("Filter: shift"),
              "public_welfare": _("Filter: public-welfare eligibility"),
              "relevance": _("Filter: not relevant")}
    explained["blocked"] = [(labels[k], n) for k, n in explained["blocked"].items() if n]
    return {**explained, "limit": limit, "few": explained["suitable"] < limit,
            "training": training,
            "training_occupations": [occupations.name(c) for c in codes],
            "certificates": matchdata.seeker_certificates(seeker),
            "public_welfare_eligible": bool(set(seeker.key_groups or [])
                                            & matchdata.ELIGIBLE_PUBLIC_WELFARE),
            "max_commute": seeker.max_commute_minutes
            or setting("DEFAULT_MAX_COMMUTE_MINUTES"),
            "occupations_used": [(c, occupations.name(c)) for c in codes],
            "unconfirmed": not seeker.occupation_codes and bool(codes)}


def seeker_registrations(actor, seeker: JobSeeker):
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return (UnemploymentRegistration.objects.filter(seeker=seeker)
            .prefetch_related("benefits").order_by("-registered_on", "-id"))


def open_registration(actor, seeker: JobSeeker) -> UnemploymentRegistration | None:
    return seeker_registrations(actor, seeker).filter(
        state=UnemploymentRegistration.State.OPEN).first()


def registration_get(actor, seeker: JobSeeker, *, pk: int) -> UnemploymentRegistration:
    """A registration of a seeker the caller already got through `seeker_get`."""
    try:
        return seeker_registrations(actor, seeker).select_related("seeker", "area").get(pk=pk)
    except UnemploymentRegistration.DoesNotExist:
        raise NotFound() from None


def benefit_get(actor, seeker: JobSeeker, *, pk: int) -> BenefitClaim:
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    try:
        return BenefitClaim.objects.select_related("area").get(seeker=seeker, pk=pk)
    except BenefitClaim.DoesNotExist:
        raise NotFound() from None


def paying_benefit(actor, seeker: JobSeeker) -> BenefitClaim | None:
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return (BenefitClaim.objects.select_related("area")
            .filter(seeker=seeker, state=BenefitClaim.State.PAYING).order_by("-id").first())


def seeker_contacts(actor, seeker: JobSeeker):
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return seeker.contacts.select_related("by").order_by("-contacted_on", "-id")


def seeker_placements(actor, seeker: JobSeeker):
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return seeker.placements.select_related("employer", "posting").order_by("-placed_on",
                                                                            "-id")


def seeker_trainings(actor, seeker: JobSeeker):
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return seeker.trainings.order_by("-start_date", "-id")


def seeker_history(actor, seeker: JobSeeker) -> list:
    """The timeline of the seeker's registrations and benefits (one query), newest first,
    in the workflows' words."""
    from minsheng.casework.models import CaseEvent

    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    kinds = {UnemploymentRegistration._meta.label_lower: UnemploymentRegistration,
             BenefitClaim._meta.label_lower: BenefitClaim}
    names = {UnemploymentRegistration._meta.label_lower: _("Unemployment registration"),
             BenefitClaim._meta.label_lower: _("Unemployment benefit")}
    ids = {UnemploymentRegistration._meta.label_lower:
           list(seeker.registrations.values_list("id", flat=True)),
           BenefitClaim._meta.label_lower: list(seeker.benefits.values_list("id", flat=True))}
    condition = Q(pk__in=[])
    for case_type, case_ids in ids.items():
        if case_ids:
            condition |= Q(case_type=case_type, case_id__in=case_ids)
    events = list(CaseEvent.objects.filter(condition).order_by("-at", "-id"))
    for event in events:
        workflow = kinds[event.case_type].workflow
        step = workflow.transitions.get(event.transition)
        event.record_label = names[event.case_type]
        event.transition_label = (step.label or step.name) if step else event.transition
        event.to_label = workflow.states.get(event.to_state, event.to_state)
    return events


def seeker_area_codes(actor, seeker: JobSeeker) -> list[str]:
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return list(seeker.acceptable_areas.values_list("code", flat=True))


def seeker_posting_choices(actor, seeker: JobSeeker):
    """Posts a placement can be linked to: those recommended to the seeker (a handful:
    the latest suggestions and the caseworker's own choices)."""
    actor = as_actor(actor)
    _visible(actor, seeker, VIEW)
    return (JobPosting.objects.filter(recommendations__seeker=seeker)
            .select_related("employer").order_by("title", "id").distinct())


def person_for_registration(actor, *, id_number: str) -> Person:
    """The resident with this ID number, if the actor may register them as a job seeker
    (residence within the actor's scope); NotFound otherwise, so existence does not leak."""
    actor = as_actor(actor)
    number = clean_id_number(id_number)
    try:
        return scoped(Person.objects.select_related("residence_area"), actor, MANAGE,
                      "residence_area").get(id_number=number)
    except Person.DoesNotExist:
        raise NotFound(_("No resident with this ID number in your area"),
                       field="id_number") from None


def seeker_of_person(actor, person: Person) -> JobSeeker | None:
    """The seeker record of a person the actor found in its area."""
    actor = as_actor(actor)
    if not actor.covers(MANAGE, person.residence_area):
        raise NotFound()
    return JobSeeker.objects.filter(person=person).first()


def seeker_form_areas(actor):
    """Subdistricts a seeker may accept work in (public knowledge); the seeker form is for
    those who register seekers."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    return Area.objects.filter(level="subdistrict").order_by("path")


# --- postings --------------------------------------------------------------------------

def posting_list(actor, *, q: str = "", state: str = "", employer_id: int | None = None):
    actor = as_actor(actor)
    qs = scoped(JobPosting.objects.all(), actor, VIEW).select_related("employer", "area")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(employer__name__icontains=q))
    if state:
        qs = qs.filter(state=state)
    if employer_id:
        qs = qs.filter(employer_id=employer_id)
    return qs.order_by("-created_at", "id")


def postings_export(actor, *, state: str = ""):
    actor = as_actor(actor)
    require(actor, EXPORT)
    qs = posting_list(actor, state=state)
    _export_audited(actor, "employment.jobposting", "postings.xlsx", {"state": state})
    return qs


def posting_get(actor, *, pk: int) -> JobPosting:
    actor = as_actor(actor)
    qs = JobPosting.objects.select_related("employer", "area")
    for perm in (VIEW, REVIEW):
        try:
            return get_in_scope(qs, actor, perm, pk=pk)
        except NotFound:
            continue
    raise NotFound()


def posting_for_manage(actor, *, pk: int) -> JobPosting:
    actor = as_actor(actor)
    posting = posting_get(actor, pk=pk)
    if not actor.covers(MANAGE, posting.area):
        raise PermissionDenied()
    return posting


def posting_recommended(actor, posting: JobPosting, n: int = 50) -> Shown:
    """Seekers this post is recommended to, those in the actor's area only."""
    actor = as_actor(actor)
    _visible(actor, posting, VIEW, REVIEW)
    qs = scoped(posting.recommendations.exclude(status="hidden"), actor, VIEW,
                "seeker__area").select_related("seeker__person").order_by("rank", "id")
    return _head(qs, n)


def posting_timeline(actor, posting: JobPosting) -> list:
    from minsheng.casework.workflow import timeline

    actor = as_actor(actor)
    _visible(actor, posting, VIEW, REVIEW)
    return timeline(posting)


def review_queue(actor):
    actor = as_actor(actor)
    require(actor, REVIEW)
    return (scoped(JobPosting.objects.filter(state="pending"), actor, REVIEW)
            .select_related("employer", "area").order_by("created_at", "id"))


def public_postings(*, q: str = "", area_code: str = "", occupation: str = ""):
    """Published, currently valid posts: what anyone may see (no personal data)."""
    today = timezone.localdate()
    qs = JobPosting.objects.filter(state="published", valid_from__lte=today,
                                   valid_until__gte=today).select_related("employer", "area")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(employer__name__icontains=q))
    if area_code:
        qs = qs.filter(Q(area__code=area_code) | Q(area__path__contains=f"/{area_code}"))
    if occupation:
        qs = qs.filter(occupation_code__startswith=occupation)
    return qs.order_by("-valid_from", "id")


def public_posting_get(pk: int) -> JobPosting:
    try:
        return public_postings().get(pk=pk)
    except JobPosting.DoesNotExist:
        raise NotFound() from None


def public_employer_by_credit_code(code: str):
    """A registered enterprise, for a public post submission (only its existence is used)."""
    return Organization.objects.filter(uscc=code, kind="enterprise").first()


def postings_by_id(actor, ids) -> dict:
    """Postings by id for a seeker's fresh recommendations (published posts only)."""
    return (JobPosting.objects.filter(state="published").select_related("employer")
            .in_bulk(list(ids)))


# --- warnings and headcount reports ----------------------------------------------------

def warning_list(actor, *, kind: str = "", enterprise_id: int | None = None):
    actor = as_actor(actor)
    qs = scoped(UnemploymentWarning.objects.all(), actor, WARNINGS).select_related(
        "area", "enterprise")
    if kind:
        qs = qs.filter(kind=kind)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.order_by("-month", "kind", "id")


def warnings_export(actor):
    actor = as_actor(actor)
    require(actor, EXPORT)
    qs = warning_list(actor)
    _export_audited(actor, "employment.unemploymentwarning", "warnings.xlsx", {})
    return qs


def warning_followups(actor, warnings) -> dict:
    """The follow-up items of warnings the actor already sees."""
    from minsheng.casework.models import FollowUp

    actor = as_actor(actor)
    ids = [w.followup_id for w in warnings
           if w.followup_id and actor.covers(WARNINGS, w.area)]
    return FollowUp.objects.in_bulk(ids) if ids else {}


def claims_check(actor, *, start: datetime.date | None = None,
                 end: datetime.date | None = None):
    """The district-wide claims rule (EARS C2 through minsheng.detection) for the months
    start..end (default: this month), for staff who see district warnings; None when they
    do not or no claim is on record. `.error` is detection's message when the history is
    too short (then no claims warning is raised)."""
    from minsheng.core.dates import month_start
    from minsheng.employment import early_warning

    actor = as_actor(actor)
    if not actor.has(WARNINGS):
        return None
    district = Area.objects.filter(parent=None).order_by("code").first()
    if district is None or not actor.covers(WARNINGS, district):
        return None
    end = end or timezone.localdate()
    return early_warning.claims_check(month_start(start or end), end)


def unemployment_rates(actor, *, today: datetime.date | None = None) -> list[tuple]:
    """The registered unemployment rate of last month and this one for the subdistricts
    and the district in the actor's area: (area, month, unemployed, employed, rate, band)
    at the latest month."""
    from minsheng.core.dates import add_months, month_start
    from minsheng.employment import early_warning

    actor = as_actor(actor)
    if not actor.has(WARNINGS):
        return []
    today = today or timezone.localdate()
    allowed = set(actor.area_ids(WARNINGS))
    rates = [r for r in early_warning.unemployment_rates(add_months(month_start(today), -1),
                                                         today)
             if r[0].pk in allowed and (r[0].level == "subdistrict" or r[0].parent_id is None)]
    if not rates:
        return []
    latest = max(r[1] for r in rates)
    return [(area, month, u, e, rate, early_warning.rate_band(rate))
            for area, month, u, e, rate in rates if month == latest]


def warning_summary(actor, *, start: datetime.date, end: datetime.date) -> dict:
    """Job-loss rate and net change by industry and subdistrict, from the reports of
    enterprises in the actor's area."""
    from minsheng.employment import early_warning

    actor = as_actor(actor)
    require(actor, WARNINGS)
    return early_warning.summary(start, end, actor.area_ids(WARNINGS))


def headcount_list(actor, *, enterprise_id: int | None = None):
    """Headcount reports the actor may read: warnings staff, and those who enter them."""
    actor = as_actor(actor)
    area_ids = sorted(set(actor.area_ids(WARNINGS)) | set(actor.area_ids(REPORT)))
    qs = HeadcountReport.objects.filter(enterprise__area_id__in=area_ids)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.select_related("enterprise").order_by("-month", "enterprise_id")


def employer_reports(actor, employer: Organization, n: int = 24) -> Shown:
    return _head(headcount_list(actor, enterprise_id=employer.pk), n)


def employer_postings(actor, employer: Organization, n: int = 50) -> Shown:
    return _head(posting_list(actor, employer_id=employer.pk), n)


def employer_warnings(actor, employer: Organization, n: int = 20) -> Shown:
    return _head(warning_list(actor, enterprise_id=employer.pk), n)


def employer_for_headcount(actor, *, pk: int) -> Organization:
    """An enterprise whose report the actor enters: refused when it only reads."""
    actor = as_actor(actor)
    org = employer_get(actor, pk=pk)
    if not actor.covers(REPORT, org.area):
        raise PermissionDenied()
    return org


def difficulty_caseload(actor):
    """Employment-difficulty people still looking for work, longest without contact first."""
    return (seeker_list(actor, difficulty=True)
            .exclude(status__in=("employed", "inactive"))
            .order_by("last_contact_on", "id"))


# --- employers -------------------------------------------------------------------------

EMPLOYER_PERMISSIONS = (VIEW, WARNINGS, REPORT)


def _employer_area_ids(actor) -> list[int]:
    ids: set[int] = set()
    for perm in EMPLOYER_PERMISSIONS:
        ids.update(actor.area_ids(perm))
    return sorted(ids)


def employer_list(actor, *, q: str = "", kind: str = ""):
    """Employers (organizations other than government departments) in the actor's scope
    for any employment permission."""
    actor = as_actor(actor)
    qs = (Organization.objects.filter(area_id__in=_employer_area_ids(actor))
          .exclude(kind=Organization.Kind.DEPARTMENT).select_related("area"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name", "id")


def employer_get(actor, *, pk: int) -> Organization:
    actor = as_actor(actor)
    try:
        return Organization.objects.select_related("area").get(
            pk=pk, area_id__in=_employer_area_ids(actor))
    except Organization.DoesNotExist:
        raise NotFound() from None


def employer_for_posting(actor, *, pk: int) -> Organization:
    """An employer the actor may post for (employment.manage in its area): not found
    outside the actor's area, refused when it only reads."""
    actor = as_actor(actor)
    org = employer_get(actor, pk=pk)
    if not actor.covers(MANAGE, org.area):
        raise PermissionDenied()
    return org


def employer_by_credit_code(actor, code: str) -> Organization | None:
    """Any registered organization by its credit code (a hire may be outside the
    caseworker's area; only the match is used)."""
    as_actor(actor)
    return Organization.objects.filter(uscc=code).first()


def can_scan(actor) -> bool:
    return as_actor(actor).has(SCAN)
