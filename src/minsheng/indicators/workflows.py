"""The review of entered data values (casework's workflow engine): a value entered by hand
or imported awaits approval; an approver of the element's department approves or rejects it.
Values computed from records are stored approved, set-based, and never pass through here."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.indicators.permissions import APPROVE


def flag_confirmed(value, data: dict) -> None:
    """A value flagged as an outlier is approved only when the approver confirms it."""
    if value.flag and not data.get("accept_flag"):
        raise ValidationFailed(_("The value is flagged (%(flag)s); confirm it explicitly")
                               % {"flag": value.flag}, field="accept_flag")


DATA_VALUE = Workflow(
    name="data_value", initial="pending", area_field="area",
    states={"pending": gettext_lazy("Awaiting approval"), "approved": gettext_lazy("Approved"),
            "rejected": gettext_lazy("Rejected")},
).add(
    Transition("approve", ("pending",), "approved", APPROVE, label=gettext_lazy("Approve"),
               guard=flag_confirmed),
    Transition("reject", ("pending",), "rejected", APPROVE, label=gettext_lazy("Reject")),
)
