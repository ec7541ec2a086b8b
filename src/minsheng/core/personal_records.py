"""Where a person's data lives, read from the models themselves (PIPL: the person-level
access report). Every record with a foreign key to `Person` is the person's record, in
whichever module it is (a new module is covered without declaring anything), and so is
what such a record points to — their dibao case through the case member, their household
through the membership — except the shared registers (areas, organisations, users),
which are nobody's personal data."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.db.models import Q

from minsheng.core.models import Person

SHARED = {"core.area", "core.organization", "auth.user", "core.user"}


@cache
def _links() -> tuple[tuple[type, str, tuple[str, ...]], ...]:
    """(model, its field naming a person, its other foreign keys to personal records)."""
    found = []
    for model in apps.get_models():
        if model._meta.label_lower == "core.auditentry":
            continue
        onward = tuple(f.name for f in model._meta.concrete_fields
                       if f.is_relation and f.related_model is not Person
                       and f.related_model._meta.label_lower not in SHARED)
        found += [(model, f.name, onward) for f in model._meta.concrete_fields
                  if f.is_relation and f.related_model is Person]
    return tuple(found)


def records_of(person: Person) -> dict[str, set[str]]:
    """{model label: ids} of every record that names the person, and of the records
    those point to."""
    out: dict[str, set[str]] = {"core.person": {str(person.pk)}}
    for model, field, onward in _links():
        rows = model.objects.filter(**{field: person}).values("pk", *(f"{n}_id" for n in
                                                                      onward))
        for row in rows:
            out.setdefault(model._meta.label_lower, set()).add(str(row["pk"]))
            for name in onward:
                target = model._meta.get_field(name).related_model._meta.label_lower
                if row[f"{name}_id"] is not None:
                    out.setdefault(target, set()).add(str(row[f"{name}_id"]))
    return out


def audit_filter(person: Person) -> Q:
    """The audit entries about the person's records."""
    q = Q()
    for label, ids in records_of(person).items():
        q |= Q(object_type=label, object_id__in=sorted(ids))
    return q
