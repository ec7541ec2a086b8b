"""Django forms for every input of the health pages (filters and actions), built on
`core.forms`. Field names are the inputs' names; choices come from the selectors, so a
form offers (and accepts) only what the actor may see."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.errors import ValidationFailed
from minsheng.core.forms import DateField, IntField, ObjectIdField
from minsheng.core.forms import VersionedForm as KitVersionedForm
from minsheng.core.identifiers import clean_id_number
from minsheng.health import selectors
from minsheng.health.models import CaseReport, Investigation, method_label
from minsheng.health.workflows import ALERT_STATES

ALL = [("", _("All"))]


class VersionedForm(KitVersionedForm):
    """`core.forms.VersionedForm` whose version error tells the user what to do."""

    version = IntField(label=_("Record version"), widget=forms.HiddenInput, error_messages={
        code: _("The form is missing the record version; reload the page.")
        for code in ("required", "invalid", "min_value", "max_value")})


class DateTimeField(forms.DateTimeField):
    """A date and time typed in a `datetime-local` input (local time)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": _("Enter a date and time as YYYY-MM-DD HH:MM")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                                            "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)


def _disease_choices(actor) -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in selectors.disease_list(actor)]


def _subdistrict_choices(actor) -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in selectors.subdistricts(actor)]


class FilterForm(forms.Form):
    """A GET form of a list or chart page: `values()` gives the cleaned filters, with the
    default for any field that did not validate (the page shows why, input kept)."""

    defaults: dict = {}

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name, value in self.defaults.items():
            if name in self.fields:
                self.fields[name].initial = value

    def values(self) -> dict:
        self.is_valid()
        out = dict(self.defaults)
        for name, value in getattr(self, "cleaned_data", {}).items():
            if value not in (None, "") and name not in self.errors:
                out[name] = value
        return out


# --- filters ----------------------------------------------------------------------------

class AlertFilterForm(FilterForm):
    state = forms.ChoiceField(label=_("State"), required=False)
    disease = forms.ChoiceField(label=_("Disease"), required=False)
    area = forms.ChoiceField(label=_("Subdistrict"), required=False)
    defaults = {"state": "open", "disease": "", "area": ""}

    def __init__(self, data=None, *, actor):
        super().__init__(data)
        self.fields["state"].choices = [("open", _("Open")), ("closed", _("Closed")),
                                        *ALERT_STATES.items()]
        self.fields["disease"].choices = ALL + _disease_choices(actor)
        self.fields["area"].choices = ALL + _subdistrict_choices(actor)


class CaseFilterForm(FilterForm):
    disease = forms.ChoiceField(label=_("Disease"), required=False)
    late = forms.ChoiceField(label=_("Timeliness"), required=False,
                             choices=[*ALL, ("1", _("Reported late")), ("0", _("On time"))])
    area = forms.ChoiceField(label=_("Subdistrict"), required=False)
    defaults = {"disease": "", "late": "", "area": ""}

    def __init__(self, data=None, *, actor):
        super().__init__(data)
        self.fields["disease"].choices = ALL + _disease_choices(actor)
        self.fields["area"].choices = ALL + _subdistrict_choices(actor)


class EpicurveForm(FilterForm):
    disease = forms.ChoiceField(label=_("Disease"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    weeks = IntField(label=_("Weeks"), required=False, min_value=4, max_value=520)
    defaults = {"disease": "hfmd", "area": "", "weeks": 156}

    def __init__(self, data=None, *, actor):
        super().__init__(data)
        self.fields["disease"].choices = _disease_choices(actor)
        self.fields["area"].choices = [("", _("Whole district")), *_subdistrict_choices(actor)]


class LifeTableForm(FilterForm):
    year = IntField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("Both sexes")), ("M", _("Male")),
                                     ("F", _("Female"))])
    defaults = {"year": None, "sex": ""}


# --- case reports -----------------------------------------------------------------------

