"""Django forms for every input of the safety pages. Field names are those of the page's
inputs; the forms check types and bounds, the services check the rules (and their
refusals are shown on the field they name, with the user's input kept)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.errors import NotFound
from minsheng.core.forms import MAX_INT, DateField, IntField, ObjectIdField, VersionedForm
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.models import Accident, EmergencyPlan, Hazard, SafetyProfile

NOTE = 2000  # longest free-text note a form takes


def _text(max_length: int, label, required: bool = True, **attrs) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=required, label=label,
                           widget=forms.TextInput(attrs=attrs) if attrs else None)


def _long(label, required: bool = True) -> forms.CharField:
    return forms.CharField(required=required, max_length=10_000, label=label,
                           widget=forms.Textarea(attrs={"rows": 3}))


def _note(label=None) -> forms.CharField:
    return forms.CharField(max_length=NOTE, required=False, label=label)


class WholeNumber(IntField):
    """A count that may be left empty (then it is `default`)."""

    def __init__(self, *, default: int = 0, **kwargs):
        self.default = default
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", default)
        super().__init__(**kwargs)

    def clean(self, value):
        result = super().clean(value)
        return self.default if result is None else result


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateTimeField(forms.DateTimeField):
    """A local date and time (`<input type=datetime-local>`), made aware in the district's
    time zone."""

    widget = DateTimeInput
    default_error_messages = {"invalid": _("Enter a date and time as YYYY-MM-DD HH:MM")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                            "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos (the service checks type and size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


class PageForm(forms.Form):
    """A page form. Inputs are rendered without generated ids (a page holds several
    forms with the same field names), each inside its label."""

    def __init__(self, *args, actor=None, **kwargs):
        kwargs.setdefault("auto_id", False)
        self.actor = actor
        super().__init__(*args, **kwargs)


class PageVersionedForm(VersionedForm, PageForm):
    """A page form that edits an existing record (hidden `version`)."""


class OrganizationField(forms.CharField):
    """An organisation typed by name or credit code, with suggestions from the search
    endpoint (`safety:organization_options`); an id also works. The form resolves it in
    the actor's scope for `permission`."""

    default_error_messages = {
        "unknown": _("No such enterprise in your area. Type its name or credit code and "
                     "choose one of the suggestions."),
        "ambiguous": _("Several organisations have this name: type the credit code."),
    }

    def __init__(self, *, permission: str = P.VIEW, kinds=("enterprise",), **kwargs):
        self.permission, self.kinds = permission, tuple(kinds)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def resolve(self, actor, text: str):
        if not text:
            return None
        found = selectors.organization_match(actor, text, permission=self.permission,
                                             kinds=self.kinds)
        if not found:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if len(found) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        return found[0]


class ResolvingForm(PageForm):
    """Resolves its OrganizationFields to organisations in `clean()`."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, OrganizationField) and name in cleaned:
                try:
                    cleaned[name] = field.resolve(self.actor, cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class AreaChoiceField(forms.TypedChoiceField):
    """An area, offered from those where the actor holds the permission (choices set by
    the form). Any well-formed id passes the form: the view looks it up in the actor's
    scope, so an area outside it is "not found" like any record there."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(**kwargs)

    def valid_value(self, value):
        text = str(value)
        return text.isdigit() and 0 < int(text) <= MAX_INT


def _area_choices(actor, permission: str, levels=("district", "subdistrict")):
    return [(a.pk, a.name) for a in selectors.area_choices(actor, permission, levels)]


class OrganizationSearchForm(PageForm):
    """The search field's request for suggestions: which field asks (its kind of
    organisation) and what was typed (sent under the field's own name, or `q`)."""

    field = forms.ChoiceField(required=False, choices=[("enterprise", "enterprise"),
                                                       ("owner", "owner")])
    q = forms.CharField(required=False, max_length=200)
    enterprise = forms.CharField(required=False, max_length=200)
    owner = forms.CharField(required=False, max_length=200)

    def search(self) -> tuple[str, str]:
        """(field, text typed), or the defaults for a malformed request."""
        d = self.cleaned_data if self.is_valid() else {}
        field = d.get("field") or "enterprise"
        return field, (d.get("q") or d.get(field) or "")[:60]


# --- hazards -------------------------------------------------------------------------------

class HazardReportForm(ResolvingForm):
    enterprise = OrganizationField(permission=P.REPORT, label=_("Enterprise"))
    origin = forms.ChoiceField(choices=Hazard.Origin.choices, label=_("Found by"))
    grade = forms.ChoiceField(choices=Hazard.Grade.choices, label=_("Grade"))
    found_on = DateField(required=False, label=_("Found on"))
    category = _text(40, _("Category"), list="hazard-categories")
    location = _text(200, _("Location"))
    description = _long(_("Description"))
    legal_basis = _text(300, _("Legal basis"), required=False, size=60)
    photos = PhotosField(label=_("Photos"))


