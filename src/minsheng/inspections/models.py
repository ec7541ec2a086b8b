"""The shared inspection engine's records: the inspector register (执法人员名录库),
recusals, the immutable log of every double-random draw, checklists; and the abstract
inspection a domain module makes concrete with its own workflow and permissions (as
casework's `CaseBase`). Entities are core organizations: every inspecting domain (food,
work safety, labour, elderly care) inspects organizations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, Timestamped, User, Versioned


class Inspector(Versioned, Timestamped):
    """A law-enforcement officer who may be drawn (holds an enforcement badge)."""

    department = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="inspector")
    name = models.CharField(_("name"), max_length=60)
    badge = models.CharField(_("enforcement badge number"), max_length=30, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department", "badge"]
        indexes = [models.Index(fields=["department", "active"])]

    def __str__(self):
        return f"{self.name} ({self.badge})"


class Recusal(Timestamped):
    """An inspector who must never inspect an organization (kinship, former employment)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE,
                                  related_name="recusals")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspector", "organization"],
                                               name="one_recusal_per_pair")]


class DrawLog(models.Model):
    """One draw, written once: the frozen inputs, the seed, the method, the assignment and
    its digest. A subject (a domain's plan) has at most one draw."""

    domain = models.CharField(max_length=30)
    subject_type = models.CharField(max_length=60)
    subject_id = models.BigIntegerField()
    seed = models.BigIntegerField()
    inputs = models.JSONField()
    assignment = models.JSONField()
    digest = models.CharField(max_length=64)
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"],
                                               name="one_draw_per_subject")]


class Checklist(Timestamped):
    """A versioned inspection checklist (items with points; critical items fail alone)."""

    domain = models.CharField(max_length=30, db_index=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)

    def __str__(self):
        return self.title


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(_("item"), max_length=300)
    points = models.PositiveSmallIntegerField(default=5)
    critical = models.BooleanField(_("critical"), default=False)

    class Meta:
        ordering = ["checklist", "number"]
        constraints = [models.UniqueConstraint(fields=["checklist", "number"],
                                               name="one_item_number_per_checklist")]


class InspectionBase(Versioned, Timestamped):
    """Abstract inspection: one visit to one organization with a checklist's answers. A
    domain subclasses it, adds `inspectors = ManyToManyField(Inspector)` and sets
    `workflow` (with its own permissions)."""

    state = models.CharField(_("state"), max_length=16, db_index=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="+")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    scheduled_on = models.DateField(_("scheduled on"))
    done_on = models.DateField(_("inspected on"), null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # item number -> pass|fail|na
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    critical_failed = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    workflow = None

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        return self.workflow.states.get(self.state, self.state) if self.workflow else self.state
