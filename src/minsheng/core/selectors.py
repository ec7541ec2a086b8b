"""Every read of the core registry, already limited to what the actor may see."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import Actor, as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    DisabilityCertificate,
    Household,
    HouseholdMember,
    JobProgress,
    Organization,
    Person,
)

VIEW = "core.view_registry"
CHANGE = "core.change_registry"


def _prefix(qs: QuerySet, field: str, text: str) -> QuerySet:
    """Name-prefix search as an index range (works on SQLite and PostgreSQL alike)."""
    return qs.filter(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff",
                        f"{field}__startswith": text})


def area_list(actor, *, level: str | None = None,
              permission: str = "core.view_organizations") -> QuerySet[Area]:
    """Areas where the actor holds the permission (by default: the areas they may see)."""
    actor = as_actor(actor)
    qs = Area.objects.filter(id__in=actor.area_ids(permission))
    return qs.filter(level=level) if level else qs


def change_areas(actor, *, level: str | None = None) -> QuerySet[Area]:
    """Areas where the actor may change the register: what an edit form offers. Refused
    for those who may change it nowhere (so they get no form at all)."""
    actor = as_actor(actor)
    require(actor, CHANGE)
    return area_list(actor, level=level, permission=CHANGE)


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
    require(actor, VIEW)  # a role that sees the register nowhere is refused, not shown none
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


def person_by_id_number(actor, *, id_number: str,
                        permission: str = VIEW) -> Person | None:
    """The person with this ID number if the actor holds the permission where they live."""
    actor = as_actor(actor)
    return (scoped(Person.objects.select_related("residence_area"), actor, permission,
                   "residence_area").filter(id_number=id_number.strip().upper()).first())


def person_household(actor, *, person: Person) -> HouseholdMember | None:
    """The household a person (already read through `person_get`) belongs to, if the
    household lies in the actor's scope."""
    actor = as_actor(actor)
    return (scoped(HouseholdMember.objects.select_related("household"), actor, VIEW,
                   "household__area").filter(person=person).first())


def disability_certificates(actor, *, person: Person) -> list[DisabilityCertificate]:
    """A person's disability certificates, newest first. Disability is health data: the
    read is written to the audit log (when there is anything to read)."""
    actor = as_actor(actor)
    require(actor, VIEW, person.residence_area)
    certificates = list(DisabilityCertificate.objects.filter(person=person)
                        .order_by("-issued_on", "-id"))
    if certificates:
        with transaction.atomic():
            audit.record(actor, AuditEntry.Action.READ, obj=person,
                         changes={"read": "disability_certificates"})
    return certificates


def disability_periods() -> QuerySet:
    """Periods in which each person held a valid certificate (person_id, since, until):
    the fact `core.disabled`, for `core.facts` (which scopes and audits its readers)."""
    return DisabilityCertificate.objects.annotate(
        since=F("issued_on"), until=F("valid_until")).values("person_id", "since", "until")


def household_list(actor, *, q: str = "", area: Area | None = None) -> QuerySet[Household]:
    actor = as_actor(actor)
    require(actor, VIEW)
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


def household_members(actor, *, household: Household) -> QuerySet[HouseholdMember]:
    """Members of a household (read through `household_get`): the household's scope
    decides, since a member may have moved to another area."""
    actor = as_actor(actor)
    if not actor.covers(VIEW, household.area):
        raise NotFound()
    return (HouseholdMember.objects.filter(household=household).select_related("person")
            .order_by("relationship", "person__name"))


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


def person_access_report(actor, *, id_number: str) -> tuple[Person, QuerySet[AuditEntry]]:
    """Who did what with one person's data, and when (PIPL): the audit entries about
    every record of the person. For the auditor; looking is itself recorded."""
    from minsheng.core import personal_records
    from minsheng.core.identifiers import clean_id_number

    actor = as_actor(actor)
    require(actor, "core.view_audit")
    person = Person.objects.filter(id_number=clean_id_number(id_number)).first()
    if person is None:
        raise NotFound(_("No resident with this ID number"))
    audit.record(actor, AuditEntry.Action.READ, obj=person,
                 changes={"report": [None, "access report"]})
    return person, AuditEntry.objects.filter(personal_records.audit_filter(person))


