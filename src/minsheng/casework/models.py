"""The shared case lifecycle: abstract case, the timeline of every case, follow-up items."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflows import FOLLOWUP
from minsheng.core.models import Area, Organization, Timestamped, User, Versioned


class CaseBase(Versioned, Timestamped):
    """Abstract base for a domain's case. The domain sets `workflow` on the class."""

    state = models.CharField(_("state"), max_length=30, db_index=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assigned_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("assigned to"))

    workflow = None  # a casework.workflow.Workflow

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        return self.workflow.states.get(self.state, self.state) if self.workflow else self.state


class CaseEvent(models.Model):
    """One step in any case's timeline (transitions, notes, clock events)."""

    case_type = models.CharField(max_length=60)
    case_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    transition = models.CharField(max_length=40, blank=True)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case_type", "case_id", "at"])]


class FollowUp(Versioned, Timestamped):
    """Work a department must do by a date because something happened: a supervision item
    for an off-track target, a follow-up of an unemployment warning, a hazard alarm, ..."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Level(models.TextChoices):
        NORMAL = "normal", _("Normal")
        YELLOW = "yellow", _("Yellow (overdue)")
        RED = "red", _("Red (long overdue)")

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="followups",
                                   verbose_name=_("department"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices,
                             default=Level.NORMAL)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    workflow = FOLLOWUP  # closed or cancelled through the workflow engine

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["state", "due_date"]),
                   models.Index(fields=["source_type", "source_id"])]
        constraints = [models.UniqueConstraint(
            fields=["kind", "source_type", "source_id"], condition=models.Q(state="open"),
            name="one_open_followup_per_source")]
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")

    def __str__(self):
        return self.title
