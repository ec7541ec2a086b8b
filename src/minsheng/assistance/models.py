"""Social assistance records: dibao cases and benefits, economic verification, dynamic
management, temporary assistance, extreme-poverty (tekun) support and payments."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.assistance import workflows
from minsheng.casework.models import CaseBase
from minsheng.core.models import Area, Household, Person, Timestamped, User, Versioned

MONEY = {"max_digits": 12, "decimal_places": 2}


class WithStates(Versioned, Timestamped):
    """A record that is not a case but has states: its `workflow` (workflows.py) is the only
    way its `state` changes."""

    workflow = None

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        return self.workflow.states.get(self.state, self.state)


def _choices(workflow) -> list[tuple[str, str]]:
    return list(workflow.states.items())


class DibaoCase(CaseBase):
    """One dibao application (or re-review) of a household, from application to decision."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online (portal)")
        OFFICE = "office", _("At the office")

    class Kind(models.TextChoices):
        NEW = "new", _("New application")
        REVIEW = "review", _("Re-review")

    class SingleException(models.TextChoices):
        NONE = "", _("No")
        DISABILITY = "severe_disability", _("Severe disability")
        ILLNESS = "serious_illness", _("Serious illness in a near-dibao household")

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NEW)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("applicant"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    agent_name = models.CharField(_("agent"), max_length=60, blank=True)
    agent_relation = models.CharField(_("agent's relation"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    single_person = models.CharField(_("single-person application"), max_length=20,
                                     choices=SingleException.choices, blank=True, default="")
    declared_assets = models.JSONField(_("declared assets"), default=dict, blank=True)
    benefit = models.ForeignKey("DibaoBenefit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="review_cases")
    # acceptance
    missing_materials = models.JSONField(_("missing materials"), default=list, blank=True)
    related_to_staff = models.BooleanField(_("relative of staff"), default=False)
    related_note = models.CharField(_("relation to staff"), max_length=200, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    delegated = models.BooleanField(_("approval delegated to subdistrict"), default=False)
    extension_reason = models.CharField(_("extension reason"), max_length=300, blank=True)
    # investigation and verification
    investigation_started_on = models.DateField(null=True, blank=True)
    investigators = models.JSONField(default=list, blank=True)
    home_visit_note = models.TextField(blank=True)
    verification_requested_on = models.DateField(null=True, blank=True)
    verification_started_on = models.DateField(null=True, blank=True)
    # first review and notice
    first_review_on = models.DateField(null=True, blank=True)
    first_review_opinion = models.TextField(blank=True)
    eligible = models.BooleanField(null=True)
    per_capita_income = models.DecimalField(null=True, blank=True, **MONEY)
    proposed_amount = models.DecimalField(null=True, blank=True, **MONEY)
    notice_round = models.PositiveSmallIntegerField(default=0)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    # decision
    file_received_on = models.DateField(null=True, blank=True)
    approver_visit_on = models.DateField(null=True, blank=True)
    approver_visit_note = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, blank=True)
    refusal_reasons = models.TextField(blank=True)
    refusal_notified_on = models.DateField(null=True, blank=True)
    # the deadline of the step the case is in (for due lists in SQL)
    current_due = models.DateField(null=True, blank=True, db_index=True)

    workflow = None  # set in workflows.py

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "area"])]
        verbose_name = _("dibao case")
        verbose_name_plural = _("dibao cases")

    def __str__(self):
        return self.reference


class DibaoMember(models.Model):
    """A household member on an application: authorisation and declared monthly income."""

    case = models.ForeignKey(DibaoCase, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=12, blank=True)
    authorised = models.BooleanField(_("authorised the economic check"), default=False)
    # {item: yuan per month}; items as in defaults (wages, business, property, transfers,
    # other, plus exclusions and deductions)
    income = models.JSONField(default=dict, blank=True)
    # declared assets: deposits (yuan), properties (count, home included), vehicle_value,
    # business_capital
    assets = models.JSONField(default=dict, blank=True)
    # a person may be on one open case at a time
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(active=True),
                                               name="assistance_one_open_case_per_person")]


