"""Disease surveillance, outbreak alerts, hospital beds and emergency medical supplies."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import CaseBase
from minsheng.core.models import Area, Organization, Person, Timestamped, User, Versioned
from minsheng.health.workflows import ALERT_WORKFLOW, OPEN_ALERT_STATES

# The detection methods (minsheng.detection.METHODS) in words, for pages.
METHOD_LABELS = {
    "ears_c1": _("EARS C1"),
    "ears_c2": _("EARS C2"),
    "ears_c3": _("EARS C3"),
    "moving_percentile": _("Moving percentile (CIDARS)"),
    "farrington": _("Farrington"),
    "farrington_flexible": _("Improved Farrington"),
    "farrington_scan": _("Improved Farrington with scan window"),
    "seasonal_glm": _("Seasonal regression"),
    "cusum_poisson": _("Poisson CUSUM"),
    "cusum_negbin": _("Negative-binomial CUSUM"),
    "threshold": _("Fixed threshold"),
}


def method_label(method: str) -> str:
    return str(METHOD_LABELS.get(method, method))


class Disease(Versioned, Timestamped):
    """A notifiable disease (reference data from data/notifiable_diseases.csv) with the
    district's detection configuration (versioned: two people configuring it at once
    cannot overwrite each other)."""

    class Klass(models.TextChoices):
        A = "A", _("Class A")
        B = "B", _("Class B")
        C = "C", _("Class C")
        O = "O", _("Other monitored")  # noqa: E741

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100)
    klass = models.CharField(_("class"), max_length=1, choices=Klass.choices)
    icd10 = models.CharField(_("ICD-10 code"), max_length=10, db_index=True)
    report_hours = models.PositiveSmallIntegerField(_("report within hours"), default=24)
    method = models.CharField(_("detection method"), max_length=30)
    params = models.JSONField(_("detection parameters"), default=dict, blank=True)
    detection_enabled = models.BooleanField(_("detection enabled"), default=True)

    class Meta:
        ordering = ["klass", "code"]
        verbose_name = _("notifiable disease")
        verbose_name_plural = _("notifiable diseases")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the page's language (Chinese unless the page is in English)."""
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def method_label(self) -> str:
        return method_label(self.method)

    @property
    def uses_threshold(self) -> bool:
        return self.method == "threshold"


class CaseReport(Versioned, Timestamped):
    """One notifiable-disease case report (传染病报告卡)."""

    class Status(models.TextChoices):
        SUSPECTED = "suspected", _("Suspected")
        CLINICAL = "clinical", _("Clinically diagnosed")
        CONFIRMED = "confirmed", _("Laboratory-confirmed")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("patient"))
    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="reports",
                                verbose_name=_("disease"))
    # residential community of the patient
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("residential community"))
    facility = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("reporting facility"))
    onset_date = models.DateField(_("onset date"))
    diagnosed_at = models.DateTimeField(_("diagnosis time"))
    reported_at = models.DateTimeField(_("report time"))
    # local date of reported_at: the date the count series are built on (as in CIDARS)
    report_date = models.DateField(_("report date"))
    status = models.CharField(_("diagnosis status"), max_length=10, choices=Status.choices)
    report_delay_hours = models.FloatField(_("report delay (hours)"))
    late = models.BooleanField(_("reported late"), default=False)
    reported_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["disease", "report_date"]),
                   models.Index(fields=["area", "report_date"]),
                   models.Index(fields=["report_date"])]
        verbose_name = _("case report")
        verbose_name_plural = _("case reports")

    def __str__(self):
        return f"{self.disease} #{self.pk}"


