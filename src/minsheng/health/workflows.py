"""The health module's state machines (`casework.workflow`): the outbreak alert."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.health.permissions import RESPOND

ALERT_STATES = {
    "new": _("Awaiting verification"),
    "verified": _("Verified"),
    "investigating": _("Under investigation"),
    "closed_outbreak": _("Closed: outbreak"),
    "closed_no_outbreak": _("Closed: not an outbreak"),
}
OPEN_ALERT_STATES = ("new", "verified", "investigating")


def needs_investigation(alert, data):
    """An alert is closed as an outbreak only once the investigation is on record."""
    from minsheng.core.errors import ValidationFailed
    from minsheng.health.models import Investigation

    if not Investigation.objects.filter(alert_id=alert.pk).exists():
        raise ValidationFailed(_("Record the epidemiological investigation first."))


ALERT_WORKFLOW = Workflow(name="health_alert", states=ALERT_STATES, initial="new").add(
    Transition("verify", ("new",), "verified", RESPOND, _("Verify signal")),
    Transition("investigate", ("verified",), "investigating", RESPOND,
               _("Start investigation")),
    Transition("close_outbreak", ("investigating",), "closed_outbreak", RESPOND,
               _("Close as outbreak"), guard=needs_investigation, closes=True),
    Transition("close_no_outbreak", OPEN_ALERT_STATES, "closed_no_outbreak",
               RESPOND, _("Close as not an outbreak"), closes=True),
)
