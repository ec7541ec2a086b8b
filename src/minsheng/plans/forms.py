"""Page forms of plan monitoring (core.forms pieces). Field names are the inputs' names on
the pages; the choices a form offers (departments, indicators, subdistricts) come from the
view's selectors, so a form never reads the database itself."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import DateField, MonthField, ObjectIdField, VersionedForm
from minsheng.plans.models import ProgressReport, Target

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Strict bounds (超过 >, 低于 <) are proposed as floor/ceiling: the draft keeps the strict
# sign for the reviewer. A range ("in") or a change without a base proposes no type.
KIND_BY_COMPARATOR = {">=": Target.Kind.FLOOR, "<=": Target.Kind.CEILING, "=": Target.Kind.POINT,
                      ">": Target.Kind.FLOOR, "<": Target.Kind.CEILING}


class NumberField(forms.FloatField):
    """A number as people type it: thousands separators and spaces are ignored."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("，", "").replace(" ", "")
        return super().to_python(value)


class DepartmentField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def department_choices(departments) -> list[tuple[str, str]]:
    return [("", "—"), *[(str(d.pk), d.name) for d in departments]]


def indicator_choices(indicators) -> list[tuple[str, str]]:
    return [("", "—"), *[(i.code, i.name) for i in indicators]]


class FilterForm(forms.Form):
    """Query-string filters: a value that does not parse is ignored, never an error page."""

    def value(self, name: str):
        self.is_valid()
        return self.cleaned_data.get(name)


class OverviewFilterForm(FilterForm):
    chapter = ObjectIdField(required=False)
    department = ObjectIdField(required=False)


class PlanQueryForm(FilterForm):
    plan = ObjectIdField(required=False)


class SupervisionFilterForm(FilterForm):
    state = forms.ChoiceField(required=False, choices=[("open", _("Open")), ("done", _("Done")),
                                                       ("cancelled", _("Cancelled")),
                                                       ("", _("Any"))])

    def state_value(self) -> str:
        state = self.value("state")
        return "open" if state is None or "state" not in self.data else state


class CascadeForm(forms.Form):
    """One number per subdistrict (`sub-<area id>`); empty ones are left out."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            area = row["area"]
            self.fields[f"sub-{area.id}"] = NumberField(
                required=False, label=area.name,
                initial=row["value"], error_messages={
                    "invalid": _("The sub-target for %(area)s is not a number")
                    % {"area": area.name}})

    def clean(self):
        data = super().clean()
        values = {int(name[4:]): v for name, v in data.items()
                  if name.startswith("sub-") and v is not None}
        if not values and not self.errors:
            raise forms.ValidationError(_("Enter a sub-target for at least one subdistrict"))
        data["values"] = values
        return data


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Plan file"), error_messages={"required": _("Choose a file")})


class DraftDecideForm(VersionedForm):
    action = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("discard", _("Discard"))])
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", "—"), *Target.Kind.choices])
    value = NumberField(label=_("Value"), required=False)
    deadline = DateField(label=_("Deadline"), required=False)
    lead_department = DepartmentField(label=_("Lead department"))

    def __init__(self, *args, indicators=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(indicators)
        self.fields["lead_department"].choices = department_choices(departments)

    @classmethod
    def for_draft(cls, draft, **kwargs):
        """What the review proposes for a draft: the suggested indicator, the type its
        comparator means, the value read, the end of its year as the deadline."""
        return cls(initial={
            "version": draft.version, "action": "confirm",
            "indicator": draft.suggested_indicator,
            "kind": KIND_BY_COMPARATOR.get(draft.comparator, ""), "value": draft.value,
            "deadline": datetime.date(draft.year, 12, 31) if draft.year else None}, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("action") == "confirm":
            if not data.get("kind") and "kind" not in self.errors:
                self.add_error("kind", _("Unknown target type"))
            if not data.get("deadline") and "deadline" not in self.errors:
                self.add_error("deadline", _("Give the deadline as YYYY-MM-DD"))
        return data


class ItemEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    lead_department = DepartmentField(label=_("Lead department"))
    co_departments = forms.TypedMultipleChoiceField(label=_("Co-operating departments"),
                                                    coerce=int, required=False)
    deadline = DateField(label=_("Deadline"), required=False)
    merge_into = forms.CharField(label=_("Merge into (number)"), required=False, max_length=40)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].choices = department_choices(departments)
        self.fields["co_departments"].choices = department_choices(departments)[1:]

    @classmethod
    def for_item(cls, item, **kwargs):
        """The item's assignment (its co-operating departments prefetched by the selector)."""
        return cls(initial={"version": item.version, "lead_department": item.lead_department_id,
                            "deadline": item.deadline,
                            "co_departments": [d.pk for d in item.co_departments.all()]},
                   **kwargs)


class TargetForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Target.Kind.choices)
    value = NumberField(label=_("Target value"), required=False, min_value=0)
    deadline = DateField(label=_("Deadline"))
    baseline_value = NumberField(label=_("Baseline"), required=False)
    baseline_date = DateField(label=_("Baseline date"), required=False)
    lead_department = DepartmentField(label=_("Lead department"))
    tolerance = NumberField(label=_("Tolerance"), required=False, min_value=0)

    def __init__(self, *args, indicators=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(indicators)
        self.fields["lead_department"].choices = department_choices(departments)

    @classmethod
    def for_target(cls, target: Target, **kwargs):
        return cls(initial={
            "version": target.version, "name": target.name,
            "indicator": target.indicator.code if target.indicator else "",
            "kind": target.kind, "value": target.value, "deadline": target.deadline,
            "baseline_value": target.baseline_value, "baseline_date": target.baseline_date,
            "lead_department": target.lead_department_id, "tolerance": target.tolerance},
            **kwargs)


class ReportSubmitForm(forms.Form):
    period = MonthField(label=_("Month"))
    progress = forms.ChoiceField(label=_("Progress"), choices=ProgressReport.Progress.choices)
    narrative = forms.CharField(label=_("Narrative"), max_length=5000)
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence is not None and evidence.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The evidence file may be at most 20 MB"))
        return evidence


class ReportReviewForm(VersionedForm):
    action = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
