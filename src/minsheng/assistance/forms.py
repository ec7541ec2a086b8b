"""Django forms for every input of the social assistance pages. Field names are the
inputs' names; the services receive the cleaned data (and repeat their own checks, which
the page shows on the field the refusal names)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.assistance.config import setting
from minsheng.assistance.eligibility import ADL_ACTIVITIES
from minsheng.assistance.models import DibaoCase, TemporaryGrant
from minsheng.assistance.services.spot_checks import MAX_SEED
from minsheng.assistance.workflows import FINDING_MOVES
from minsheng.core.forms import DateField, IntField, MonthField, ObjectIdField, VersionedForm

MEMBER_ROWS = 6
INCOME_ITEMS = ("wages", "business", "other")
ASSET_ITEMS = ("deposits",)


def _money(**kwargs) -> forms.DecimalField:
    kwargs.setdefault("required", False)
    return forms.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def _text(max_length: int, *, required: bool = False, area: bool = False) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=required,
                           widget=forms.Textarea(attrs={"rows": 2}) if area else None)


def _key() -> str:
    return uuid.uuid4().hex


# ------------------------------------------------------------------------ dibao intake
class ApplicationForm(forms.Form):
    """A dibao application (portal and office): the applicant and up to MEMBER_ROWS
    members with their monthly income and assets."""

    idempotency_key = forms.CharField(max_length=64, required=False, initial=_key,
                                      widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=_("Name"), max_length=60)
    applicant_id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    bank_account = forms.CharField(label=_("Bank account"), max_length=32, required=False)
    agent_name = forms.CharField(label=_("Agent"), max_length=60, required=False)
    agent_relation = forms.CharField(label=_("Agent's relation"), max_length=60,
                                     required=False)
    single_person = forms.ChoiceField(label=_("Single-person application"),
                                      choices=DibaoCase.SingleException.choices, required=False)
    reason = _text(2000, area=True)
    reason.label = _("Reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MEMBER_ROWS):
            self.fields[f"m{i}_id"] = forms.CharField(label=_("Resident ID number"),
                                                      max_length=18, required=False)
            for item, label in (("wages", _("Wages")), ("business", _("Business income")),
                                ("other", _("Other income")), ("deposits", _("Deposits"))):
                self.fields[f"m{i}_{item}"] = _money(label=label)
            self.fields[f"m{i}_properties"] = IntField(label=_("Properties"), max_value=99,
                                                       required=False)
            self.fields[f"m{i}_authorised"] = forms.BooleanField(required=False)

    def member_rows(self) -> list[dict]:
        """The member rows' bound fields, for the template's table."""
        names = ("id", *INCOME_ITEMS, *ASSET_ITEMS, "properties", "authorised")
        return [{"n": i, **{name: self[f"m{i}_{name}"] for name in names}}
                for i in range(MEMBER_ROWS)]

    def service_args(self, data: dict) -> dict:
        """The cleaned form as `dibao_apply`'s keyword arguments."""
        members = []
        for i in range(MEMBER_ROWS):
            number = (data.get(f"m{i}_id") or "").strip()
            if not number:
                continue
            members.append({
                "id_number": number,
                "income": {k: str(data.get(f"m{i}_{k}") or 0) for k in INCOME_ITEMS},
                "assets": {"deposits": str(data.get(f"m{i}_deposits") or 0),
                           "properties": data.get(f"m{i}_properties") or 0},
                "authorised": bool(data.get(f"m{i}_authorised")),
            })
        fields = ("applicant_id_number", "applicant_name", "phone", "bank_account", "reason",
                  "agent_name", "agent_relation", "single_person", "idempotency_key")
        return {**{f: data.get(f) or "" for f in fields}, "members": members}


class IdentifyForm(forms.Form):
    """The public application's first step: who applies, to send the one-time code to
    the phone registered for them."""

    applicant_name = forms.CharField(label=_("Name"), max_length=60)
    applicant_id_number = forms.CharField(label=_("Resident ID number"), max_length=18)


