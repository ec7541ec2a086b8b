from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, Timestamped, Versioned


class EmergencyPlan(Versioned, Timestamped):
    class Type(models.TextChoices):
        OVERALL = "overall", _("Overall plan")
        SPECIAL = "special", _("Special plan")
        DEPARTMENTAL = "departmental", _("Departmental plan")
        ENTERPRISE = "enterprise", _("Enterprise comprehensive plan")
        ONSITE = "onsite", _("On-site disposal plan")

    title = models.CharField(_("title"), max_length=200)
    plan_type = models.CharField(_("type"), max_length=14, choices=Type.choices)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    last_revised_on = models.DateField(null=True, blank=True)
    last_evaluated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]


class Drill(Timestamped):
    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="drills")
    held_on = models.DateField(_("held on"))
    form = models.CharField(_("form"), max_length=12, default="field")  # field / tabletop
    participants = models.PositiveIntegerField(default=0)
    assessment = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]


class RescueTeam(Timestamped):
    name = models.CharField(_("name"), max_length=120)
    specialty = models.CharField(_("specialty"), max_length=60)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    members = models.PositiveIntegerField(default=0)
    contact = models.CharField(max_length=60, blank=True)


class Equipment(models.Model):
    team = models.ForeignKey(RescueTeam, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(max_length=100)
    quantity = models.PositiveIntegerField(default=1)
    checked_on = models.DateField(null=True, blank=True)


class SupplyItem(Versioned, Timestamped):
    """A line of the emergency supplies reserve: required vs in stock at one location."""

    catalogue_code = models.CharField(max_length=20)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(max_length=12)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("location"), max_length=200)
    required = models.PositiveIntegerField(_("required"))
    stock = models.PositiveIntegerField(_("in stock"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["catalogue_code", "location"]

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.stock)
