"""State machines for cases. A transition checks permission and the current state, and
moves the case with one conditional UPDATE so that of two people acting at once exactly
one wins; the loser gets a clear message. Each move is written to the case timeline and
the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import StaleVersion, ValidationFailed
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
    name: str
    states: dict[str, str]  # state -> label
    initial: str
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, *transitions: Transition) -> Workflow:
        for t in transitions:
            unknown = {t.target, *t.sources} - set(self.states)
            if unknown:
                raise ValueError(f"{self.name}: unknown states {unknown} in {t.name}")
            self.transitions[t.name] = t
        return self

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


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
    """Move `case` along transition `name`. `changes` are other fields written in the same
    conditional update (e.g. a decision date)."""
    actor = as_actor(actor)
    workflow: Workflow = type(case).workflow
    step = workflow.transitions.get(name)
    if step is None:
        raise ValidationFailed(_("Unknown action: %s") % name)
    require(actor, step.permission, case.area)
    if case.state not in step.sources:
        raise ValidationFailed(
            _("This action is not possible while the case is “%(state)s”.")
            % {"state": workflow.states.get(case.state, case.state)},
            details={"state": case.state, "action": name})
    if step.guard is not None:
        step.guard(case, data or {})
    expected = case.version if version is None else version
    values = dict(changes or {})
    values.update(state=step.target, updated_at=timezone.now())
    if step.closes:
        values["closed_at"] = timezone.now()
    from_state = case.state
    with transaction.atomic():
        updated = type(case).objects.filter(pk=case.pk, state=from_state,
                                            version=expected).update(
            version=F("version") + 1, **values)
        if not updated:
            raise StaleVersion(_("Someone else acted on this case a moment ago. Reload it to "
                                 "see its current state."))
        for key, value in values.items():
            setattr(case, key, value)
        case.version = expected + 1
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
