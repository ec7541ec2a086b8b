"""The health module's time limits as `casework.clocks.Clock`s, in hours, built from the
configured limits (the disease's report limit, the district's verification limits), so a
label always says the number that applies."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from minsheng.casework.clocks import HOURS, Clock
from minsheng.health.config import setting


def report_limit_hours(disease) -> float:
    """Hours allowed from diagnosis to report: the disease's own limit (class A and class B
    managed as A: 2 hours), else the district's limit for its class."""
    return disease.report_hours or setting("REPORT_WITHIN_HOURS").get(disease.klass, 24)


def verify_limit_hours(disease) -> float:
    """Hours allowed to verify a signal: single-case (threshold) and class A diseases have
    the short limit."""
    if disease.uses_threshold or disease.klass == "A":
        return setting("VERIFY_WITHIN_HOURS_THRESHOLD")
    return setting("VERIFY_WITHIN_HOURS")


def report_clock(*, disease, diagnosed_at: datetime.datetime,
                 reported_at: datetime.datetime | None = None) -> Clock:
    return Clock.after(_("Case report after diagnosis"), diagnosed_at,
                       report_limit_hours(disease), HOURS, done=reported_at,
                       waiting_on="" if reported_at else _("the diagnosing doctor"))


def case_report_clock(report) -> Clock:
    return report_clock(disease=report.disease, diagnosed_at=report.diagnosed_at,
                        reported_at=report.reported_at)


def verify_clock(alert) -> Clock:
    """The alert's verification clock. Its limit is the one configured when the signal was
    raised (kept in `verify_due_at`), so a later change of the setting does not move it."""
    limit = (alert.verify_due_at - alert.opened_at).total_seconds() / 3600
    return Clock.after(_("Verify the signal"), alert.opened_at, limit, HOURS,
                       done=alert.verified_at,
                       waiting_on="" if alert.verified_at else _("disease control on duty"))
