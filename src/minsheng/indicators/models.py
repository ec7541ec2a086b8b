"""Indicator engine data: data elements, indicators (formulas), data values with vintages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, User, Versioned
from minsheng.indicators import workflows


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum (flows)")
    LAST = "last", _("Latest (stocks)")
    NONE = "none", _("Not aggregated")


class DataElement(models.Model):
    """A raw quantity (``employment.new_jobs``), or a computed one when ``formula`` is set."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    aggregation = models.CharField(_("aggregation"), max_length=8, choices=Aggregation.choices,
                                   default=Aggregation.SUM)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices,
                              default=Period.MONTH)
    formula = models.CharField(_("formula"), max_length=2000, blank=True)
    # Validation: a part cannot exceed its whole (e.g. insured workers <= all workers).
    part_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="parts", verbose_name=_("part of"))
    is_rate = models.BooleanField(_("rate (0-100)"), default=False)
    # The department whose approvers approve manually entered values.
    department = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("department"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Indicator(models.Model):
    """A formula over data element codes, e.g.
    ``employment.registered_unemployed / (employment.employed +
    employment.registered_unemployed) * 100``.
    """

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    formula = models.CharField(_("formula"), max_length=2000)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("department"))
    published = models.BooleanField(_("published as open data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


SOURCE_LABELS = {"manual": _("entered by hand"), "import": _("imported"),
                 "demo": _("demo data"), "formula": _("computed by formula"),
                 "rollup": _("rolled up from sub-areas")}


class DataValue(Versioned):
    """One value of a data element for an area and period. Revisions keep the old row
    (``current=False``): every vintage stays with its source, author and time."""

    class State(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Awaiting approval")
        REJECTED = "rejected", _("Rejected")

    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    # "source:<code>" (computed from records), "manual", "import", "demo", "rollup"
    source = models.CharField(_("source"), max_length=60)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)
    vintage = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.APPROVED)
    flag = models.CharField(_("flag"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    # entered values are reviewed through this workflow (computed ones are stored approved)
    workflow = workflows.DATA_VALUE

    class Meta:
        ordering = ["element", "area", "period_start", "-vintage"]
        indexes = [models.Index(fields=["element", "current", "area", "period_start"]),
                   models.Index(fields=["state", "current"])]
        constraints = [models.UniqueConstraint(
            fields=["element", "area", "period_start"], condition=models.Q(current=True),
            name="one_current_value")]
        verbose_name = _("data value")
        verbose_name_plural = _("data values")

    @property
    def source_label(self) -> str:
        """Where the value comes from, in words (never the stored code alone)."""
        if self.source.startswith("source:"):
            return str(_("computed from records"))
        return str(SOURCE_LABELS.get(self.source, self.source))

    @property
    def counts(self) -> bool:
        """Whether the value counts towards a target (approved and not flagged)."""
        return self.state == self.State.APPROVED and not self.flag


class DataGeneration(models.Model):
    """A single row whose counter goes up on every change of data values, so computed
    dashboards can be cached until the data changes (one indexed read to check)."""

    counter = models.PositiveBigIntegerField(default=0)
