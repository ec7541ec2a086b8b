"""Reads of the inspection engine, each taking the actor and the domain's permission."""

from __future__ import annotations

from minsheng.core.access import as_actor, require
from minsheng.core.errors import NotFound
from minsheng.core.models import Organization
from minsheng.inspections import draw as drawing
from minsheng.inspections.models import Checklist, DrawLog, Inspector, Recusal


def inspectors(actor, permission: str, department: Organization, *, active_only=True):
    require(as_actor(actor), permission)  # the department's register, read in any scope
    qs = Inspector.objects.filter(department=department)
    return qs.filter(active=True) if active_only else qs


def inspector_get(actor, permission: str, department: Organization, pk: int) -> Inspector:
    try:
        return inspectors(actor, permission, department, active_only=False).get(pk=pk)
    except Inspector.DoesNotExist:
        raise NotFound() from None


def recusals(actor, permission: str, department: Organization):
    require(as_actor(actor), permission)  # the department's register, read in any scope
    return (Recusal.objects.filter(inspector__department=department)
            .select_related("inspector", "organization").order_by("-id"))


def draw_log(subject) -> DrawLog | None:
    """The draw of a subject the caller already read in scope."""
    return DrawLog.objects.filter(subject_type=subject._meta.label_lower,
                                  subject_id=subject.pk).first()


def draw_reproduces(log: DrawLog) -> bool:
    """Re-derive the draw from its log: the same assignment and the same digest."""
    again = [[e, t] for e, t in drawing.rederive(log.inputs)]
    return again == log.assignment and drawing.digest(log.inputs, again) == log.digest


def checklist_get(code: str) -> Checklist:
    try:
        return Checklist.objects.get(code=code)
    except Checklist.DoesNotExist:
        raise NotFound() from None


def checklist_items(checklist: Checklist):
    return list(checklist.items.all())


def checklists(domain: str):
    return Checklist.objects.filter(domain=domain).order_by("code")