class HazardOrderForm(PageVersionedForm):
    order_number = _text(40, _("Order number"), required=False)
    due = DateField(required=False, label=_("Deadline"))
    note = _note()


class HazardPlanForm(PageVersionedForm):
    goals = _long(_("goals and tasks"))
    methods = _long(_("methods and measures"))
    funds = _text(2000, _("funds and materials"))
    responsible = _text(200, _("responsible persons"))
    time_limit = DateField(label=_("time limit"))
    safety_measures = _long(_("safety measures"))
    emergency_plan = _long(_("emergency plan"))
    principal = _text(60, _("principal leader"))


class HazardNoteForm(PageVersionedForm):
    """Rectified on the spot, pass acceptance, write off: the version and a note."""

    note = _note(label=_("Note"))


class HazardApplyForm(PageVersionedForm):
    rectified_on = DateField(required=False, label=_("Rectified on"))
    photos = PhotosField(label=_("Photos"))
    note = _note()


class HazardRejectForm(PageVersionedForm):
    note = forms.CharField(max_length=NOTE, label=_("Reason"))
    due = DateField(required=False, label=_("New deadline"))


class HazardListForm(PageVersionedForm):
    listed_by = _text(100, _("Listed by"))
    suspension = forms.ChoiceField(choices=Hazard.Suspension.choices, initial="none",
                                   label=_("Suspension"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


class HazardSuspensionForm(PageVersionedForm):
    suspension = forms.ChoiceField(choices=Hazard.Suspension.choices, label=_("Suspension"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


HAZARD_FORMS = {"order": HazardOrderForm, "submit_plan": HazardPlanForm,
                "rectified_on_spot": HazardNoteForm, "apply_acceptance": HazardApplyForm,
                "accept": HazardNoteForm, "reject": HazardRejectForm,
                "write_off": HazardNoteForm, "list": HazardListForm,
                "suspension": HazardSuspensionForm}


def _any(choices, label=_("Any")):
    return [("", label), *choices]


class HazardFilterForm(PageForm):
    state = forms.ChoiceField(required=False, label=_("State"),
                              choices=_any(list(Hazard.workflow.states.items())))
    grade = forms.ChoiceField(required=False, label=_("Grade"),
                              choices=_any(Hazard.Grade.choices))
    enterprise = ObjectIdField(required=False, widget=forms.HiddenInput)
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))


# --- IoT -------------------------------------------------------------------------------------

class AlarmAckForm(PageVersionedForm):
    note = _note(label=_("Note"))


class AlarmCloseForm(PageVersionedForm):
    outcome = forms.CharField(max_length=NOTE, label=_("How it was handled"),
                              widget=forms.TextInput(
                                  attrs={"placeholder": _("How it was handled")}))


ALARM_FORMS = {"ack": AlarmAckForm, "close": AlarmCloseForm}


class AlarmFilterForm(PageForm):
    state = forms.ChoiceField(required=False, initial="open", label=_("State"), choices=[
        ("open", _("Not closed")), ("acknowledged", _("Acknowledged")),
        ("closed", _("Closed")), ("", _("Any"))])
    source = ObjectIdField(required=False, widget=forms.HiddenInput)


class SourceHoursForm(PageForm):
    hours = forms.FloatField(required=False, min_value=0.1, max_value=72, initial=1,
                             label=_("Hours"),
                             widget=forms.NumberInput(attrs={"step": "0.5", "size": 4}))


class BoardFilterForm(PageForm):
    level = forms.ChoiceField(required=False, label=_("Level"), choices=_any([(v, v) for v in
                                                            ("I", "II", "III", "IV")]))


# --- accidents -----------------------------------------------------------------------------

class AccidentReportForm(ResolvingForm):
    title = _text(200, _("Title"), size=60)
    kind = forms.ChoiceField(choices=Accident.Kind.choices, label=_("Kind"))
    enterprise = OrganizationField(permission=P.ACCIDENTS, required=False,
                                   label=_("Enterprise"))
    area = AreaChoiceField(required=False, label=_("Area"))
    occurred_at = DateTimeField(label=_("Occurred at"))
    place = _text(200, _("Place"))
    unit_reported_at = DateTimeField(required=False, label=_("Unit reported at"))
    deaths = WholeNumber(label=_("deaths"))
    serious_injuries = WholeNumber(label=_("serious injuries"))
    missing = WholeNumber(label=_("missing"))
    direct_loss_10k = forms.DecimalField(required=False, min_value=0, max_digits=12,
                                         decimal_places=2, initial=0,
                                         label=_("direct loss (10k yuan)"))
    summary = forms.CharField(required=False, max_length=10_000, label=_("What happened"),
                              widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *_area_choices(
            self.actor, P.ACCIDENTS, ("district", "subdistrict", "community"))]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("direct_loss_10k") is None:
            cleaned["direct_loss_10k"] = Decimal(0)
        enterprise = cleaned.get("enterprise")
        if enterprise is not None:
            cleaned["area"] = enterprise.area
        elif cleaned.get("area"):
            try:
                cleaned["area"] = selectors.area_get(self.actor, P.ACCIDENTS,
                                                     pk=cleaned["area"])
            except NotFound:
                self.add_error("area", _("Choose an area of yours."))
        else:
            self.add_error("area", _("Choose the enterprise or, for an accident outside an "
                                     "enterprise, the area."))
        return cleaned


class AccidentRelayForm(PageForm):
    level = _text(20, _("Level"))
    received_at = DateTimeField(label=_("Received at"))
    relayed_at = DateTimeField(required=False, label=_("Relayed at"))


class CasualtyForm(PageVersionedForm):
    deaths = IntField(label=_("deaths"))
    serious_injuries = IntField(label=_("serious injuries"))
    note = forms.CharField(max_length=200, required=False, label=_("Note"))


class ExtendForm(PageVersionedForm):
    reason = forms.CharField(max_length=NOTE, label=_("Reason"))


class AccidentNoteForm(PageVersionedForm):
    note = _note(label=_("Note"))


class AccidentCloseForm(PageVersionedForm):
    report_submitted_on = DateField(label=_("Report submitted on"))
    note = _note(label=_("Note"))


ACCIDENT_FORMS = {"relay": AccidentRelayForm, "casualties": CasualtyForm,
                  "extend": ExtendForm, "investigate": AccidentNoteForm,
                  "close": AccidentCloseForm}


class ReleaseDraftForm(PageForm):
    title = _text(200, _("Title"), size=60)
    body = forms.CharField(max_length=20_000, label=_("Text"),
                           widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


class ReleaseMoveForm(PageVersionedForm):
    note = _note(label=_("Note"))


# --- enterprise safety profiles --------------------------------------------------------------

class ProfileForm(PageForm):
    version = IntField(required=False, widget=forms.HiddenInput)
    industry_code = forms.CharField(max_length=5, required=False,
                                    label=_("Industry (GB/T 4754)"), widget=forms.TextInput(
                                        attrs={"pattern": "[A-Ta-t]?[0-9]{0,4}"}))
    category = forms.ChoiceField(choices=SafetyProfile.Category.choices,
                                 label=_("Supervision category"))
    risk_level = forms.ChoiceField(choices=SafetyProfile.Risk.choices, initial="general",
                                   label=_("Enterprise risk level"))
    principal = _text(60, _("Principal leader"), required=False)
    principal_phone = _text(20, _("Principal phone"), required=False)
    safety_manager = _text(60, _("Safety manager"), required=False)
    safety_staff = WholeNumber(label=_("Full-time safety staff"))
    employees = WholeNumber(label=_("Number of employees"))


class CertificateForm(PageForm):
    kind = _text(60, _("Certificate or licence"), placeholder="安全生产许可证")
    number = _text(60, _("Certificate number"))
    issued_on = DateField(required=False, label=_("Certificate issued on"))
    expires_on = DateField(label=_("Expires on"))


class TrainingForm(PageForm):
    employee = _text(60, _("Trained employee"))
    course = _text(120, _("Training course"), placeholder="三级安全教育")
    hours = forms.DecimalField(min_value=0.5, max_value=999, max_digits=5, decimal_places=1,
                               initial=8, label=_("Hours"),
                               widget=forms.NumberInput(attrs={"step": "0.5"}))
    held_on = DateField(label=_("Training date"))
    passed = forms.TypedChoiceField(choices=[("1", _("training passed")),
                                             ("0", _("training failed"))],
                                    coerce=lambda v: v == "1", initial="1",
                                    label=_("Training result"))


ENTERPRISE_FORMS = {"certificate": CertificateForm, "training": TrainingForm}


class EnterpriseFilterForm(PageForm):
    q = forms.CharField(max_length=60, required=False,
                        label=_("Enterprise name or credit code"))
    risk = forms.ChoiceField(required=False, label=_("Enterprise risk level"),
                             choices=_any(SafetyProfile.Risk.choices))
    category = forms.ChoiceField(required=False, label=_("Supervision category"),
                                 choices=_any(SafetyProfile.Category.choices))


# --- "double random, one public" ---------------------------------------------------------

class InspectionPlanForm(PageForm):
    name = _text(120, _("Inspection plan name"), placeholder="2026年第一批双随机抽查")
    area = AreaChoiceField(label=_("Area it belongs to"))
    department = forms.TypedChoiceField(coerce=int, label=_("Inspecting department"))
    category = forms.ChoiceField(required=False, label=_("Supervision category"), choices=_any(
        SafetyProfile.Category.choices, _("All categories")))
    sample_size = IntField(min_value=1, initial=10, label=_("Enterprises to draw"))
    inspectors_per_check = IntField(required=False, min_value=2, initial=2,
                                    label=_("Inspectors per enterprise"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(self.actor, P.INSPECT)
        self.fields["department"].choices = [
            (d.pk, d.name) for d in selectors.department_list(self.actor)]
        department = getattr(getattr(self.actor, "user", None), "department_id", None)
        if department and not self.is_bound:
            self.initial.setdefault("department", department)


class DrawForm(PageVersionedForm):
    seed = IntField(required=False, label=_("Draw seed (optional)"))


class ConflictForm(ResolvingForm):
    inspector = forms.TypedChoiceField(coerce=int, label=_("Law-enforcement inspector"))
    enterprise = OrganizationField(permission=P.INSPECT, label=_("Enterprise"))
    reason = forms.CharField(max_length=200, required=False, label=_("Reason"),
                             widget=forms.TextInput(attrs={"placeholder": "近亲属任职"}))

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [(u.pk, u.get_full_name() or u.username)
                                            for u in inspectors]


class PublishResultsForm(PageVersionedForm):
    pass


class CheckResultForm(PageForm):
    checked_on = DateField(label=_("Date of check"))
    result = _text(200, _("Check result"),
                   placeholder=_("e.g. no problems found / 3 hazards ordered"))


# --- emergency preparedness --------------------------------------------------------------

class EmergencyPlanForm(ResolvingForm):
    title = _text(200, _("Title"))
    plan_type = forms.ChoiceField(choices=EmergencyPlan.Type.choices,
                                  label=_("Emergency plan type"))
    owner = OrganizationField(permission=P.EMERGENCY, kinds=("department", "enterprise"),
                              label=_("Plan owner"))
    issued_on = DateField(label=_("Plan issued on"))


class PlanReviseForm(PageVersionedForm):
    title = _text(200, _("Title"), size=40)
    plan_type = forms.ChoiceField(choices=EmergencyPlan.Type.choices,
                                  label=_("Emergency plan type"))
    last_revised_on = DateField(required=False, label=_("Last revised on"))
    last_evaluated_on = DateField(required=False, label=_("Last evaluated on"))


class DrillForm(PageForm):
    held_on = DateField(label=_("Drill date"))
    form = forms.TypedChoiceField(required=False, initial="field", empty_value="field",
                                  label=_("Drill form"), choices=[
                                      ("field", _("Field drill")),
                                      ("tabletop", _("Tabletop exercise"))])
    participants = WholeNumber(label=_("Drill participants"))
    assessment = forms.CharField(max_length=NOTE, required=False,
                                 label=_("Drill assessment"),
                                 widget=forms.TextInput(attrs={"size": 40}))


PLAN_FORMS = {"revise": PlanReviseForm, "drill": DrillForm}


class TeamForm(PageForm):
    name = _text(120, _("Rescue team"))
    specialty = _text(60, _("Rescue specialty"))
    area = AreaChoiceField(label=_("Area it belongs to"))
    members = WholeNumber(label=_("Team members"))
    contact = _text(60, _("Team contact"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(self.actor, P.EMERGENCY)


class EquipmentForm(PageForm):
    name = _text(100, _("Rescue equipment"), placeholder=_("Rescue equipment"))
    quantity = WholeNumber(default=1, min_value=1, label=_("Number of items"),
                           widget=forms.NumberInput(attrs={"class": "narrow"}))
    checked_on = DateField(required=False, label=_("Equipment checked on"))


class SupplyForm(PageForm):
    catalogue_code = _text(20, _("Catalogue code"), required=False)
    name = _text(100, _("Supply item"))
    unit = _text(12, _("Unit of measure"), required=False)
    area = AreaChoiceField(label=_("Area it belongs to"))
    location = _text(200, _("Location"))
    required = IntField(label=_("Required"))
    stock = WholeNumber(label=_("In stock"))
    expires_on = DateField(required=False, label=_("Expires on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(self.actor, P.EMERGENCY)


class SupplyMoveForm(PageVersionedForm):
    direction = forms.ChoiceField(choices=[("in", _("Stock in")), ("out", _("Stock out"))],
                                  label=_("Stock movement"))
    quantity = IntField(min_value=1, label=_("Quantity moved"),
                        widget=forms.NumberInput(attrs={"class": "narrow"}))
    expires_on = DateField(required=False, label=_("Expires on"))

