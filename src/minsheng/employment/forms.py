"""The page forms of the employment service (Django forms on `core.forms`).

Forms check the shape of the input (numbers, dates, choices, lengths); every rule about
the records is checked by the services, which raise `ValidationFailed` with a field name
that `core.pages.submit` puts next to that field, the input kept. Field names are the
inputs' names in the templates."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.core.dates import add_months, month_end, month_start
from minsheng.core.errors import DomainError
from minsheng.core.forms import DateField, IntField, MonthField, ObjectIdField, VersionedForm
from minsheng.core.identifiers import clean_uscc
from minsheng.employment import occupations
from minsheng.employment.models import (
    KEY_GROUPS,
    Contact,
    Education,
    Employment,
    JobPosting,
    JobSeeker,
    Shift,
    UnemploymentRegistration,
    UnemploymentWarning,
)

OCCUPATION_INPUTS = 3
SEPARATORS = re.compile(r"[,，、;；\n]+")
CODE_PREFIX = re.compile(r"^\s*(\d-\d{2}-\d{2}-\d{2})")
# core.forms.MonthField sets max_length=10, whose validator then runs on the cleaned date
# (TypeError: a 500). Until core drops it, months here are given without that validator.
MONTH = {"max_length": None}
REDUCTION_FIELDS = ("reduced_closure", "reduced_suspension", "reduced_layoff",
                    "reduced_contract", "reduced_other")


# --- pieces ------------------------------------------------------------------------------

def words(value) -> list[str]:
    """Skills or certificates typed as one line, separated by commas or 、."""
    return [w.strip() for w in SEPARATORS.split(value or "") if w.strip()]


def occupation_code(value) -> str:
    """A code picked from the datalist ("4-02-07-02 快递员"), a bare code, or an exact
    occupation name."""
    text = (value or "").strip()
    if not text:
        return ""
    m = CODE_PREFIX.match(text)
    if m:
        return m.group(1)
    by_name = {n: c for c, n in occupations.occupations().items()}
    return by_name.get(text, text)


def occupation_choices() -> list[tuple[str, str]]:
    return sorted(occupations.occupations().items())


def occupation_label(code: str) -> str:
    return f"{code} {occupations.name(code)}" if code else ""


class WordsField(forms.CharField):
    """A line of words (skills, certificates) cleaned to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 600)
        super().__init__(**kwargs)

    def clean(self, value):
        return words(super().clean(value))


