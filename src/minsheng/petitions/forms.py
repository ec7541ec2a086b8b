"""Django forms for every input of the petition pages. The forms check types and bounds;
the services check the rules, and their refusals come back on the field they name with
the input kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import DateField, IntField, ObjectIdField, VersionedForm
from minsheng.petitions.config import setting
from minsheng.petitions.models import Petition

NOTE = 2000
# the form takes a little more than the service allows, so that the service's refusal
# (with the count and what to do) is what the user sees, not a bare length error
LONG = 60_000


def _long(label, required=True, rows=4):
    return forms.CharField(label=label, required=required, max_length=LONG,
                           widget=forms.Textarea(attrs={"rows": rows}))


class PetitionFields(forms.Form):
    """What is asked of every petition, on the staff and the public form."""

    petitioner_name = forms.CharField(label=_("Petitioner's name"), max_length=60)
    petitioner_id_number = forms.CharField(label=_("Resident ID number"), max_length=30)
    petitioner_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    petitioner_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    category = forms.ChoiceField(label=_("Kind of petition"), choices=Petition.Category.choices)
    area = ObjectIdField(label=_("Where the matter is"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = _long(_("What happened and what you ask for"), rows=8)


class PetitionForm(PetitionFields):
    channel = forms.ChoiceField(label=_("Channel"), choices=Petition.Channel.choices)
    received_on = DateField(label=_("Received on"), required=False)
    joint_count = IntField(label=_("People petitioning together"), min_value=1,
                           max_value=100_000, initial=1)
    representatives = forms.CharField(label=_("Representatives"), max_length=200,
                                      required=False)
    department = ObjectIdField(label=_("Handling department"), required=False)

    def __init__(self, *args, areas=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget = forms.Select(choices=[(a.pk, a.name) for a in areas])
        self.fields["department"].widget = forms.Select(
            choices=[("", "—"), *[(d.pk, d.name) for d in departments]])


class PublicPetitionForm(PetitionFields):
    petitioner_phone = forms.CharField(label=_("Phone"), max_length=20)
    agree = forms.BooleanField(label=_("I confirm the facts are true and accept that my "
                                       "details are used to handle this petition"))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget = forms.Select(choices=[(a.pk, a.name) for a in areas])


class PublicStatusForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=30)


class PublicRateForm(PublicStatusForm):
    satisfaction = forms.ChoiceField(label=_("How satisfied are you with the reply?"),
                                     choices=Petition.Satisfaction.choices[1:])


class PetitionFilterForm(forms.Form):
    state = forms.ChoiceField(required=False, choices=[
        ("", _("All")), ("open", _("Open")), *Petition.workflow.states.items()])
    channel = forms.ChoiceField(required=False,
                                choices=[("", _("All")), *Petition.Channel.choices])
    department = ObjectIdField(required=False)
    overdue = forms.BooleanField(required=False)
    repeats = forms.BooleanField(required=False)
    q = forms.CharField(required=False, max_length=60)


class NoteForm(VersionedForm):
    note = forms.CharField(max_length=NOTE, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))


class AssignForm(VersionedForm):
    department = ObjectIdField(label=_("Handling department"))
    note = forms.CharField(max_length=500, required=False)


class AcceptForm(NoteForm):
    department = ObjectIdField(label=_("Handling department"), required=False)


class DeclineForm(VersionedForm):
    note = forms.CharField(label=_("Reasons in the written notice"), max_length=NOTE,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(VersionedForm):
    days = IntField(label=_("Days"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason (told to the petitioner)"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = setting("MAX_EXTENSION_DAYS")


class ReplyForm(VersionedForm):
    reply = _long(_("Written reply"), rows=6)


class RequestForm(VersionedForm):
    requested_on = DateField(label=_("Request received on"), required=False)
    note = forms.CharField(max_length=NOTE, required=False)


class OpinionForm(VersionedForm):
    opinion = _long(_("Opinion"), rows=5)


class RateForm(VersionedForm):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"),
                                     choices=Petition.Satisfaction.choices[1:])


class RecuseForm(VersionedForm):
    reason = forms.CharField(label=_("Why you step aside"), max_length=500)


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", "id_number"), ("phone", "phone")])


ACTION_FORMS = {
    "assign": AssignForm, "accept": AcceptForm, "decline": DeclineForm,
    "extend": ExtendForm, "reply": ReplyForm, "request_review": RequestForm,
    "decide_review": OpinionForm, "request_re_review": RequestForm,
    "decide_re_review": OpinionForm, "conclude": NoteForm, "rate": RateForm,
    "recuse": RecuseForm,
}
