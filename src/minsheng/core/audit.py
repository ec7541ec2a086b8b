"""Writing the audit log. Callers run inside the transaction of the change they record."""

from __future__ import annotations

import contextvars
import datetime
import decimal

from django.db import models

from minsheng.core.models import AuditEntry

# Set by RequestContextMiddleware; empty outside requests (CLI, worker).
request_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request_context", default=None)


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for fields that changed."""
    return {k: [_plain(before.get(k)), _plain(after.get(k))]
            for k in after if _plain(before.get(k)) != _plain(after.get(k))}


# Fields whose values the audit log keeps masked (the log is read by auditors, who may not
# see them in clear; revealing a value is its own audited action).
SENSITIVE_FIELDS = {"id_number", "phone", "mobile", "bank_account", "account_number",
                    "guardian_id_number", "applicant_id_number", "contact_phone"}


def _masked(value):
    from minsheng.core.identifiers import mask, mask_phone

    if not isinstance(value, str) or not value:
        return value
    return mask_phone(value) if len(value) <= 13 else mask(value)


def mask_changes(changes: dict) -> dict:
    """{field: [old, new]} with sensitive fields' values masked."""
    masked = {}
    for field, value in changes.items():
        if field in SENSITIVE_FIELDS:
            value = ([_masked(v) for v in value] if isinstance(value, list | tuple)
                     else _masked(value))
        masked[field] = value
    return masked


def record(actor, action: str, *, obj=None, object_type: str = "", object_id="",
           object_repr: str = "", changes: dict | None = None) -> AuditEntry:
    user = getattr(actor, "user", actor)
    is_user = getattr(user, "is_authenticated", False)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    ctx = request_context.get() or {}
    return AuditEntry.objects.create(
        actor=user if is_user else None,
        actor_name=(getattr(user, "username", "") if is_user else "system"),
        action=action, object_type=object_type, object_id=str(object_id),
        object_repr=object_repr[:200], changes=mask_changes(changes or {}),
        request_id=ctx.get("request_id", ""), ip=ctx.get("ip"),
    )


def snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}
