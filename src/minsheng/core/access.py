"""The one place that decides who may see and do what.

A user holds roles, each limited to an area subtree. A permission is granted by a role;
the areas where it applies are the subtrees of the roles that grant it. Selectors filter
every query by `Actor.area_ids(permission)`; objects outside scope are reported as not found
so that their existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from minsheng.core.errors import NotFound, PermissionDenied
from minsheng.core.models import Area, RoleAssignment

R = RoleAssignment.Role

# Core permissions. Domain modules add theirs with `grant()` from their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, set[str]] = {
    R.SYSTEM_ADMIN: {"core.view_registry", "core.change_registry", "core.import",
                     "core.export", "core.reveal_personal", "core.view_audit",
                     "core.manage_users", "core.manage_calendar", "core.view_organizations",
                     "core.request_role_change", "core.view_role_changes"},
    R.DEPARTMENT_ADMIN: {"core.view_registry", "core.change_registry", "core.import",
                         "core.export", "core.manage_users", "core.view_organizations",
                         "core.request_role_change"},
    R.CASEWORKER: {"core.view_registry", "core.change_registry", "core.reveal_personal",
                   "core.view_organizations"},
    R.REVIEWER: {"core.view_registry", "core.reveal_personal", "core.view_organizations"},
    R.APPROVER: {"core.view_registry", "core.reveal_personal", "core.view_organizations",
                 "core.export"},
    R.PLAN_SUPERVISOR: {"core.view_organizations", "core.export"},
    R.DATA_ENTRY: {"core.view_organizations"},
    R.AUDITOR: {"core.view_registry", "core.view_organizations", "core.view_audit",
                "core.view_role_changes"},
    # Decides the role changes a system administrator asks for and resets a lost second
    # factor; sees no personal data.
    R.SECURITY_ADMIN: {"core.view_organizations", "core.view_role_changes",
                       "core.decide_role_change", "core.reset_second_factor"},
}

# The three duties MLPS level 3 keeps apart: one person holds at most one of them.
SEPARATE_DUTIES = (R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.AUDITOR)


# Permissions that, on top of the role, belong to one department's staff (personal health
# data belongs to the health department: a caseworker of civil affairs holds the same role
# but not the department). A system administrator is not limited by department.
DEPARTMENT_ONLY: dict[str, str] = {}


def reserve(department_code: str, *permissions: str) -> None:
    """Limit permissions to staff of one department (called from AppConfig.ready)."""
    for permission in permissions:
        DEPARTMENT_ONLY[permission] = department_code


def grant(role: str, *permissions: str) -> None:
    """Register a module's permissions for a role (called from AppConfig.ready)."""
    ROLE_PERMISSIONS.setdefault(role, set()).update(permissions)


def is_decisive(permission: str) -> bool:
    """A permission that approves or decides something (`indicators.approve_values`,
    `assistance.decide`, `core.decide_role_change`)."""
    words = permission.partition(".")[2].split("_")
    return "approve" in words or "decide" in words


def needs_second_factor(actor: Actor) -> bool:
    """The rule for the second factor: a user holding any role that may reveal personal
    data (`core.reveal_personal`, any `*.reveal_*`), approve or decide (including role
    changes) confirms a one-time code after the password. Other staff (data entry, plan supervisors,
    auditors) log in with the password alone."""
    for role in actor.roles:
        permissions = ROLE_PERMISSIONS.get(role, ())
        if any(is_decisive(p) or "reveal" in p.partition(".")[2].split("_")
               for p in permissions):
            return True
    return False


def all_permissions() -> set[str]:
    return set().union(*ROLE_PERMISSIONS.values())


@dataclass
class Actor:
    """A user with their roles resolved once per request."""

    user: object
    grants: list[tuple[str, str]] = field(default_factory=list)  # (role, area path)
    # The platform itself (CLI run by the operator, background jobs, demo builder).
    system: bool = False
    _area_ids: dict[str, list[int] | None] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def department_code(self) -> str | None:
        department = getattr(self.user, "department", None)
        return department.department_code if department else None

    @property
    def roles(self) -> set[str]:
        return {role for role, _ in self.grants}

    def paths(self, permission: str) -> list[str]:
        if self.system:
            return list(Area.objects.filter(parent=None).values_list("path", flat=True)) or [""]
        department = DEPARTMENT_ONLY.get(permission)
        outside = department is not None and self.department_code != department
        return sorted({path for role, path in self.grants
                       if permission in ROLE_PERMISSIONS.get(role, ())
                       and not (outside and role != R.SYSTEM_ADMIN)})

    def has(self, permission: str) -> bool:
        return self.system or bool(self.paths(permission))

    def covers(self, permission: str, area: Area | None) -> bool:
        """Whether the permission applies in this area (None: anywhere)."""
        if self.system:
            return True
        paths = self.paths(permission)
        if area is None:
            return bool(paths)
        return any(area.path == p or area.path.startswith(p + "/") for p in paths)

    def area_ids(self, permission: str) -> list[int]:
        """Ids of every area where the permission applies (areas number in the hundreds)."""
        if permission not in self._area_ids and self.system:
            self._area_ids[permission] = list(Area.objects.values_list("id", flat=True))
        if permission not in self._area_ids:
            paths = self.paths(permission)
            if not paths:
                self._area_ids[permission] = []
            else:
                condition = Q()
                for p in paths:
                    condition |= Q(path=p) | Q(path__startswith=p + "/")
                self._area_ids[permission] = list(
                    Area.objects.filter(condition).values_list("id", flat=True))
        return self._area_ids[permission]


def system_actor() -> Actor:
    from django.contrib.auth.models import AnonymousUser

    return Actor(user=AnonymousUser(), system=True)


def actor_for(user) -> Actor:
    """The actor for a user, cached on the user object for the request."""
    cached = getattr(user, "_minsheng_actor", None)
    if cached is not None:
        return cached
    grants = []
    if getattr(user, "is_authenticated", False) and user.is_active:
        grants = list(RoleAssignment.objects.filter(user=user)
                      .values_list("role", "area__path"))
    actor = Actor(user=user, grants=grants)
    try:
        user._minsheng_actor = actor
    except AttributeError:
        pass
    return actor


def as_actor(actor_or_user) -> Actor:
    return actor_or_user if isinstance(actor_or_user, Actor) else actor_for(actor_or_user)


def require(actor: Actor, permission: str, area: Area | None = None) -> None:
    if not actor.covers(permission, area):
        raise PermissionDenied()


def require_department(actor: Actor, department) -> None:
    """Only staff of `department` (an Organization, or None for no limit) may do this; the
    platform and system administrators are not limited by department."""
    if (department is None or actor.system or R.SYSTEM_ADMIN in actor.roles
            or actor.department_code == department.department_code):
        return
    raise PermissionDenied()


def scoped(qs: QuerySet, actor: Actor, permission: str, area_field: str = "area") -> QuerySet:
    """Limit a queryset to rows whose area lies in the actor's scope for the permission."""
    return qs.filter(**{f"{area_field}_id__in": actor.area_ids(permission)})


def get_in_scope(qs: QuerySet, actor: Actor, permission: str, area_field: str = "area",
                 **lookup):
    try:
        return scoped(qs, actor, permission, area_field).get(**lookup)
    except qs.model.DoesNotExist:
        raise NotFound() from None
