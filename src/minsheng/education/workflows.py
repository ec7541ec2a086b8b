"""State machines of the education module: roll entries, out-of-school cases and preschool
aid. Every state change goes through `casework.workflow.transition`; guards take the
evidence the services pass in `data` (the roll entry a return rests on, the observation
end), so a rule cannot be skipped by another path."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.casework.workflow import Transition, Workflow
from minsheng.core.errors import ValidationFailed
from minsheng.education import permissions as P

ACTIVE = ("enrolled", "suspended", "home_taught")

ROLL_WORKFLOW = Workflow(
    name="education.enrolment",
    states={"enrolled": pgettext_lazy("roll", "Enrolled"), "suspended": _("Suspended (休学)"),
            "home_taught": _("Taught at home (送教上门)"), "transferred": _("Transferred out"),
            "dropped_out": _("Dropped out"), "deceased": pgettext_lazy("roll", "Deceased"),
            "graduated": _("Graduated"), "moved_away": _("Left the district")},
    initial="enrolled",
).add(
    Transition("suspend", ("enrolled",), "suspended", P.ROLLS, _("Suspend (休学)")),
    Transition("home_teach", ("enrolled",), "home_taught", P.ROLLS,
               _("Teach at home (送教上门)")),
    Transition("resume", ("suspended", "home_taught"), "enrolled", P.ROLLS,
               _("Back to class")),
    Transition("transfer", ("enrolled", "suspended"), "transferred", P.ROLLS,
               _("Transfer to another school")),
    Transition("drop_out", ACTIVE, "dropped_out", P.ROLLS, _("Report as dropped out")),
    Transition("graduate", ("enrolled",), "graduated", P.ROLLS, _("Graduate")),
    Transition("decease", ACTIVE, "deceased", P.ROLLS, _("Record death")),
    Transition("move_away", ACTIVE, "moved_away", P.ROLLS, _("Left the district")),
)


def _on_roll(case, data):
    if not data.get("on_roll"):
        raise ValidationFailed(_("Name the child's current roll entry."), field="enrolment")


def _cause_known(case, data):
    if data.get("cause") in (None, "", "unknown"):
        raise ValidationFailed(_("Choose why the child is out of school."), field="cause")


def _observed(case, data):
    _on_roll(case, data)
    if not data.get("observe_until") or (data.get("today") or "") < data["observe_until"]:
        raise ValidationFailed(_("The child is still under observation until %s.")
                               % data.get("observe_until"), field="note")


def _note(case, data):
    if not (data.get("note") or "").strip():
        raise ValidationFailed(_("Say what was found."), field="note")


DROPOUT_WORKFLOW = Workflow(
    name="education.dropout",
    states={"verifying": _("Verifying"), "visiting": _("Home visit"),
            "persuading": _("Persuading to return (劝返)"), "observing": _("Returned, observing"),
            "on_roll": _("Found on a roll"), "written_off": _("Written off"),
            "closed": _("Closed (left or deceased)")},
    initial="verifying",
).add(
    Transition("confirm_on_roll", ("verifying",), "on_roll", P.DROPOUT,
               _("Confirm the child is on a roll"), guard=_on_roll, closes=True),
    Transition("confirm_out", ("verifying",), "visiting", P.DROPOUT,
               _("Confirm out of school"), guard=_cause_known),
    Transition("visit", ("visiting",), "persuading", P.DROPOUT, _("Record the home visit"),
               guard=_note),
    Transition("return", ("visiting", "persuading"), "observing", P.DROPOUT,
               _("Back at school"), guard=_on_roll),
    Transition("relapse", ("observing",), "persuading", P.DROPOUT, _("Left school again"),
               guard=_note),
    Transition("write_off", ("observing",), "written_off", P.WRITE_OFF, _("Write off"),
               guard=_observed, closes=True),
    Transition("close_left", ("verifying", "visiting", "persuading"), "closed", P.WRITE_OFF,
               _("Close: left the district or deceased"), guard=_note, closes=True),
)

OPEN_CASE_STATES = ("verifying", "visiting", "persuading", "observing")

AID_WORKFLOW = Workflow(
    name="education.preschool_aid",
    states={"applied": pgettext_lazy("aid", "Applied"),
            "approved": pgettext_lazy("aid", "Approved"),
            "rejected": pgettext_lazy("aid", "Rejected"), "paid": _("Paid")},
    initial="applied",
).add(
    Transition("approve", ("applied",), "approved", P.AID_DECIDE, _("Approve aid")),
    Transition("reject", ("applied",), "rejected", P.AID_DECIDE, _("Reject aid"), guard=_note),
    Transition("pay", ("approved",), "paid", P.AID_DECIDE, _("Mark as paid")),
)
