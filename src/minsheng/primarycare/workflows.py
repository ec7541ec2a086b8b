"""State machines: family-doctor contracts, two-way referrals and insurance outreach.
Every state change goes through `casework.workflow.transition`."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.primarycare import permissions as P

# State labels carry a context: other modules' catalogues come first for plain msgids.


def _reason_given(case, data):
    if not (data.get("reason") or "").strip():
        raise ValidationFailed(_("Give the reason"), field="reason")


CONTRACT = Workflow(
    name="primarycare.contract",
    states={
            "active": pgettext_lazy("primarycare state", "Active"),
            "renewed": pgettext_lazy("primarycare state", "Renewed"),
            "expired": pgettext_lazy("primarycare state", "Expired"),
            "terminated": pgettext_lazy("primarycare state", "Terminated")},
    initial="active",
).add(
    Transition("renew", ("active", "expired"), "renewed", P.CONTRACT, _("Renew for a year")),
    Transition("expire", ("active",), "expired", P.CONTRACT, _("Expire")),
    Transition("terminate", ("active",), "terminated", P.CONTRACT, _("Terminate contract"),
               guard=_reason_given),
)

# The receiving facility acts on a referral: the permission is checked in its area.
REFERRAL = Workflow(
    name="primarycare.referral",
    states={
            "sent": pgettext_lazy("primarycare state", "Sent"),
            "acknowledged": pgettext_lazy("primarycare state", "Acknowledged"),
            "completed": pgettext_lazy("primarycare state", "Completed"),
            "declined": pgettext_lazy("primarycare state", "Declined")},
    initial="sent",
    area_field="to_facility__area",
).add(
    Transition("acknowledge", ("sent",), "acknowledged", P.REFER, _("Acknowledge receipt")),
    Transition("decline", ("sent",), "declined", P.REFER, _("Decline referral"),
               guard=_reason_given, closes=True),
    Transition("complete", ("acknowledged",), "completed", P.REFER,
               _("Complete with outcome"), closes=True),
)

OUTREACH = Workflow(
    name="primarycare.outreach",
    states={
            "open": pgettext_lazy("primarycare state", "Found"),
            "contacted": pgettext_lazy("primarycare state", "Contacted"),
            "enrolled": pgettext_lazy("primarycare state", "Enrolled"),
            "closed": pgettext_lazy("primarycare state", "Closed with reason")},
    initial="open",
).add(
    Transition("contact", ("open",), "contacted", P.OUTREACH, _("Record contact")),
    Transition("enrol", ("open", "contacted"), "enrolled", P.OUTREACH, _("Record enrolment")),
    Transition("close", ("open", "contacted"), "closed", P.OUTREACH, _("Close with reason"),
               guard=_reason_given),
)
