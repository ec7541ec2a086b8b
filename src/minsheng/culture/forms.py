"""Page forms of the culture module: every input is parsed here before a service sees it.
Geometry text and files are read by `geometry` inside the service call, so a refused shape
comes back on its field with the reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import DateField, IntField, VersionedForm
from minsheng.culture.models import (
    ConsentCase,
    ConstructionCheck,
    CulturalFacility,
    HeritageSite,
    InheritorEvaluation,
    IntangibleItem,
    Patrol,
    ProtectionZone,
)

MAX_UPLOAD = 20 * 1024 * 1024


class AreaChoiceForm(forms.Form):
    """A form with an `area` choice limited to the areas where the actor may act."""

    area = forms.ChoiceField(label=_("Area"))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, f"{a.code} {a.name}") for a in areas]


class SiteForm(AreaChoiceForm):
    code = forms.CharField(label=_("Register number"), max_length=24)
    name = forms.CharField(label=_("Name"), max_length=120)
    level = forms.ChoiceField(label=_("Level"), choices=HeritageSite.Level.choices)
    category = forms.ChoiceField(label=_("Category"), choices=HeritageSite.Category.choices)
    era = forms.CharField(label=_("Era"), max_length=60)
    address = forms.CharField(label=_("Address"), max_length=200)
    # ranges are checked by the service, which can tell swapped or projected coordinates
    lon = forms.FloatField(label=_("Longitude"))
    lat = forms.FloatField(label=_("Latitude"))
    owner = forms.CharField(label=_("Owner or user"), max_length=120, required=False)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=60)
    responsible_duties = forms.CharField(label=_("Responsibilities"), max_length=4000,
                                         required=False, widget=forms.Textarea(attrs={"rows": 3}))
    designated_on = DateField(label=_("Designated on"), required=False)
    designation_document = forms.CharField(label=_("Designation document"), max_length=120,
                                           required=False)
    risk = forms.ChoiceField(label=_("Risk status"), choices=HeritageSite.Risk.choices)


class SiteEditForm(VersionedForm, SiteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]
        del self.fields["area"]


class SiteFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, number or address"), max_length=100, required=False)
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", "—"), *HeritageSite.Level.choices])
    overdue = forms.BooleanField(label=_("Zones overdue only"), required=False)


class GeometryInput(forms.Form):
    """Geometry typed or pasted (GeoJSON) or uploaded (GeoJSON, KML, zipped Shapefile)."""

    geometry = forms.CharField(label=_("GeoJSON"), required=False, max_length=2_000_000,
                               widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))
    file = forms.FileField(label=_("or a file (GeoJSON, KML, zipped Shapefile)"),
                           required=False)
    crs = forms.CharField(label=_("Coordinate system (if not WGS-84)"), max_length=60,
                          required=False, help_text=_("e.g. EPSG:4548 or EPSG:3857"))
    layer = forms.CharField(label=_("KML layer"), max_length=120, required=False)
    repair = forms.BooleanField(label=_("Repair an invalid polygon"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file may be at most 20 MB."))
        return upload

    def has_geometry(self) -> bool:
        data = self.cleaned_data
        return bool((data.get("geometry") or "").strip() or data.get("file"))


class ZoneForm(GeometryInput):
    kind = forms.ChoiceField(label=_("Zone"), choices=ProtectionZone.Kind.choices)
    delimited_on = DateField(label=_("Delimited on"), required=False)
    approved_document = forms.CharField(label=_("Approval document"), max_length=120,
                                        required=False)

    def clean(self):
        data = super().clean()
        if not self.has_geometry():
            self.add_error("geometry", _("Paste GeoJSON or upload a file."))
        return data


class ZoneImportForm(forms.Form):
    file = forms.FileField(label=_("File (GeoJSON, KML, zipped Shapefile)"))
    layer = forms.CharField(label=_("KML layer"), max_length=120, required=False)
    repair = forms.BooleanField(label=_("Repair invalid polygons"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file may be at most 20 MB."))
        return upload


class PatrolForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Patrol.Kind.choices)
    done_on = DateField(label=_("Date"))
    inspector = forms.CharField(label=_("Inspector"), max_length=60)
    condition = forms.ChoiceField(label=_("Condition found"), choices=HeritageSite.Risk.choices)
    findings = forms.CharField(label=_("Findings"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(label=_("Photo"), required=False)


class CheckForm(AreaChoiceForm, GeometryInput):
    project_name = forms.CharField(label=_("Project"), max_length=200)
    applicant = forms.CharField(label=_("Applicant"), max_length=200)
    reference = forms.CharField(label=_("Planning reference"), max_length=60, required=False)
    lon = forms.FloatField(label=_("or a point: longitude"), required=False)
    lat = forms.FloatField(label=_("latitude"), required=False)
    buffer_m = forms.FloatField(label=_("Buffer (m)"), min_value=0, max_value=5000,
                                required=False)
    exception_requested = forms.BooleanField(
        label=_("Invoke the statutory exception (special circumstances)"), required=False)
    exception_grounds = forms.CharField(label=_("Special circumstances"), max_length=1000,
                                        required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        point = data.get("lon") is not None and data.get("lat") is not None
        if not point and not self.has_geometry():
            self.add_error("geometry", _("Give the location: GeoJSON, a file or a point."))
        if (data.get("lon") is None) != (data.get("lat") is None):
            self.add_error("lat", _("A point needs both longitude and latitude."))
        return data


class CheckFilterForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), required=False,
                               choices=[("", "—"), *ConstructionCheck.Result.choices])


class DecideForm(VersionedForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("approve", _("Give consent")), ("refuse", _("Refuse consent")),
        ("withdraw", _("Applicant withdrew"))])
    reason = forms.CharField(label=_("Reason"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conditions = forms.CharField(label=_("Conditions"), max_length=4000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class ConsentFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", "—"), *ConsentCase.workflow.states.items()])


class ItemForm(AreaChoiceForm):
    code = forms.CharField(label=_("Item number"), max_length=24)
    name = forms.CharField(label=_("Name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=IntangibleItem.Category.choices)
    level = forms.ChoiceField(label=_("Level"), choices=IntangibleItem.Level.choices)
    protection_unit = forms.CharField(label=_("Protection unit"), max_length=120)
    listed_on = DateField(label=_("Listed on"))
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", "—"), *IntangibleItem.Category.choices])


class NominateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    subsidy = forms.DecimalField(label=_("Yearly subsidy (yuan)"), min_value=0,
                                 max_digits=10, decimal_places=2, required=False)


class InheritorActForm(VersionedForm):
    action = forms.ChoiceField(label=_("Action"), choices=[
        ("publish_notice", _("Publish the notice")), ("recognise", _("Recognise")),
        ("reject", _("Do not recognise")), ("revoke", _("Revoke recognition"))])
    reason = forms.CharField(label=_("Reason"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    year = IntField(label=_("Year"), min_value=2000, max_value=2100)
    apprentices = IntField(label=_("Apprentices taught"), max_value=10_000)
    shows = IntField(label=_("Shows and events"), max_value=10_000)
    grade = forms.ChoiceField(label=_("Grade"), choices=InheritorEvaluation.Grade.choices)
    note = forms.CharField(label=_("Note"), max_length=4000, required=False)


class FacilityForm(AreaChoiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CulturalFacility.Kind.choices)
    floor_area_m2 = forms.DecimalField(label=_("Floor area (m²)"), min_value=0,
                                       max_digits=10, decimal_places=1)
    opened_on = DateField(label=_("Opened on"))
    closed_on = DateField(label=_("Closed on"), required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=120, required=False)
    yearly_visits = IntField(label=_("Visits last year"), required=False)


class FacilityEditForm(VersionedForm, FacilityForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["area"]


class YearForm(forms.Form):
    year = IntField(label=_("Year"), min_value=2000, max_value=2100, required=False)
