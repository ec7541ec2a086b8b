"""Employment service records: seekers, postings, registrations, placements, benefits,
employment spells, enterprise headcount reports and warnings."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, Person, Timestamped, User, Versioned
from minsheng.employment.workflows import BENEFIT, POSTING, REGISTRATION


class Education(models.IntegerChoices):
    NONE = 0, _("No requirement / primary")
    JUNIOR = 1, _("Junior secondary")
    SENIOR = 2, _("Senior secondary / vocational")
    COLLEGE = 3, _("Junior college")
    BACHELOR = 4, _("Bachelor")
    MASTER = 5, _("Master or above")


class Shift(models.TextChoices):
    DAY = "day", _("Day shift")
    ROTATING = "rotating", _("Rotating shifts")
    NIGHT = "night", _("Night shift")
    FLEXIBLE = "flexible", _("Flexible / part time")


KEY_GROUPS = {
    "graduate": _("College graduate within 2 years"),
    "veteran": _("Veteran"),
    "migrant": _("Migrant worker"),
    "g4050": _("4050 (women 40+, men 50+)"),
    "disabled": _("Disabled"),
    "dibao": _("Dibao household member"),
    "zero_employment": _("Zero-employment household"),
    "long_term": _("Long-term unemployed"),
}
# Key groups that make someone an employment-difficulty person (就业困难人员).
DIFFICULTY_GROUPS = ("g4050", "disabled", "dibao", "zero_employment", "long_term")


class JobSeeker(Versioned, Timestamped):
    class Status(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        UNEMPLOYED = "unemployed", _("Registered unemployed")
        SEEKING_EMPLOYED = "seeking_employed", _("Seeking while employed")
        STUDENT = "student", _("Student")
        INACTIVE = "inactive", _("No longer seeking")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="job_seeker",
                                  verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))  # residence community, for scoping
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.UNEMPLOYED, db_index=True)
    education = models.PositiveSmallIntegerField(_("education"), choices=Education.choices,
                                                 default=Education.SENIOR)
    major = models.CharField(_("major"), max_length=100, blank=True)
    occupation_codes = models.JSONField(_("wanted occupations"), default=list)
    skills = models.JSONField(_("skills"), default=list)
    certificates = models.JSONField(_("certificates"), default=list)
    experience_years = models.PositiveSmallIntegerField(_("experience (years)"), default=0)
    salary_min = models.PositiveIntegerField(_("expected salary from"), default=0)
    salary_max = models.PositiveIntegerField(_("expected salary to"), default=0)
    acceptable_areas = models.ManyToManyField(Area, blank=True, related_name="+",
                                              verbose_name=_("acceptable areas"))
    max_commute_minutes = models.PositiveSmallIntegerField(_("maximum commute (minutes)"),
                                                           default=60)
    shifts = models.JSONField(_("acceptable shifts"), default=list)
    key_groups = models.JSONField(_("key groups"), default=list)
    difficulty = models.BooleanField(_("employment-difficulty person"), default=False,
                                     db_index=True)
    graduation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField(_("self-description"), blank=True)
    # what the seeker wants, in their own words (期望岗位); mapped to occupation codes with a
    # confidence (employment.occupation_map) that the caseworker confirms
    wanted_text = models.CharField(_("wanted work in words"), max_length=200, blank=True)
    occupation_suggestions = models.JSONField(default=list, blank=True)
    occupations_confirmed_at = models.DateTimeField(null=True, blank=True)
    occupations_confirmed_by = models.ForeignKey(User, null=True, blank=True,
                                                 on_delete=models.SET_NULL, related_name="+")
    caseworker = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("caseworker"))
    plan = models.TextField(_("personal employment plan"), blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        indexes = [models.Index(fields=["area", "status"])]
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")

    def __str__(self):
        return self.person.name


class JobPosting(Versioned, Timestamped):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    employer = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                 related_name="job_postings", verbose_name=_("employer"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("work location"))
    occupation_code = models.CharField(_("occupation code"), max_length=10, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    requirements = models.TextField(_("requirements"), blank=True)
    skills = models.JSONField(_("skills"), default=list)
    # stated requirements are filters, preferences are scores (employment.certificates)
    certificates_required = models.JSONField(_("required certificates"), default=list,
                                             blank=True)
    certificates_preferred = models.JSONField(_("preferred certificates"), default=list,
                                              blank=True)
    # a well-formed code the shipped occupation table lacks is kept, not refused
    occupation_listed = models.BooleanField(default=True)
    # workplace coordinates (WGS-84); blank: the location of the work area is used
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    education_min = models.PositiveSmallIntegerField(_("minimum education"),
                                                     choices=Education.choices, default=0)
    experience_min = models.PositiveSmallIntegerField(_("minimum experience (years)"),
                                                      default=0)
    salary_min = models.PositiveIntegerField(_("salary from"))
    salary_max = models.PositiveIntegerField(_("salary to"))
    openings = models.PositiveIntegerField(_("openings"), default=1)
    shift = models.CharField(_("shift pattern"), max_length=10, choices=Shift.choices,
                             default=Shift.DAY)
    public_welfare = models.BooleanField(_("public-welfare post"), default=False)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING, db_index=True)
    fraud_flags = models.JSONField(_("fraud flags"), default=list, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_publicly = models.BooleanField(default=False)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)

    workflow = POSTING  # pending -> published / rejected, closed (employment.workflows)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["state", "valid_until"]),
                   models.Index(fields=["area", "state"])]
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")

    def __str__(self):
        return self.title


class AreaLocation(models.Model):
    """Where a community (or any area) is, for travel-time estimates: a representative
    point (its service centre or centroid), WGS-84. Loaded by the district (CLI
    `minsheng employment locations FILE`) or by the demo."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(latitude__gte=-90, latitude__lte=90,
                               longitude__gte=-180, longitude__lte=180),
            name="area_location_on_earth")]


