"""Django forms for every input of the education pages. The forms check types and
bounds; the services check the rules, and their refusals come back on the field they
name with the user's input kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.core.forms import DateField, IntField, ObjectIdField, VersionedForm
from minsheng.education.models import DropoutCase, Enrolment, School, Stage

NOTE = 2000
BLANK = [("", "—")]


def _note(label=None, required=False):
    return forms.CharField(max_length=NOTE, required=required, label=label or _("Note"),
                           widget=forms.Textarea(attrs={"rows": 2}))


class SchoolFields(forms.Form):
    sponsorship = forms.ChoiceField(choices=School.Sponsorship.choices, label=_("Sponsorship"))
    places = IntField(label=_("Places"), max_value=100_000)
    classes = IntField(label=_("Classes"), max_value=10_000)
    teachers = IntField(label=_("Full-time teachers"), max_value=10_000)
    qualified_teachers = IntField(label=_("Qualified teachers"), max_value=10_000)
    catchment = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                               label=_("Catchment communities"),
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catchment"].queryset = communities


class SchoolRegisterForm(SchoolFields):
    organization = forms.ModelChoiceField(queryset=None, label=_("School or kindergarten"))
    stage = forms.ChoiceField(choices=Stage.choices, label=_("School stage"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.order_fields(["organization", "stage"])


class SchoolEditForm(VersionedForm, SchoolFields):
    pass


class EnrolForm(forms.Form):
    id_number = forms.CharField(max_length=22, label=_("Resident ID number"))
    name = forms.CharField(max_length=60, label=pgettext_lazy("person", "Name"))
    birth_date = DateField(required=False, label=_("Birth date"))
    guardian_name = forms.CharField(max_length=60, required=False, label=_("Guardian"))
    grade = IntField(min_value=1, max_value=12, label=pgettext_lazy("school", "Grade"))
    class_name = forms.CharField(max_length=20, required=False,
                                 label=pgettext_lazy("school", "Class"))
    intake_year = IntField(min_value=1990, max_value=2100, label=_("Intake year"))
    entry_date = DateField(required=False, label=_("Entry date"))


class RollImportForm(forms.Form):
    file = forms.FileField(label=_("Roll file (xlsx or csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


MOVES = ("suspend", "home_teach", "resume", "drop_out", "graduate", "decease", "move_away")


class EnrolmentMoveForm(VersionedForm):
    on = DateField(required=False, label=_("Date"))
    note = _note()


class TransferForm(VersionedForm):
    to_school = forms.ModelChoiceField(queryset=None, label=_("Receiving school"))
    grade = IntField(min_value=1, max_value=12, required=False,
                     label=pgettext_lazy("school", "Grade"))
    on = DateField(required=False, label=_("Date"))

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = schools


class MatchForm(forms.Form):
    area = forms.ModelChoiceField(queryset=None, label=_("Area"), to_field_name="code")
    on = DateField(required=False, label=_("As of"))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class CaseActForm(VersionedForm):
    note = _note()
    cause = forms.ChoiceField(choices=BLANK + list(DropoutCase.Cause.choices), required=False,
                              label=pgettext_lazy("dropout", "Cause"))
    school_officer = forms.CharField(max_length=60, required=False,
                                     label=_("School-line officer"))
    street_officer = forms.CharField(max_length=60, required=False,
                                     label=_("Subdistrict-line officer"))
    enrolment = ObjectIdField(required=False, label=_("Roll entry"))


class CaseFilterForm(forms.Form):
    STATES = BLANK + [("open", _("Open"))] + [
        (k, v) for k, v in DropoutCase.workflow.states.items()]
    state = forms.ChoiceField(choices=STATES, required=False, label=_("State"))
    origin = forms.ChoiceField(choices=BLANK + list(DropoutCase.Origin.choices),
                               required=False, label=_("Origin"))
    late = forms.BooleanField(required=False, label=_("Late only"))
    low_income = forms.BooleanField(required=False, label=_("Low-income families only"))
    q = forms.CharField(max_length=60, required=False, label=_("Case number or name"))


class RollFilterForm(forms.Form):
    state = forms.ChoiceField(choices=BLANK + [("active", _("On the roll"))]
                              + list(Enrolment.State.choices), required=False,
                              label=_("State"))
    q = forms.CharField(max_length=60, required=False, label=_("Name or ID number"))


class FigureForm(forms.Form):
    year = IntField(min_value=2000, max_value=2100, label=_("Year"))
    area = forms.ModelChoiceField(queryset=None, required=False, to_field_name="code",
                                  label=_("Area"))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class AidDecideForm(VersionedForm):
    note = _note()
