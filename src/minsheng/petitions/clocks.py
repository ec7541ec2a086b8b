"""The legal time limits of a petition as casework clocks, built from the configured
limits (`defaults.py`, with their articles): the page shows them, the services store the
due dates from the same function, so the two never disagree."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import Clock
from minsheng.petitions.config import setting


def due(start: datetime.date, days: int) -> datetime.date:
    """The last day of a limit of `days` from `start`, in the configured kind of days."""
    return Clock.after("", start, days, setting("LIMIT_UNIT")).due


def _clock(label, start, days, done=None, waiting_on=""):
    return Clock.after(label, start, days, setting("LIMIT_UNIT"), done=done,
                       waiting_on=waiting_on)


def petition_clocks(p) -> list[Clock]:
    clocks = []
    decided = p.decided_on
    if decided is None and p.state == "not_accepted" and p.closed_at:
        decided = timezone.localdate(p.closed_at)
    clocks.append(_clock(_("Acceptance decision and written notice"), p.received_on,
                         setting("ACCEPT_DAYS"), done=decided))
    if p.accepted_on:
        days = setting("HANDLE_DAYS") + p.extension_days
        label = (_("Handling and written reply (extended by %(n)s days)")
                 % {"n": p.extension_days} if p.extension_days
                 else _("Handling and written reply"))
        clocks.append(_clock(label, p.accepted_on, days, done=p.replied_on))
    if p.replied_on and (p.review_requested_on or p.state == "replied"):
        clocks.append(_clock(_("Petitioner may request a review"), p.replied_on,
                             setting("REVIEW_REQUEST_DAYS"), done=p.review_requested_on,
                             waiting_on=_("the petitioner")))
    if p.review_requested_on:
        clocks.append(_clock(_("Review opinion"), p.review_requested_on,
                             setting("REVIEW_DECIDE_DAYS"), done=p.reviewed_on))
    if p.reviewed_on and (p.re_review_requested_on or p.state == "reviewed"):
        clocks.append(_clock(_("Petitioner may request a re-review"), p.reviewed_on,
                             setting("RE_REVIEW_REQUEST_DAYS"), done=p.re_review_requested_on,
                             waiting_on=_("the petitioner")))
    if p.re_review_requested_on:
        clocks.append(_clock(_("Re-review opinion"), p.re_review_requested_on,
                             setting("RE_REVIEW_DECIDE_DAYS"), done=p.re_reviewed_on))
    return clocks

