"""Exports are recorded in the audit log (who took which list out of the platform)."""

from __future__ import annotations

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.models import AuditEntry
from minsheng.culture import permissions as P


def export_record(*, actor, name: str, rows: int) -> None:
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    audit.record(actor, AuditEntry.Action.EXPORT, object_type=f"culture.{name}",
                 object_repr=f"{name}.xlsx", changes={"rows": [None, rows]})
