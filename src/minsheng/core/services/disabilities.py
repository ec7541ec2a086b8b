"""The register of disability certificates (残疾人证): who holds one, of which category and
grade, valid when. Other modules read it as the fact `core.disabled` (see CoreConfig)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, DisabilityCertificate, Person

CHANGE = "core.change_registry"


def certificate_number(person: Person, category: int, grade: int) -> str:
    """The national number: the holder's ID number, the category code, the grade."""
    return f"{person.id_number}{int(category)}{int(grade)}"


def check_certificate(*, person: Person, number: str, category: int, grade: int,
                      issued_on: datetime.date, valid_until: datetime.date | None,
                      today: datetime.date | None = None) -> str:
    """Validate one certificate's fields; returns the (normalised) number. Shared by the
    service and the import so that both refuse the same things with the same words."""
    if category not in DisabilityCertificate.Category.values:
        raise ValidationFailed(_("Unknown disability category"), field="category")
    if grade not in DisabilityCertificate.Grade.values:
        raise ValidationFailed(_("The grade must be 1, 2, 3 or 4"), field="grade")
    expected = certificate_number(person, category, grade)
    number = (number or "").strip().upper() or expected
    if number != expected:
        raise ValidationFailed(
            _("The certificate number must be the holder's ID number followed by the "
              "category code and the grade (%(expected)s)")
            % {"expected": f"{person.id_number[:6]}…{expected[-4:]}"}, field="number")
    today = today or datetime.date.today()
    if issued_on > today:
        raise ValidationFailed(_("The issue date is in the future"), field="issued_on")
    if issued_on < person.birth_date:
        raise ValidationFailed(_("The issue date is before the holder's birth"),
                               field="issued_on")
    if valid_until is not None and valid_until < issued_on:
        raise ValidationFailed(_("A certificate cannot end before it was issued"),
                               field="valid_until")
    return number


def disability_certificate_create(*, actor, person: Person, category: int, grade: int,
                                  issued_on: datetime.date,
                                  valid_until: datetime.date | None = None,
                                  number: str = "") -> DisabilityCertificate:
    """Record a certificate a person holds (a renewal is a new certificate with a new
    issue date). Audited."""
    actor = as_actor(actor)
    require(actor, CHANGE, person.residence_area)
    number = check_certificate(person=person, number=number, category=category, grade=grade,
                               issued_on=issued_on, valid_until=valid_until)
    certificate = DisabilityCertificate(person=person, number=number, category=category,
                                        grade=grade, issued_on=issued_on,
                                        valid_until=valid_until)
    try:
        with transaction.atomic():
            certificate.save()
            audit.record(actor, AuditEntry.Action.CREATE, obj=certificate,
                         object_repr=f"{person.name}: {certificate}",
                         changes={"person": [None, person.pk], "category": [None, category],
                                  "grade": [None, grade],
                                  "issued_on": [None, issued_on.isoformat()],
                                  "valid_until": [None, valid_until and valid_until.isoformat()]})
    except IntegrityError:
        raise Conflict(_("This certificate is already recorded"), field="number") from None
    return certificate
