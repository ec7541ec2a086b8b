"""Every read of the core registry, already limited to what the actor may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from minsheng.core import audit
from minsheng.core.access import Actor, as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import (
    Area,
    AuditEntry,
    Household,
    HouseholdMember,
    JobProgress,
    Organization,
    Person,
)

VIEW = "core.view_registry"


def _prefix(qs: QuerySet, field: str, text: str) -> QuerySet:
    """Name-prefix search as an index range (works on SQLite and PostgreSQL alike)."""
    return qs.filter(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff",
                        f"{field}__startswith": text})


def area_list(actor, *, level: str | None = None) -> QuerySet[Area]:
    actor = as_actor(actor)
    qs = Area.objects.filter(id__in=actor.area_ids("core.view_organizations"))
    return qs.filter(level=level) if level else qs


def area_get(actor, *, code: str) -> Area:
    actor = as_actor(actor)
    try:
        return area_list(actor).get(code=code)
    except Area.DoesNotExist:
        raise NotFound() from None


def area_lookup(code: str) -> Area | None:
    """An area by code, unscoped: area names and codes are public, and the service that
    acts on the area checks the actor's permission there."""
    return Area.objects.filter(code=code).first() if code else None


def area_codes(ids) -> dict[int, str]:
    return dict(Area.objects.filter(id__in=list(ids)).values_list("id", "code"))


def area_counts(actor) -> dict[int, dict]:
    """People and households per area in scope, for the area tree page."""
    actor = as_actor(actor)
    people = dict(scoped(Person.objects.filter(status=Person.Status.LIVING), actor, VIEW,
                         "residence_area").values_list("residence_area")
                  .annotate(n=Count("id")).values_list("residence_area", "n"))
    households = dict(scoped(Household.objects.all(), actor, VIEW).values_list("area")
                      .annotate(n=Count("id")).values_list("area", "n"))
    return {"people": people, "households": households}


def person_list(actor, *, q: str = "", area: Area | None = None,
                status: str | None = None) -> QuerySet[Person]:
    actor = as_actor(actor)
    qs = scoped(Person.objects.all(), actor, VIEW, "residence_area")
    if area is not None:
        qs = qs.filter(residence_area__path__startswith=area.path)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        # A full ID number finds exactly one person; anything else is a name prefix.
        qs = qs.filter(id_number=q.upper()) if len(q) == 18 else _prefix(qs, "name", q)
    return qs.select_related("residence_area").order_by("name", "id")


def person_get(actor, *, pk: int) -> Person:
    actor = as_actor(actor)
    return get_in_scope(Person.objects.select_related("residence_area", "hukou_area"),
                        actor, VIEW, "residence_area", pk=pk)


def person_household(person: Person) -> HouseholdMember | None:
    return (HouseholdMember.objects.select_related("household")
            .filter(person=person).first())


def household_list(actor, *, q: str = "", area: Area | None = None) -> QuerySet[Household]:
    actor = as_actor(actor)
    qs = scoped(Household.objects.all(), actor, VIEW)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(address__contains=q))
    return (qs.select_related("area", "head").annotate(member_count=Count("members"))
            .order_by("number"))


def household_get(actor, *, pk: int) -> Household:
    actor = as_actor(actor)
    return get_in_scope(Household.objects.select_related("area", "head"), actor, VIEW, pk=pk)


def household_members(household: Household) -> QuerySet[HouseholdMember]:
    return household.members.select_related("person").order_by("relationship", "person__name")


def organization_list(actor, *, q: str = "", kind: str | None = None,
                      area: Area | None = None) -> QuerySet[Organization]:
    actor = as_actor(actor)
    qs = scoped(Organization.objects.all(), actor, "core.view_organizations")
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    return qs.select_related("area").order_by("name", "id")


def organization_get(actor, *, pk: int) -> Organization:
    actor = as_actor(actor)
    return get_in_scope(Organization.objects.select_related("area"), actor,
                        "core.view_organizations", pk=pk)


def departments() -> QuerySet[Organization]:
    """Government departments are public knowledge: no scoping needed."""
    return Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name")


def department_get(pk: int | None) -> Organization | None:
    return departments().filter(pk=pk).first() if pk else None


def departments_by_ids(ids) -> list[Organization]:
    return list(departments().filter(pk__in=[i for i in ids if i]))


def audit_list(actor, *, object_type: str = "", object_id: str = "", actor_name: str = "",
               action: str = "") -> QuerySet[AuditEntry]:
    actor = as_actor(actor)
    require(actor, "core.view_audit")
    qs = AuditEntry.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_name:
        qs = qs.filter(actor_name=actor_name)
    if action:
        qs = qs.filter(action=action)
    return qs


def person_for_sensitive_read(actor: Actor, *, pk: int) -> Person:
    """A person's record read in full (e.g. an export of one file): audited."""
    person = person_get(actor, pk=pk)
    audit.record(actor, AuditEntry.Action.READ, obj=person)
    return person


def job_get(actor, *, pk: int) -> JobProgress:
    actor = as_actor(actor)
    try:
        job = JobProgress.objects.get(pk=pk)
    except JobProgress.DoesNotExist:
        raise NotFound() from None
    if not actor.system and job.owner_id != getattr(actor.user, "pk", None):
        raise NotFound()
    return job
