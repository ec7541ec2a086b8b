"""Form pieces every module's page forms use, so that input is checked the same way
everywhere: dates, months, the edited record's version, bounded numbers."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

# Largest value a positive integer field accepts (both databases' 32-bit integer columns).
MAX_INT = 2_147_483_647


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (or a date in it); cleaned to the month's first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM")}

    def __init__(self, **kwargs):
        # no max_length: CharField's length validator would run on the cleaned date (500)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "maxlength": 10}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        if len(text) > 10:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date.fromisoformat(f"{text[:7]}-01")
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class IntField(forms.IntegerField):
    """An integer that a database column can hold (no overflow errors at save)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_INT)
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """A form that edits an existing record: carries the version the editor read, so a
    stale edit is refused rather than overwriting someone else's (core.concurrency)."""

    version = IntField(widget=forms.HiddenInput)


class ObjectIdField(IntField):
    """The id of a record picked on the page; the service looks it up in the actor's
    scope (a missing or foreign id is 'not found', never an error page)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
