"""Every read of follow-up items, scoped to the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from minsheng.casework.models import FollowUp
from minsheng.casework.permissions import HANDLE, VIEW
from minsheng.core.access import R, as_actor, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Organization


def followup_list(actor, *, state: str = "open", kind: str = "",
                  department: Organization | None = None,
                  source_type: str = "", source_ids=None) -> QuerySet[FollowUp]:
    actor = as_actor(actor)
    qs = scoped(FollowUp.objects.all(), actor, VIEW)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if department is not None:
        qs = qs.filter(department=department)
    if source_type:
        qs = qs.filter(source_type=source_type)
    if source_ids is not None:
        qs = qs.filter(source_id__in=[str(i) for i in source_ids])
    return qs.select_related("department", "area")


def followup_get(actor, *, pk: int) -> FollowUp:
    try:
        return followup_list(actor, state="").get(pk=pk)
    except FollowUp.DoesNotExist:
        raise NotFound() from None


def can_close(actor, item: FollowUp) -> bool:
    """Whether the page offers "close" on this item: open, in the actor's area for handling
    follow-ups, and the actor's department's work (system administrators close any).
    The service decides again when the form is sent."""
    actor = as_actor(actor)
    if item.state != FollowUp.State.OPEN or not actor.covers(HANDLE, item.area):
        return False
    if actor.system or item.department_id is None or R.SYSTEM_ADMIN in actor.roles:
        return True
    return actor.department_code == item.department.department_code


def with_close_flags(actor, items) -> list[FollowUp]:
    """The items with `can_close` set for the page (no query per item)."""
    items = list(items)
    for item in items:
        item.can_close = can_close(actor, item)
    return items
