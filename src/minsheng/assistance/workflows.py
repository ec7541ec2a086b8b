"""Every record with states in social assistance, as casework.workflow state machines:
the statutory procedures (dibao, temporary assistance, tekun recognition) and the records
that live on after them (a household's dibao benefit, a person's tekun support, a
verification finding, a payment line). Guards enforce what a step needs before it may
happen; the order of steps is the order of the law. Every state change goes through
`casework.workflow.transition` (timeline, audit, permission per transition)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.assistance.config import setting
from minsheng.assistance.permissions import APPLY, DECIDE, MANAGE, PAY, RESOLVE, REVIEW
from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed

__all__ = ["APPLY", "BENEFIT", "DECIDE", "DIBAO", "FINDING", "PAYMENT_LINE", "REVIEW",
           "TEKUN", "TEKUN_SUPPORT", "TEMPORARY"]


def _today(data) -> datetime.date:
    value = data.get("today")
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


def _accept_ready(case, data):
    if case.missing_materials:
        raise ValidationFailed(_("Materials are still missing: %s")
                               % "、".join(case.missing_materials))
    members = list(case.members.all())
    unauthorised = [m.person.name for m in members if not m.authorised]
    if unauthorised:
        raise ValidationFailed(_("Every member must authorise the economic check; missing: %s")
                               % "、".join(unauthorised))


def _investigators(case, data):
    names = [n for n in data.get("investigators", []) if str(n).strip()]
    if len(set(names)) < setting("MIN_INVESTIGATORS"):
        raise ValidationFailed(_("A home visit needs at least %d investigators")
                               % setting("MIN_INVESTIGATORS"), field="investigators")
    if not str(data.get("home_visit_note", "")).strip():
        raise ValidationFailed(_("Record what the home visit found"), field="home_visit_note")


def _verification_done(case, data):
    if not case.verification_runs.exists():
        raise ValidationFailed(_("Run the economic verification first"))
    pending = case.discrepancies.filter(state__in=["open", "to_confirm", "disputed"]).count()
    if pending:
        raise ValidationFailed(_("%d verification finding(s) are not resolved yet") % pending)


def _opinion(case, data):
    if not str(data.get("opinion", "")).strip():
        raise ValidationFailed(_("Write the first-review opinion"), field="opinion")


def _eligible(case, data):
    if not case.eligible:
        raise ValidationFailed(_("The first review found the household not eligible: send "
                                 "the file for a refusal instead of a public notice"))


def _not_eligible(case, data):
    if case.eligible:
        raise ValidationFailed(_("The household is eligible: publish the notice first"))


def _notice_over(case, data):
    if case.notice_end is None or _today(data) < case.notice_end:
        raise ValidationFailed(_("The public notice runs until %s") % case.notice_end)


def _objection(case, data):
    if not str(data.get("objection", "")).strip():
        raise ValidationFailed(_("Describe the objection"), field="objection")


def _decision_ready(case, data):
    if case.related_to_staff and not case.approver_visit_on:
        raise ValidationFailed(_("The applicant is a relative of staff: the approver must "
                                 "visit the home before deciding"))


def _refusal_reasons(case, data):
    _decision_ready(case, data)
    if not str(data.get("reasons", "")).strip():
        raise ValidationFailed(_("A refusal needs written reasons"), field="reasons")


DIBAO = Workflow(
    name="dibao",
    states={"submitted": _("Application submitted"), "accepted": _("Application accepted"),
            "investigating": _("Investigation"),
            "verification_requested": _("Verification requested"),
            "verifying": _("Economic verification"), "reviewed": _("First review done"),
            "notice": _("Public notice"), "file_sent": _("At the district for decision"),
            "approved": _("Approved by the district"), "refused": _("Refused by the district"),
            "not_accepted": _("Not accepted"), "withdrawn": _("Withdrawn")},
    initial="submitted",
).add(
    Transition("accept", ("submitted",), "accepted", APPLY, _("Accept application"), _accept_ready),
    Transition("not_accept", ("submitted",), "not_accepted", APPLY, _("Do not accept"),
               closes=True),
    Transition("start_investigation", ("accepted",), "investigating", APPLY,
               _("Start investigation (home visit)"), _investigators),
    Transition("request_verification", ("investigating",), "verification_requested", APPLY,
               _("Request economic verification")),
    Transition("start_verification", ("verification_requested",), "verifying", APPLY,
               _("Run economic verification")),
    Transition("first_review", ("verifying",), "reviewed", REVIEW, _("First-review opinion"),
               lambda c, d: (_verification_done(c, d), _opinion(c, d))),
    Transition("publish_notice", ("reviewed",), "notice", APPLY, _("Publish public notice"),
               _eligible),
    Transition("objection", ("notice",), "investigating", APPLY,
               _("Objection: re-investigate"), _objection),
    Transition("send_file", ("notice",), "file_sent", APPLY, _("Send file to the district"),
               _notice_over),
    Transition("send_refusal_file", ("reviewed",), "file_sent", APPLY,
               _("Send file to the district (not eligible)"), _not_eligible),
    Transition("approve", ("file_sent",), "approved", DECIDE, _("Approve (district)"),
               _decision_ready,
               closes=True),
    Transition("refuse", ("file_sent",), "refused", DECIDE, _("Refuse"), _refusal_reasons,
               closes=True),
    Transition("withdraw", ("submitted", "accepted", "investigating", "verification_requested",
                            "verifying", "reviewed", "notice"), "withdrawn", APPLY,
               _("Withdrawn by the applicant"), closes=True),
)
DIBAO_OPEN_STATES = ("submitted", "accepted", "investigating", "verification_requested",
                     "verifying", "reviewed", "notice", "file_sent")
# Steps in order, for the checklist on the case page.
DIBAO_STEPS = ("submitted", "accepted", "investigating", "verification_requested",
               "verifying", "reviewed", "notice", "file_sent", "approved")


def _has_amount(case, data):
    if case.amount is None or case.amount <= 0:
        raise ValidationFailed(_("Enter the amount"))


def _paperwork_done(case, data):
    if case.obligations:
        raise ValidationFailed(_("Open obligations: %s") % "、".join(case.obligations))


TEMPORARY = Workflow(
    name="temporary",
    states={"applied": _("Application registered"), "granted": _("Granted (help first)"),
            "investigating": _("Investigation"), "approved": _("Approved by the district"),
            "refused": _("Refused by the district"), "completed": _("Completed")},
    initial="applied",
).add(
    Transition("grant_emergency", ("applied",), "granted", APPLY, _("Grant now (help first)"),
               _has_amount),
    Transition("complete", ("granted",), "completed", APPLY, _("Paperwork completed"),
               _paperwork_done, closes=True),
    Transition("investigate", ("applied",), "investigating", APPLY, _("Investigate")),
    Transition("approve", ("investigating",), "approved", DECIDE, _("Approve (district)"),
               _has_amount,
               closes=True),
    Transition("approve_subdistrict", ("investigating",), "approved", REVIEW,
               _("Approve (subdistrict level)"), _has_amount, closes=True),
    Transition("refuse", ("investigating",), "refused", REVIEW, _("Refuse"), closes=True),
)


def _tekun_notice_over(case, data):
    if case.notice_end is None or _today(data) < case.notice_end:
        raise ValidationFailed(_("The public notice runs until %s") % case.notice_end)


TEKUN = Workflow(
    name="tekun",
    states={"accepted": _("Application accepted"), "investigated": _("Investigated"),
            "notice": _("Public notice"), "file_sent": _("At the district for decision"),
            "approved": _("Approved by the district"), "refused": _("Refused by the district")},
    initial="accepted",
).add(
    Transition("investigate", ("accepted",), "investigated", APPLY, _("Record investigation")),
    Transition("publish_notice", ("investigated",), "notice", APPLY, _("Publish notice")),
    Transition("send_file", ("notice",), "file_sent", APPLY, _("Send file to the district"),
               _tekun_notice_over),
    Transition("approve", ("file_sent",), "approved", DECIDE, _("Approve (district)"), closes=True),
    Transition("refuse", ("file_sent", "investigated"), "refused", DECIDE, _("Refuse"),
               closes=True),
)


def _reason(case, data):
    if not str(data.get("reason", "")).strip():
        raise ValidationFailed(_("Give the reason"), field="reason")


# ---------------------------------------------------------------- a household's benefit
def _gradual_exit_over(benefit, data):
    if benefit.gradual_exit_until is None or _today(data) <= benefit.gradual_exit_until:
        raise ValidationFailed(_("The gradual exit runs until %s")
                               % benefit.gradual_exit_until)


BENEFIT = Workflow(
    name="dibao_benefit",
    states={"active": _("Active"), "gradual_exit": _("Gradual exit"), "exited": _("Exited")},
    initial="active",
).add(
    # income from work above the standard: payment continues for the configured months
    Transition("gradual_exit", ("active",), "gradual_exit", MANAGE, _("Start gradual exit"),
               _reason),
    Transition("exit", ("active", "gradual_exit"), "exited", MANAGE, _("End dibao"),
               _reason),
    # the platform's daily sweep, once the gradual-exit period is over
    Transition("gradual_exit_end", ("gradual_exit",), "exited", MANAGE,
               _("Gradual exit period over"), _gradual_exit_over),
    # the district approves a re-review: the new benefit takes over from next month
    Transition("replace", ("active", "gradual_exit"), "exited", DECIDE,
               _("Replaced after re-review")),
)


# ---------------------------------------------------------------- a person's tekun support
def _age_limit_reached(support, data):
    if support.support_until is None or _today(data) <= support.support_until:
        raise ValidationFailed(_("Support runs until %s") % support.support_until)
    if support.case.in_school:
        raise ValidationFailed(_("Still in school: support continues"))


TEKUN_SUPPORT = Workflow(
    name="tekun_support",
    states={"active": _("Supported"), "ended": _("Ended")},
    initial="active",
).add(
    Transition("end", ("active",), "ended", MANAGE, _("End support"), _reason),
    # the platform's daily sweep: minors reaching the age limit who are not in school
    Transition("age_limit", ("active",), "ended", MANAGE, _("Reached the age limit"),
               _age_limit_reached),
)


# ---------------------------------------------------------------- verification findings
def _resolution(finding, data):
    if not str(data.get("resolution", "")).strip():
        raise ValidationFailed(_("Record the reason or the applicant's evidence"),
                               field="resolution")


FINDING = Workflow(
    name="verification_finding",
    states={"open": _("Open"), "to_confirm": _("Possible match: caseworker to confirm"),
            "confirmed": _("Confirmed"), "dismissed": _("Dismissed"),
            "disputed": _("Disputed by the applicant"),
            "upheld": _("Dispute upheld (finding withdrawn)")},
    initial="open",
).add(
    Transition("confirm", ("open", "to_confirm", "disputed"), "confirmed", RESOLVE,
               _("Confirm")),
    Transition("dismiss", ("open", "to_confirm"), "dismissed", RESOLVE, _("Dismiss"),
               _resolution),
    Transition("dispute", ("open",), "disputed", RESOLVE, _("Applicant disputes"),
               _resolution),
    Transition("uphold", ("disputed",), "upheld", REVIEW, _("Uphold dispute"), _resolution),
)
# the outcome a page or client asks for -> the move that reaches it
FINDING_MOVES = {"confirmed": "confirm", "dismissed": "dismiss", "disputed": "dispute",
                 "upheld": "uphold"}


# ---------------------------------------------------------------- payment lines
PAYMENT_LINE = Workflow(
    name="payment_line",
    states={"pending": _("Sent to bank"), "paid": _("Paid"), "returned": _("Returned")},
    initial="pending",
    area_field="roster__area",
).add(
    Transition("return", ("pending", "paid"), "returned", PAY, _("Returned by the bank"),
               _reason),
)