class PublicApplicationForm(ApplicationForm):
    """The public application's second step: the one-time code and the application; the
    applicant is the one named in the first step."""

    code = forms.RegexField(label=_("Verification code"), regex=r"^\d{6}$", max_length=6,
                            error_messages={"invalid": _("The code has six digits.")})

    def service_args(self, data: dict) -> dict:
        return {**super().service_args(data), "code": data["code"]}


# ------------------------------------------------------------------------ dibao steps
class StepForm(VersionedForm):
    """A step that needs nothing but the version the user read."""


class AcceptForm(VersionedForm):
    missing = _text(2000, area=True)
    missing.label = _("Missing materials")
    related_to_staff = forms.BooleanField(required=False)
    related_note = forms.CharField(label=_("Relation"), max_length=200, required=False)
    delegated = forms.BooleanField(required=False)


class AuthoriseForm(forms.Form):
    person_id = ObjectIdField()


class InvestigateForm(VersionedForm):
    investigators = forms.CharField(label=_("Investigators"), max_length=500, required=False)
    home_visit_note = _text(4000, area=True)
    home_visit_note.label = _("Home visit record")

    def clean_investigators(self) -> list[str]:
        raw = self.cleaned_data.get("investigators") or ""
        return [n.strip() for n in raw.replace("，", ",").replace("、", ",").split(",")
                if n.strip()]


class FirstReviewForm(VersionedForm):
    opinion = _text(4000, area=True)
    opinion.label = _("First-review opinion")


class ObjectionForm(VersionedForm):
    objection = _text(4000, area=True)
    objection.label = _("Objection")


class RefuseForm(VersionedForm):
    reasons = _text(4000, area=True)
    reasons.label = _("Written reasons")


class NoteForm(VersionedForm):
    """Withdrawal, non-acceptance, the approver's visit: a note is the input."""

    note = _text(4000, area=True)
    note.label = _("Reason")


class ExtendForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class FindingResolveForm(VersionedForm):
    status = forms.ChoiceField(label=_("Resolution"),
                               choices=[(s, s) for s in FINDING_MOVES])
    resolution = _text(4000)
    resolution.label = _("Reason / evidence")


# ------------------------------------------------------------------------ benefits
class BenefitExitForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    gradual = forms.BooleanField(required=False)


class ReviewTriggerForm(VersionedForm):
    reason = forms.CharField(label=_("Event"), max_length=200, required=False)


class FraudRecoveryForm(forms.Form):
    amount = _money(label=_("Amount obtained by fraud"), required=True)
    fine_factor = forms.DecimalField(label=_("Fine (times the amount)"), max_digits=3,
                                     decimal_places=1)
    note = _text(2000)
    note.label = _("Note")


class JobRefusalForm(forms.Form):
    member = ObjectIdField(label=_("Member"))
    job = forms.CharField(label=_("Job offered"), max_length=200, required=False)


class PaymentReturnedForm(VersionedForm):
    reason = forms.CharField(label=_("Bank's reason"), max_length=200, required=False)


class RosterForm(forms.Form):
    area = forms.ChoiceField(label=_("Subdistrict"))
    # max_length=None: core's MonthField keeps CharField's length validator, which then
    # runs on the cleaned date and fails (reported); the input is cut to YYYY-MM anyway
    month = MonthField(label=_("Month"), max_length=None)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]


# ------------------------------------------------------------------------ temporary
class TemporaryForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, required=False, initial=_key,
                                      widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Temporary grant type"),
                             choices=TemporaryGrant.Kind.choices, initial="emergency")
    applicant_id_number = forms.CharField(label=_("Applicant's resident ID number"),
                                          max_length=18)
    cause = forms.CharField(label=_("Cause"), max_length=40)
    amount = _money(label=_("Amount (yuan)"), required=True)
    per_capita_income = _money(label=_("Per-capita monthly income (expenditure type)"))
    description = _text(2000, area=True)
    description.label = _("Details of the need")
    override_reason = forms.CharField(label=_("Override reason"), max_length=300,
                                      required=False)
    grant_now = forms.BooleanField(required=False, initial=True)


