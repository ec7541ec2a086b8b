"""Django forms for every input of the core registry's pages (built on `core.forms`).

Field names are the inputs' names on the pages. Forms that pick records take the actor
and look them up through selectors, so a foreign or unknown id is a message on the field,
never an error page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core import selectors
from minsheng.core.forms import DateField, VersionedForm
from minsheng.core.models import (
    Area,
    AuditEntry,
    DisabilityCertificate,
    HouseholdMember,
    Organization,
    Person,
)

CHANGE = "core.change_registry"  # the permission the edit forms' pickers look up
MEMBER_ROWS = 8


def _blank(label):
    return [("", label)]


class FilterForm(forms.Form):
    """A list page's filters (GET). A bad value is dropped, with its message shown above
    the list, and the list is shown without that filter: a filter never fails a page."""

    def __init__(self, data=None, *, actor=None, **kwargs):
        self.actor = actor
        super().__init__(data, **kwargs)

    def clean_area(self):
        code = self.cleaned_data.get("area", "")
        if not code:
            return None
        area = selectors.area_list(self.actor).filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("Unknown area or outside your scope"))
        return area

    def values(self) -> dict:
        """Cleaned values, None for each field whose value was refused."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}


class PersonFilterForm(FilterForm):
    q = forms.CharField(required=False, max_length=60, strip=True)
    area = forms.CharField(required=False, max_length=12)
    status = forms.ChoiceField(required=False,
                               choices=_blank(_("Any")) + list(Person.Status.choices))


class HouseholdFilterForm(FilterForm):
    q = forms.CharField(required=False, max_length=60, strip=True)
    area = forms.CharField(required=False, max_length=12)


class OrganizationFilterForm(FilterForm):
    q = forms.CharField(required=False, max_length=100, strip=True)
    kind = forms.ChoiceField(required=False,
                             choices=_blank(_("Any")) + list(Organization.Kind.choices))
    area = forms.CharField(required=False, max_length=12)


class AuditFilterForm(FilterForm):
    object_type = forms.CharField(required=False, max_length=60, strip=True)
    actor = forms.CharField(required=False, max_length=150, strip=True)
    action = forms.ChoiceField(required=False,
                               choices=_blank(_("Any")) + list(AuditEntry.Action.choices))


class PersonAccessForm(forms.Form):
    """The auditor's person-level access report: posted, so the ID stays out of URLs."""

    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, strip=True)


class PersonContactForm(VersionedForm):
    """The contact details staff keep up to date on the person page."""

    phone = forms.CharField(label=_("Phone (blank keeps it)"), required=False, max_length=20)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {"address": data["address"]}
        if data["phone"]:  # blank keeps the current (masked) number
            changes["phone"] = data["phone"]
        return changes


def _area_choices(actor, level: str | None = None) -> list[tuple[str, str]]:
    """Areas where the actor may change the register (a district has a few dozen; every
    one is offered, none cut). Refused for those who may change it nowhere."""
    return [(a.code, f"{a.name} ({a.code})")
            for a in selectors.change_areas(actor, level=level)]


class AreaChoiceField(forms.ChoiceField):
    def clean(self, value):
        code = super().clean(value)
        return selectors.area_lookup(code) if code else None


class OrganizationForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    uscc = forms.CharField(label=_("Unified social credit code"), required=False,
                           max_length=18)
    area = AreaChoiceField(label=_("Area"))
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    industry_code = forms.CharField(label=_("Industry code"), required=False, max_length=5)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(actor)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class HouseholdForm(forms.Form):
    """A new household and its members (found by ID number in the actor's area)."""

    number = forms.CharField(label=_("Household number"), max_length=30)
    area = AreaChoiceField(label=_("Community"))
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["area"].choices = _area_choices(actor, Area.Level.COMMUNITY)
        relationships = _blank("—") + list(HouseholdMember.Relationship.choices)
        for row in range(1, MEMBER_ROWS + 1):
            self.fields[f"id_number_{row}"] = forms.CharField(
                label=_("Member %(n)s: ID number") % {"n": row}, required=False,
                max_length=18)
            self.fields[f"relationship_{row}"] = forms.ChoiceField(
                label=_("Member %(n)s: relationship") % {"n": row}, required=False,
                choices=relationships, initial="head" if row == 1 else "")

    def member_rows(self):
        """(ID field, relationship field) per row, for the template."""
        return [(self[f"id_number_{row}"], self[f"relationship_{row}"])
                for row in range(1, MEMBER_ROWS + 1)]

    def clean(self):
        data = super().clean()
        members = []
        for row in range(1, MEMBER_ROWS + 1):
            number = (data.get(f"id_number_{row}") or "").strip().upper()
            relationship = data.get(f"relationship_{row}") or ""
            if not number and not relationship:
                continue
            if not number:
                self.add_error(f"id_number_{row}", _("Enter the member's ID number"))
                continue
            if not relationship:
                self.add_error(f"relationship_{row}", _("Choose the relationship"))
                continue
            person = selectors.person_by_id_number(self.actor, id_number=number,
                                                   permission=CHANGE)
            if person is None:
                self.add_error(f"id_number_{row}",
                               _("No one with this ID number is registered in your area"))
                continue
            members.append((person, relationship))
        if not members and not self.errors:
            self.add_error(None, _("List the household's members, with one head"))
        data["members"] = members
        return data


class DisabilityCertificateForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Disability category"), coerce=int,
                                      choices=_blank("—")
                                      + list(DisabilityCertificate.Category.choices))
    grade = forms.TypedChoiceField(label=_("Disability grade"), coerce=int,
                                   choices=_blank("—") + list(DisabilityCertificate.Grade.choices))
    issued_on = DateField(label=_("Certificate issued on"))
    valid_until = DateField(label=_("Valid until (blank: no end date)"), required=False)
    number = forms.CharField(label=_("Certificate number (blank: from the ID number)"),
                             required=False, max_length=20)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What will use it"), max_length=60)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Records"), choices=[
        ("persons", _("People")), ("households", _("Households")),
        ("organizations", _("Organizations")), ("disabilities", _("Disability certificates"))])
    file = forms.FileField(label=_("File"), error_messages={
        "required": _("Choose a file to import.")})