class Employment(models.Model):
    """A spell of employment (from social-insurance and labour-contract records): the
    source of new jobs, employed and insured counts."""

    class StartKind(models.TextChoices):
        NEW = "new", _("New employment")
        TRANSFER = "transfer", _("Transfer between employers")

    class EndReason(models.TextChoices):
        RESIGNATION = "resignation", _("Resignation")
        LAYOFF = "layoff", _("Layoff")
        CONTRACT_EXPIRY = "contract_expiry", _("Contract expiry")
        DISMISSAL = "dismissal", _("Dismissal")
        CLOSURE = "closure", _("Closure")
        TRANSFER = "transfer", _("Transfer to another employer")
        RETIREMENT = "retirement", _("Retirement")
        DEATH = "death", _("Death")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    employer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    residence_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    workplace_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    start_kind = models.CharField(max_length=10, choices=StartKind.choices,
                                  default=StartKind.NEW)
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    insured = models.BooleanField(default=True)
    occupation_code = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["end_date"]),
                   models.Index(fields=["employer", "end_date"])]


class UnemploymentRegistration(Versioned, Timestamped):
    class State(models.TextChoices):
        OPEN = "open", _("Registered as unemployed")
        CLOSED = "closed", _("Registration closed")

    class CloseReason(models.TextChoices):
        EMPLOYED = "employed", _("Found employment")
        SELF_EMPLOYED = "self_employed", _("Self-employed / started a business")
        RETIRED = "retired", _("Reached retirement age")
        MOVED = "moved", _("Moved away")
        ENROLLED = "enrolled", _("Entered education")
        NO_CONTACT = "no_contact", _("No contact for 6 months")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT,
                               related_name="registrations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField(_("registered on"))
    separation_reason = models.CharField(_("reason for separation"), max_length=20,
                                         blank=True)
    contribution_years = models.DecimalField(_("insurance contribution (years)"),
                                             max_digits=4, decimal_places=1, default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=16,
                                    choices=CloseReason.choices, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN, db_index=True)

    workflow = REGISTRATION  # open -> closed; closing sets closed_on and close_reason

    class Meta:
        ordering = ["-registered_on", "id"]
        indexes = [models.Index(fields=["registered_on"]), models.Index(fields=["closed_on"])]
        constraints = [models.UniqueConstraint(
            fields=["seeker"], condition=models.Q(closed_on__isnull=True),
            name="one_open_registration_per_seeker")]


