"""Page forms of follow-ups."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import FollowUp
from minsheng.core.forms import VersionedForm


class FollowUpCloseForm(VersionedForm):
    outcome = forms.CharField(label=_("Outcome"), max_length=2000, strip=True)


class FollowUpFilterForm(forms.Form):
    """The list's filters (GET); a value that is not one of the choices is ignored."""

    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[*FollowUp.State.choices, ("", _("Any"))])
    kind = forms.CharField(required=False, max_length=40)

    def filters(self) -> dict:
        if self.is_valid():
            state = self.cleaned_data["state"] if "state" in self.data else "open"
            return {"state": state, "kind": self.cleaned_data["kind"]}
        return {"state": "open", "kind": ""}
