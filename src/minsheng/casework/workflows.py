"""The states of a follow-up item and the moves between them (the workflow engine): the
responsible department closes it with what was done, or cancels it (a superseded item).
Its level (normal, yellow, red) is not a state: escalation raises it by a versioned write."""

from django.utils.translation import gettext_lazy as _

from minsheng.casework.permissions import HANDLE
from minsheng.casework.workflow import Transition, Workflow

FOLLOWUP = Workflow(
    name="followup", initial="open", area_field="area",
    states={"open": _("Open"), "done": _("Done"), "cancelled": _("Cancelled")},
).add(
    Transition("close", ("open",), "done", HANDLE, label=_("Close"), closes=True),
    Transition("cancel", ("open",), "cancelled", HANDLE, label=_("Cancel"), closes=True),
)
