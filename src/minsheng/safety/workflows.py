"""State machines of hazards, accidents and information releases."""

from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.safety import permissions as P


def _general_only(case, data):
    if case.grade != "general":
        raise ValidationFailed(_("A major hazard needs a rectification plan, not an order."))


def _major_with_plan(case, data):
    if case.grade != "major":
        raise ValidationFailed(_("Only a major hazard has a rectification plan."))
    if not data.get("has_plan"):
        raise ValidationFailed(_("Submit the rectification plan first."))


def _accepted(case, data):
    if case.accepted_on is None and not data.get("accepted_on"):
        raise ValidationFailed(_("A hazard cannot be written off before it passed acceptance."))


HAZARD_WORKFLOW = Workflow(
    name="safety.hazard",
    states={"reported": _("Found"), "rectifying": _("Rectifying"),
            "acceptance": _("Awaiting acceptance"), "accepted": _("Passed acceptance"),
            "closed": _("Written off")},
    initial="reported",
).add(
    Transition("order", ("reported",), "rectifying", P.RECTIFY, _("Issue rectification order"),
               guard=_general_only),
    Transition("submit_plan", ("reported",), "rectifying", P.RECTIFY,
               _("Submit rectification plan"), guard=_major_with_plan),
    Transition("rectified_on_spot", ("reported",), "acceptance", P.RECTIFY,
               _("Rectified on the spot"), guard=_general_only),
    Transition("apply_acceptance", ("rectifying",), "acceptance", P.RECTIFY,
               _("Apply for acceptance")),
    Transition("accept", ("acceptance",), "accepted", P.ACCEPT, _("Pass acceptance")),
    Transition("reject", ("acceptance",), "rectifying", P.ACCEPT, _("Fail acceptance")),
    Transition("write_off", ("accepted",), "closed", P.ACCEPT, _("Write off"),
               guard=_accepted, closes=True),
)

ACCIDENT_WORKFLOW = Workflow(
    name="safety.accident",
    states={"reported": _("Reported"), "investigating": _("Under investigation"),
            "closed": _("Closed")},
    initial="reported",
).add(
    Transition("investigate", ("reported",), "investigating", P.ACCIDENTS,
               _("Start investigation")),
    Transition("close", ("investigating",), "closed", P.ACCIDENTS,
               _("Close with investigation report"), closes=True),
)

RELEASE_WORKFLOW = Workflow(
    name="safety.release",
    states={"draft": _("Draft"), "approved": _("Approved"), "published": _("Published")},
    initial="draft",
).add(
    Transition("approve", ("draft",), "approved", P.RELEASE_APPROVE, _("Approve")),
    Transition("publish", ("approved",), "published", P.RELEASE_APPROVE, _("Publish")),
    Transition("withdraw", ("approved",), "draft", P.RELEASE_APPROVE, _("Back to draft")),
)
