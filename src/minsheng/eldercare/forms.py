"""Django forms for every input of the eldercare pages: types and bounds here, the rules
in the services (their refusals come back on the field they name, input kept)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.core.forms import DateField, IntField, MonthField, ObjectIdField, VersionedForm
from minsheng.eldercare.models import Allowance, BedPeriod, Institution, Stay

ID_NUMBER = forms.CharField(max_length=18, min_length=15, label=_("Resident ID number"))


class FiguresForm(forms.Form):
    on = DateField(required=False, label=_("On the date"))
    area = ObjectIdField(required=False, widget=forms.HiddenInput)


class InstitutionForm(forms.Form):
    ownership = forms.ChoiceField(choices=Institution.Ownership.choices, label=_("ownership"))
    licence_no = forms.CharField(max_length=40, required=False,
                                 label=_("licence or filing number"))
    filed_on = DateField(required=False, label=_("filed on"))
    star_rating = IntField(max_value=5, initial=0, label=_("star rating"))


class InstitutionRegisterForm(InstitutionForm):
    organization = ObjectIdField(label=_("organization"))


class InstitutionEditForm(InstitutionForm, VersionedForm):
    pass


class BedAddForm(forms.Form):
    room = forms.CharField(max_length=20, label=_("room"))
    number = forms.CharField(max_length=10, label=pgettext_lazy("bed", "number"))
    bed_type = forms.ChoiceField(choices=BedPeriod.Type.choices, label=_("bed type"))
    valid_from = DateField(label=_("in service from"))


class BedChangeForm(forms.Form):
    on = DateField(label=_("from the date"))
    bed_type = forms.ChoiceField(choices=BedPeriod.Type.choices, label=_("bed type"))
    status = forms.ChoiceField(choices=BedPeriod.Status.choices, label=_("bed status"))
    note = forms.CharField(max_length=200, required=False, label=_("note"))


class AdmitForm(forms.Form):
    id_number = ID_NUMBER
    bed = ObjectIdField(label=_("bed"))
    admitted_on = DateField(label=_("admitted on"))


class DischargeForm(VersionedForm):
    on = DateField(label=_("discharged on"))
    reason = forms.ChoiceField(choices=Stay.Reason.choices, label=_("discharge reason"))
    note = forms.CharField(max_length=500, required=False, label=_("note"))


class AllowanceApplyForm(forms.Form):
    id_number = ID_NUMBER
    kind = forms.ChoiceField(choices=Allowance.Kind.choices, label=_("allowance"))
    bank_account = forms.CharField(max_length=40, label=_("bank account"))
    applied_on = DateField(label=_("applied on"))


class AllowanceFilterForm(forms.Form):
    state = forms.ChoiceField(required=False, label=_("state"), choices=[
        ("", _("all"))] + [(k, v) for k, v in Allowance.workflow.states.items()])
    kind = forms.ChoiceField(required=False, label=_("allowance"),
                             choices=[("", _("all"))] + list(Allowance.Kind.choices))
    q = forms.CharField(max_length=40, required=False, label=_("Name or resident ID"))


class AccountForm(VersionedForm):
    bank_account = forms.CharField(max_length=40, label=_("bank account"))


class DecideForm(VersionedForm):
    reason = forms.CharField(max_length=500, required=False, label=_("reason"))


class StopForm(VersionedForm):
    last_month = MonthField(label=_("last month paid"))
    stop_reason = forms.ChoiceField(choices=Allowance.StopReason.choices,
                                    label=_("stop reason"))
    reason = forms.CharField(max_length=500, label=_("reason"))


class MonthForm(forms.Form):
    month = MonthField(label=_("month"))


class BuildListForm(MonthForm):
    area = ObjectIdField(label=_("area"))


class MoveForm(VersionedForm):
    reason = forms.CharField(max_length=500, required=False, label=_("reason"))
