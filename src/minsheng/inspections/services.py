"""Every write of the inspection engine. The calling domain passes the permission that
governs the write (`foodsafety.plan`, later `safety.inspect`, ...): the engine names no
domain, the domain decides who may act."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.inspections import draw as drawing
from minsheng.inspections.models import Checklist, ChecklistItem, DrawLog, Inspector, Recusal


def inspector_register(*, actor, permission: str, department: Organization, name: str,
                       badge: str, user=None) -> Inspector:
    actor = as_actor(actor)
    require(actor, permission, department.area)
    if department.kind != Organization.Kind.DEPARTMENT:
        raise ValidationFailed(_("Choose a department."), field="department")
    name, badge = (name or "").strip(), (badge or "").strip()
    if not name:
        raise ValidationFailed(_("Give the inspector's name."), field="name")
    if not badge or len(badge) > 30:
        raise ValidationFailed(_("Give the enforcement badge number (up to 30 characters)."),
                               field="badge")
    if Inspector.objects.filter(badge=badge).exists():
        raise ValidationFailed(_("This badge number is already registered."), field="badge")
    with transaction.atomic():
        inspector = Inspector.objects.create(department=department, name=name[:60],
                                             badge=badge, user=user)
        audit.record(actor, AuditEntry.Action.CREATE, obj=inspector)
    return inspector


def recusal_record(*, actor, permission: str, inspector: Inspector,
                   organization: Organization, reason: str) -> Recusal:
    """Recording the same pair again keeps the first reason."""
    actor = as_actor(actor)
    require(actor, permission, organization.area)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the recusal."), field="reason")
    with transaction.atomic():
        recusal, created = Recusal.objects.get_or_create(
            inspector=inspector, organization=organization, defaults={"reason": reason[:200]})
        if created:
            audit.record(actor, AuditEntry.Action.CREATE, obj=recusal,
                         object_repr=f"{inspector.badge} · {organization.name}"[:200],
                         changes={"reason": [None, recusal.reason]})
    return recusal


def draw_run(*, actor, permission: str, area: Area, domain: str, subject, entities,
             inspectors, sample: int, team: int, previous=None,
             seed: int | None = None) -> DrawLog:
    """Draw once for `subject` (a domain's plan) and log it. A second call with the same
    seed returns the logged draw; with another seed it is refused (the log reproduces the
    draw, rerunning it to get another result is not allowed)."""
    actor = as_actor(actor)
    require(actor, permission, area)
    subject_type = subject._meta.label_lower
    logged = DrawLog.objects.filter(subject_type=subject_type, subject_id=subject.pk).first()
    if logged is not None:
        if seed is not None and seed != logged.seed:
            raise Conflict(_("This plan was already drawn with seed %(seed)s; a draw cannot "
                             "be rerun with another seed.") % {"seed": logged.seed},
                           details={"field": "seed", "seed": logged.seed})
        return logged
    if team < 2:
        raise ValidationFailed(_("At least two inspectors check each entity."), field="team")
    if sample < 1:
        raise ValidationFailed(_("Draw at least one entity."), field="sample")
    entities, inspectors = list(entities), list(inspectors)
    if sample > len(entities):
        raise ValidationFailed(_("Only %(n)s entities are eligible: draw at most that many.")
                               % {"n": len(entities)}, field="sample")
    if seed is None:
        seed = secrets.randbelow(2**31)
    if not 0 <= seed < 2**63:
        raise ValidationFailed(_("The seed is a whole number from 0."), field="seed")
    inspector_ids = [i.pk if hasattr(i, "pk") else int(i) for i in inspectors]
    recused = list(Recusal.objects.filter(organization_id__in=entities,
                                          inspector_id__in=inspector_ids)
                   .values_list("inspector_id", "organization_id"))
    inputs = drawing.canonical(entities, inspector_ids, recused, previous or {}, sample,
                               team, seed)
    try:
        assignment = drawing.rederive(inputs)
    except drawing.DrawImpossible as error:
        raise ValidationFailed(_("Not enough inspectors without a recusal or a visit last "
                                 "time for entity %(e)s (%(n)s eligible).")
                               % {"e": error.entity, "n": error.eligible}) from None
    assignment = [[e, t] for e, t in assignment]
    try:
        with transaction.atomic():
            log = DrawLog.objects.create(
                domain=domain, subject_type=subject_type, subject_id=subject.pk, seed=seed,
                inputs=inputs, assignment=assignment,
                digest=drawing.digest(inputs, assignment),
                drawn_by=actor.user if actor.is_authenticated else None)
            audit.record(actor, AuditEntry.Action.CREATE, obj=log,
                         object_repr=f"{subject_type}#{subject.pk}",
                         changes={"seed": [None, seed], "digest": [None, log.digest]})
    except IntegrityError:  # someone drew the same plan at the same moment
        raise Conflict(_("This plan was drawn by someone else just now.")) from None
    return log


def checklist_create(*, actor, permission: str, area: Area, domain: str, code: str,
                     title: str, items) -> Checklist:
    """A checklist and its items: (text, points, critical) in order."""
    actor = as_actor(actor)
    require(actor, permission, area)
    items = list(items)
    if not items:
        raise ValidationFailed(_("A checklist needs at least one item."), field="items")
    if Checklist.objects.filter(code=code).exists():
        raise ValidationFailed(_("This checklist code is taken."), field="code")
    with transaction.atomic():
        checklist = Checklist.objects.create(domain=domain, code=code, title=title)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=checklist, number=n, text=text, points=points,
                          critical=critical)
            for n, (text, points, critical) in enumerate(items, 1))
        audit.record(actor, AuditEntry.Action.CREATE, obj=checklist)
    return checklist
