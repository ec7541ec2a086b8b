"""State machines of hazards, accidents and information releases."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

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
    states={"reported": _l("Found"), "rectifying": _l("Rectifying"),
            "acceptance": _l("Awaiting acceptance"), "accepted": _l("Passed acceptance"),
            "closed": _l("Written off")},
    initial="reported",
).add(
    Transition("order", ("reported",), "rectifying", P.RECTIFY, _l("Issue rectification order"),
               guard=_general_only),
    Transition("submit_plan", ("reported",), "rectifying", P.RECTIFY,
               _l("Submit rectification plan"), guard=_major_with_plan),
    Transition("rectified_on_spot", ("reported",), "acceptance", P.RECTIFY,
               _l("Rectified on the spot"), guard=_general_only),
    Transition("apply_acceptance", ("rectifying",), "acceptance", P.RECTIFY,
               _l("Apply for acceptance")),
    Transition("accept", ("acceptance",), "accepted", P.ACCEPT, _l("Pass acceptance")),
    Transition("reject", ("acceptance",), "rectifying", P.ACCEPT, _l("Fail acceptance")),
    Transition("write_off", ("accepted",), "closed", P.ACCEPT, _l("Write off"),
               guard=_accepted, closes=True),
)

ACCIDENT_WORKFLOW = Workflow(
    name="safety.accident",
    states={"reported": _l("Reported"), "investigating": _l("Under investigation"),
            "closed": _l("Closed")},
    initial="reported",
).add(
    Transition("investigate", ("reported",), "investigating", P.ACCIDENTS,
               _l("Start investigation")),
    Transition("close", ("investigating",), "closed", P.ACCIDENTS,
               _l("Close with investigation report"), closes=True),
)

RELEASE_WORKFLOW = Workflow(
    name="safety.release",
    states={"draft": _l("Draft"), "approved": _l("Approved"), "published": _l("Published")},
    initial="draft",
).add(
    Transition("approve", ("draft",), "approved", P.RELEASE_APPROVE, _l("Approve")),
    Transition("publish", ("approved",), "published", P.RELEASE_APPROVE, _l("Publish")),
    Transition("withdraw", ("approved",), "draft", P.RELEASE_APPROVE, _l("Back to draft")),
)
