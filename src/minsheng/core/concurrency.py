"""Optimistic concurrency: an update succeeds only if the row still has the version the
editor read. One conditional UPDATE decides, so two editors can never both win."""

from django.db.models import F
from django.utils import timezone

from minsheng.core.errors import StaleVersion


def save_versioned(obj, expected_version: int, fields: list[str],
                   values: dict | None = None) -> None:
    """Write `fields` (read from obj, or given in `values` and set on obj only once the
    write succeeded, so a refused edit leaves the object as it was)."""
    model = type(obj)
    values = dict(values) if values is not None else {f: getattr(obj, f) for f in fields}
    if any(f.name == "updated_at" for f in model._meta.fields):
        values["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values)
    if not updated:
        raise StaleVersion(details={"expected_version": expected_version})
    for field, value in values.items():
        setattr(obj, field, value)
    obj.version = expected_version + 1
