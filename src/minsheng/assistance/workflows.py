"""The statutory workflows as state machines (casework.workflow). Guards enforce what a
step needs before it may happen; the order of steps is the order of the law."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.assistance.config import setting
from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed

APPLY = "assistance.apply"  # caseworker: intake, investigation, notice
REVIEW = "assistance.review"  # subdistrict first review
DECIDE = "assistance.decide"  # district approval


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
    pending = case.discrepancies.filter(status__in=["open", "to_confirm", "disputed"]).count()
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