class DibaoBenefit(WithStates):
    """A household receiving dibao: the amount, the review schedule, and how it ends
    (states and moves: workflows.BENEFIT)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(DibaoCase, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    bank_account = models.CharField(max_length=32, blank=True)
    members = models.PositiveSmallIntegerField()
    monthly_amount = models.DecimalField(**MONEY)
    standard = models.DecimalField(**MONEY)
    start_month = models.DateField()  # first day of the first paid month
    state = models.CharField(max_length=14, choices=_choices(workflows.BENEFIT),
                             default=workflows.BENEFIT.initial, db_index=True)
    working_age = models.BooleanField(default=False)
    irregular_income = models.BooleanField(default=False)
    review_months = models.PositiveSmallIntegerField(default=12)
    next_review_due = models.DateField(db_index=True)
    review_trigger = models.CharField(max_length=200, blank=True)
    gradual_exit_until = models.DateField(null=True, blank=True)
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["next_review_due", "id"]
        constraints = [models.UniqueConstraint(
            fields=["household"], condition=~Q(state="exited"),
            name="assistance_one_benefit_per_household")]


class BenefitMember(models.Model):
    benefit = models.ForeignKey(DibaoBenefit, on_delete=models.CASCADE,
                                related_name="benefit_members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(**MONEY)
    share_removed_on = models.DateField(null=True, blank=True)


class JobOfferRefusal(models.Model):
    member = models.ForeignKey(BenefitMember, on_delete=models.CASCADE, related_name="refusals")
    offered_on = models.DateField()
    job = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")


class FraudRecovery(models.Model):
    benefit = models.ForeignKey(DibaoBenefit, on_delete=models.PROTECT, related_name="recoveries")
    amount = models.DecimalField(**MONEY)
    fine_factor = models.DecimalField(max_digits=3, decimal_places=1)
    fine = models.DecimalField(**MONEY)
    decided_on = models.DateField()
    note = models.TextField(blank=True)


# ---------------------------------------------------------------- economic verification
class RegistrySource(models.TextChoices):
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance (wage base)")
    HOUSING_FUND = "housing_fund", _("Housing provident fund")
    REAL_ESTATE = "real_estate", _("Real estate")
    VEHICLE = "vehicle", _("Vehicles")
    BUSINESS = "business", _("Business registration")
    TAX = "tax", _("Tax")
    DEPOSITS = "deposits", _("Bank deposits and securities")
    DEATH = "death", _("Deaths")
    MARRIAGE = "marriage", _("Marriages")


class RegistryBatch(models.Model):
    source = models.CharField(max_length=20, choices=RegistrySource.choices)
    file_name = models.CharField(max_length=200)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    bad_rows = models.JSONField(default=list, blank=True)


class RegistryRecord(models.Model):
    """One row of a registry extract. `amount` is monthly (wage base, fund base, tax-derived
    income) or a value (property, vehicle, capital, balance) depending on the source."""

    batch = models.ForeignKey(RegistryBatch, on_delete=models.CASCADE, related_name="records")
    source = models.CharField(max_length=20, choices=RegistrySource.choices)
    id_number = models.CharField(max_length=18, blank=True)  # blank: missing or invalid
    raw_id = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=60, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(default=0, **MONEY)
    item = models.CharField(max_length=200, blank=True)
    event_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["id_number", "source"]),
                   models.Index(fields=["birth_date"])]


class VerificationRun(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(DibaoCase, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="verification_runs")
    label = models.CharField(max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def checked(self) -> list[tuple[str, str, int]]:
        """(registry, extract date, rows) of every registry this run checked."""
        return [(RegistrySource(c["source"]).label, c["as_of"], c["rows"])
                for c in self.summary.get("checked", [])]

    def not_checked(self) -> list[str]:
        return [RegistrySource(s).label for s in self.summary.get("not_checked", [])]


class Discrepancy(WithStates):
    """A verification finding (states and moves: workflows.FINDING)."""

    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE,
                            related_name="discrepancies")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(DibaoCase, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="discrepancies")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=RegistrySource.choices)
    kind = models.CharField(max_length=40)
    declared = models.DecimalField(null=True, blank=True, **MONEY)
    found = models.DecimalField(null=True, blank=True, **MONEY)
    detail = models.CharField(max_length=300, blank=True)
    match = models.CharField(max_length=6, default="exact")  # exact | fuzzy
    score = models.FloatField(default=1.0)
    state = models.CharField(max_length=12, choices=_choices(workflows.FINDING),
                             default=workflows.FINDING.initial)
    dispute_text = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["id"]

    @property
    def kind_label(self) -> str:
        from minsheng.assistance.labels import FINDING_KINDS

        return FINDING_KINDS.get(self.kind, self.kind)

    @property
    def match_label(self) -> str:
        from minsheng.assistance.labels import MATCHES

        return MATCHES.get(self.match, self.match)


# ---------------------------------------------------------------- temporary assistance
class TemporaryGrant(CaseBase):
    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency (help first)")
        EXPENDITURE = "expenditure", _("Expenditure")

    reference = models.CharField(max_length=16, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    cause = models.CharField(_("cause"), max_length=40)
    description = models.TextField(blank=True)
    amount = models.DecimalField(**MONEY)
    approval_level = models.CharField(max_length=12)  # subdistrict | district
    per_capita_income = models.DecimalField(null=True, blank=True, **MONEY)
    override_reason = models.CharField(max_length=300, blank=True)
    obligations = models.JSONField(default=list, blank=True)  # paperwork still open
    accepted_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    workflow = None

    class Meta:
        ordering = ["-opened_at", "-id"]


# ---------------------------------------------------------------- extreme-poverty support
class TekunCase(CaseBase):
    reference = models.CharField(max_length=16, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    disability_kind = models.CharField(max_length=20, blank=True)
    disability_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    monthly_income = models.DecimalField(default=0, **MONEY)
    has_able_supporter = models.BooleanField(default=False)
    in_school = models.BooleanField(default=False)
    support_mode = models.CharField(max_length=12, default="home")  # home | centralised
    accepted_on = models.DateField()
    investigated_on = models.DateField(null=True, blank=True)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    file_received_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    recognition = models.JSONField(default=dict, blank=True)
    current_due = models.DateField(null=True, blank=True, db_index=True)

    workflow = None

    class Meta:
        ordering = ["-opened_at", "-id"]


class TekunPerson(WithStates):
    """A person receiving extreme-poverty support (states and moves:
    workflows.TEKUN_SUPPORT)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(TekunCase, on_delete=models.PROTECT, related_name="+")
    support_mode = models.CharField(max_length=12)
    care_level = models.CharField(max_length=20, default="self_care")
    monthly_amount = models.DecimalField(**MONEY)
    start_month = models.DateField()
    support_until = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=_choices(workflows.TEKUN_SUPPORT),
                             default=workflows.TEKUN_SUPPORT.initial)
    next_review_due = models.DateField()
    reassess_due = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(state="active"),
                                               name="assistance_one_active_tekun")]


