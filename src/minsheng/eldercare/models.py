"""Eldercare records. Beds are history: a bed's type and service status are dated
periods (`BedPeriod`, valid_from inclusive, valid_to exclusive, None = still so), and its
occupancy is the stays that cover a date, so any past figure can be recomputed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.core.models import Area, Organization, Person, Timestamped, Versioned
from minsheng.eldercare import workflows


class StateLabel:
    @property
    def state_label(self) -> str:
        return str(self.workflow.states.get(self.state, self.state))


class Institution(Versioned, Timestamped):
    """An elderly-care institution: an organization of the core registry."""

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public (公办)")
        PRIVATE = "private", _("Private (民办)")
        PUBLIC_PRIVATE = "public_private", _("Public-built, privately run (公建民营)")

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT,
                                        related_name="eldercare_institution",
                                        verbose_name=_("organization"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    licence_no = models.CharField(_("licence or filing number"), max_length=40, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    star_rating = models.PositiveSmallIntegerField(_("star rating"), default=0)

    class Meta:
        ordering = ["organization__name", "id"]

    def __str__(self):
        return self.organization.name


class Bed(Timestamped):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT,
                                    related_name="beds")
    room = models.CharField(_("room"), max_length=20)
    number = models.CharField(pgettext_lazy("bed", "number"), max_length=10)

    class Meta:
        ordering = ["room", "number", "id"]
        constraints = [models.UniqueConstraint(fields=["institution", "room", "number"],
                                               name="eldercare_bed_unique")]

    def __str__(self):
        return f"{self.room}-{self.number}"


class BedPeriod(models.Model):
    """What a bed was from `valid_from` until the day before `valid_to`."""

    class Type(models.TextChoices):
        NURSING = "nursing", _("Nursing bed (护理型)")
        GENERAL = "general", _("General bed")

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="periods")
    bed_type = models.CharField(_("bed type"), max_length=10, choices=Type.choices)
    status = models.CharField(_("bed status"), max_length=16, choices=Status.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["bed_id", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]


class Stay(StateLabel, Versioned, Timestamped):
    """A resident's stay in an institution's bed (admission to discharge)."""

    workflow = workflows.STAY

    class Reason(models.TextChoices):
        HOME = "home", _("Returned home")
        TRANSFER = "transfer", _("Moved to another institution")
        HOSPITAL = "hospital", _("Long hospital stay")
        DEATH = "death", _("Died")
        OTHER = "other", _("Other reason")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("resident"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT,
                                    related_name="stays")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(_("discharge reason"), max_length=10,
                                        choices=Reason.choices, blank=True)
    state = models.CharField(max_length=12, default=workflows.STAY.initial)

    class Meta:
        ordering = ["-admitted_on", "id"]
        indexes = [models.Index(fields=["bed", "admitted_on"]),
                   models.Index(fields=["person", "admitted_on"])]


class Allowance(StateLabel, Versioned, Timestamped):
    """An old-age allowance, service subsidy or care subsidy of one person, from the
    application (or the automatic proposal) to its stop."""

    workflow = workflows.ALLOWANCE

    class Kind(models.TextChoices):
        OLD_AGE = "old_age", _("Old-age allowance (高龄津贴)")
        SERVICE = "service_subsidy", _("Service subsidy, low-income elderly")
        CARE = "care_subsidy", _("Care subsidy, disabled elderly")

    class Origin(models.TextChoices):
        APPLICATION = "application", _("Application")
        PROPOSED = "proposed", _("Proposed from the registry")

    class StopReason(models.TextChoices):
        DEATH = "death", _("Death")
        MOVED = "moved", _("Moved out")
        OTHER = "other", _("Other reason")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("recipient"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("allowance"), max_length=16, choices=Kind.choices)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices,
                              default=Origin.APPLICATION)
    bank_account = models.CharField(_("bank account"), max_length=32, blank=True)
    applied_on = models.DateField(_("applied on"))
    start_month = models.DateField(_("first month paid"))
    stop_month = models.DateField(_("last month paid"), null=True, blank=True)
    stop_reason = models.CharField(_("stop reason"), max_length=8,
                                   choices=StopReason.choices, blank=True)
    state = models.CharField(max_length=10, default=workflows.ALLOWANCE.initial)

    class Meta:
        ordering = ["-applied_on", "id"]
        indexes = [models.Index(fields=["state", "kind"]),
                   models.Index(fields=["person", "kind"])]


class PaymentList(StateLabel, Versioned, Timestamped):
    """The month's allowance payments for an area, in the bank's layout."""

    workflow = workflows.PAYMENT_LIST

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    lines_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    excluded = models.JSONField(default=list)  # [{allowance, name, reason}]
    state = models.CharField(max_length=10, default=workflows.PAYMENT_LIST.initial)

    class Meta:
        ordering = ["-month", "area_id"]
        constraints = [models.UniqueConstraint(fields=["area", "month"],
                                               name="eldercare_list_unique")]


class PaymentLine(models.Model):
    payment_list = models.ForeignKey(PaymentList, on_delete=models.CASCADE,
                                     related_name="lines")
    allowance = models.ForeignKey(Allowance, on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    account = models.CharField(max_length=32, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["allowance", "month"],
                                               name="eldercare_line_once")]
        indexes = [models.Index(fields=["person", "month"])]


class DeathMatch(StateLabel, Versioned, Timestamped):
    """A recipient linked to a death or move-out record of the people registry: exact
    links (same resident ID) are confirmed by the check itself, probable ones wait for a
    caseworker."""

    workflow = workflows.DEATH_MATCH

    class Kind(models.TextChoices):
        DEATH = "death", _("Death")
        MOVED = "moved", _("Moved out")

    allowance = models.ForeignKey(Allowance, on_delete=models.CASCADE,
                                  related_name="matches")
    record = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("registry record"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=8, choices=Kind.choices)
    event_date = models.DateField(_("event date"))
    exact = models.BooleanField(_("same resident ID"), default=False)
    probability = models.FloatField(default=1.0)
    weight = models.FloatField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    state = models.CharField(max_length=10, default=workflows.DEATH_MATCH.initial)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["allowance", "record"],
                                               name="eldercare_match_once")]


class Recovery(StateLabel, Versioned, Timestamped):
    """A payment that went out for a month after the recipient's death (or move): to be
    recovered from the estate or bank, or waived with a reason."""

    workflow = workflows.RECOVERY

    line = models.OneToOneField(PaymentLine, on_delete=models.PROTECT,
                                related_name="recovery")
    allowance = models.ForeignKey(Allowance, on_delete=models.PROTECT,
                                  related_name="recoveries")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(max_length=10, default=workflows.RECOVERY.initial)

    class Meta:
        ordering = ["-created_at", "id"]
