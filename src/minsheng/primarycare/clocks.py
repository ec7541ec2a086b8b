"""The time limits of primary care as `casework.clocks.Clock`s, with the district's
configured numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from minsheng.casework.clocks import DAYS, HOURS, Clock
from minsheng.primarycare.config import setting


def ack_hours(urgency: str) -> int:
    return setting("ACK_HOURS_URGENT") if urgency == "urgent" else setting("ACK_HOURS_ROUTINE")


def acknowledgement(referral) -> Clock:
    return Clock.after(_("Acknowledgement by the receiving facility"), referral.sent_at,
                       ack_hours(referral.urgency), HOURS, done=referral.acknowledged_at,
                       waiting_on=referral.to_facility.name)


def outreach_contact(case) -> Clock:
    return Clock.after(_("First contact with the resident"), case.opened_on,
                       setting("OUTREACH_CONTACT_DAYS"), DAYS, done=case.contacted_on
                       or (case.closed_on if case.state in ("enrolled", "closed") else None))


def renewal(contract) -> Clock:
    """Counts down to the contract's end; renewal is due before it."""
    return Clock(_("Renewal before the contract ends"), contract.start_date, contract.end_date,
                 done=contract.ended_on if contract.state == "renewed" else None, unit=DAYS)
