"""The states of plan records and the moves between them (casework's workflow engine):
a plan is activated, a target draft confirmed or discarded, a progress report accepted or
returned. Every move goes through `casework.workflow.transition` (permission in the plan's
area, one conditional update, timeline event and audit row)."""

from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.plans.permissions import SUPERVISE

PLAN = Workflow(
    name="plan", initial="draft", area_field="area",
    states={"draft": _("Draft (under review)"), "active": _("Active"),
            "archived": _("Archived")},
).add(
    Transition("activate", ("draft",), "active", SUPERVISE, label=_("Activate the plan")),
)

TARGET_DRAFT = Workflow(
    name="target_draft", initial="draft", area_field="plan__area",
    states={"draft": _("Needs review"), "confirmed": _("Confirmed"),
            "discarded": _("Discarded")},
).add(
    Transition("confirm", ("draft",), "confirmed", SUPERVISE, label=_("Confirm")),
    Transition("discard", ("draft",), "discarded", SUPERVISE, label=_("Discard")),
)

PROGRESS_REPORT = Workflow(
    name="progress_report", initial="submitted", area_field="item__plan__area",
    states={"submitted": _("Submitted for review"), "accepted": _("Accepted"),
            "returned": _("Returned for revision")},
).add(
    Transition("accept", ("submitted",), "accepted", SUPERVISE, label=_("Accept")),
    Transition("return", ("submitted",), "returned", SUPERVISE, label=_("Return")),
)
