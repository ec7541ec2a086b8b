"""Facts one module publishes about a person, read by others without importing it.

A module declares each fact it knows (name, description, and a function giving the
periods in which the fact held for each person) from its AppConfig.ready():

    facts.register(Fact("assistance.dibao_household", _("In a dibao household"),
                        module="minsheng.assistance", periods=dibao_member_periods))

`periods()` returns a queryset (or a union of them) with the columns `person_id`,
`since` and `until` (None: still holds), so that a fact can filter a population in SQL.
Readers ask `facts.of(actor, person, names)` for one person, or `facts.filter_people(
actor, queryset, name)` for many. Both are scoped (the person must lie in the actor's
area for `core.view_registry`) and audited as sensitive reads, like any read of a
person's benefits or health. Every fact is listed in docs/registries.md (a test checks).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from minsheng.core import audit
from minsheng.core.access import as_actor, require, scoped
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Person

READ = "core.view_registry"


@dataclass(frozen=True)
class Fact:
    name: str
    description: str
    module: str
    periods: Callable[[], QuerySet]  # rows with person_id, since, until (None = open)


@dataclass(frozen=True)
class FactValue:
    name: str
    holds: bool
    since: datetime.date | None = None
    until: datetime.date | None = None


FACTS: dict[str, Fact] = {}


def register(fact: Fact) -> None:
    if fact.name in FACTS and FACTS[fact.name] != fact:
        raise ValueError(f"fact {fact.name} registered twice")
    FACTS[fact.name] = fact


def _fact(name: str) -> Fact:
    try:
        return FACTS[name]
    except KeyError:
        raise ValidationFailed(f"unknown fact: {name}", details={"fact": name}) from None


def holding_on(name: str, on: datetime.date | None = None) -> QuerySet:
    """The periods of a fact that cover `on` (today by default), as a queryset."""
    on = on or timezone.localdate()
    return _fact(name).periods().filter(Q(since__lte=on) | Q(since=None)).filter(
        Q(until=None) | Q(until__gte=on))


def holder_ids(name: str, on: datetime.date | None = None) -> QuerySet:
    """Person ids for which the fact holds on `on`: a subquery, unscoped, for engines
    (indicator sources, batch jobs run by the platform). Pages and APIs use the scoped
    functions below."""
    return holding_on(name, on).values("person_id")


def of(actor, person: Person, names: list[str] | tuple[str, ...],
       on: datetime.date | None = None) -> dict[str, FactValue]:
    """What the named facts say about one person on a date: scoped to the actor and
    written to the audit log as a sensitive read."""
    actor = as_actor(actor)
    require(actor, READ, person.residence_area)
    on = on or timezone.localdate()
    result = {}
    for name in names:
        row = (holding_on(name, on).filter(person_id=person.pk)
               .values("since", "until").first())
        result[name] = (FactValue(name, True, row["since"], row["until"]) if row
                        else FactValue(name, False))
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=person,
                     changes={"facts": sorted(names), "on": on.isoformat()})
    return result


def filter_people(actor, queryset: QuerySet, name: str, *, on: datetime.date | None = None,
                  person_field: str = "pk", holds: bool = True,
                  area_field: str | None = None) -> QuerySet:
    """`queryset` limited to rows whose person does (or, with holds=False, does not) have
    the fact on `on`, and to the actor's area. Audited once per use, naming the fact."""
    actor = as_actor(actor)
    require(actor, READ)
    area_field = area_field or ("residence_area" if person_field == "pk"
                                else f"{person_field}__residence_area")
    lookup = {f"{person_field}__in": holder_ids(name, on)}
    filtered = queryset.filter(**lookup) if holds else queryset.exclude(**lookup)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, object_type="core.fact", object_id=name,
                     object_repr=_fact(name).description[:200],
                     changes={"on": (on or timezone.localdate()).isoformat(),
                              "holds": holds})
    return scoped(filtered, actor, READ, area_field)
