"""Every read of primary care and insurance coverage, scoped to the actor. Lists of people
(contracts, referrals, uninsured) are personal data: the reads are audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from minsheng.core import audit, facts
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.dates import add_months
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.primarycare.config import setting
from minsheng.primarycare.models import (
    Alliance,
    Contract,
    Enrolment,
    EnrolmentImport,
    Outreach,
    Referral,
    Team,
)
from minsheng.primarycare.permissions import (
    CONTRACT,
    COVERAGE,
    IMPORT,
    OUTREACH,
    REFER,
    VIEW,
)

PENSION = ("pension_employee", "pension_resident")
MEDICAL = ("medical_employee", "medical_resident")


def _audit(actor, what: str, **changes) -> None:
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, object_type=f"primarycare.{what}",
                     object_id="list", object_repr=what, changes=changes)


def communities(actor, permission: str = VIEW) -> QuerySet:
    actor = as_actor(actor)
    return Area.objects.filter(id__in=actor.area_ids(permission),
                               level=Area.Level.COMMUNITY).order_by("code")


def facilities(actor, kind: str | None = None) -> QuerySet:
    """Clinics and hospitals (public registry facts, not personal data)."""
    require(as_actor(actor), VIEW)
    kinds = [kind] if kind else [Organization.Kind.CLINIC, Organization.Kind.HOSPITAL]
    return Organization.objects.filter(kind__in=kinds).select_related("area").order_by("name")


def alliances(actor) -> QuerySet:
    require(as_actor(actor), VIEW)
    return Alliance.objects.select_related("lead").prefetch_related("members").order_by("name")


def teams(actor, permission: str = VIEW) -> QuerySet:
    actor = as_actor(actor)
    return scoped(Team.objects.select_related("clinic", "area"), actor, permission)


def team_get(actor, pk: int, permission: str = CONTRACT) -> Team:
    return get_in_scope(Team.objects.select_related("clinic", "area"), as_actor(actor),
                        permission, pk=pk)


def person_by_id_number(actor, id_number: str, permission: str) -> Person:
    return get_in_scope(Person.objects.select_related("residence_area"), as_actor(actor),
                        permission, "residence_area", id_number=id_number)


# ---------------------------------------------------------------- contracts
def contract_list(actor, *, area: Area | None = None, state: str = "active",
                  group: str = "", expiring: bool = False,
                  today: datetime.date | None = None) -> QuerySet:
    actor = as_actor(actor)
    today = today or timezone.localdate()
    qs = scoped(Contract.objects.select_related("person", "team", "area"), actor, VIEW)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    if state:
        qs = qs.filter(state=state)
    if group:
        qs = qs.filter(key_groups__contains=group) if _json_contains() else qs.filter(
            key_groups__icontains=f'"{group}"')
    if expiring:
        qs = qs.filter(state="active", end_date__lte=today + datetime.timedelta(
            days=setting("RENEWAL_WARNING_DAYS")))
    _audit(actor, "contracts", state=state, group=group, expiring=expiring)
    return qs.order_by("end_date", "id")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def contract_detail(actor, pk: int) -> Contract:
    actor = as_actor(actor)
    contract = get_in_scope(Contract.objects.select_related("person", "team__clinic", "area"),
                            actor, VIEW, pk=pk)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=contract,
                     object_repr=f"contract {contract.pk}")
    return contract


def _age_bounds(on: datetime.date, min_age: int | None = None, max_age: int | None = None):
    """Birth-date conditions for an age range on a date (inclusive ages)."""
    q = Q()
    if min_age is not None:
        q &= Q(birth_date__lte=add_months(on, -12 * min_age))
    if max_age is not None:
        q &= Q(birth_date__gt=add_months(on, -12 * (max_age + 1)))
    return q


def contract_coverage(actor, *, on: datetime.date | None = None) -> list[dict]:
    """Per community in scope: residents, active contracts, and for the key groups the
    registry knows (65+, 0-6, disabled, low income) their residents and contracted."""
    actor = as_actor(actor)
    on = on or timezone.localdate()
    areas = list(communities(actor, VIEW))
    ids = [a.id for a in areas]
    living = Person.objects.filter(residence_area_id__in=ids, status=Person.Status.LIVING)
    active = Contract.objects.filter(state="active", start_date__lte=on, end_date__gte=on,
                                     person_id=OuterRef("pk"))
    groups = {"elderly": _age_bounds(on, min_age=setting("ELDERLY_AGE")),
              "child": _age_bounds(on, max_age=setting("CHILD_MAX_AGE"))}
    for group, fact in setting("KEY_GROUP_FACTS").items():
        if fact in facts.FACTS:
            groups[group] = Q(pk__in=facts.holder_ids(fact, on))
    annotations = {"residents": Count("id"),
                   "contracted": Count("id", filter=Q(signed=True))}
    for g, cond in groups.items():
        annotations[f"{g}_n"] = Count("id", filter=cond)
        annotations[f"{g}_c"] = Count("id", filter=cond & Q(signed=True))
    rows = {r["residence_area_id"]: r for r in living.annotate(signed=Exists(active))
            .values("residence_area_id").annotate(**annotations)}
    out = []
    for area in areas:
        r = rows.get(area.id, {})
        item = {"area": area, "residents": r.get("residents", 0),
                "contracted": r.get("contracted", 0), "groups": []}
        for g in groups:
            item["groups"].append((g, r.get(f"{g}_n", 0), r.get(f"{g}_c", 0)))
        out.append(item)
    _audit(actor, "coverage", on=on.isoformat())
    return out


# ---------------------------------------------------------------- referrals
def _referrals_in_scope(actor) -> QuerySet:
    """A referral is seen at both ends: the patient's community, the referring and the
    receiving facility."""
    ids = actor.area_ids(VIEW)
    return Referral.objects.filter(Q(area_id__in=ids) | Q(from_facility__area_id__in=ids)
                                   | Q(to_facility__area_id__in=ids))


def referral_list(actor, *, box: str = "", state: str = "") -> QuerySet:
    actor = as_actor(actor)
    qs = _referrals_in_scope(actor).select_related("person", "from_facility", "to_facility",
                                                   "team")
    refer_ids = actor.area_ids(REFER)
    if box == "incoming":
        qs = qs.filter(to_facility__area_id__in=refer_ids)
    elif box == "outgoing":
        qs = qs.filter(from_facility__area_id__in=refer_ids)
    if state == "open":
        qs = qs.filter(state__in=("sent", "acknowledged"))
    elif state:
        qs = qs.filter(state=state)
    _audit(actor, "referrals", box=box, state=state)
    return qs.order_by("-sent_at", "-id")


def referral_detail(actor, pk: int) -> Referral:
    actor = as_actor(actor)
    try:
        referral = _referrals_in_scope(actor).select_related(
            "person", "from_facility__area", "to_facility__area", "team", "alliance").get(pk=pk)
    except Referral.DoesNotExist:
        from minsheng.core.errors import NotFound

        raise NotFound() from None
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=referral,
                     object_repr=f"referral {referral.pk}")
    return referral


# ---------------------------------------------------------------- insurance coverage
def _covered(schemes, on: datetime.date):
    return Exists(Enrolment.objects.filter(
        person_id=OuterRef("pk"), scheme__in=schemes, start_date__lte=on).filter(
        Q(current=True) | Q(batch__isnull=True)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)))


def working_age(on: datetime.date) -> Q:
    return _age_bounds(on, min_age=setting("WORKING_AGE_MIN"),
                       max_age=setting("WORKING_AGE_MAX"))


def uninsured(actor, *, area: Area | None = None, missing: str = "",
              on: datetime.date | None = None) -> QuerySet:
    """Working-age living residents in scope without pension or without medical cover on
    `on`, person by person, with `has_pension`, `has_medical` and `open_case`."""
    actor = as_actor(actor)
    on = on or timezone.localdate()
    qs = scoped(Person.objects.filter(status=Person.Status.LIVING).filter(working_age(on)),
                actor, COVERAGE, "residence_area")
    if area is not None:
        qs = qs.filter(residence_area__path__startswith=area.path)
    qs = qs.annotate(has_pension=_covered(PENSION, on), has_medical=_covered(MEDICAL, on),
                     open_case=Exists(Outreach.objects.filter(
                         person_id=OuterRef("pk"), state__in=("open", "contacted"))))
    if missing == "pension":
        qs = qs.filter(has_pension=False)
    elif missing == "medical":
        qs = qs.filter(has_medical=False)
    elif missing == "both":
        qs = qs.filter(has_pension=False, has_medical=False)
    else:
        qs = qs.filter(Q(has_pension=False) | Q(has_medical=False))
    _audit(actor, "uninsured", missing=missing, on=on.isoformat())
    return qs.select_related("residence_area").order_by("residence_area__code", "id")


def insured_rates(actor, *, on: datetime.date | None = None) -> list[dict]:
    """Per community in scope: working-age residents, with pension, with medical cover,
    with both (the uninsured list's complement)."""
    actor = as_actor(actor)
    on = on or timezone.localdate()
    areas = list(communities(actor, COVERAGE))
    rows = {r["residence_area_id"]: r for r in Person.objects.filter(
        residence_area_id__in=[a.id for a in areas], status=Person.Status.LIVING)
        .filter(working_age(on))
        .annotate(p=_covered(PENSION, on), m=_covered(MEDICAL, on))
        .values("residence_area_id").annotate(
            n=Count("id"), pension=Count("id", filter=Q(p=True)),
            medical=Count("id", filter=Q(m=True)),
            both=Count("id", filter=Q(p=True, m=True)))}
    out = []
    for area in areas:
        r = rows.get(area.id, {})
        n = r.get("n", 0)
        out.append({"area": area, "n": n, "pension": r.get("pension", 0),
                    "medical": r.get("medical", 0), "both": r.get("both", 0),
                    "uninsured": n - r.get("both", 0)})
    return out


def imports(actor) -> QuerySet:
    require(as_actor(actor), IMPORT)
    return EnrolmentImport.objects.select_related("imported_by")


def probable_links(actor) -> QuerySet:
    actor = as_actor(actor)
    qs = scoped(Enrolment.objects.filter(match="probable", current=True)
                .select_related("candidate", "candidate__residence_area", "batch"),
                actor, IMPORT, "candidate__residence_area")
    _audit(actor, "probable_links")
    return qs.order_by("-match_weight", "id")


def enrolment_get(actor, pk: int) -> Enrolment:
    return get_in_scope(Enrolment.objects.select_related("candidate__residence_area"),
                        as_actor(actor), IMPORT, "candidate__residence_area", pk=pk)


def outreach_list(actor, *, state: str = "") -> QuerySet:
    actor = as_actor(actor)
    qs = scoped(Outreach.objects.select_related("person", "area"), actor, COVERAGE)
    if state == "open":
        qs = qs.filter(state__in=("open", "contacted"))
    elif state:
        qs = qs.filter(state=state)
    _audit(actor, "outreach", state=state)
    return qs.order_by("opened_on", "id")


def outreach_detail(actor, pk: int) -> Outreach:
    actor = as_actor(actor)
    case = get_in_scope(Outreach.objects.select_related("person", "area"), actor, COVERAGE,
                        pk=pk)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=case,
                     object_repr=f"outreach {case.pk}")
    return case


def person_enrolments(actor, person: Person) -> QuerySet:
    require(as_actor(actor), COVERAGE, person.residence_area)
    return Enrolment.objects.filter(person=person).filter(
        Q(current=True) | Q(batch__isnull=True)).order_by("scheme", "start_date")


__all__ = ["OUTREACH"]
