"""Operators, licences (with their history) and risk grading."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.foodsafety import grading
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety.models import (
    EnforcementCase,
    Inspection,
    Licence,
    Operator,
    RiskAssessment,
    Sample,
)

OPERATOR_KINDS = ("enterprise", "school", "kindergarten", "hospital", "clinic", "eldercare",
                  "other")


def operator_register(*, actor, organization: Organization, category: str, scale: str = "",
                      population_served: int | None = None) -> Operator:
    actor = as_actor(actor)
    require(actor, P.MANAGE, organization.area)
    if organization.kind not in OPERATOR_KINDS:
        raise ValidationFailed(_("A government department is not a food operator."),
                               field="organization")
    if category not in Operator.Category.values:
        raise ValidationFailed(_("Choose the operator category."), field="category")
    if scale and scale not in Operator.Scale.values:
        raise ValidationFailed(_("Choose the scale."), field="scale")
    if population_served is not None and population_served < 0:
        raise ValidationFailed(_("People served cannot be negative."),
                               field="population_served")
    if Operator.objects.filter(organization=organization).exists():
        raise ValidationFailed(_("This organization is already a registered operator."),
                               field="organization")
    with transaction.atomic():
        operator = Operator.objects.create(organization=organization, area=organization.area,
                                           category=category, scale=scale,
                                           population_served=population_served)
        record_event(operator, actor=actor, to_state="active")
        audit.record(actor, AuditEntry.Action.CREATE, obj=operator)
        operator_grade(actor=actor, operator=operator, trigger="registered")
    return operator


def operator_close(*, actor, operator: Operator, version: int | None, note: str = ""):
    """Close an operator down: its valid licences are cancelled with it."""
    actor = as_actor(actor)
    with transaction.atomic():
        transition(actor=actor, case=operator, name="close", version=version, note=note)
        for licence in operator.licences.filter(state__in=("valid", "expired")):
            transition(actor=actor, case=licence, name="cancel", note=_("Operator closed"))
    return operator


def _check_dates(issued_on, expires_on):
    if issued_on is None:
        raise ValidationFailed(_("Give the issue date."), field="issued_on")
    if expires_on is None or expires_on <= issued_on:
        raise ValidationFailed(_("The expiry date must come after the issue date."),
                               field="expires_on")
    if issued_on > timezone.localdate():
        raise ValidationFailed(_("The issue date cannot be in the future."), field="issued_on")


def licence_issue(*, actor, operator: Operator, kind: str, number: str, scope: str,
                  issued_on: datetime.date, expires_on: datetime.date) -> Licence:
    actor = as_actor(actor)
    require(actor, P.MANAGE, operator.area)
    if kind not in Licence.Kind.values:
        raise ValidationFailed(_("Choose the licence kind."), field="kind")
    number, scope = (number or "").strip(), (scope or "").strip()
    if not number:
        raise ValidationFailed(_("Give the licence number."), field="number")
    if not scope:
        raise ValidationFailed(_("Give the business scope."), field="scope")
    _check_dates(issued_on, expires_on)
    if operator.state != "active":
        raise ValidationFailed(_("This operator is closed."))
    if operator.licences.filter(kind=kind, state="valid").exists():
        raise ValidationFailed(_("This operator already holds a valid licence of this kind: "
                                 "change it instead."), field="kind")
    with transaction.atomic():
        licence = Licence.objects.create(operator=operator, kind=kind, number=number[:30],
                                         scope=scope[:300], issued_on=issued_on,
                                         expires_on=expires_on)
        record_event(licence, actor=actor, to_state="valid")
        audit.record(actor, AuditEntry.Action.CREATE, obj=licence,
                     changes={"expires_on": [None, expires_on.isoformat()]})
    return licence


def licence_change(*, actor, licence: Licence, version: int | None, scope: str,
                   issued_on: datetime.date, expires_on: datetime.date,
                   number: str = "", note: str = "") -> Licence:
    """A change (scope, renewal): the old version is superseded, the new one replaces it;
    both stay in the history."""
    actor = as_actor(actor)
    scope = (scope or "").strip()
    if not scope:
        raise ValidationFailed(_("Give the business scope."), field="scope")
    _check_dates(issued_on, expires_on)
    with transaction.atomic():
        transition(actor=actor, case=licence, name="change", version=version, note=note)
        new = Licence.objects.create(operator=licence.operator, kind=licence.kind,
                                     number=(number or "").strip()[:30] or licence.number,
                                     scope=scope[:300], issued_on=issued_on,
                                     expires_on=expires_on, replaces=licence, note=note[:300])
        record_event(new, actor=actor, to_state="valid", note=note)
        audit.record(actor, AuditEntry.Action.CREATE, obj=new,
                     changes={"replaces": [None, licence.pk],
                              "expires_on": [licence.expires_on.isoformat(),
                                             expires_on.isoformat()]})
    return new


def licence_cancel(*, actor, licence: Licence, version: int | None, note: str) -> Licence:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Give the reason for the cancellation."), field="note")
    return transition(actor=as_actor(actor), case=licence, name="cancel", version=version,
                      note=note[:300])


def licences_expire(*, today: datetime.date | None = None) -> int:
    """Daily sweep: valid licences past their expiry become expired (the platform acts)."""
    today = today or timezone.localdate()
    actor, n = system_actor(), 0
    for licence in Licence.objects.filter(state="valid", expires_on__lt=today).select_related(
            "operator__area"):
        transition(actor=actor, case=licence, name="expire", note=_("Expiry date passed"))
        n += 1
    return n


def _events(operator: Operator, today: datetime.date) -> dict:
    since = today - datetime.timedelta(days=365)
    failed = grading.setting("FAILED_SCORE")
    done = Inspection.objects.filter(operator=operator, done_on__gte=since).aggregate(
        critical=Count("id", filter=Q(critical_failed=True)),
        failed=Count("id", filter=Q(critical_failed=False, score__lt=failed)))
    samples = Sample.objects.filter(operator=operator, reported_on__gte=since,
                                    state__in=("unqualified", "handled")).count()
    decided = EnforcementCase.objects.filter(operator=operator, state="decided",
                                             decided_on__gte=since).count()
    return {"critical_failure": done["critical"], "failed_inspection": done["failed"],
            "unqualified_sample": samples, "enforcement": decided}


def operator_grade(*, actor, operator: Operator, trigger: str,
                   today: datetime.date | None = None) -> RiskAssessment:
    """Recompute the grade from the factors on record (after each event)."""
    actor = as_actor(actor)
    require(actor, P.MANAGE, operator.area)
    today = today or timezone.localdate()
    result = grading.grade(category=operator.category, scale=operator.scale,
                           population_served=operator.population_served,
                           events=_events(operator, today))
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            operator=operator, grade=result.grade, static_points=result.static_points,
            dynamic_points=result.dynamic_points, factors=result.factors,
            defaulted=result.defaulted, trigger=trigger[:40])
        if operator.grade != result.grade:
            audit.record(actor, AuditEntry.Action.UPDATE, obj=operator,
                         changes={"grade": [operator.grade, result.grade]})
        Operator.objects.filter(pk=operator.pk).update(grade=result.grade,
                                                       graded_at=timezone.now())
        operator.grade = result.grade
    return assessment