class BenefitClaim(Versioned, Timestamped):
    class State(models.TextChoices):
        PAYING = "paying", _("Paying")
        STOPPED = "stopped", _("Stopped")
        ENDED = "ended", _("Ended")

    registration = models.ForeignKey(UnemploymentRegistration, on_delete=models.PROTECT,
                                     related_name="benefits")
    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="benefits")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    months = models.PositiveSmallIntegerField()
    monthly_amount = models.DecimalField(max_digits=9, decimal_places=2)
    end_date = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PAYING)
    stop_reason = models.CharField(max_length=200, blank=True)
    rule_basis = models.CharField(max_length=300, blank=True)

    workflow = BENEFIT  # paying -> stopped / ended

    class Meta:
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["end_date"])]


class Placement(Timestamped):
    class Source(models.TextChoices):
        CASEWORKER = "caseworker", _("Recorded by caseworker")
        INSURANCE = "insurance", _("Confirmed by social insurance")

    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    posting = models.ForeignKey(JobPosting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="placements")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    placed_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices,
                              default=Source.CASEWORKER)
    difficulty = models.BooleanField(default=False)
    graduate = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["placed_on"])]


class TrainingEnrolment(Timestamped):
    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="trainings")
    course = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    certificate = models.CharField(max_length=100, blank=True)


class Contact(Timestamped):
    """A caseworker's contact with an employment-difficulty person."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("Home visit")
        PHONE = "phone", _("Phone")
        OFFICE = "office", _("At the service centre")
        ONLINE = "online", _("Online")

    seeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-contacted_on", "-id"]


class Recommendation(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        PINNED = "pinned", _("Added by caseworker")
        HIDDEN = "hidden", _("Removed by caseworker")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")
        HIRED = "hired", _("Hired")

    seeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE,
                               related_name="recommendations")
    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE,
                                related_name="recommendations")
    period = models.DateField()  # first day of the month the exposure counts against
    rank = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices,
                              default=Status.SUGGESTED)
    override_note = models.CharField(max_length=300, blank=True)
    override_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["seeker", "posting"],
                                               name="one_recommendation_per_pair")]
        indexes = [models.Index(fields=["posting", "period"])]


class HeadcountReport(Timestamped):
    """A monitored enterprise's monthly report (失业动态监测)."""

    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                   related_name="headcount_reports")
    month = models.DateField()  # first day
    baseline = models.PositiveIntegerField(_("headcount at start of month"))
    additions = models.PositiveIntegerField(_("additions"), default=0)
    reduced_closure = models.PositiveIntegerField(_("reductions: closure"), default=0)
    reduced_suspension = models.PositiveIntegerField(_("reductions: suspension"), default=0)
    reduced_layoff = models.PositiveIntegerField(_("reductions: layoff"), default=0)
    reduced_contract = models.PositiveIntegerField(_("reductions: contract expiry"), default=0)
    reduced_other = models.PositiveIntegerField(_("reductions: other"), default=0)
    layoff_notice_date = models.DateField(_("layoff notice date"), null=True, blank=True)
    layoff_effective_date = models.DateField(_("layoff effective date"), null=True,
                                             blank=True)

    class Meta:
        ordering = ["-month", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"],
                                               name="one_headcount_report_per_month")]

    @property
    def reductions(self) -> int:
        return (self.reduced_closure + self.reduced_suspension + self.reduced_layoff
                + self.reduced_contract + self.reduced_other)


class UnemploymentWarning(Timestamped):
    class Kind(models.TextChoices):
        LAYOFF = "layoff", _("Large layoff")
        JOB_LOSS = "job_loss", _("Enterprise job-loss rate")
        RATE = "rate", _("Registered unemployment rate band")
        CLAIMS = "claims", _("Benefit claims rising")

    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    level = models.CharField(max_length=8, default="yellow")  # blue/green/yellow/red
    month = models.DateField()
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=60)  # stable key: enterprise id, area code, ...
    title = models.CharField(max_length=200)
    details = models.JSONField(default=dict)
    followup_id = models.BigIntegerField(null=True, blank=True)
    matched_workers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "subject", "month"],
                                               name="one_warning_per_subject_month")]
