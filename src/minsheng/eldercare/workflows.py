"""The states of eldercare records and the moves between them (casework's workflow
engine: permission per move, guard, one conditional update, timeline and audit row)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.eldercare import permissions as P


def _reason(case, data):
    if not (data.get("reason") or "").strip():
        raise ValidationFailed(_("Give the reason."), field="reason")


STAY = Workflow(
    name="eldercare.stay",
    states={"in_care": _("In care"), "discharged": _("Discharged")},
    initial="in_care",
).add(Transition("discharge", ("in_care",), "discharged", P.ADMIT, _("Discharge"),
                 closes=True))

ALLOWANCE = Workflow(
    name="eldercare.allowance",
    states={"applied": pgettext_lazy("allowance", "Applied"),
            "active": pgettext_lazy("allowance", "Paying"),
            "rejected": pgettext_lazy("allowance", "Rejected"),
            "stopped": pgettext_lazy("allowance", "Stopped")},
    initial="applied",
).add(
    Transition("approve", ("applied",), "active", P.DECIDE,
               pgettext_lazy("allowance", "Approve the allowance")),
    Transition("reject", ("applied",), "rejected", P.DECIDE,
               pgettext_lazy("allowance", "Reject the application"), guard=_reason,
               closes=True),
    Transition("stop", ("active",), "stopped", P.DECIDE,
               pgettext_lazy("allowance", "Stop the allowance"), guard=_reason, closes=True),
)

PAYMENT_LIST = Workflow(
    name="eldercare.payment_list",
    states={"draft": pgettext_lazy("payment list", "Draft"),
            "approved": pgettext_lazy("payment list", "Approved"),
            "paid": pgettext_lazy("payment list", "Paid by the bank")},
    initial="draft",
).add(
    Transition("approve", ("draft",), "approved", P.APPROVE_LIST,
               pgettext_lazy("payment list", "Approve the payment list")),
    Transition("paid", ("approved",), "paid", P.PAY,
               pgettext_lazy("payment list", "Record the bank's payment")),
)

DEATH_MATCH = Workflow(
    name="eldercare.death_match",
    states={"pending": pgettext_lazy("match", "To confirm"),
            "confirmed": pgettext_lazy("match", "Confirmed"),
            "dismissed": pgettext_lazy("match", "Not the same person")},
    initial="pending",
).add(
    Transition("confirm", ("pending",), "confirmed", P.DECIDE,
               pgettext_lazy("match", "Same person: stop the allowance")),
    Transition("dismiss", ("pending",), "dismissed", P.DECIDE,
               pgettext_lazy("match", "Not the same person"), guard=_reason),
)

RECOVERY = Workflow(
    name="eldercare.recovery",
    states={"open": pgettext_lazy("recovery", "To recover"),
            "recovered": pgettext_lazy("recovery", "Recovered"),
            "waived": pgettext_lazy("recovery", "Waived")},
    initial="open",
).add(
    Transition("recovered", ("open",), "recovered", P.RECOVER,
               pgettext_lazy("recovery", "Record the money returned"), closes=True),
    Transition("waive", ("open",), "waived", P.RECOVER,
               pgettext_lazy("recovery", "Waive with a reason"), guard=_reason, closes=True),
)
