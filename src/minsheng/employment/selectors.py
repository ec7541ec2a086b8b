"""Every read of the employment module, scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.identifiers import clean_id_number
from minsheng.core.models import Area, Organization, Person
from minsheng.employment.models import (
    HeadcountReport,
    JobPosting,
    JobSeeker,
    Recommendation,
    UnemploymentRegistration,
    UnemploymentWarning,
)
from minsheng.employment.permissions import MANAGE, REPORT, REVIEW, VIEW, WARNINGS


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


def seeker_get(actor, *, pk: int) -> JobSeeker:
    return get_in_scope(JobSeeker.objects.select_related("person", "area", "caseworker"),
                        as_actor(actor), VIEW, pk=pk)


def seeker_recommendations(seeker: JobSeeker):
    return (Recommendation.objects.filter(seeker=seeker).exclude(status="hidden")
            .select_related("posting", "posting__employer", "posting__area")
            .order_by("-status", "rank", "-score"))


def seeker_registrations(seeker: JobSeeker):
    return UnemploymentRegistration.objects.filter(seeker=seeker).prefetch_related("benefits")


def posting_list(actor, *, q: str = "", state: str = "", employer_id: int | None = None):
    actor = as_actor(actor)
    qs = scoped(JobPosting.objects.all(), actor, VIEW).select_related("employer", "area")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(employer__name__icontains=q))
    if state:
        qs = qs.filter(state=state)
    if employer_id:
        qs = qs.filter(employer_id=employer_id)
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


def warning_list(actor, *, kind: str = "", enterprise_id: int | None = None):
    actor = as_actor(actor)
    qs = scoped(UnemploymentWarning.objects.all(), actor, WARNINGS).select_related(
        "area", "enterprise")
    if kind:
        qs = qs.filter(kind=kind)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs


def headcount_list(actor, *, enterprise_id: int | None = None):
    actor = as_actor(actor)
    qs = scoped(HeadcountReport.objects.all(), actor, WARNINGS, "enterprise__area")
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.select_related("enterprise")


def difficulty_caseload(actor):
    """Employment-difficulty people still looking for work, longest without contact first."""
    return (seeker_list(actor, difficulty=True)
            .exclude(status__in=("employed", "inactive"))
            .order_by("last_contact_on", "id"))


def postings_by_id(ids) -> dict:
    """Postings by id for rows already scoped elsewhere (recommendations of a seeker)."""
    return JobPosting.objects.select_related("employer").in_bulk(list(ids))


def warning_followups(warnings_page) -> dict:
    """The follow-up items of warnings the actor already sees."""
    from minsheng.casework.models import FollowUp

    return FollowUp.objects.in_bulk([w.followup_id for w in warnings_page if w.followup_id])


def public_employer_by_credit_code(code: str):
    """A registered enterprise, for a public post submission (only its existence is used)."""
    from minsheng.core.models import Organization

    return Organization.objects.filter(uscc=code, kind="enterprise").first()


# --- for the staff forms ---------------------------------------------------------------

def person_for_registration(actor, *, id_number: str) -> Person:
    """The resident with this ID number, if the actor may register them as a job seeker
    (residence within the actor's scope); NotFound otherwise, so existence does not leak."""
    actor = as_actor(actor)
    number = clean_id_number(id_number)
    try:
        return scoped(Person.objects.select_related("residence_area"), actor, MANAGE,
                      "residence_area").get(id_number=number)
    except Person.DoesNotExist:
        raise NotFound(_("No resident with this ID number in your area")) from None


def seeker_of_person(person: Person) -> JobSeeker | None:
    return JobSeeker.objects.filter(person=person).first()


def seeker_contacts(seeker: JobSeeker):
    return seeker.contacts.select_related("by")


def seeker_placements(seeker: JobSeeker):
    return seeker.placements.select_related("employer", "posting")


def seeker_trainings(seeker: JobSeeker):
    return seeker.trainings.order_by("-start_date", "-id")


def seeker_area_codes(seeker: JobSeeker) -> list[str]:
    return list(seeker.acceptable_areas.values_list("code", flat=True))


def registration_get(seeker: JobSeeker, *, pk: int) -> UnemploymentRegistration:
    """A registration of a seeker the caller already got through `seeker_get`."""
    try:
        return UnemploymentRegistration.objects.select_related("seeker").get(
            seeker=seeker, pk=pk)
    except UnemploymentRegistration.DoesNotExist:
        raise NotFound() from None


def open_registration(seeker: JobSeeker) -> UnemploymentRegistration | None:
    return UnemploymentRegistration.objects.filter(seeker=seeker, closed_on=None).first()


def seeker_posting_choices(seeker: JobSeeker):
    """Posts a placement can be linked to: those recommended to the seeker."""
    return (JobPosting.objects.filter(recommendations__seeker=seeker)
            .select_related("employer").order_by("title", "id").distinct())


def area_choices():
    """Subdistricts (acceptable work areas): public knowledge, no scoping needed."""
    return Area.objects.filter(level="subdistrict").order_by("path")


def areas_by_codes(codes) -> list[Area]:
    return list(Area.objects.filter(code__in=[c for c in codes if c]).order_by("path"))


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
    """An employer the actor may post for (employment.manage in its area)."""
    actor = as_actor(actor)
    return get_in_scope(Organization.objects.select_related("area"), actor, MANAGE, pk=pk)


def employer_by_credit_code(code: str) -> Organization | None:
    """Any registered organization by its credit code (a hire may be outside the
    caseworker's area; only the match is used)."""
    return Organization.objects.filter(uscc=code).first()
