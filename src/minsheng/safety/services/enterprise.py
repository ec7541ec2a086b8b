"""Enterprise safety profiles: the profile itself (optimistic version), certificates and
employee training records."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.safety import permissions as P
from minsheng.safety.models import Certificate, SafetyProfile, TrainingRecord

PROFILE_FIELDS = ("industry_code", "category", "risk_level", "principal", "principal_phone",
                  "safety_manager", "safety_staff", "employees")


def _clean_profile(fields: dict) -> dict:
    clean = {}
    for name in PROFILE_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name in ("safety_staff", "employees"):
            try:
                value = int(value or 0)
            except (TypeError, ValueError):
                raise ValidationFailed(_("Enter a whole number."), field=name) from None
            if value < 0:
                raise ValidationFailed(_("Enter a whole number."), field=name)
        elif name == "category" and value not in SafetyProfile.Category.values:
            raise ValidationFailed(_("Unknown supervision category."), field=name)
        elif name == "risk_level" and value not in SafetyProfile.Risk.values:
            raise ValidationFailed(_("Unknown risk level."), field=name)
        elif name == "industry_code":
            value = (value or "").strip().upper()
            # GB/T 4754: a section letter (A–T) and/or up to 4 digits, at most 5 characters
            if value and not re.fullmatch(r"[A-T]?\d{0,4}", value):
                raise ValidationFailed(_("An industry code (GB/T 4754) is a section "
                                         "letter and up to 4 digits."), field=name)
        else:
            value = (value or "").strip()[:SafetyProfile._meta.get_field(name).max_length]
        clean[name] = value
    return clean


def profile_save(*, actor, enterprise: Organization, version: int | None,
                 **fields) -> SafetyProfile:
    """Create the enterprise's profile (version None) or update it: the update succeeds only
    if nobody saved it since the editor read `version`."""
    actor = as_actor(actor)
    require(actor, P.INSPECT, enterprise.area)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ValidationFailed(_("Safety profiles are kept for enterprises."))
    clean = _clean_profile(fields)
    with transaction.atomic():
        profile = SafetyProfile.objects.filter(enterprise=enterprise).first()
        if profile is None:
            profile = SafetyProfile.objects.create(enterprise=enterprise, **clean)
            audit.record(actor, AuditEntry.Action.CREATE, obj=profile)
            return profile
        if version is None:
            raise ValidationFailed(_("The form is missing the record version; reload the "
                                     "page."))
        changes = {k: [getattr(profile, k), v] for k, v in clean.items()
                   if getattr(profile, k) != v}
        for k, v in clean.items():
            setattr(profile, k, v)
        save_versioned(profile, version, list(clean))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=profile, changes=changes)
    return profile


def certificate_add(*, actor, profile: SafetyProfile, kind: str, number: str,
                    expires_on: datetime.date | None,
                    issued_on: datetime.date | None = None) -> Certificate:
    actor = as_actor(actor)
    require(actor, P.INSPECT, profile.enterprise.area)
    kind, number = (kind or "").strip(), (number or "").strip()
    if not kind or not number:
        raise ValidationFailed(_("Give the certificate's name and number."), field="kind")
    if expires_on is None:
        raise ValidationFailed(_("A certificate needs its expiry date."), field="expires_on")
    if issued_on and issued_on > expires_on:
        raise ValidationFailed(_("A certificate cannot expire before it was issued."),
                               field="expires_on")
    with transaction.atomic():
        cert = Certificate.objects.create(profile=profile, kind=kind[:60], number=number[:60],
                                          issued_on=issued_on, expires_on=expires_on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=cert)
    return cert


def training_add(*, actor, profile: SafetyProfile, employee: str, course: str, hours,
                 held_on: datetime.date | None, passed: bool = True) -> TrainingRecord:
    actor = as_actor(actor)
    require(actor, P.INSPECT, profile.enterprise.area)
    employee, course = (employee or "").strip(), (course or "").strip()
    if not employee or not course:
        raise ValidationFailed(_("Give the employee and the course."), field="employee")
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Enter the hours as a number."), field="hours") from None
    if hours <= 0 or hours >= 1000:
        raise ValidationFailed(_("Enter the hours as a number."), field="hours")
    if held_on is None:
        raise ValidationFailed(_("A date is required."), field="held_on")
    with transaction.atomic():
        record = TrainingRecord.objects.create(profile=profile, employee=employee[:60],
                                               course=course[:120], hours=hours,
                                               held_on=held_on, passed=passed)
        audit.record(actor, AuditEntry.Action.CREATE, obj=record)
    return record
