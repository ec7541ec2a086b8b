"""State machines of the employment records: job postings, unemployment registrations and
unemployment benefits. Every state change goes through `casework.workflow.transition`
(permission per move, guard, one conditional update, timeline event and audit row)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.employment.config import setting
from minsheng.employment.permissions import MANAGE, REVIEW


def _day(data: dict, key: str) -> datetime.date | None:
    value = data.get(key)
    return datetime.date.fromisoformat(value) if value else None


def _publishable(posting, data):
    today = _day(data, "today") or timezone.localdate()
    if posting.valid_until < today:
        raise ValidationFailed(_("The posting has already expired"), field="valid_until")
    if posting.fraud_flags and not (data.get("note") or "").strip():
        raise ValidationFailed(_("This posting is flagged; explain why it may be published"),
                               field="note")


def _reason_given(record, data):
    if not (data.get("note") or "").strip():
        raise ValidationFailed(_("Give the reason for rejecting"), field="note")


POSTING = Workflow(
    name="employment.posting",
    states={"pending": _("Pending review"), "published": _("Published"),
            "rejected": _("Rejected"), "closed": _("Closed")},
    initial="pending",
).add(
    Transition("publish", ("pending",), "published", REVIEW, _("Publish"),
               guard=_publishable),
    Transition("reject", ("pending",), "rejected", REVIEW, _("Reject"), guard=_reason_given),
    # an edited posting goes back to the review queue, whatever it was
    Transition("edit", ("pending", "published", "rejected"), "pending", MANAGE,
               _("Edited and sent for review")),
    Transition("close", ("pending", "published", "rejected"), "closed", MANAGE,
               _("Close posting"), closes=True),
)


def _closing(registration, data):
    if data.get("reason") not in registration.CloseReason.values:
        raise ValidationFailed(_("Give the reason for closing"), field="reason")
    closed_on = _day(data, "closed_on")
    if closed_on is None or closed_on < registration.registered_on:
        raise ValidationFailed(_("Closing date is before the registration date"),
                               field="closed_on")


REGISTRATION = Workflow(
    name="employment.registration",
    states={"open": _("Registered as unemployed"), "closed": _("Registration closed")},
    initial="open",
).add(
    Transition("close", ("open",), "closed", MANAGE, _("Close unemployment registration"),
               guard=_closing, closes=True),
)


def _stoppable(claim, data):
    if data.get("refused_offer") and not setting("BENEFIT_STOP_ON_REFUSAL"):
        raise ValidationFailed(_("The district does not stop benefits for refusals"),
                               field="refused_offer")
    if not (data.get("note") or "").strip():
        raise ValidationFailed(_("Give the reason"), field="reason")
    stopped_on = _day(data, "stopped_on")
    if stopped_on is None or stopped_on < claim.start_date:
        raise ValidationFailed(_("The benefit cannot stop before it started"),
                               field="stopped_on")


BENEFIT = Workflow(
    name="employment.benefit",
    states={"paying": _("Paying"), "stopped": _("Stopped"), "ended": _("Ended")},
    initial="paying",
).add(
    # e.g. refusing suitable work or training without a proper reason (失业保险条例 art. 15)
    Transition("stop", ("paying",), "stopped", MANAGE, _("Stop unemployment benefit"),
               guard=_stoppable, closes=True),
    # the registration closed (found work, moved away, ...): payment ends that day
    Transition("end", ("paying",), "ended", MANAGE, _("Benefit ended"), closes=True),
)
