"""The staff second factor (TOTP, django-otp): enrol a device, confirm it with a code,
verify a code after the password, and reset a lost device. Every step is audited.

Who must use it is decided in `core.access.needs_second_factor`; the middleware
(`core.middleware.SecondFactorMiddleware`) holds such users at the verify page until the
session is verified. A wrong code counts towards django-otp's throttle (each failure
doubles the wait), and that count is kept even though the attempt is refused."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.core.models import AuditEntry, User


def _user(actor) -> User:
    user = actor.user
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    return user


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def second_factor_enrol_start(*, actor, verified: bool) -> TOTPDevice:
    """The device being enrolled (created on first call; the same one until confirmed).
    A user who already has a device replaces it only from a verified session: otherwise
    a stolen password would be enough to enrol the thief's phone."""
    actor = as_actor(actor)
    user = _user(actor)
    if confirmed_device(user) is not None and not verified:
        raise PermissionDenied(_("Confirm your current one-time code before you enrol a "
                                 "new device."))
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if pending is not None:
        return pending
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="minsheng", confirmed=False)
        audit.record(actor, AuditEntry.Action.CREATE, obj=device,
                     object_repr=f"second factor of {user.username}",
                     changes={"confirmed": [None, False]})
    return device


def _check(device: TOTPDevice, token: str) -> bool:
    token = (token or "").strip()
    return token.isdigit() and len(token) == device.digits and device.verify_token(token)


def second_factor_enrol_confirm(*, actor, token: str, verified: bool) -> TOTPDevice:
    """Confirm the device being enrolled with a code it shows; it then replaces any
    earlier device of the user."""
    actor = as_actor(actor)
    user = _user(actor)
    if confirmed_device(user) is not None and not verified:
        raise PermissionDenied(_("Confirm your current one-time code before you enrol a "
                                 "new device."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise ValidationFailed(_("Start the enrolment again: no device is waiting to be "
                                 "confirmed."), field="token")
    if not _check(device, token):  # the failure count of the throttle is kept
        raise ValidationFailed(_("The code is wrong or has expired. Enter the code your "
                                 "app shows now."), field="token")
    with transaction.atomic():
        replaced = list(TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
                        .values_list("pk", flat=True))
        TOTPDevice.objects.filter(pk__in=replaced).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit.record(actor, AuditEntry.Action.UPDATE, obj=device,
                     object_repr=f"second factor of {user.username}",
                     changes={"confirmed": [False, True], "replaced": [replaced, None]})
    return device


def second_factor_verify(*, actor, token: str) -> TOTPDevice:
    """Check a code after the password. Success and failure are both audited."""
    actor = as_actor(actor)
    user = _user(actor)
    device = confirmed_device(user)
    if device is None:
        raise ValidationFailed(_("You have no second factor yet: enrol one first."),
                               field="token")
    ok = _check(device, token)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.LOGIN, obj=user,
                     changes={"second_factor": "verified" if ok else "refused"})
    if not ok:
        raise ValidationFailed(_("The code is wrong or has expired. Enter the code your "
                                 "app shows now."), field="token")
    return device


def second_factor_reset(*, actor, user: User) -> int:
    """Remove a user's devices (a lost phone): they enrol again at their next login. A
    security administrator does this, never for themselves."""
    actor = as_actor(actor)
    require(actor, "core.reset_second_factor")
    if actor.user is not None and getattr(actor.user, "pk", None) == user.pk:
        raise PermissionDenied(_("Another security administrator resets your second "
                                 "factor."))
    with transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor, AuditEntry.Action.DELETE, obj=user,
                     changes={"second_factor": ["enrolled", None], "devices": removed})
    return removed
