"""Primary health care and insurance coverage: family-doctor teams and their yearly
contracts, medical alliances and the two-way referrals between their members, enrolment
extracts of the social insurance schemes and the outreach to residents found uninsured."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, Person, Timestamped, User, Versioned
from minsheng.primarycare import workflows


class Alliance(Versioned, Timestamped):
    """A medical alliance (医联体): a lead hospital and the community health centres that
    refer to it. Referrals only run between members of one alliance."""

    name = models.CharField(_("alliance name"), max_length=120, unique=True)
    lead = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("lead hospital"))
    members = models.ManyToManyField(Organization, related_name="alliances",
                                     verbose_name=_("member facilities"))

    def __str__(self):
        return self.name


class Team(Versioned, Timestamped):
    """A family-doctor team of a community health centre, serving one community."""

    name = models.CharField(_("team name"), max_length=120)
    clinic = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("health centre"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("community served"))
    leader = models.CharField(_("lead doctor"), max_length=60)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["area__code", "name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"],
                                               name="primarycare_team_name_per_clinic")]

    def __str__(self):
        return self.name


class Contract(Versioned, Timestamped):
    """One resident's contract with a team for one year. A resident has at most one active
    contract (a partial unique index, so two concurrent signings cannot both succeed)."""

    class Package(models.TextChoices):
        BASIC = "basic", _("Basic package")
        ELDERLY = "elderly", _("Elderly package")
        CHRONIC = "chronic", _("Chronic disease package")
        MATERNAL = "maternal", _("Maternal and child package")
        DISABILITY = "disability", _("Disability rehabilitation package")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("resident"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="contracts",
                             verbose_name=_("family-doctor team"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("community"))
    package = models.CharField(_("service package"), max_length=12, choices=Package.choices)
    start_date = models.DateField(_("contract start"))
    end_date = models.DateField(_("contract end"))
    # key groups the resident belonged to when signing (elderly, child, disabled, low_income,
    # pregnant, hypertension, diabetes, tuberculosis, mental): what coverage is counted by
    key_groups = models.JSONField(default=list, blank=True)
    state = models.CharField(_("state"), max_length=12, default="active", db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    renewed_from = models.OneToOneField("self", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="renewal")
    workflow = workflows.CONTRACT

    class Meta:
        ordering = ["end_date", "id"]
        constraints = [models.UniqueConstraint(
            fields=["person"], condition=Q(state="active"),
            name="primarycare_one_active_contract")]
        indexes = [models.Index(fields=["area", "state", "end_date"])]

    def __str__(self):
        return f"{self.person.name} {self.start_date:%Y}"

    @property
    def state_label(self):
        return self.workflow.states.get(self.state, self.state)


class Referral(Versioned, Timestamped):
    """A two-way referral: one record both the sending and the receiving facility see."""

    class Direction(models.TextChoices):
        UP = "up", _("Upward (to hospital)")
        DOWN = "down", _("Downward (to community)")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        ROUTINE = "routine", _("Routine")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("patient"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("patient's community"))
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    from_facility = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("referring facility"))
    to_facility = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("receiving facility"))
    reason = models.TextField(_("reason for referral"))
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("signed family-doctor team"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    escalated = models.BooleanField(default=False)
    followup_id = models.BigIntegerField(null=True, blank=True)
    sent_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, default="sent", db_index=True)
    workflow = workflows.REFERRAL

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["state", "sent_at"])]

    @property
    def state_label(self):
        return self.workflow.states.get(self.state, self.state)


class EnrolmentImport(Timestamped):
    """One enrolment extract, imported all or nothing."""

    file_name = models.CharField(_("file name"), max_length=200)
    as_of = models.DateField(_("extract date"))
    schemes = models.JSONField(default=list)
    rows = models.PositiveIntegerField(default=0)
    exact = models.PositiveIntegerField(default=0)
    probable = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    imported_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]


class Enrolment(models.Model):
    """One person's enrolment in one scheme, from an extract (or recorded by an outreach
    worker who saw the enrolment). `person` is set by an exact ID link or a confirmed
    probable one; a probable link waits in `candidate` for a caseworker."""

    class Scheme(models.TextChoices):
        PENSION_EMPLOYEE = "pension_employee", _("Employee basic pension")
        PENSION_RESIDENT = "pension_resident", _("Resident basic pension")
        MEDICAL_EMPLOYEE = "medical_employee", _("Employee basic medical insurance")
        MEDICAL_RESIDENT = "medical_resident", _("Resident basic medical insurance")
        UNEMPLOYMENT = "unemployment", _("Unemployment insurance")
        WORK_INJURY = "work_injury", _("Work-injury insurance")

    class Match(models.TextChoices):
        EXACT = "exact", _("Same resident ID")
        PROBABLE = "probable", _("Probable, to confirm")
        CONFIRMED = "confirmed", _("Confirmed by staff")
        REJECTED = "rejected", _("Not this person")
        NONE = "none", _("Not found in the registry")

    batch = models.ForeignKey(EnrolmentImport, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="enrolments")
    line = models.PositiveIntegerField(default=0)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices,
                              db_index=True)
    scheme_code = models.CharField(_("insurance type code"), max_length=3)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=60)
    employer_uscc = models.CharField(_("employer credit code"), max_length=18, blank=True)
    start_date = models.DateField(_("enrolled since"))
    end_date = models.DateField(_("enrolled until"), null=True, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    candidate = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    match = models.CharField(_("match"), max_length=10, choices=Match.choices,
                             default=Match.NONE)
    match_weight = models.FloatField(null=True, blank=True)
    current = models.BooleanField(default=True)  # False once a later extract of its scheme

    class Meta:
        indexes = [models.Index(fields=["person", "scheme", "current"]),
                   models.Index(fields=["match", "current"])]


class Outreach(Versioned, Timestamped):
    """An outreach case for a working-age resident the coverage check found uninsured."""

    class Missing(models.TextChoices):
        PENSION = "pension", _("No pension cover")
        MEDICAL = "medical", _("No medical cover")
        BOTH = "both", _("Neither pension nor medical cover")

    class Reason(models.TextChoices):
        ELSEWHERE = "elsewhere", _("Insured elsewhere")
        EXEMPT = "exempt", _("Exempt")
        REFUSED = "refused", _("Refused to enrol")
        MOVED = "moved", _("Moved away or deceased")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("resident"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("community"))
    missing = models.CharField(_("missing cover"), max_length=8, choices=Missing.choices)
    opened_on = models.DateField(_("found on"), default=timezone.localdate)
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=12, default="open", db_index=True)
    workflow = workflows.OUTREACH

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["person"], condition=Q(state__in=("open", "contacted")),
            name="primarycare_one_open_outreach")]

    @property
    def state_label(self):
        return self.workflow.states.get(self.state, self.state)
