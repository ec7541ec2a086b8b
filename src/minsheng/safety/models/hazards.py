from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import CaseBase
from minsheng.core.models import Area, Organization, Timestamped, User, Versioned
from minsheng.safety.workflows import HAZARD_WORKFLOW, INSPECTION_PLAN_WORKFLOW


class Hazard(CaseBase):
    """A hidden hazard (事故隐患): 排查 -> 整改 -> 验收 -> 销号."""

    class Grade(models.TextChoices):
        GENERAL = "general", _("General")
        MAJOR = "major", _("Major")

    class Origin(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        SELF = "self", _("Enterprise self-inspection")

    class Suspension(models.TextChoices):
        NONE = "none", _("None")
        PARTIAL = "partial", _("Partial suspension")
        FULL = "full", _("Full suspension")

    workflow = HAZARD_WORKFLOW

    number = models.CharField(_("number"), max_length=24, unique=True)
    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                   related_name="hazards", verbose_name=_("enterprise"))
    origin = models.CharField(_("found by"), max_length=12, choices=Origin.choices)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices)
    category = models.CharField(_("category"), max_length=40)
    location = models.CharField(_("location"), max_length=200)
    description = models.TextField(_("description"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    found_on = models.DateField(_("found on"))
    reported_by = models.CharField(_("reported by"), max_length=60, blank=True)
    inspection = models.ForeignKey("safety.InspectionCheck", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="hazards")
    # rectification order (general) or plan time limit (major)
    order_number = models.CharField(_("order number"), max_length=40, blank=True)
    rectify_due = models.DateField(_("rectification deadline"), null=True, blank=True,
                                   db_index=True)
    reported_to_department_at = models.DateTimeField(null=True, blank=True)
    listed = models.BooleanField(_("listed supervision"), default=False)
    listed_on = models.DateField(null=True, blank=True)
    listed_by = models.CharField(_("listed by"), max_length=100, blank=True)
    suspension = models.CharField(_("suspension"), max_length=8, choices=Suspension.choices,
                                  default=Suspension.NONE)
    suspension_note = models.CharField(max_length=300, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    acceptance_applied_on = models.DateField(null=True, blank=True)
    acceptance_due = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.CharField(max_length=100, blank=True)
    acceptance_note = models.TextField(blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["area", "state"]),
                   models.Index(fields=["enterprise", "found_on"])]
        verbose_name = _("hidden hazard")
        verbose_name_plural = _("hidden hazards")

    def __str__(self):
        return f"{self.number} {self.category}"


class RectificationPlan(Timestamped):
    """The major-hazard rectification plan the principal leader signs (第十五条)."""

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="plan")
    goals = models.TextField(_("goals and tasks"))
    methods = models.TextField(_("methods and measures"))
    funds = models.TextField(_("funds and materials"))
    responsible = models.CharField(_("responsible persons"), max_length=200)
    time_limit = models.DateField(_("time limit"))
    safety_measures = models.TextField(_("safety measures"))
    emergency_plan = models.TextField(_("emergency plan"))
    principal = models.CharField(_("principal leader"), max_length=60)
    submitted_on = models.DateField()


def hazard_photo_path(instance, filename):
    return f"safety/hazards/{instance.hazard_id}/{filename}"


class HazardPhoto(Timestamped):
    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=hazard_photo_path)
    caption = models.CharField(max_length=200, blank=True)
    stage = models.CharField(max_length=12, default="found")  # found / rectified


class Publication(Timestamped):
    """Something the rules require to be made public, with its due date."""

    class Kind(models.TextChoices):
        LISTING = "listing", _("Listed supervision")
        WRITE_OFF = "write_off", _("Write-off of listed hazard")
        INSPECTION = "inspection", _("Random inspection results")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    due_on = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_type", "object_id"],
                                               name="one_publication_per_object")]


class InspectionPlan(Versioned, Timestamped):
    """A "double random, one public" plan: a recorded, reproducible draw. States: planned
    -> drawn -> published (`INSPECTION_PLAN_WORKFLOW`)."""

    workflow = INSPECTION_PLAN_WORKFLOW

    state = models.CharField(_("state"), max_length=12, default="planned", db_index=True)
    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, blank=True)
    sample_size = models.PositiveIntegerField(_("enterprises to draw"))
    inspectors_per_check = models.PositiveIntegerField(default=2)
    seed = models.BigIntegerField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    draw_record = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.name

    @property
    def state_label(self) -> str:
        return self.workflow.states.get(self.state, self.state)


class InspectionCheck(Timestamped):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="checks")
    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField(User, related_name="+")
    checked_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=200, blank=True)


class InspectorConflict(models.Model):
    """An inspector who must not check an enterprise (kinship, former employment, ...)."""

    inspector = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspector", "enterprise"],
                                               name="one_conflict_per_pair")]
