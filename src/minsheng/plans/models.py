"""The plan as tracked work: items (chapters, sections, measures), targets, progress reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, Timestamped, User, Versioned
from minsheng.indicators.models import Indicator
from minsheng.plans import workflows


class Plan(Versioned, Timestamped):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft (under review)")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=300)
    doc_kind = models.CharField(max_length=40, blank=True)
    preamble = models.TextField(blank=True)
    closing = models.TextField(blank=True)
    source_name = models.CharField(_("source file"), max_length=200, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    skipped = models.JSONField(default=list, blank=True)  # lines not taken as plan text
    imported_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.title

    workflow = workflows.PLAN


class PlanItem(Versioned):
    class Level(models.TextChoices):
        CHAPTER = "chapter", _("Chapter")
        SECTION = "section", _("Section")
        MEASURE = "measure", _("Measure")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    chapter = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")  # the top-level item (for filtering)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    number = models.CharField(_("number"), max_length=40)  # unique path "二.(一).2"
    local_number = models.CharField(max_length=10, blank=True)
    implicit_number = models.BooleanField(default=False)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    line = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    lead_department = models.ForeignKey(Organization, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("lead department"))
    co_departments = models.ManyToManyField(Organization, blank=True, related_name="+",
                                            verbose_name=_("co-operating departments"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # the task table's lead/co-operating units and deadline as written, kept when a name
    # matches no department or the deadline names no date ("长期坚持")
    assigned_text = models.CharField(_("assignment as written"), max_length=500, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="unique_item_number")]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return f"{self.number} {self.title}"


class Target(Versioned, Timestamped):
    """A quantitative target measured by an indicator for an area, with a deadline."""

    class Kind(models.TextChoices):
        FLOOR = "floor", _("At least (≥)")
        CEILING = "ceiling", _("At most (≤)")
        POINT = "point", _("Reach a value by a date")
        ANNUAL_FLOW = "annual_flow", _("Each year at least (annual flow)")

    class Status(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        INSUFFICIENT = "insufficient_data", _("Insufficient data")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="targets", verbose_name=_("plan item"))
    name = models.CharField(_("name"), max_length=200)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="targets", verbose_name=_("indicator"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")  # cascade: sub-targets
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    value = models.FloatField(_("target value"), null=True, blank=True)
    tolerance = models.FloatField(default=0)
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    lead_department = models.ForeignKey(Organization, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("lead department"))
    source_text = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.INSUFFICIENT)
    status_reason = models.TextField(blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "area"],
                                               condition=models.Q(parent__isnull=False),
                                               name="one_subtarget_per_area")]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return self.name


class TargetDraft(Versioned):
    """A target as the importer read it, waiting for a plan supervisor's decision."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Needs review")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="drafts")
    item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="drafts")
    text = models.TextField()
    indicator_phrase = models.CharField(max_length=200)
    comparator = models.CharField(max_length=4, blank=True)
    value = models.FloatField(null=True, blank=True)
    value_high = models.FloatField(null=True, blank=True)  # a range's upper end ("3%—4%")
    change = models.CharField(max_length=10, blank=True)  # increase/decrease: not a level
    base_year = models.PositiveIntegerField(null=True, blank=True)  # change from this year
    raw_value = models.CharField(max_length=40, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    per = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    periodicity = models.CharField(max_length=10, blank=True)
    needs_review = models.BooleanField(default=True)
    review_reasons = models.JSONField(default=list, blank=True)
    suggested_indicator = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    target = models.OneToOneField(Target, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="draft")
    updated_at = models.DateTimeField(auto_now=True)

    workflow = workflows.TARGET_DRAFT

    class Meta:
        ordering = ["plan", "id"]


class ProgressReport(Versioned, Timestamped):
    """A department's periodic report on one measure, reviewed by the plan supervisor."""

    class Progress(models.TextChoices):
        ON_SCHEDULE = "on_schedule", _("On schedule")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", _("Completed")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="reports")
    department = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("reporting month"))
    progress = models.CharField(_("progress"), max_length=12, choices=Progress.choices)
    narrative = models.TextField(_("narrative"))
    evidence = models.FileField(_("evidence"), upload_to="plans/evidence/%Y/%m/", blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-period", "item"]
        indexes = [models.Index(fields=["item", "period"])]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    workflow = workflows.PROGRESS_REPORT
