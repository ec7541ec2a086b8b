"""The audit log as a hash chain (tamper evidence, MLPS level 3 audit integrity).

Each entry's hash covers its own content and the previous entry's hash. Entries are
sealed one at a time: on PostgreSQL a transaction-level advisory lock serialises the
sealing (held until the audited change commits); SQLite already runs one writing
transaction at a time. `verify()` walks the log in order and reports the first entry
whose content or link does not match."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

# An arbitrary, fixed key for pg_advisory_xact_lock: "minsheng audit chain".
LOCK_KEY = 0x6D696E73_61756474 & 0x7FFF_FFFF_FFFF_FFFF
GENESIS = "0" * 64


def canonical(entry) -> bytes:
    body = {
        "prev": entry.prev_hash, "at": entry.at.isoformat(), "actor": entry.actor_id,
        "actor_name": entry.actor_name, "action": entry.action,
        "object_type": entry.object_type, "object_id": entry.object_id,
        "object_repr": entry.object_repr, "changes": entry.changes,
        "request_id": entry.request_id, "ip": entry.ip,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8")


def digest(entry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def seal(entry) -> None:
    """Give a new entry its time, the previous hash and its own hash."""
    from minsheng.core.models import AuditEntry

    # what the database will give back, so the hash can be recomputed from stored rows
    entry.changes = json.loads(json.dumps(entry.changes or {}, default=str))
    entry.ip = entry._meta.get_field("ip").to_python(entry.ip) or None
    entry.at = timezone.now()
    _lock()
    last = (AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first())
    entry.prev_hash = last or GENESIS
    entry.hash = digest(entry)


@dataclass
class Verification:
    checked: int
    first_break: int | None = None  # id of the first entry that does not match
    reason: str = ""


def verify(chunk: int = 5000, progress=None) -> Verification:
    """Recompute the chain in id order; stop at the first mismatch."""
    from minsheng.core.models import AuditEntry

    previous, checked = GENESIS, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk):
        if entry.prev_hash != previous:
            return Verification(checked, entry.pk, "link to the previous entry does not match "
                                "(an entry was removed or inserted before it)")
        if digest(entry) != entry.hash:
            return Verification(checked, entry.pk, "content does not match its hash "
                                "(the entry was changed)")
        previous, checked = entry.hash, checked + 1
        if progress is not None and checked % chunk == 0:
            progress(checked)
    return Verification(checked)
