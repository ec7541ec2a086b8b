"""State machines of the culture module: the heritage consent case opened by a
construction check, and a representative inheritor's recognition. Every move goes through
`casework.workflow.transition`."""

import datetime

from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.culture import permissions as P


def _reason(case, data):
    if not (data.get("reason") or "").strip():
        raise ValidationFailed(_("Give the reason for the decision."), field="reason")


CONSENT_WORKFLOW = Workflow(
    name="culture.consent",
    states={"open": _("Under review"), "approved": _("Consent given"),
            "refused": _("Consent refused"), "withdrawn": _("Withdrawn")},
    initial="open",
).add(
    Transition("approve", ("open",), "approved", P.DECIDE, _("Give consent"), guard=_reason,
               closes=True),
    Transition("refuse", ("open",), "refused", P.DECIDE, _("Refuse consent"), guard=_reason,
               closes=True),
    Transition("withdraw", ("open",), "withdrawn", P.CHECK, _("Applicant withdrew"),
               closes=True),
)


def _notice_over(case, data):
    today = data.get("today") or datetime.date.today().isoformat()
    if case.notice_ends_on is None or today <= case.notice_ends_on.isoformat():
        raise ValidationFailed(_("The public notice period has not ended yet."))


INHERITOR_WORKFLOW = Workflow(
    name="culture.inheritor",
    states={"nominated": _("Nominated"), "notice": _("In public notice"),
            "recognised": _("Recognised"), "rejected": _("Not recognised"),
            "revoked": _("Recognition revoked")},
    initial="nominated",
    area_field="item__area",
).add(
    Transition("publish_notice", ("nominated",), "notice", P.INTANGIBLE,
               _("Publish the notice")),
    Transition("recognise", ("notice",), "recognised", P.RECOGNISE, _("Recognise"),
               guard=_notice_over),
    Transition("reject", ("nominated", "notice"), "rejected", P.RECOGNISE,
               _("Do not recognise"), guard=_reason),
    Transition("revoke", ("recognised",), "revoked", P.RECOGNISE, _("Revoke recognition"),
               guard=_reason),
)
