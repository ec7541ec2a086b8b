from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import CaseBase
from minsheng.core.models import Organization
from minsheng.safety.workflows import ACCIDENT_WORKFLOW, RELEASE_WORKFLOW


class Accident(CaseBase):
    class Kind(models.TextChoices):
        PRODUCTION = "production", _("Work accident")
        ROAD = "road", _("Road traffic")
        FIRE = "fire", _("Fire")
        OTHER = "other", _("Other")

    class Grade(models.TextChoices):
        GENERAL = "general", _("General")
        LARGER = "larger", _("Larger")
        MAJOR = "major", _("Major")
        EXTRAORDINARY = "extraordinary", _("Extraordinarily serious")

    workflow = ACCIDENT_WORKFLOW

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    enterprise = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    unit_reported_at = models.DateTimeField(_("unit reported at"), null=True, blank=True)
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    serious_injuries = models.PositiveIntegerField(_("serious injuries"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    direct_loss_10k = models.DecimalField(_("direct loss (10k yuan)"), max_digits=12,
                                          decimal_places=2, default=0)
    grade = models.CharField(_("grade"), max_length=14, choices=Grade.choices,
                             default=Grade.GENERAL)
    investigation_due = models.DateField(null=True, blank=True)
    investigation_extended = models.BooleanField(default=False)
    report_submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        return self.title


class AccidentRelay(models.Model):
    """Each government level's receipt and onward relay (第十一条, 2 hours each)."""

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="relays")
    level = models.CharField(max_length=20)  # county / city / province / ministry
    received_at = models.DateTimeField()
    relayed_at = models.DateTimeField(null=True, blank=True)


class CasualtyUpdate(models.Model):
    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField()
    deaths = models.PositiveIntegerField()
    serious_injuries = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    late = models.BooleanField(default=False)


class Release(CaseBase):
    """Public information about an accident: draft -> approved -> published."""

    workflow = RELEASE_WORKFLOW

    accident = models.ForeignKey(Accident, on_delete=models.PROTECT, related_name="releases")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    minutes_to_release = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title