class AdlAssessment(models.Model):
    ACTIVITIES = ("eating", "dressing", "transfer", "toileting", "indoor_walking", "bathing")
    # (the same six as eligibility.ADL_ACTIVITIES, which the level is computed from)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    tekun = models.ForeignKey(TekunPerson, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="assessments")
    assessed_on = models.DateField()
    failed = models.JSONField(default=list)
    care_level = models.CharField(max_length=20)
    assessor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")


class SpotCheckDraw(models.Model):
    """A reproducible random draw: the seed, the population in order, and what was drawn."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField()
    share = models.FloatField()
    population = models.JSONField(default=list)
    drawn = models.JSONField(default=list)
    period_start = models.DateField()
    period_end = models.DateField()


# ---------------------------------------------------------------- payments
class PaymentRoster(Timestamped):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # first day of the month paid
    total = models.DecimalField(default=0, **MONEY)
    lines_count = models.PositiveIntegerField(default=0)
    excluded = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-month", "area__code"]
        constraints = [models.UniqueConstraint(fields=["area", "month"],
                                               name="assistance_one_roster_per_month")]


class PaymentLine(WithStates):
    """One payment of a roster (states and moves: workflows.PAYMENT_LINE)."""

    roster = models.ForeignKey(PaymentRoster, on_delete=models.CASCADE, related_name="lines")
    programme = models.CharField(max_length=8)  # dibao | tekun
    benefit_id = models.BigIntegerField()
    payee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    account = models.CharField(max_length=32, blank=True)
    amount = models.DecimalField(**MONEY)
    state = models.CharField(max_length=8, choices=_choices(workflows.PAYMENT_LINE),
                             default=workflows.PAYMENT_LINE.initial)
    return_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]


DibaoCase.workflow = workflows.DIBAO
TemporaryGrant.workflow = workflows.TEMPORARY
TekunCase.workflow = workflows.TEKUN
DibaoBenefit.workflow = workflows.BENEFIT
TekunPerson.workflow = workflows.TEKUN_SUPPORT
Discrepancy.workflow = workflows.FINDING
PaymentLine.workflow = workflows.PAYMENT_LINE
