"""Institutions and their beds. A bed's type and service status change by closing its
current period and opening a new one on the day of the change: history is never
rewritten, so the figures for any past date stay what they were."""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.eldercare import permissions as P
from minsheng.eldercare.models import Bed, BedPeriod, Institution, Stay

CODE = re.compile(r"[0-9A-Za-z\-]{1,20}")


def _clean(ownership, licence_no, star_rating) -> dict:
    if ownership not in Institution.Ownership.values:
        raise ValidationFailed(_("Choose the ownership."), field="ownership")
    if star_rating is None or not 0 <= int(star_rating) <= 5:
        raise ValidationFailed(_("A star rating is 0 (not rated) to 5."), field="star_rating")
    return {"ownership": ownership, "licence_no": (licence_no or "").strip()[:40],
            "star_rating": int(star_rating)}


def institution_register(*, actor, organization: Organization, ownership: str,
                         licence_no: str = "", filed_on: datetime.date | None = None,
                         star_rating: int = 0) -> Institution:
    actor = as_actor(actor)
    require(actor, P.INSTITUTIONS, organization.area)
    if organization.kind != Organization.Kind.ELDERCARE:
        raise ValidationFailed(_("Only an organization registered as an elderly-care "
                                 "institution can be added."), field="organization")
    values = _clean(ownership, licence_no, star_rating)
    try:
        with transaction.atomic():
            inst = Institution.objects.create(organization=organization,
                                              area=organization.area, filed_on=filed_on,
                                              **values)
            audit.record(actor, AuditEntry.Action.CREATE, obj=inst)
    except IntegrityError:
        raise Conflict(_("This institution is already registered."),
                       field="organization") from None
    return inst


def institution_update(*, actor, institution: Institution, version: int, ownership: str,
                       licence_no: str = "", filed_on: datetime.date | None = None,
                       star_rating: int = 0) -> Institution:
    actor = as_actor(actor)
    require(actor, P.INSTITUTIONS, institution.area)
    values = {**_clean(ownership, licence_no, star_rating), "filed_on": filed_on}
    changes = {k: [getattr(institution, k), v] for k, v in values.items()
               if getattr(institution, k) != v}
    with transaction.atomic():
        save_versioned(institution, version, values=values)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=institution, changes=changes)
    return institution


def _check_kind(bed_type: str, status: str) -> None:
    if bed_type not in BedPeriod.Type.values:
        raise ValidationFailed(_("Choose the bed type."), field="bed_type")
    if status not in BedPeriod.Status.values:
        raise ValidationFailed(_("Choose the bed status."), field="status")


def bed_add(*, actor, institution: Institution, room: str, number: str, bed_type: str,
            valid_from: datetime.date, status: str = BedPeriod.Status.IN_SERVICE) -> Bed:
    actor = as_actor(actor)
    require(actor, P.INSTITUTIONS, institution.area)
    room, number = (room or "").strip(), (number or "").strip()
    if not CODE.fullmatch(room):
        raise ValidationFailed(_("A room is 1-20 letters, digits or hyphens."), field="room")
    if not CODE.fullmatch(number) or len(number) > 10:
        raise ValidationFailed(_("A bed number is 1-10 letters, digits or hyphens."),
                               field="number")
    _check_kind(bed_type, status)
    try:
        with transaction.atomic():
            bed = Bed.objects.create(institution=institution, room=room, number=number)
            BedPeriod.objects.create(bed=bed, bed_type=bed_type, status=status,
                                     valid_from=valid_from)
            audit.record(actor, AuditEntry.Action.CREATE, obj=bed,
                         object_repr=f"{institution} {bed}",
                         changes={"bed_type": [None, bed_type], "status": [None, status],
                                  "valid_from": [None, valid_from.isoformat()]})
    except IntegrityError:
        raise Conflict(_("This room already has a bed with that number."),
                       field="number") from None
    return bed


def bed_change(*, actor, bed: Bed, on: datetime.date, bed_type: str, status: str,
               note: str = "") -> BedPeriod:
    """From `on`, the bed is of `bed_type` and `status`: its current period ends the day
    before, a new one starts. A bed taken out of service must be free from that day."""
    actor = as_actor(actor)
    require(actor, P.INSTITUTIONS, bed.institution.area)
    _check_kind(bed_type, status)
    with transaction.atomic():
        Bed.objects.select_for_update().filter(pk=bed.pk).first()  # one change at a time
        current = bed.periods.filter(valid_to__isnull=True).first()
        if current is None:
            raise Conflict(_("This bed has no open period; reload the page."))
        if on <= current.valid_from:
            raise ValidationFailed(
                _("A change must come after the current period's start (%(d)s).")
                % {"d": current.valid_from.isoformat()}, field="on")
        if current.bed_type == bed_type and current.status == status:
            raise ValidationFailed(_("Nothing changes: the bed already is so."),
                                   field="status")
        if status == BedPeriod.Status.OUT_OF_SERVICE and Stay.objects.filter(bed=bed).filter(
                Q(discharged_on__isnull=True) | Q(discharged_on__gt=on)).exists():
            raise ValidationFailed(_("A resident occupies this bed then: discharge or move "
                                     "them first."), field="status")
        BedPeriod.objects.filter(pk=current.pk).update(valid_to=on)
        period = BedPeriod.objects.create(bed=bed, bed_type=bed_type, status=status,
                                          valid_from=on, note=(note or "").strip()[:200])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=bed,
                     object_repr=f"{bed.institution} {bed}",
                     changes={"bed_type": [current.bed_type, bed_type],
                              "status": [current.status, status], "on": on.isoformat()})
    return period