class CaseReportForm(forms.Form):
    id_number = forms.CharField(label=_("Patient's resident ID number"), max_length=30)
    disease = forms.ChoiceField(label=_("Disease"))
    status = forms.ChoiceField(label=_("Diagnosis status"), choices=CaseReport.Status.choices)
    facility = ObjectIdField(label=_("Reporting facility"), widget=forms.Select)
    onset_date = DateField(label=_("Onset date"))
    diagnosed_at = DateTimeField(label=_("Diagnosis time"))
    reported_at = DateTimeField(label=_("Report time (blank: now)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))

    def __init__(self, data=None, *, actor):
        super().__init__(data)
        self.fields["disease"].choices = _disease_choices(actor)
        self.fields["facility"].widget.choices = [
            (f.pk, f.name) for f in selectors.facilities(actor)]

    def clean_id_number(self):
        try:
            return clean_id_number(self.cleaned_data["id_number"])
        except ValidationFailed as error:
            raise forms.ValidationError(str(error.message)) from None


# --- alert response ---------------------------------------------------------------------

class AlertVerifyForm(VersionedForm):
    finding = forms.CharField(label=_("Verification finding"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))


class AlertInvestigateForm(VersionedForm):
    started_on = DateField(label=_("Investigation date"))
    setting = forms.ChoiceField(label=_("Setting"), choices=Investigation.Setting.choices)
    cases_found = IntField(label=_("Cases found"), required=False, initial=0)
    samples_taken = IntField(label=_("Samples taken"), required=False, initial=0)
    samples_positive = IntField(label=_("Samples positive"), required=False, initial=0)
    findings = forms.CharField(label=_("Findings"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))
    measures = forms.CharField(label=_("Control measures"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))

    def clean(self):
        data = super().clean()
        for name in ("cases_found", "samples_taken", "samples_positive"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class AlertCloseForm(VersionedForm):
    outcome = forms.CharField(label=_("Outcome"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))


class AlertNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))


# --- detection configuration -------------------------------------------------------------

class DiseaseConfigureForm(VersionedForm):
    method = forms.ChoiceField(label=_("Detection method"))
    params = forms.CharField(label=_("Parameters (JSON object)"), required=False,
                             max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))
    detection_enabled = forms.BooleanField(label=_("Detection enabled"), required=False)

    def __init__(self, data=None, *, initial=None):
        from minsheng.detection import METHODS

        super().__init__(data, initial=initial)
        self.fields["method"].choices = [(m, method_label(m)) for m in sorted(METHODS)]

    def clean_params(self):
        text = (self.cleaned_data.get("params") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Write the parameters as a JSON object, e.g. "
                                          "{\"alpha\": 0.01}")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Parameters must be an object"))
        return value


# --- beds and supplies ------------------------------------------------------------------

class BedCountForm(forms.Form):
    hospital = ObjectIdField(label=_("Hospital"), widget=forms.Select)
    year = IntField(label=_("Year"), min_value=1949, max_value=2100)
    actual_beds = IntField(label=_("Actual open beds"))
    newborn_cots = IntField(label=_("Newborn cots"), required=False, initial=0)
    observation_beds = IntField(label=_("Observation beds"), required=False, initial=0)
    companion_beds = IntField(label=_("Companion beds"), required=False, initial=0)

    def __init__(self, data=None, *, actor, initial=None):
        super().__init__(data, initial=initial)
        self.fields["hospital"].widget.choices = [
            (h.pk, h.name) for h in selectors.hospitals(actor)]

    def clean(self):
        data = super().clean()
        for name in ("newborn_cots", "observation_beds", "companion_beds"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class SupplyItemForm(forms.Form):
    name = forms.CharField(label=_("Item"), max_length=100)
    category = forms.CharField(label=_("Category"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=10)
    required_quantity = IntField(label=_("Required reserve"))
    area = forms.CharField(label=_("Area"), max_length=12, widget=forms.Select)

    def __init__(self, data=None, *, actor):
        from minsheng.health.permissions import RECORDS

        super().__init__(data)
        self.fields["area"].widget.choices = [
            (a.code, a.name) for a in selectors.record_areas(actor, RECORDS)]


class SupplyLotForm(forms.Form):
    batch = forms.CharField(label=_("Batch"), max_length=40)
    quantity = IntField(label=_("Quantity"), min_value=1)
    received_on = DateField(label=_("Received on"))
    expiry_date = DateField(label=_("Expiry date"), required=False)


class SupplyIssueForm(forms.Form):
    quantity = IntField(label=_("Quantity issued"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
