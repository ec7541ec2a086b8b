"""Role changes need two people (separation of duties, MLPS level 3).

A system administrator *requests* a role grant or removal (`core.request_role_change`
over the area); a security administrator *decides* it (`core.decide_role_change`). Nobody
decides a request they made, or one about themselves. Only an approval writes
`RoleAssignment`. System administrator, security administrator and auditor are duties
one person may not combine. Every step is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import SEPARATE_DUTIES, as_actor, require
from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.core.models import (
    Area,
    AuditEntry,
    RoleAssignment,
    RoleChangeRequest,
    User,
)

Kind = RoleChangeRequest.Kind
State = RoleChangeRequest.State


def _repr(change: RoleChangeRequest) -> str:
    return f"{change.kind} {change.role} @ {change.area.code} for {change.user.username}"


def role_change_request(*, actor, user: User, role: str, area: Area, kind: str = Kind.GRANT,
                        reason: str = "") -> RoleChangeRequest:
    actor = as_actor(actor)
    require(actor, "core.request_role_change", area)
    if not actor.is_authenticated:
        raise PermissionDenied(_("A role change is asked for by a named person"))
    if role not in RoleAssignment.Role.values:
        raise ValidationFailed(_("Unknown role"), field="role")
    if kind not in Kind.values:
        raise ValidationFailed(_("Unknown kind of change"), field="kind")
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationFailed(_("The reason is too long (at most 300 characters)"),
                               field="reason")
    held = RoleAssignment.objects.filter(user=user, role=role, area=area).exists()
    if kind == Kind.GRANT and held:
        raise Conflict(_("The user already holds this role in this area"), field="role")
    if kind == Kind.REVOKE and not held:
        raise ValidationFailed(_("The user does not hold this role in this area"),
                               field="role")
    if kind == Kind.GRANT and role in SEPARATE_DUTIES:
        other = (RoleAssignment.objects.filter(user=user, role__in=SEPARATE_DUTIES)
                 .exclude(role=role).values_list("role", flat=True).first())
        if other:
            raise ValidationFailed(
                _("System administrator, security administrator and auditor are held by "
                  "different people: this user is already %(role)s")
                % {"role": RoleAssignment.Role(other).label}, field="role")
    if RoleChangeRequest.objects.filter(user=user, role=role, area=area, kind=kind,
                                        state=State.PENDING).exists():
        raise Conflict(_("The same change is already waiting for a decision"), field="role")
    with transaction.atomic():
        change = RoleChangeRequest.objects.create(
            user=user, role=role, area=area, kind=kind, reason=reason,
            requested_by=actor.user)
        audit.record(actor, AuditEntry.Action.CREATE, obj=change, object_repr=_repr(change),
                     changes={"state": [None, State.PENDING], "user": user.username,
                              "role": role, "area": area.code, "kind": kind})
    return change


def _decide(actor, change: RoleChangeRequest, target: str, note: str) -> RoleChangeRequest:
    require(actor, "core.decide_role_change", change.area)
    if not actor.is_authenticated:
        raise PermissionDenied(_("A role change is decided by a named person"))
    if actor.user.pk in (change.requested_by_id, change.user_id):
        raise PermissionDenied(_("A role change is decided by someone other than the "
                                 "person who asked for it and the person it is about."))
    if change.state != State.PENDING:
        raise Conflict(_("This request has already been decided"))
    note = (note or "").strip()[:300]
    with transaction.atomic():
        # whoever decides first wins; the second decision finds nothing pending
        moved = RoleChangeRequest.objects.filter(pk=change.pk, state=State.PENDING).update(
            state=target, decided_by=actor.user,
            decided_at=timezone.now(), decision_note=note)
        if not moved:
            raise Conflict(_("This request has already been decided"))
        change.refresh_from_db()
        if target == State.APPROVED and change.kind == Kind.GRANT:
            assignment, _created = RoleAssignment.objects.get_or_create(
                user=change.user, role=change.role, area=change.area)
            audit.record(actor, AuditEntry.Action.CREATE, obj=assignment,
                         object_repr=_repr(change),
                         changes={"role": [None, change.role], "request": change.pk})
        elif target == State.APPROVED:
            RoleAssignment.objects.filter(user=change.user, role=change.role,
                                          area=change.area).delete()
            audit.record(actor, AuditEntry.Action.DELETE, obj=change.user,
                         object_repr=_repr(change),
                         changes={"role": [change.role, None], "area": change.area.code,
                                  "request": change.pk})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=change, object_repr=_repr(change),
                     changes={"state": [State.PENDING, target], "note": note})
    return change


def role_change_approve(*, actor, change: RoleChangeRequest,
                        note: str = "") -> RoleChangeRequest:
    return _decide(as_actor(actor), change, State.APPROVED, note)


def role_change_reject(*, actor, change: RoleChangeRequest,
                       note: str = "") -> RoleChangeRequest:
    return _decide(as_actor(actor), change, State.REJECTED, note)
