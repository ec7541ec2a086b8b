"""Every legal clock of social assistance, in one place. Each is built with
`Clock.after(label, start, setting(...), unit)` from the district's configured limit, so
its title says the district's number ("District decision (10 working days)"), and the
deadlines the services store (`current_due`) come from the same settings.

Pure computation over a record's dates (no database writes); pages, the API and the
services all read the clocks from here."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance.config import setting
from minsheng.assistance.models import DibaoCase, TekunCase, TemporaryGrant
from minsheng.casework.clocks import DAYS, WORKING_DAYS, Clock
from minsheng.core import workdays


def _local_date(moment) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


# ------------------------------------------------------------------------ dibao
def overall_limit(case: DibaoCase) -> int:
    """Working days for the whole procedure: delegated, extended or the normal limit."""
    if case.delegated:
        return setting("TOTAL_WORKING_DAYS_DELEGATED")
    if case.extension_reason:
        return setting("TOTAL_WORKING_DAYS_EXTENDED")
    return setting("TOTAL_WORKING_DAYS")


def overall_due(case: DibaoCase) -> datetime.date | None:
    if not case.accepted_on:
        return None
    return workdays.add_working_days(case.accepted_on, overall_limit(case))


def step_due(case: DibaoCase, step: datetime.date | None) -> datetime.date | None:
    """The deadline a case is listed under: the earlier of its step's and the whole
    procedure's."""
    dues = [d for d in (step, overall_due(case)) if d]
    return min(dues) if dues else None


def investigation_due(accepted_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(accepted_on, setting("INVESTIGATION_START_WORKING_DAYS"))


def verification_due(requested_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(requested_on, setting("VERIFICATION_START_WORKING_DAYS"))


def notice_end(start: datetime.date) -> datetime.date:
    """The public notice runs calendar days, not working days."""
    return start + datetime.timedelta(days=setting("NOTICE_DAYS"))


def decision_due(file_received_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(file_received_on, setting("DECISION_WORKING_DAYS"))


def refusal_notice_due(decided_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(decided_on, setting("REFUSAL_NOTICE_WORKING_DAYS"))


def _notice_done(start, end, still_running: bool, today) -> datetime.date | None:
    """A public notice is a period, not a task: it is done when it has run its days (or
    was cut short by an objection), never 'overdue'."""
    today = today or timezone.localdate()
    if not still_running or (end is not None and today >= end):
        return end
    return None


def decision_clock(case: DibaoCase) -> Clock | None:
    if not case.file_received_on:
        return None
    return Clock.after(_("District decision"), case.file_received_on,
                       setting("DECISION_WORKING_DAYS"), WORKING_DAYS, done=case.decided_on,
                       waiting_on=_("the district"))


def dibao_clocks(case: DibaoCase, today: datetime.date | None = None) -> list[Clock]:
    """The legal clocks of a case that have started, in the order of the procedure."""
    clocks = []
    if case.accepted_on:
        clocks.append(Clock.after(_("Investigation starts"), case.accepted_on,
                                  setting("INVESTIGATION_START_WORKING_DAYS"), WORKING_DAYS,
                                  done=case.investigation_started_on))
    if case.verification_requested_on:
        clocks.append(Clock.after(_("Verification starts"), case.verification_requested_on,
                                  setting("VERIFICATION_START_WORKING_DAYS"), WORKING_DAYS,
                                  done=case.verification_started_on))
    if case.notice_start:
        clocks.append(Clock.after(
            _("Public notice"), case.notice_start, setting("NOTICE_DAYS"), DAYS,
            done=_notice_done(case.notice_start, case.notice_end, case.state == "notice",
                              today)))
    if case.file_received_on:
        clocks.append(decision_clock(case))
    if case.decision == "refused" and case.decided_on:
        clocks.append(Clock.after(_("Written reasons for the refusal"), case.decided_on,
                                  setting("REFUSAL_NOTICE_WORKING_DAYS"), WORKING_DAYS,
                                  done=case.refusal_notified_on))
    if case.accepted_on:
        clocks.append(Clock.after(_("Whole procedure"), case.accepted_on, overall_limit(case),
                                  WORKING_DAYS,
                                  done=case.decided_on or _local_date(case.closed_at)))
    return clocks


# ------------------------------------------------------------------------ temporary
def temporary_due(grant: TemporaryGrant) -> datetime.date:
    return workdays.add_working_days(grant.accepted_on, setting("TEMPORARY_TOTAL_WORKING_DAYS"))


def temporary_clocks(grant: TemporaryGrant) -> list[Clock]:
    clocks = [Clock.after(_("Temporary assistance: whole procedure"), grant.accepted_on,
                          setting("TEMPORARY_TOTAL_WORKING_DAYS"), WORKING_DAYS,
                          done=_local_date(grant.closed_at))]
    if grant.kind == TemporaryGrant.Kind.EMERGENCY and grant.decided_on and \
            grant.state in ("granted", "completed"):
        # help first: the paperwork follows within its own limit
        clocks.append(Clock.after(_("Help-first paperwork"), grant.decided_on,
                                  setting("TEMPORARY_EMERGENCY_PAPERWORK_WORKING_DAYS"),
                                  WORKING_DAYS, done=_local_date(grant.closed_at)))
    return clocks


# ------------------------------------------------------------------------ tekun
def tekun_investigation_due(accepted_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(accepted_on, setting("TEKUN_INVESTIGATION_WORKING_DAYS"))


def tekun_notice_end(start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=setting("TEKUN_NOTICE_DAYS"))


def tekun_decision_due(file_received_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(file_received_on, setting("TEKUN_DECISION_WORKING_DAYS"))


def tekun_reassess_due(reported_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(reported_on, setting("TEKUN_REASSESS_WORKING_DAYS"))


def tekun_clocks(case: TekunCase, today: datetime.date | None = None) -> list[Clock]:
    refused_early = case.state == "refused" and not case.file_received_on
    clocks = [Clock.after(_("Tekun investigation"), case.accepted_on,
                          setting("TEKUN_INVESTIGATION_WORKING_DAYS"), WORKING_DAYS,
                          done=case.investigated_on or (case.decided_on if refused_early
                                                        else None))]
    if case.notice_start:
        clocks.append(Clock.after(
            _("Tekun public notice"), case.notice_start, setting("TEKUN_NOTICE_DAYS"), DAYS,
            done=_notice_done(case.notice_start, case.notice_end, case.state == "notice",
                              today)))
    if case.file_received_on:
        clocks.append(Clock.after(_("Tekun decision"), case.file_received_on,
                                  setting("TEKUN_DECISION_WORKING_DAYS"), WORKING_DAYS,
                                  done=case.decided_on, waiting_on=_("the district")))
    return clocks

