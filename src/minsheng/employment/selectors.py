"""Every read of the employment module, scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound
from minsheng.employment.models import (
    HeadcountReport,
    JobPosting,
    JobSeeker,
    Recommendation,
    UnemploymentRegistration,
    UnemploymentWarning,
)
from minsheng.employment.permissions import REVIEW, VIEW, WARNINGS


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


def warning_list(actor, *, kind: str = ""):
    actor = as_actor(actor)
    qs = scoped(UnemploymentWarning.objects.all(), actor, WARNINGS).select_related(
        "area", "enterprise")
    if kind:
        qs = qs.filter(kind=kind)
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