class Alert(CaseBase):
    """An early-warning signal for one disease, area and period. Repeated signals for the
    same disease/area/period update this row (signal_count) instead of adding another."""

    class Urgency(models.IntegerChoices):
        MEDIUM = 1, _("Medium")
        HIGH = 2, _("High")
        CRITICAL = 3, _("Critical")

    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="alerts",
                                verbose_name=_("disease"))
    period = models.CharField(_("period"), max_length=5, default="week")  # week | day
    period_start = models.DateField(_("period start"))
    method = models.CharField(_("method"), max_length=30)
    count = models.PositiveIntegerField(_("cases"))
    expected = models.FloatField(_("expected"), null=True, blank=True)
    upper = models.FloatField(_("threshold"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices,
                                               default=Urgency.MEDIUM, db_index=True)
    signal_count = models.PositiveIntegerField(_("signals"), default=1)
    last_signal_at = models.DateTimeField(_("last signal"), null=True, blank=True)
    verify_due_at = models.DateTimeField(_("verify by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    response_hours = models.FloatField(_("response time (hours)"), null=True, blank=True)
    verification_note = models.TextField(_("verification finding"), blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)

    workflow = ALERT_WORKFLOW

    class Meta:
        ordering = ["-urgency", "opened_at"]
        constraints = [models.UniqueConstraint(fields=["disease", "area", "period",
                                                       "period_start"],
                                               name="one_alert_per_disease_area_period")]
        indexes = [models.Index(fields=["state", "urgency"]),
                   models.Index(fields=["opened_at"])]
        verbose_name = _("outbreak alert")
        verbose_name_plural = _("outbreak alerts")

    def __str__(self):
        return f"{self.disease} · {self.area} · {self.period_start:%Y-%m-%d}"

    @property
    def method_label(self) -> str:
        return method_label(self.method)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ALERT_STATES


class Investigation(Timestamped):
    """Epidemiological investigation record of an alert (流行病学调查)."""

    class Setting(models.TextChoices):
        SCHOOL = "school", _("School")
        KINDERGARTEN = "kindergarten", _("Kindergarten / childcare")
        HOUSEHOLD = "household", _("Household")
        WORKPLACE = "workplace", _("Workplace")
        COMMUNITY = "community", _("Community")
        HEALTHCARE = "healthcare", _("Health-care facility")
        OTHER = "other", _("Other / unknown")

    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="investigation")
    investigator = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    started_on = models.DateField(_("investigation date"))
    setting = models.CharField(_("setting"), max_length=15, choices=Setting.choices)
    cases_found = models.PositiveIntegerField(_("cases found"), default=0)
    samples_taken = models.PositiveIntegerField(_("samples taken"), default=0)
    samples_positive = models.PositiveIntegerField(_("samples positive"), default=0)
    findings = models.TextField(_("findings"))
    measures = models.TextField(_("control measures"), blank=True)


class BedCount(Timestamped):
    """A hospital's year-end actual open beds (实有床位). `actual_beds` follows the statistical
    definition and excludes the three kinds recorded beside it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("hospital"))
    year = models.PositiveSmallIntegerField(_("year"))
    actual_beds = models.PositiveIntegerField(_("actual open beds"))
    newborn_cots = models.PositiveIntegerField(_("newborn cots"), default=0)
    observation_beds = models.PositiveIntegerField(_("observation beds"), default=0)
    companion_beds = models.PositiveIntegerField(_("companion beds"), default=0)

    class Meta:
        ordering = ["year", "organization"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"],
                                               name="one_bed_count_per_hospital_year")]
        verbose_name = _("bed count")
        verbose_name_plural = _("bed counts")


class SupplyItem(Versioned, Timestamped):
    """An item of the emergency medical supplies reserve held at one place."""

    name = models.CharField(_("item"), max_length=100)
    category = models.CharField(_("category"), max_length=40, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    required_quantity = models.PositiveIntegerField(_("required reserve"))
    holder = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("held by"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "area"],
                                               name="one_supply_item_per_area")]
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")

    def __str__(self):
        return self.name


class SupplyLot(Timestamped):
    item = models.ForeignKey(SupplyItem, on_delete=models.CASCADE, related_name="lots")
    batch = models.CharField(_("batch"), max_length=40)
    quantity = models.PositiveIntegerField(_("quantity"))
    received_on = models.DateField(_("received on"))
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        ordering = ["expiry_date", "id"]
        indexes = [models.Index(fields=["expiry_date"])]
        verbose_name = _("supply lot")
        verbose_name_plural = _("supply lots")