class OccupationField(forms.CharField):
    """An occupation typed or picked from the datalist, cleaned to its code (the service
    checks that the code exists, naming it in the message)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def clean(self, value):
        return occupation_code(super().clean(value))


def _optional(data: dict, defaults: dict) -> dict:
    """Cleaned data with empty optional numbers replaced by their defaults."""
    return {k: (defaults[k] if v is None and k in defaults else v) for k, v in data.items()}


def _today():
    return timezone.localdate()


# --- filters of list pages (bad values are ignored, never an error page) -----------------

class FilterForm(forms.Form):
    """Bound to request.GET; a value that does not validate is ignored."""

    def value(self, name: str, default=None):
        self.is_valid()
        return self.cleaned_data.get(name) or default


class SeekerFilterForm(FilterForm):
    q = forms.CharField(max_length=60, required=False)
    status = forms.ChoiceField(choices=JobSeeker.Status.choices, required=False)
    difficulty = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)

    def difficulty_flag(self) -> bool | None:
        return {"1": True, "0": False}.get(self.value("difficulty", ""))


class PostingFilterForm(FilterForm):
    q = forms.CharField(max_length=60, required=False)
    state = forms.ChoiceField(choices=JobPosting.State.choices, required=False)
    employer = ObjectIdField(required=False)


class EmployerFilterForm(FilterForm):
    q = forms.CharField(max_length=60, required=False)


class WarningFilterForm(FilterForm):
    kind = forms.ChoiceField(choices=UnemploymentWarning.Kind.choices, required=False)
    enterprise = ObjectIdField(required=False)


class PublicSearchForm(FilterForm):
    q = forms.CharField(max_length=40, required=False)
    occupation = forms.CharField(max_length=10, required=False)


# --- job seekers -------------------------------------------------------------------------

SEEKER_DEFAULTS = {"education": 2, "experience_years": 0, "salary_min": 0, "salary_max": 0,
                   "max_commute_minutes": 60}


class SeekerForm(forms.Form):
    status = forms.ChoiceField(label=_("Job seeker status"),
                               choices=JobSeeker.Status.choices, initial="unemployed")
    education = forms.TypedChoiceField(label=_("Education level"), choices=Education.choices,
                                       coerce=int, initial=2)
    major = forms.CharField(label=_("Major / field of study"), max_length=100,
                            required=False)
    experience_years = IntField(label=_("Experience in years"), max_value=80,
                                required=False, initial=0)
    wanted_text = forms.CharField(
        label=_("Wanted work in the seeker's own words (mapped to occupations)"),
        max_length=200, required=False)
    occupation_0 = OccupationField(label=format_lazy("{} 1", _("Wanted occupation")))
    occupation_1 = OccupationField(label=format_lazy("{} 2", _("Wanted occupation")))
    occupation_2 = OccupationField(label=format_lazy("{} 3", _("Wanted occupation")))
    skills = WordsField(label=_("Skills (separate with commas or 、)"))
    certificates = WordsField(label=_("Certificates (separate with commas or 、)"))
    salary_min = IntField(label=_("Expected monthly salary from (yuan)"),
                          max_value=1_000_000, required=False)
    salary_max = IntField(label=_("Expected monthly salary to (yuan)"),
                          max_value=1_000_000, required=False)
    max_commute_minutes = IntField(label=_("Longest acceptable commute (minutes)"),
                                   max_value=1440, required=False, initial=60)
    areas = forms.ModelMultipleChoiceField(label=_("Acceptable work areas"), queryset=None,
                                           to_field_name="code", required=False)
    shifts = forms.MultipleChoiceField(label=_("Acceptable shift patterns"),
                                       choices=Shift.choices, required=False)
    key_groups = forms.MultipleChoiceField(label=_("Key employment groups"), choices=(),
                                           required=False)
    summary = forms.CharField(label=_("Self-description of the job seeker"),
                              max_length=2000, required=False)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas
        self.fields["key_groups"].choices = key_group_choices()

    @classmethod
    def initial_for(cls, seeker: JobSeeker, area_codes: list[str]) -> dict:
        codes = (list(seeker.occupation_codes) + [""] * OCCUPATION_INPUTS)[:OCCUPATION_INPUTS]
        return {"status": seeker.status, "education": seeker.education,
                "major": seeker.major, "experience_years": seeker.experience_years,
                **{f"occupation_{i}": occupation_label(c) for i, c in enumerate(codes)},
                "skills": "、".join(seeker.skills),
                "certificates": "、".join(seeker.certificates),
                "salary_min": seeker.salary_min or "", "salary_max": seeker.salary_max or "",
                "max_commute_minutes": seeker.max_commute_minutes, "areas": area_codes,
                "shifts": seeker.shifts, "key_groups": seeker.key_groups,
                "summary": seeker.summary, "wanted_text": seeker.wanted_text,
                "version": seeker.version}

    def service_args(self) -> dict:
        data = _optional(self.cleaned_data, SEEKER_DEFAULTS)
        codes = [data.pop(f"occupation_{i}") for i in range(OCCUPATION_INPUTS)]
        data["occupation_codes"] = [c for c in codes if c]
        data["acceptable_areas"] = list(data.pop("areas") or [])
        data.pop("version", None)
        data.pop("id_number", None)
        return data


class SeekerNewForm(SeekerForm):
    id_number = forms.CharField(label=_("Resident ID number of the job seeker"),
                                max_length=18)


class SeekerEditForm(SeekerForm, VersionedForm):
    pass


class IdNumberForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number of the job seeker"),
                                max_length=18)


class PlanForm(VersionedForm):
    plan = forms.CharField(label=_("Personal employment plan"), max_length=5000,
                           required=False)


class ContactForm(forms.Form):
    contacted_on = DateField(label=_("Contact date"), initial=_today)
    channel = forms.ChoiceField(label=_("Contact channel"), choices=Contact.Channel.choices)
    note = forms.CharField(label=_("Contact note"), max_length=2000, required=False)
    outcome = forms.CharField(label=_("Contact outcome"), max_length=200, required=False)


class OverrideForm(forms.Form):
    posting = ObjectIdField(label=_("Post"))
    action = forms.ChoiceField(label=_("Caseworker decision"),
                               choices=[("applied", _("Applied")), ("refused", _("Refused")),
                                        ("hide", _("Remove")), ("pin", _("Keep"))])
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class OccupationConfirmForm(VersionedForm):
    """The caseworker ticks suggested occupations and/or types one."""
    codes = forms.MultipleChoiceField(label=_("Suggested occupations"), required=False,
                                      choices=())
    other = OccupationField(label=_("Another occupation (code or name)"))

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(x["code"], x["name"]) for x in suggestions]

    def service_args(self) -> dict:
        codes = list(self.cleaned_data.get("codes") or [])
        if self.cleaned_data.get("other"):
            codes.append(self.cleaned_data["other"])
        return {"codes": codes, "version": self.cleaned_data["version"]}


class RegistrationForm(forms.Form):
    registered_on = DateField(label=_("Registered as unemployed on"), initial=_today)
    separation_reason = forms.ChoiceField(
        label=_("Reason for leaving the last job"), required=False,
        choices=[("", _("No previous job")), *Employment.EndReason.choices])
    contribution_years = forms.DecimalField(
        label=_("Unemployment insurance contribution (years)"), min_value=0, max_value=60,
        max_digits=4, decimal_places=1, required=False, initial=0)

    def service_args(self) -> dict:
        return _optional(self.cleaned_data, {"contribution_years": 0})


class RegistrationCloseForm(forms.Form):
    version = IntField(widget=forms.HiddenInput, required=False)
    closed_on = DateField(label=_("Registration closed on"), initial=_today)
    reason = forms.ChoiceField(label=_("Reason for closing the registration"),
                               choices=UnemploymentRegistration.CloseReason.choices)


class BenefitForm(forms.Form):
    start_date = DateField(label=_("Benefit starts on"), initial=_today)


class BenefitStopForm(forms.Form):
    version = IntField(widget=forms.HiddenInput, required=False)
    stopped_on = DateField(label=_("Benefit stops on"), initial=_today)
    reason = forms.CharField(label=_("Reason for stopping the benefit"), max_length=200,
                             required=False)
    refused_offer = forms.BooleanField(
        label=_("Refused suitable work or training without a proper reason"),
        required=False)


class PlacementForm(forms.Form):
    placed_on = DateField(label=_("Hired on"), initial=_today)
    posting = ObjectIdField(label=_("Through a recommended post"), required=False)
    employer_uscc = forms.CharField(label=_("Employer's unified social credit code"),
                                    max_length=18, required=False)
    insured = forms.BooleanField(label=_("Insured by the employer"), required=False,
                                 initial=True)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Training course"), max_length=200, required=False)
    provider = forms.CharField(label=_("Training provider"), max_length=200,
                               required=False)
    start_date = DateField(label=_("Course starts on"), initial=_today)
    end_date = DateField(label=_("Course ends on"), required=False)


# --- postings ----------------------------------------------------------------------------

POSTING_DEFAULTS = {"salary_min": 0, "salary_max": 0, "openings": 1, "education_min": 0,
                    "experience_min": 0, "shift": "day"}


class PostingForm(forms.Form):
    title = forms.CharField(label=_("Posting title"), max_length=200, required=False)
    occupation_code = OccupationField(label=_("Occupation (code or name)"))
    salary_min = IntField(label=_("Monthly salary from (yuan)"), required=False)
    salary_max = IntField(label=_("Monthly salary to (yuan)"), required=False)
    openings = IntField(label=_("Number of openings"), required=False, initial=1)
    shift = forms.ChoiceField(label=_("Shift pattern of the post"), choices=Shift.choices,
                              required=False, initial="day")
    education_min = forms.TypedChoiceField(label=_("Minimum education of the post"),
                                           choices=Education.choices, coerce=int,
                                           required=False, empty_value=None, initial=0)
    experience_min = IntField(label=_("Minimum experience in years"), max_value=60,
                              required=False, initial=0)
    valid_from = DateField(label=_("Posting valid from"), required=False, initial=_today)
    valid_until = DateField(label=_("Posting valid until"), required=False,
                            initial=lambda: _today() + datetime.timedelta(days=60))
    contact_phone = forms.CharField(label=_("Contact phone for applicants"), max_length=20,
                                    required=False)
    public_welfare = forms.BooleanField(label=_("Public-welfare post (only for key groups)"),
                                        required=False)
    skills = WordsField(label=_("Skills wanted (separate with commas or 、)"))
    certificates_required = WordsField(
        label=_("Required certificates: only seekers holding all of them are matched"))
    certificates_preferred = WordsField(label=_("Preferred certificates (ranked higher)"))
    latitude = forms.FloatField(label=_("Workplace latitude"), required=False,
                                min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Workplace longitude"), required=False,
                                 min_value=-180, max_value=180)
    description = forms.CharField(label=_("Job description"), required=False,
                                  max_length=20_000)
    requirements = forms.CharField(label=_("Requirements for applicants"), required=False,
                                   max_length=20_000)

    @classmethod
    def initial_for(cls, posting: JobPosting) -> dict:
        return {"title": posting.title, "occupation_code": occupation_label(
            posting.occupation_code), "salary_min": posting.salary_min,
            "salary_max": posting.salary_max, "openings": posting.openings,
            "shift": posting.shift, "education_min": posting.education_min,
            "experience_min": posting.experience_min, "valid_from": posting.valid_from,
            "valid_until": posting.valid_until, "contact_phone": posting.contact_phone,
            "public_welfare": posting.public_welfare, "skills": "、".join(posting.skills),
            "certificates_required": "、".join(posting.certificates_required),
            "certificates_preferred": "、".join(posting.certificates_preferred),
            "latitude": posting.latitude, "longitude": posting.longitude,
            "description": posting.description, "requirements": posting.requirements,
            "version": posting.version}

    def service_args(self) -> dict:
        data = _optional(self.cleaned_data, POSTING_DEFAULTS)
        data["shift"] = data["shift"] or "day"
        data.pop("version", None)
        return data


class PostingEditForm(PostingForm, VersionedForm):
    pass


class ReviewForm(VersionedForm):
    decision = forms.ChoiceField(choices=[("approve", _("Publish")),
                                          ("reject", _("Reject"))])
    note = forms.CharField(label=_("Review note"), max_length=300, required=False)


class PostingCloseForm(VersionedForm):
    note = forms.CharField(label=_("Why the posting is closed"), max_length=300,
                           required=False)


class PublicPostingForm(forms.Form):
    """The employers' form on the portal. The token (signed, at least a few seconds old)
    and the hidden honeypot field keep scripts out; the credit code must be registered."""

    token = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    website = forms.CharField(max_length=200, required=False)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    occupation_code = forms.ChoiceField(label=_("Occupation"), choices=())
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=20_000)
    requirements = forms.CharField(label=_("Requirements"), max_length=20_000,
                                   required=False)
    salary_min = IntField(label=_("Salary from"), min_value=1)
    salary_max = IntField(label=_("Salary to"), min_value=1)
    openings = IntField(label=_("Openings"), min_value=1, required=False, initial=1)
    shift = forms.ChoiceField(label=_("Shift pattern"), choices=Shift.choices,
                              required=False, initial="day")
    education_min = forms.TypedChoiceField(label=_("Minimum education"),
                                           choices=Education.choices, coerce=int,
                                           required=False, empty_value=0, initial=0)
    valid_until = DateField(label=_("Valid until"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20,
                                    required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation_code"].choices = [
            (code, f"{code} {name}") for code, name in occupation_choices()]

    def clean_uscc(self):
        try:
            return clean_uscc(self.cleaned_data["uscc"])
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None

    def clean(self):
        from minsheng.employment import public

        data = super().clean()
        try:
            public.check_form(data.get("token", ""), data.get("website", ""))
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None
        return data

    def service_args(self) -> dict:
        data = _optional(self.cleaned_data, {"openings": 1, "education_min": 0})
        for key in ("token", "website", "uscc"):
            data.pop(key, None)
        data["shift"] = data["shift"] or "day"
        return data


# --- employers: headcount reports, warnings ----------------------------------------------

class HeadcountForm(forms.Form):
    month = MonthField(label=_("Report month"), **MONTH)
    baseline = IntField(label=_("Headcount at start of month"))
    additions = IntField(label=_("Additions in the month"), required=False, initial=0)
    reduced_closure = IntField(label=_("Reductions: closure"), required=False, initial=0)
    reduced_suspension = IntField(label=_("Reductions: suspension"), required=False,
                                  initial=0)
    reduced_layoff = IntField(label=_("Reductions: layoff"), required=False, initial=0)
    reduced_contract = IntField(label=_("Reductions: contract expiry"), required=False,
                                initial=0)
    reduced_other = IntField(label=_("Reductions: other"), required=False, initial=0)
    layoff_notice_date = DateField(label=_("Layoff notice date"), required=False)
    layoff_effective_date = DateField(label=_("Layoff effective date"), required=False)

    def service_args(self) -> dict:
        return _optional(self.cleaned_data, {"additions": 0, **dict.fromkeys(
            REDUCTION_FIELDS, 0)})

    @staticmethod
    def next_month(last) -> datetime.date:
        """The month to report next: the month after the last report once it has begun,
        else last month (reports come after the month)."""
        this_month = month_start(_today())
        if last is None:
            return add_months(this_month, -1)
        return min(this_month, add_months(last.month, 1))


class WarningScanForm(forms.Form):
    start = MonthField(label=_("First month"), **MONTH)
    end = MonthField(label=_("Last month"), required=False, **MONTH)

    def service_args(self) -> dict:
        today = _today()
        end = self.cleaned_data.get("end")
        return {"start": self.cleaned_data["start"],
                "end": min(month_end(end), today) if end else today}


# --- labels ------------------------------------------------------------------------------

def flag_labels(flags) -> list[str]:
    """Fraud flags as a reviewer reads them ("fee:押金" -> 收费措辞：押金)."""
    labels = []
    for flag in flags or []:
        if flag.startswith("screen:"):
            labels.append(gettext("Screening model: probability of an abusive post %(p)s")
                          % {"p": flag[7:]})
        elif flag.startswith("fee:"):
            labels.append(gettext("Fee or deposit wording: %(word)s") % {"word": flag[4:]})
        elif flag.startswith("task_scam:"):
            labels.append(gettext("Task or order-brushing wording: %(word)s")
                          % {"word": flag[10:]})
        elif flag.startswith("identity:"):
            labels.append(gettext("Asks for identity, bank or credit: %(word)s")
                          % {"word": flag[9:]})
        elif flag == "wage_withheld":
            labels.append(gettext("Wages withheld"))
        elif flag == "markup":
            labels.append(gettext("HTML markup in the posting text"))
        elif flag == "unrealistic_pay":
            labels.append(gettext("Unrealistic pay promised"))
        else:
            labels.append(flag)
    return labels


def key_group_label(code: str) -> str:
    # "Disabled" alone is translated as 禁用 (switched off) by other apps' catalogues.
    if code == "disabled":
        return gettext("Person with a disability (key group)")
    return str(KEY_GROUPS.get(code, code))


def key_group_choices() -> list[tuple[str, str]]:
    return [(code, key_group_label(code)) for code in KEY_GROUPS]


LEVELS = {"blue": _("Blue"), "green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}


def level_label(level: str) -> str:
    return str(LEVELS.get(level, level))
