"""Page input of primary care and insurance coverage."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import DateField, ObjectIdField, VersionedForm
from minsheng.primarycare.models import Contract, Enrolment, Outreach, Referral

DECLARED = [("pregnant", _("Pregnant woman")), ("hypertension", _("Hypertension")),
            ("diabetes", _("Type 2 diabetes")), ("tuberculosis", _("Tuberculosis")),
            ("mental", _("Severe mental disorder"))]


class IdNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Resident ID number"))
        super().__init__(**kwargs)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    clinic = ObjectIdField(label=_("Health centre"))
    area = ObjectIdField(label=_("Community served"))
    leader = forms.CharField(label=_("Lead doctor"), max_length=60)


class AllianceForm(forms.Form):
    name = forms.CharField(label=_("Alliance name"), max_length=120)
    lead = ObjectIdField(label=_("Lead hospital"))
    members = forms.TypedMultipleChoiceField(label=_("Member facilities"), coerce=int,
                                             choices=[], required=False)

    def __init__(self, *args, facilities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(f.pk, f.name) for f in facilities]


class ContractForm(forms.Form):
    id_number = IdNumberField()
    team = ObjectIdField(label=_("Family-doctor team"))
    package = forms.ChoiceField(label=_("Service package"), choices=Contract.Package.choices)
    start_date = DateField(label=_("Contract start"), required=False)
    declared_groups = forms.MultipleChoiceField(label=_("Key groups known to the doctor"),
                                                choices=DECLARED, required=False,
                                                widget=forms.CheckboxSelectMultiple)


class ContractRenewForm(VersionedForm):
    package = forms.ChoiceField(label=_("Service package"), choices=Contract.Package.choices)


class ContractTerminateForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ContractFilter(forms.Form):
    state = forms.ChoiceField(required=False, choices=[("", "")] + [
        (s, s) for s in Contract.workflow.states])
    group = forms.ChoiceField(required=False, choices=[("", "")] + [
        (g, g) for g in ("elderly", "child", "disabled", "low_income", "pregnant",
                         "hypertension", "diabetes", "tuberculosis", "mental")])
    expiring = forms.BooleanField(required=False)

    def values(self) -> dict:
        if not self.is_valid():
            return {"state": "active", "group": "", "expiring": False}
        return self.cleaned_data


class ReferralForm(forms.Form):
    id_number = IdNumberField()
    direction = forms.ChoiceField(label=_("Direction"), choices=Referral.Direction.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices)
    from_facility = ObjectIdField(label=_("Referring facility"))
    to_facility = ObjectIdField(label=_("Receiving facility"))
    reason = forms.CharField(label=_("Reason for referral"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ReferralActForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Enrolment extract (CSV or XLSX)"))
    as_of = DateField(label=_("Extract date"))


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")],
                                    coerce=lambda v: v == "1")


class UninsuredFilter(forms.Form):
    area = ObjectIdField(required=False)
    missing = forms.ChoiceField(required=False, choices=[("", "")] + Outreach.Missing.choices)

    def values(self) -> dict:
        if not self.is_valid():
            return {"area": None, "missing": ""}
        return self.cleaned_data


class OutreachOpenForm(forms.Form):
    id_number = IdNumberField()
    missing = forms.ChoiceField(label=_("Missing cover"), choices=Outreach.Missing.choices)


class OutreachActForm(VersionedForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    on = DateField(label=_("Contacted on"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False,
                               choices=[("", "")] + Enrolment.Scheme.choices)
    start_date = DateField(label=_("Enrolled since"), required=False)
    reason = forms.ChoiceField(label=_("Reason"), required=False,
                               choices=[("", "")] + Outreach.Reason.choices)
