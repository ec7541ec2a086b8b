"""The bureau's register of kindergartens and schools (on core organizations)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.education import permissions as P
from minsheng.education.models import School, Stage

FIELDS = ("stage", "sponsorship", "places", "classes", "teachers", "qualified_teachers")


def _check(data: dict) -> dict:
    if data.get("stage") not in Stage.values:
        raise ValidationFailed(_("Choose the school stage."), field="stage")
    if data.get("sponsorship") not in School.Sponsorship.values:
        raise ValidationFailed(_("Choose the sponsorship."), field="sponsorship")
    for name in ("places", "classes", "teachers", "qualified_teachers"):
        value = data.get(name)
        if not isinstance(value, int) or value < 0:
            raise ValidationFailed(_("Enter a whole number of 0 or more."), field=name)
    if data["qualified_teachers"] > data["teachers"]:
        raise ValidationFailed(_("Qualified teachers cannot outnumber the teachers."),
                               field="qualified_teachers")
    return {k: data[k] for k in FIELDS}


def _catchment(school_area: Area, catchment) -> list[Area]:
    areas = list(catchment or [])
    for area in areas:
        if area.level != Area.Level.COMMUNITY:
            raise ValidationFailed(_("A catchment is made of communities."), field="catchment")
    return areas


def school_register(*, actor, organization: Organization, catchment=(), **data) -> School:
    """Put a school or kindergarten of the core registry on the bureau's register."""
    actor = as_actor(actor)
    require(actor, P.SCHOOLS, organization.area)
    if organization.kind not in (Organization.Kind.SCHOOL, Organization.Kind.KINDERGARTEN):
        raise ValidationFailed(_("Only schools and kindergartens are registered here."),
                               field="organization")
    values = _check(data)
    if (values["stage"] == "kindergarten") != (organization.kind == "kindergarten"):
        raise ValidationFailed(_("The stage does not fit the organization's type."),
                               field="stage")
    areas = _catchment(organization.area, catchment)
    if School.objects.filter(organization=organization).exists():
        raise Conflict(_("This school is already registered."))
    with transaction.atomic():
        school = School.objects.create(organization=organization, area=organization.area,
                                       **values)
        school.catchment.set(areas)
        audit.record(actor, AuditEntry.Action.CREATE, obj=school, changes=values)
    return school


def school_update(*, actor, school: School, version: int, catchment=None, **data) -> School:
    actor = as_actor(actor)
    require(actor, P.SCHOOLS, school.area)
    values = _check({**{k: getattr(school, k) for k in FIELDS}, **data})
    values.pop("stage")  # the stage follows the organization and its rolls
    changes = {k: [getattr(school, k), v] for k, v in values.items() if getattr(school, k) != v}
    with transaction.atomic():
        save_versioned(school, version, values=values)
        if catchment is not None:
            school.catchment.set(_catchment(school.area, catchment))
            changes["catchment"] = sorted(a.code for a in catchment)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=school, changes=changes)
    return school
