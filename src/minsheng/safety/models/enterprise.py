from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Organization, Timestamped, Versioned


class SafetyProfile(Versioned, Timestamped):
    """Work-safety profile of an enterprise (core.Organization of kind enterprise)."""

    class Category(models.TextChoices):
        HAZCHEM = "hazchem", _("Hazardous chemicals")
        CONSTRUCTION = "construction", _("Construction")
        MINING = "mining", _("Mining")
        CROWDED = "crowded", _("Crowded venues")
        OTHER = "other", _("Other")

    class Risk(models.TextChoices):
        MAJOR = "major", _("Major risk (red)")
        HIGH = "high", _("High risk (orange)")
        GENERAL = "general", _("General risk (yellow)")
        LOW = "low", _("Low risk (blue)")

    enterprise = models.OneToOneField(Organization, on_delete=models.PROTECT,
                                      related_name="safety_profile",
                                      verbose_name=_("enterprise"))
    industry_code = models.CharField(_("industry (GB/T 4754)"), max_length=5, blank=True)
    category = models.CharField(_("supervision category"), max_length=16,
                                choices=Category.choices, default=Category.OTHER)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=Risk.choices,
                                  default=Risk.GENERAL)
    principal = models.CharField(_("principal leader"), max_length=60, blank=True)
    principal_phone = models.CharField(_("principal phone"), max_length=20, blank=True)
    safety_manager = models.CharField(_("safety manager"), max_length=60, blank=True)
    safety_staff = models.PositiveIntegerField(_("full-time safety staff"), default=0)
    employees = models.PositiveIntegerField(_("employees"), default=0)

    class Meta:
        verbose_name = _("safety profile")

    def __str__(self):
        return str(self.enterprise)


class Certificate(Timestamped):
    profile = models.ForeignKey(SafetyProfile, on_delete=models.CASCADE,
                                related_name="certificates")
    kind = models.CharField(_("certificate"), max_length=60)  # 安全生产许可证, 危化品经营许可证
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), db_index=True)

    class Meta:
        ordering = ["expires_on"]


class TrainingRecord(Timestamped):
    profile = models.ForeignKey(SafetyProfile, on_delete=models.CASCADE,
                                related_name="training")
    employee = models.CharField(_("employee"), max_length=60)
    course = models.CharField(_("course"), max_length=120)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    held_on = models.DateField(_("date"))
    passed = models.BooleanField(_("passed"), default=True)

    class Meta:
        ordering = ["-held_on"]
