"""Optimistic concurrency, the one idiom for every versioned write: an update succeeds only
if the row still has the version the editor read. One conditional UPDATE decides, so two
editors (or two deciders of a case) can never both win; the loser gets `StaleVersion`
with the same message everywhere."""

from django.db.models import F
from django.utils import timezone

from minsheng.core.errors import StaleVersion


def save_versioned(obj, expected_version: int | None, fields: list[str] | None = None,
                   values: dict | None = None, *, where: dict | None = None) -> None:
    """Write `fields` (read from obj, or given in `values` and set on obj only once the
    write succeeded, so a refused edit leaves the object as it was).

    `expected_version` None means the version on the object (a write by the platform
    itself, e.g. a scheduled job). `where` adds conditions the row must still meet (a
    workflow passes the state it moves from)."""
    model = type(obj)
    expected = obj.version if expected_version is None else int(expected_version)
    values = dict(values) if values is not None else {f: getattr(obj, f) for f in fields or ()}
    if any(f.name == "updated_at" for f in model._meta.fields):
        values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=obj.pk, version=expected, **(where or {})).update(
        version=F("version") + 1, **values)
    if not updated:
        raise StaleVersion(details={"expected_version": expected})
    for field, value in values.items():
        setattr(obj, field, value)
    obj.version = expected + 1