def person_for_sensitive_read(actor: Actor, *, pk: int) -> Person:
    """A person's record read in full (e.g. an export of one file): audited."""
    person = person_get(actor, pk=pk)
    audit.record(actor, AuditEntry.Action.READ, obj=person)
    return person


def import_kinds(actor) -> list[str]:
    """What the actor may import (the import page); refused for those who may not."""
    from minsheng.core.services.imports import IMPORTERS

    actor = as_actor(actor)
    require(actor, "core.import")
    return list(IMPORTERS)


def api_token_list(actor) -> QuerySet[ApiToken]:
    """The actor's own API tokens (never their keys: only a hash is stored)."""
    actor = as_actor(actor)
    if not getattr(actor.user, "pk", None):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor.user).order_by("revoked", "-created_at", "-id")


def api_token_get(actor, *, pk: int) -> ApiToken:
    try:
        return api_token_list(actor).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise NotFound() from None


def user_by_username(actor, *, username: str):
    """A staff account by its user name, for the operator's CLI (`core.manage_users`)."""
    from minsheng.core.models import User

    actor = as_actor(actor)
    require(actor, "core.manage_users")
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise NotFound() from None


def api_tokens_of(actor, *, username: str) -> QuerySet[ApiToken]:
    """Another user's tokens, for the operator's CLI (`core.manage_users`)."""
    actor = as_actor(actor)
    require(actor, "core.manage_users")
    return ApiToken.objects.filter(user__username=username).order_by("-created_at", "-id")


def job_get(actor, *, pk: int) -> JobProgress:
    actor = as_actor(actor)
    try:
        job = JobProgress.objects.get(pk=pk)
    except JobProgress.DoesNotExist:
        raise NotFound() from None
    if not actor.system and job.owner_id != getattr(actor.user, "pk", None):
        raise NotFound()
    return job


def role_change_list(actor, *, pending: bool | None = None) -> QuerySet:
    """Role change requests in the actor's areas (`core.view_role_changes`: system and
    security administrators, auditors), newest first."""
    from minsheng.core.models import RoleChangeRequest

    actor = as_actor(actor)
    qs = scoped(RoleChangeRequest.objects.select_related(
        "user", "area", "requested_by", "decided_by"), actor, "core.view_role_changes")
    if pending is not None:
        qs = (qs.filter(state=RoleChangeRequest.State.PENDING) if pending
              else qs.exclude(state=RoleChangeRequest.State.PENDING))
    return qs.order_by("-requested_at", "-id")


def role_change_get(actor, *, pk: int):
    from minsheng.core.models import RoleChangeRequest

    try:
        return role_change_list(actor).get(pk=pk)
    except RoleChangeRequest.DoesNotExist:
        raise NotFound() from None


def role_change_subject(actor, *, username: str):
    """The account a role change is asked for (`core.request_role_change`)."""
    from minsheng.core.models import User

    actor = as_actor(actor)
    require(actor, "core.request_role_change")
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise NotFound() from None


def second_factor_subject(actor, *, username: str):
    """The account whose second factor a security administrator resets, with whether it
    has one (`core.reset_second_factor`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from minsheng.core.models import User

    actor = as_actor(actor)
    require(actor, "core.reset_second_factor")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound()
    user.has_second_factor = TOTPDevice.objects.filter(user=user).exists()
    return user


def api_token_valid(key: str) -> bool:
    """Whether a bearer key belongs to an active token of an active user."""
    import hashlib

    digest = hashlib.sha256(key.encode()).hexdigest()
    return ApiToken.objects.filter(key_hash=digest, revoked=False,
                                   user__is_active=True).exists()
