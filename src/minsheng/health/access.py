"""Who may touch health data. Permissions come from roles (granted in apps.py); on top of
that, personal health data and alert responses belong to the health department: a
caseworker of another department holds the role but not the department."""

from __future__ import annotations

from minsheng.core.access import Actor, as_actor, require
from minsheng.core.errors import PermissionDenied
from minsheng.core.models import Area

HEALTH_DEPARTMENT = "health"


def is_health_staff(actor: Actor) -> bool:
    return (actor.system or "system_admin" in actor.roles
            or actor.department_code == HEALTH_DEPARTMENT)


def require_health(actor, permission: str, area: Area | None = None) -> Actor:
    """The permission in the area, held by health-department staff (or a system admin)."""
    actor = as_actor(actor)
    require(actor, permission, area)
    if not is_health_staff(actor):
        raise PermissionDenied()
    return actor
