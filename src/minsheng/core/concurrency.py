"""Optimistic concurrency: an update succeeds only if the row still has the version the
editor read. One conditional UPDATE decides, so two editors can never both win."""

from django.db.models import F
from django.utils import timezone

from minsheng.core.errors import StaleVersion


def save_versioned(obj, expected_version: int, fields: list[str]) -> None:
    model = type(obj)
    values = {f: getattr(obj, f) for f in fields}
    if any(f.name == "updated_at" for f in model._meta.fields):
        obj.updated_at = values["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **values)
    if not updated:
        raise StaleVersion(details={"expected_version": expected_version})
    obj.version = expected_version + 1
