"""State machines of the safety module: hazards, accidents, information releases, IoT
alarm incidents and random inspection plans. Every state change goes through
`casework.workflow.transition` (permission per move, guard, one conditional update,
timeline event and audit row)."""

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

ALARM_WORKFLOW = Workflow(
    name="safety.alarm",
    states={"open": _("Open"), "acknowledged": _("Acknowledged"), "closed": _("Closed")},
    initial="open",
).add(
    Transition("acknowledge", ("open",), "acknowledged", P.ALARMS, _("Acknowledge")),
    Transition("close", ("open", "acknowledged"), "closed", P.ALARMS,
               _("Close with the outcome"), closes=True),
)


INSPECTION_PLAN_WORKFLOW = Workflow(
    name="safety.inspection_plan",
    states={"planned": _("Not drawn yet"), "drawn": _("Drawn, checks under way"),
            "published": _("Results published")},
    initial="planned",
).add(
    Transition("draw", ("planned",), "drawn", P.INSPECT, _("Draw enterprises and inspectors")),
    Transition("publish", ("drawn",), "published", P.INSPECT, _("Publish results")),
)
