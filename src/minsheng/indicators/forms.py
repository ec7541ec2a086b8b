"""Page forms of the indicator engine (core.forms pieces). Field names are the inputs'
names on the pages; the choices a form offers come from the view's selectors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import IntField, VersionedForm
from minsheng.indicators.models import Aggregation, DataValue, Period


class NumberField(forms.FloatField):
    """A number as people type it: thousands separators and spaces are ignored (NaN and
    infinity are refused, as by Django's FloatField)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("，", "").replace(" ", "")
        return super().to_python(value)


class DepartmentField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.update(coerce=int, empty_value=None, required=False)
        super().__init__(**kwargs)


def department_choices(departments) -> list[tuple[str, str]]:
    return [("", "—"), *[(str(d.pk), d.name) for d in departments]]


class ValueFilterForm(forms.Form):
    """The values list's filters (GET); a value that does not parse is ignored."""

    element = forms.CharField(required=False, max_length=80)
    state = forms.ChoiceField(required=False, choices=[("", ""), *DataValue.State.choices])

    def value(self, name: str) -> str:
        self.is_valid()
        return self.cleaned_data.get(name) or ""


class ValueEnterForm(forms.Form):
    element = forms.ChoiceField(label=_("Data element"))
    area = forms.ChoiceField(label=_("Area"))
    period = forms.CharField(label=_("Period"), max_length=10)
    value = NumberField(label=_("Value"))
    version = IntField(label=_("Version (when revising)"), required=False, min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, elements=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [
            (e.code, f"{e.name} ({e.get_period_display()})") for e in elements]
        self.fields["area"].choices = [(a.code, a.name) for a in areas]


class ValueDecideForm(VersionedForm):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    accept_flag = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ValuesImportForm(forms.Form):
    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a file")})


class ElementForm(forms.Form):
    """A data element; its code is given once, when it is created."""

    code = forms.CharField(label=_("Data element code"), max_length=80)
    name = forms.CharField(label=_("Data element name"), max_length=120)
    unit = forms.CharField(label=_("Unit of measure"), required=False, max_length=20)
    aggregation = forms.ChoiceField(label=_("Aggregation"), choices=Aggregation.choices)
    period = forms.ChoiceField(label=_("Native period"), choices=Period.choices)
    formula = forms.CharField(label=_("Formula over data element codes"), required=False,
                              max_length=2000)
    is_rate = forms.BooleanField(required=False)
    department = DepartmentField(label=_("Department approving entered values"))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000)

    def __init__(self, *args, departments=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(departments)
        if editing:
            del self.fields["code"]

    @classmethod
    def for_element(cls, element, **kwargs):
        return cls(initial={
            "name": element.name, "unit": element.unit, "aggregation": element.aggregation,
            "period": element.period, "formula": element.formula, "is_rate": element.is_rate,
            "department": element.department_id, "description": element.description},
            editing=True, **kwargs)


class IndicatorForm(forms.Form):
    """An indicator; its code is given once, when it is created."""

    code = forms.CharField(label=_("Indicator code"), max_length=80)
    name = forms.CharField(label=_("Indicator name"), max_length=160)
    unit = forms.CharField(label=_("Unit of measure"), required=False, max_length=20)
    decimals = IntField(label=_("Decimals shown"), required=False, max_value=6, error_messages={
        "invalid": _("Decimals must be a whole number from 0 to 6"),
        "min_value": _("Decimals must be a whole number from 0 to 6"),
        "max_value": _("Decimals must be a whole number from 0 to 6")})
    formula = forms.CharField(label=_("Formula over data element codes"), max_length=2000)
    published = forms.BooleanField(required=False)
    department = DepartmentField(label=_("Responsible department"))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000)

    def __init__(self, *args, departments=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(departments)
        if editing:
            del self.fields["code"]

    @classmethod
    def for_indicator(cls, indicator, **kwargs):
        return cls(initial={
            "name": indicator.name, "unit": indicator.unit, "decimals": indicator.decimals,
            "formula": indicator.formula, "published": indicator.published,
            "department": indicator.department_id, "description": indicator.description},
            editing=True, **kwargs)

    def clean_decimals(self):
        value = self.cleaned_data.get("decimals")
        return 1 if value is None else value


class FormulaCheckForm(forms.Form):
    """The htmx check of the formula being typed (nothing is saved)."""

    formula = forms.CharField(required=False, max_length=2000)
    kind = forms.CharField(required=False, max_length=10)
    element_code = forms.CharField(required=False, max_length=80)
    code = forms.CharField(required=False, max_length=80)
    decimals = IntField(required=False, max_value=6)
