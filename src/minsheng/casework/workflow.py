"""State machines for cases. A transition checks permission and the current state, and
moves the case with one conditional UPDATE so that of two people acting at once exactly
one wins; the loser gets a clear message. Each move is written to the case timeline and
the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    label: str = ""
    # guard(case, data) raises ValidationFailed when the move is not allowed yet
    guard: Callable | None = None
    closes: bool = False


@dataclass
class Workflow:
    """The states of one kind of record and the moves between them. Any model with
    `state` and `version` fields (and an area, for the permission check) can carry one
    as its `workflow` class attribute: cases, postings, benefits, alarms, data values."""

    name: str
    states: dict[str, str]  # state -> label
    initial: str
    transitions: dict[str, Transition] = field(default_factory=dict)
    # where the record's area is, for the permission check ("employer__area" for a posting)
    area_field: str = "area"

    def area_of(self, record):
        value = record
        for part in self.area_field.split("__"):
            value = getattr(value, part)
        return value

    def add(self, *transitions: Transition) -> Workflow:
        for t in transitions:
            unknown = {t.target, *t.sources} - set(self.states)
            if unknown:
                raise ValueError(f"{self.name}: unknown states {unknown} in {t.name}")
            self.transitions[t.name] = t
        return self

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def allowed(self, actor, record) -> list[Transition]:
        """The moves this actor may make on this record now (the buttons a page offers)."""
        actor = as_actor(actor)
        area = self.area_of(record)
        return [t for t in self.available(record.state) if actor.covers(t.permission, area)]


def record_event(case, *, actor, transition: str = "", from_state: str = "",
                 to_state: str = "", note: str = "", data: dict | None = None):
    from minsheng.casework.models import CaseEvent

    actor = as_actor(actor)
    user = actor.user if actor.is_authenticated else None
    return CaseEvent.objects.create(
        case_type=case._meta.label_lower, case_id=case.pk, actor=user,
        actor_name=getattr(user, "username", "system"), transition=transition,
        from_state=from_state, to_state=to_state, note=note, data=data or {})


def transition(*, actor, case, name: str, version: int | None = None, note: str = "",
               data: dict | None = None, changes: dict | None = None):
    """Move `case` (any record with a workflow) along transition `name`. `changes` are
    other fields written in the same conditional update (e.g. a decision date). `version`
    is the one the user read; None means the record's own (a move by the platform)."""
    actor = as_actor(actor)
    workflow: Workflow = type(case).workflow
    step = workflow.transitions.get(name)
    if step is None:
        raise ValidationFailed(_("Unknown action: %s") % name)
    require(actor, step.permission, workflow.area_of(case))
    if case.state not in step.sources:
        raise ValidationFailed(
            _("This action is not possible while the case is “%(state)s”.")
            % {"state": workflow.states.get(case.state, case.state)},
            details={"state": case.state, "action": name})
    if step.guard is not None:
        step.guard(case, data or {})
    values = dict(changes or {})
    values["state"] = step.target
    if step.closes and hasattr(case, "closed_at"):
        values["closed_at"] = timezone.now()
    from_state = case.state
    with transaction.atomic():
        save_versioned(case, version, values=values, where={"state": from_state})
        record_event(case, actor=actor, transition=name, from_state=from_state,
                     to_state=step.target, note=note, data=data)
        audit.record(actor, AuditEntry.Action.TRANSITION, obj=case,
                     changes={"state": [from_state, step.target], "action": name})
    return case


def timeline(case) -> list:
    """The case's events, each with the workflow's words for its action and states
    (`transition_label`, `from_label`, `to_label`), so that pages never show codes."""
    from minsheng.casework.models import CaseEvent

    workflow: Workflow | None = type(case).workflow
    events = list(CaseEvent.objects.filter(case_type=case._meta.label_lower, case_id=case.pk)
                  .select_related("actor"))
    states = workflow.states if workflow else {}
    steps = workflow.transitions if workflow else {}
    for event in events:
        step = steps.get(event.transition)
        event.transition_label = (step.label or step.name) if step else event.transition
        event.from_label = states.get(event.from_state, event.from_state)
        event.to_label = states.get(event.to_state, event.to_state)
    return events
