"""Food and drug safety supervision records: operators (core organizations) with their
licence history and risk grade history, inspection plans drawn on the shared engine,
inspections with findings, rectification cases, samples."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import CaseBase
from minsheng.core.models import Area, Organization, Timestamped, User, Versioned
from minsheng.foodsafety import workflows as W
from minsheng.inspections.models import Checklist, InspectionBase, Inspector


class Operator(Versioned, Timestamped):
    """A food or drug business under supervision (a core organization)."""

    class Category(models.TextChoices):
        PRODUCTION = "production", _("Food production")
        SALES = "sales", _("Food sales")
        CATERING = "catering", _("Catering")
        SCHOOL_CANTEEN = "school_canteen", _("School canteen")
        CENTRAL_KITCHEN = "central_kitchen", _("Central kitchen")
        ONLINE_CATERING = "online_catering", _("Online-only catering")
        SPECIAL_FOOD = "special_food", _("Special foods")
        PHARMACY = "pharmacy", _("Retail pharmacy")
        DEVICE_RETAIL = "device_retail", _("Medical-device retailer")

    class Scale(models.TextChoices):
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    workflow = W.OPERATOR

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT,
                                        related_name="food_operator")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("operator category"), max_length=16,
                                choices=Category.choices)
    scale = models.CharField(_("scale"), max_length=8, choices=Scale.choices, blank=True)
    population_served = models.PositiveIntegerField(_("people served a day"), null=True,
                                                    blank=True)
    state = models.CharField(max_length=8, default="active", db_index=True)
    grade = models.CharField(_("risk grade"), max_length=1, blank=True, db_index=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization__name"]
        indexes = [models.Index(fields=["area", "grade"])]

    def __str__(self):
        return self.organization.name

    @property
    def name(self):
        return self.organization.name


class Licence(Versioned, Timestamped):
    """One licence version; a change supersedes it with a new row (`replaces`)."""

    class Kind(models.TextChoices):
        FOOD_PRODUCTION = "food_production", _("Food production licence")
        FOOD_BUSINESS = "food_business", _("Food business licence")
        DRUG_RETAIL = "drug_retail", _("Drug retail licence")
        DEVICE_RETAIL = "device_retail", _("Class II/III device retail record")

    workflow = W.LICENCE

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="licences")
    kind = models.CharField(_("licence kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("licence number"), max_length=30)
    scope = models.CharField(_("business scope"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), db_index=True)
    state = models.CharField(max_length=10, default="valid", db_index=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(expires_on__gt=F("issued_on")),
                                              name="licence_expires_after_issue")]


class RiskAssessment(models.Model):
    """One grading of an operator: the factors used, the points and the grade."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE,
                                 related_name="assessments")
    at = models.DateTimeField(auto_now_add=True)
    grade = models.CharField(max_length=1)
    static_points = models.PositiveSmallIntegerField()
    dynamic_points = models.PositiveSmallIntegerField()
    factors = models.JSONField(default=dict)
    defaulted = models.BooleanField(default=False)  # no factor data: category default
    trigger = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at", "-id"]


class InspectionPlan(Versioned, Timestamped):
    """A double-random plan (or a special campaign) drawn on `minsheng.inspections`."""

    class Kind(models.TextChoices):
        RANDOM = "random", _("Double-random check")
        CAMPAIGN = "campaign", _("Special campaign")

    workflow = W.PLAN

    name = models.CharField(_("plan name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("plan kind"), max_length=10, choices=Kind.choices,
                            default=Kind.RANDOM)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, blank=True)
    grade = models.CharField(max_length=1, blank=True)
    sample_size = models.PositiveIntegerField(_("operators to draw"))
    team_size = models.PositiveSmallIntegerField(default=2)
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, default="planned", db_index=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.name

    @property
    def state_label(self):
        return self.workflow.states.get(self.state, self.state)


class Inspection(InspectionBase):
    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine by grade")
        RANDOM = "random", _("Double-random check")
        COMPLAINT = "complaint", _("Complaint-triggered")
        CAMPAIGN = "campaign", _("Special campaign")
        FOLLOW_UP = "follow_up", _("Re-inspection")

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (优秀)")
        GOOD = "good", _("Good (良好)")
        FAIR = "fair", _("Fair (一般)")
        POOR = "poor", _("Below standard")

    workflow = W.INSPECTION

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT,
                                 related_name="inspections")
    plan = models.ForeignKey(InspectionPlan, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")
    kind = models.CharField(_("inspection kind"), max_length=10, choices=Kind.choices)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="followed_by")
    inspectors = models.ManyToManyField(Inspector, related_name="food_inspections")
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["operator", "done_on"]),
                   models.Index(fields=["area", "state"])]


class Finding(models.Model):
    """A failed checklist item, with what the inspectors saw."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="findings")
    item_number = models.PositiveSmallIntegerField()
    item_text = models.CharField(max_length=300)
    critical = models.BooleanField(default=False)
    description = models.CharField(_("what was found"), max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "item_number"]


def inspection_photo_path(instance, filename):
    return f"foodsafety/inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(Timestamped):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=inspection_photo_path)


class Rectification(CaseBase):
    """A rectification order after an inspection with findings, closed by a passed
    re-inspection."""

    workflow = W.RECTIFICATION

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT,
                                 related_name="rectifications")
    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT,
                                      related_name="rectification")
    number = models.CharField(_("order number"), max_length=30, unique=True)
    ordered_on = models.DateField(_("ordered on"))
    due_on = models.DateField(_("rectify by"), db_index=True)
    reinspection = models.ForeignKey(Inspection, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    passed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-ordered_on", "-id"]


class Sample(Versioned, Timestamped):
    """A sample taken for testing (抽检) and its lab result."""

    class Measure(models.TextChoices):
        RECALL = "recall", _("Recall")
        REMOVAL = "removal", _("Removal from shelves")
        DESTRUCTION = "destruction", _("Sealing and destruction")

    workflow = W.SAMPLE

    number = models.CharField(_("sample number"), max_length=30, unique=True)
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="samples")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    product = models.CharField(_("product"), max_length=120)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    sampled_on = models.DateField(_("sampled on"))
    state = models.CharField(max_length=12, default="pending", db_index=True)
    reported_on = models.DateField(_("result reported on"), null=True, blank=True)
    failed_item = models.CharField(_("failed test item"), max_length=120, blank=True)
    measured = models.CharField(_("measured value"), max_length=40, blank=True)
    limit = models.CharField(_("standard limit"), max_length=40, blank=True)
    handle_due = models.DateField(null=True, blank=True)
    measure = models.CharField(_("handling measure"), max_length=12, choices=Measure.choices,
                               blank=True)
    handled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sampled_on", "-id"]


class EnforcementCase(CaseBase):
    """An administrative penalty case from a clue (a finding, a failed sample, a complaint)
    to the decision, with the procedure's two time limits."""

    workflow = W.ENFORCEMENT

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT,
                                 related_name="enforcement_cases")
    number = models.CharField(_("case number"), max_length=30, unique=True)
    clue = models.CharField(_("clue"), max_length=500)
    found_on = models.DateField(_("clue found on"))
    inspection = models.ForeignKey(Inspection, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2, null=True,
                               blank=True)
    decision = models.CharField(_("decision"), max_length=500, blank=True)

    class Meta:
        ordering = ["-found_on", "-id"]
