"""Forms of the account security pages: the second factor and role change requests."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core import selectors
from minsheng.core.errors import DomainError
from minsheng.core.models import RoleAssignment, RoleChangeRequest


class OneTimeCodeForm(forms.Form):
    token = forms.RegexField(label=_("One-time code"), regex=r"^\s*\d{6}\s*$", max_length=12,
                             error_messages={"invalid": _("Enter the 6 digits your app "
                                                          "shows.")},
                             widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                           "inputmode": "numeric"}))
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class RoleChangeForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    kind = forms.ChoiceField(label=_("Grant or remove"), choices=RoleChangeRequest.Kind.choices)
    role = forms.ChoiceField(label=_("Role to change"), choices=RoleAssignment.Role.choices)
    area = forms.CharField(label=_("Area code"), max_length=12)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, data=None, *, actor, **kwargs):
        self.actor = actor
        super().__init__(data, **kwargs)

    def clean_username(self):
        try:
            return selectors.role_change_subject(self.actor,
                                                 username=self.cleaned_data["username"])
        except DomainError:
            raise forms.ValidationError(_("Unknown user")) from None

    def clean_area(self):
        area = selectors.area_lookup(self.cleaned_data["area"].strip())
        if area is None:
            raise forms.ValidationError(_("Unknown area or outside your scope"))
        return area


class SecondFactorResetForm(forms.Form):
    """A lost phone: the security administrator names the account."""

    username = forms.CharField(label=_("Username"), max_length=150)

    def __init__(self, data=None, *, actor, **kwargs):
        self.actor = actor
        super().__init__(data, **kwargs)

    def clean_username(self):
        try:
            user = selectors.second_factor_subject(self.actor,
                                                   username=self.cleaned_data["username"])
        except DomainError:
            raise forms.ValidationError(_("Unknown user")) from None
        if user.pk == getattr(self.actor.user, "pk", None):  # the service refuses it too
            raise forms.ValidationError(_("Another security administrator resets your "
                                          "second factor."))
        return user


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Decision note"), max_length=300, required=False)