class AmountForm(forms.Form):
    amount = _money(label=_("Amount (yuan)"), required=True)


class TemporaryActForm(VersionedForm):
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)
    obligation = forms.CharField(max_length=200, required=False)


# ------------------------------------------------------------------------ tekun
def _disability_choices():
    from minsheng.assistance.labels import DISABILITY_LABELS

    return [("", _("No disability"))] + [(k, DISABILITY_LABELS.get(k, k))
                                         for k in setting("TEKUN_DISABILITY")]


class TekunForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    disability_kind = forms.ChoiceField(label=_("Disability type"), required=False,
                                        choices=_disability_choices)
    disability_grade = IntField(label=_("Disability grade (1 = most severe)"), min_value=1,
                                max_value=9, required=False)
    monthly_income = _money(label=_("Monthly income (yuan)"))
    has_able_supporter = forms.BooleanField(required=False)
    in_school = forms.BooleanField(required=False)
    support_mode = forms.ChoiceField(label=_("Support mode"), initial="home", required=False,
                                     choices=[("home", _("Support at home")),
                                              ("centralised",
                                               _("Centralised support (care home)"))])

    def recognition_args(self, data: dict) -> dict:
        return {"disability_kind": data.get("disability_kind") or "",
                "disability_grade": data.get("disability_grade"),
                "monthly_income": data.get("monthly_income") or 0,
                "has_able_supporter": bool(data.get("has_able_supporter"))}


class TekunCheckForm(TekunForm):
    """The live preview: the same inputs as the application."""


class AdlForm(VersionedForm):
    failed = forms.MultipleChoiceField(choices=[(a, a) for a in ADL_ACTIVITIES],
                                       required=False)


class ChangeReportForm(VersionedForm):
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)


class SupportEndForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class SpotCheckForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    start = DateField(label=_("Recognised from"))
    end = DateField(label=_("Recognised until"))
    seed = forms.IntegerField(label=_("Seed (optional, to repeat a draw)"), min_value=0,
                              max_value=MAX_SEED, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts"))
        return data


# ------------------------------------------------------------------------ filters (GET)
class PublicStatusForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=16)
    id_number = forms.CharField(label=_("Applicant's resident ID number"), max_length=18)


class FilterForm(forms.Form):
    """A list page's filters: a bad value falls back to the default, never an error."""

    defaults: dict = {}

    def values(self) -> dict:
        """Each filter as given (an empty value too: "all"), or its default when it is
        absent or not valid."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] if name in self.data and name in cleaned
                else self.defaults.get(name, "") for name in self.fields}


class ReferenceFilter(FilterForm):
    reference = forms.CharField(required=False, max_length=16)


class WorklistFilter(FilterForm):
    tab = forms.ChoiceField(required=False, choices=[(t, t) for t in
                                                     ("due_soon", "overdue", "mine", "all")])
    state = forms.CharField(required=False, max_length=30)
    q = forms.CharField(required=False, max_length=40)
    defaults = {"tab": "due_soon", "state": "open"}


class TemporaryFilter(FilterForm):
    kind = forms.ChoiceField(required=False, choices=[("", "")] + TemporaryGrant.Kind.choices)
    state = forms.CharField(required=False, max_length=30)
    obligations = forms.CharField(required=False, max_length=10)
    defaults = {"state": "open"}


class TekunFilter(FilterForm):
    tab = forms.ChoiceField(required=False, choices=[(t, t) for t in
                                                     ("cases", "supported", "reassess")])
    state = forms.CharField(required=False, max_length=30)
    defaults = {"tab": "cases", "state": "open"}


class BenefitFilter(FilterForm):
    state = forms.ChoiceField(required=False, choices=[(s, s) for s in (
        "current", "all", "active", "gradual_exit", "exited")])
    q = forms.CharField(required=False, max_length=40)
    defaults = {"state": "current"}
