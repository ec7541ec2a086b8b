"""Django forms for every input of the food and drug safety pages (types and bounds; the
services check the rules and their refusals land on the field they name)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import DateField, IntField, VersionedForm
from minsheng.foodsafety.models import Inspection, InspectionPlan, Licence, Operator, Sample


def _any(choices):
    return [("", _("Any")), *choices]


GRADES = [(g, g) for g in "ABCD"]


class OperatorFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=60, label=_("Name or credit code"))
    grade = forms.ChoiceField(required=False, choices=_any(GRADES), label=_("Risk grade"))
    category = forms.ChoiceField(required=False, choices=_any(Operator.Category.choices),
                                 label=_("Operator category"))


class OperatorForm(forms.Form):
    organization = forms.CharField(max_length=200, label=_("Organization (credit code or "
                                                           "exact name)"))
    category = forms.ChoiceField(choices=Operator.Category.choices,
                                 label=_("Operator category"))
    scale = forms.ChoiceField(required=False, choices=[("", _("Not known")),
                                                       *Operator.Scale.choices],
                              label=_("Scale"))
    population_served = IntField(required=False, min_value=0, label=_("People served a day"))


class LicenceForm(forms.Form):
    kind = forms.ChoiceField(choices=Licence.Kind.choices, label=_("Licence kind"))
    number = forms.CharField(max_length=30, label=_("Licence number"))
    scope = forms.CharField(max_length=300, label=_("Business scope"))
    issued_on = DateField(label=_("Issued on"))
    expires_on = DateField(label=_("Expires on"))


class LicenceChangeForm(VersionedForm):
    scope = forms.CharField(max_length=300, label=_("Business scope"))
    issued_on = DateField(label=_("Issued on"))
    expires_on = DateField(label=_("Expires on"))
    note = forms.CharField(max_length=300, required=False, label=_("Reason for the change"))


class LicenceCancelForm(VersionedForm):
    note = forms.CharField(max_length=300, label=_("Reason for the cancellation"))


class CloseForm(VersionedForm):
    note = forms.CharField(max_length=300, label=_("Reason for closing"))


class TeamField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("label", _("Inspectors"))
        super().__init__(**kwargs)


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(choices=[c for c in Inspection.Kind.choices
                                      if c[0] in ("routine", "complaint", "campaign")],
                             label=_("Inspection kind"))
    scheduled_on = DateField(label=_("Scheduled on"))
    checklist = forms.TypedChoiceField(coerce=int, label=_("Inspection checklist"))
    inspectors = TeamField()
    note = forms.CharField(max_length=2000, required=False, label=_("Note"))

    def __init__(self, *args, inspectors=(), checklists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].choices = [(i.pk, str(i)) for i in inspectors]
        self.fields["checklist"].choices = [(c.pk, c.title) for c in checklists]


class ReinspectForm(VersionedForm):
    scheduled_on = DateField(label=_("Scheduled on"))
    inspectors = TeamField()

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].choices = [(i.pk, str(i)) for i in inspectors]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos taken at the premises (the service checks type and size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*",
                                                             "capture": "environment"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


ANSWER_CHOICES = [("pass", _("Meets")), ("fail", _("Fails")), ("na", _("Not applicable"))]


class ChecklistForm(VersionedForm):
    """One radio row per checklist item (item_<n>) and a remark for a failed item."""

    done_on = DateField(label=_("Inspected on"))
    note = forms.CharField(max_length=2000, required=False, label=_("Note"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.number}"] = forms.ChoiceField(
                choices=ANSWER_CHOICES, widget=forms.RadioSelect, label=item.text)
            self.fields[f"remark_{item.number}"] = forms.CharField(
                max_length=500, required=False, label=_("What was found"))

    def rows(self):
        return [(item, self[f"item_{item.number}"], self[f"remark_{item.number}"])
                for item in self.items]

    def answers(self) -> tuple[dict, dict]:
        d = self.cleaned_data
        return ({str(i.number): d[f"item_{i.number}"] for i in self.items},
                {i.number: d[f"remark_{i.number}"] for i in self.items
                 if d.get(f"remark_{i.number}")})


class PublishForm(VersionedForm):
    pass


class PlanForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Plan name"))
    year = IntField(min_value=2000, max_value=2100, label=_("Year"))
    kind = forms.ChoiceField(choices=InspectionPlan.Kind.choices, label=_("Plan kind"))
    area = forms.TypedChoiceField(coerce=int, label=_("Area"))
    category = forms.ChoiceField(required=False, choices=_any(Operator.Category.choices),
                                 label=_("Operator category"))
    grade = forms.ChoiceField(required=False, choices=_any(GRADES), label=_("Risk grade"))
    sample_size = IntField(min_value=1, max_value=100_000, label=_("Operators to draw"))
    team_size = IntField(min_value=2, max_value=10, initial=2,
                         label=_("Inspectors per operator"))
    checklist = forms.TypedChoiceField(coerce=int, label=_("Inspection checklist"))

    def __init__(self, *args, areas=(), checklists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]
        self.fields["checklist"].choices = [(c.pk, c.title) for c in checklists]


class DrawForm(VersionedForm):
    seed = IntField(required=False, min_value=0, label=_("Seed (empty: a random one)"))


class InspectorForm(forms.Form):
    name = forms.CharField(max_length=60, label=_("Inspector name"))
    badge = forms.CharField(max_length=30, label=_("Enforcement badge number"))


class RecusalForm(forms.Form):
    inspector = forms.TypedChoiceField(coerce=int, label=_("Inspector"))
    operator = IntField(min_value=1, label=_("Operator number"))
    reason = forms.CharField(max_length=200, label=_("Reason for the recusal"))

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [(i.pk, str(i)) for i in inspectors]


class SampleForm(forms.Form):
    number = forms.CharField(max_length=30, label=_("Sample number"))
    operator = IntField(min_value=1, label=_("Operator number"))
    product = forms.CharField(max_length=120, label=_("Product"))
    batch = forms.CharField(max_length=40, required=False, label=_("Batch"))
    sampled_on = DateField(label=_("Sampled on"))


class ResultsImportForm(forms.Form):
    file = forms.FileField(label=_("Lab results (xlsx or CSV)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an xlsx or CSV file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class HandleForm(VersionedForm):
    measure = forms.ChoiceField(choices=Sample.Measure.choices, label=_("Handling measure"))
    handled_on = DateField(label=_("Handled on"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


class CaseOpenForm(forms.Form):
    clue = forms.CharField(max_length=500, label=_("Clue"))
    found_on = DateField(label=_("Clue found on"))


class CaseFileForm(VersionedForm):
    filed_on = DateField(label=_("Filed on"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


class CaseDismissForm(VersionedForm):
    note = forms.CharField(max_length=500, label=_("Reason for not filing"))


class CaseDecideForm(VersionedForm):
    decided_on = DateField(label=_("Decided on"))
    decision = forms.CharField(max_length=500, label=_("Decision"))
    fine = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2,
                              label=_("Fine (yuan)"))


CASE_FORMS = {"file": CaseFileForm, "dismiss": CaseDismissForm, "decide": CaseDecideForm}
