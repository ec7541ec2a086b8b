"""The petition case (信访事项) from registration to its end, on the casework engine:
registered -> accepted (handled within the limit, extendable once) -> replied, then the
petitioner's review (复查) and re-review (复核) requests; every move a `Transition` with its
permission, and the rules that stop a move in guards."""

from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.petitions import permissions as P


def _not_after_re_review(case, data):
    # 第三十六条: same facts and grounds after a re-review -> not accepted again.
    final = data.get("re_reviewed")
    if final:
        raise ValidationFailed(
            _("Not accepted: the same matter was re-reviewed in %(ref)s (Regulations on "
              "Letters and Visits, art. 36); register it and decline it.") % {"ref": final},
            field="note")


def _once_with_approval(case, data):
    if case.extension_days:
        raise ValidationFailed(_("The time limit was already extended once."), field="days")
    if not data.get("approved_by"):
        raise ValidationFailed(_("An extension needs the approval of the body's head."),
                               field="approved_by")


PETITION = Workflow(
    name="petitions.petition",
    states={"registered": _("Registered, awaiting acceptance"),
            "accepted": _("Accepted, being handled"),
            "not_accepted": _("Not accepted (notice sent)"), "replied": _("Replied in writing"),
            "review": _("Review requested"), "reviewed": _("Review opinion given"),
            "re_review": _("Re-review requested"), "re_reviewed": _("Re-reviewed (final)"),
            "concluded": _("Petition concluded")},
    initial="registered",
).add(
    Transition("accept", ("registered",), "accepted", P.ACCEPT, _("Accept the petition"),
               guard=_not_after_re_review),
    Transition("decline", ("registered",), "not_accepted", P.ACCEPT,
               _("Do not accept the petition"), closes=True),
    Transition("extend", ("accepted",), "accepted", P.APPROVE,
               _("Extend the handling limit"), guard=_once_with_approval),
    Transition("reply", ("accepted",), "replied", P.HANDLE, _("Reply in writing")),
    Transition("request_review", ("replied",), "review", P.REGISTER,
               _("Register a review request")),
    Transition("decide_review", ("review",), "reviewed", P.REVIEW, _("Decide the review")),
    Transition("request_re_review", ("reviewed",), "re_review", P.REGISTER,
               _("Register a re-review request")),
    Transition("decide_re_review", ("re_review",), "re_reviewed", P.REVIEW,
               _("Decide the re-review"), closes=True),
    Transition("conclude", ("replied", "reviewed"), "concluded", P.HANDLE,
               _("Conclude the petition"), closes=True),
)

# States in which the agency (not the petitioner) has a time limit running.
AGENCY_CLOCK_STATES = ("registered", "accepted", "review", "re_review")
OPEN_STATES = ("registered", "accepted", "replied", "review", "reviewed", "re_review")
