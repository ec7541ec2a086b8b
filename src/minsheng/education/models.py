"""Schools, school rolls (学籍), out-of-school cases (控辍保学) and preschool aid.

A roll entry keeps the child as the school recorded them (ID number, name, birth date,
guardian) and, where the ID is in the people registry, the registry person: the registry
comparison (dropout control) links the rest. An entry is active between `entry_date` and
`left_on`; `exit_reason` says how it ended, so every figure can be recomputed as of a
past date."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.casework.models import CaseBase
from minsheng.core.models import Area, Organization, Person, Timestamped, User, Versioned
from minsheng.education.workflows import AID_WORKFLOW, DROPOUT_WORKFLOW, ROLL_WORKFLOW


class Stage(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    SENIOR = "senior", _("Senior secondary school")
    VOCATIONAL = "vocational", _("Vocational school")


COMPULSORY_STAGES = (Stage.PRIMARY, Stage.JUNIOR, Stage.NINE_YEAR)
# grades each stage teaches (kindergarten years are grades 1-3 of the kindergarten)
STAGE_GRADES = {"kindergarten": (1, 3), "primary": (1, 6), "junior": (7, 9),
                "nine_year": (1, 9), "senior": (10, 12), "vocational": (10, 12)}


class School(Versioned, Timestamped):
    """The bureau's register entry for a school or kindergarten of the core registry."""

    class Sponsorship(models.TextChoices):
        PUBLIC = "public", _("Public (公办)")
        INCLUSIVE = "inclusive", _("Inclusive private (普惠性民办)")
        PRIVATE = "private", _("Other private")

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT,
                                        related_name="school_profile")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    stage = models.CharField(_("school stage"), max_length=12, choices=Stage.choices)
    sponsorship = models.CharField(_("sponsorship"), max_length=10,
                                   choices=Sponsorship.choices)
    catchment = models.ManyToManyField(Area, related_name="catchment_schools", blank=True,
                                       verbose_name=_("catchment communities"))
    places = models.PositiveIntegerField(_("places"), default=0)
    classes = models.PositiveIntegerField(_("classes"), default=0)
    teachers = models.PositiveIntegerField(_("full-time teachers"), default=0)
    qualified_teachers = models.PositiveIntegerField(_("qualified teachers"), default=0)

    class Meta:
        ordering = ["organization__name"]
        indexes = [models.Index(fields=["area", "stage"])]

    def __str__(self):
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def compulsory(self) -> bool:
        return self.stage in COMPULSORY_STAGES


class Enrolment(Versioned, Timestamped):
    """One child on one school's roll (学籍), from entry to leaving."""

    class State(models.TextChoices):
        ENROLLED = "enrolled", pgettext_lazy("roll", "Enrolled")
        SUSPENDED = "suspended", _("Suspended (休学)")
        HOME_TAUGHT = "home_taught", _("Taught at home (送教上门)")
        TRANSFERRED = "transferred", _("Transferred out")
        DROPPED_OUT = "dropped_out", _("Dropped out")
        DECEASED = "deceased", pgettext_lazy("roll", "Deceased")
        GRADUATED = "graduated", _("Graduated")
        MOVED_AWAY = "moved_away", _("Left the district")

    ACTIVE = ("enrolled", "suspended", "home_taught")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")  # the school's
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="enrolments")
    # the child as the school recorded them
    id_number = models.CharField(_("resident ID number"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=60)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Person.Sex.choices)
    guardian_name = models.CharField(_("guardian"), max_length=60, blank=True)
    grade = models.PositiveSmallIntegerField(pgettext_lazy("school", "grade"))
    class_name = models.CharField(pgettext_lazy("school", "class"), max_length=20, blank=True)
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"), help_text=_("Year the child started grade 1 (kindergarten: "
                                      "started kindergarten)"))
    entry_date = models.DateField(_("entry date"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(_("how it ended"), max_length=12, blank=True,
                                   choices=State.choices)
    transfer_to = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.ENROLLED, db_index=True)

    workflow = ROLL_WORKFLOW

    class Meta:
        ordering = ["school", "grade", "class_name", "name", "id"]
        indexes = [models.Index(fields=["area", "state"]),
                   models.Index(fields=["person", "state"]),
                   models.Index(fields=["intake_year"])]
        constraints = [
            # a child is on one school's roll at a time
            models.UniqueConstraint(fields=["id_number"], name="education_one_active_roll",
                                    condition=Q(state__in=("enrolled", "suspended",
                                                           "home_taught"))),
        ]

    def __str__(self):
        return f"{self.name} · {self.school}"

    @property
    def state_label(self) -> str:
        return self.get_state_display()

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE


class MatchRun(Timestamped):
    """One comparison of the people registry's school-age children with the rolls."""

    run_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("as of"))
    children = models.PositiveIntegerField(default=0)
    roll_entries = models.PositiveIntegerField(default=0)
    exact = models.PositiveIntegerField(default=0)
    probable = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class DropoutCase(CaseBase):
    """A compulsory-age child who may be out of school, followed until back on a roll."""

    class Cause(models.TextChoices):
        UNKNOWN = "unknown", _("Not yet known")
        ECONOMIC = "economic", _("Economic hardship")
        DISABILITY = "disability", _("Disability or illness")
        TRUANCY = "truancy", _("Weariness of school (厌学)")
        MIGRANT_WORK = "work", _("Went out to work")
        EARLY_MARRIAGE = "marriage", _("Early marriage")
        FAMILY = "family", _("Family reasons")
        MOVED = "moved", _("Moved away")
        OTHER = "other", pgettext_lazy("cause", "Other")

    class Origin(models.TextChoices):
        REGISTRY = "registry", _("Registry comparison")
        SCHOOL = "school", _("Reported by the school")

    number = models.CharField(_("case number"), max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    cause = models.CharField(pgettext_lazy("dropout", "cause"), max_length=12,
                             choices=Cause.choices, default=Cause.UNKNOWN)
    discovered_on = models.DateField(_("discovered on"))
    step_started_on = models.DateField(_("current step since"))
    school_officer = models.CharField(_("school-line officer"), max_length=60, blank=True)
    street_officer = models.CharField(_("subdistrict-line officer"), max_length=60,
                                      blank=True)
    low_income = models.BooleanField(_("low-income family"), default=False)
    match_run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="cases")
    suggested = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    match_probability = models.FloatField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    reported_enrolment = models.ForeignKey(Enrolment, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    returned_to = models.ForeignKey(Enrolment, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    escalated = models.BooleanField(default=False)

    workflow = DROPOUT_WORKFLOW

    class Meta:
        ordering = ["-discovered_on", "-id"]
        indexes = [models.Index(fields=["area", "state"])]
        constraints = [
            # one open case per child (i-Educar: one active search per child)
            models.UniqueConstraint(fields=["person"], name="education_one_open_case",
                                    condition=Q(closed_at__isnull=True)),
        ]

    def __str__(self):
        return self.number


class AidApplication(Versioned, Timestamped):
    """Preschool aid for a kindergarten child of a low-income family, per school year."""

    class Basis(models.TextChoices):
        DIBAO = "dibao", _("Dibao household")
        TEKUN = "tekun", _("Extreme-poverty support")
        DISABLED = "disabled", _("Disabled child")

    number = models.CharField(_("application number"), max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("school year"))
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    applied_on = models.DateField(_("applied on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, default="applied", db_index=True)

    workflow = AID_WORKFLOW

    class Meta:
        ordering = ["-applied_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "school_year"],
                                               name="education_one_aid_per_year")]

    @property
    def state_label(self) -> str:
        return self.workflow.states.get(self.state, self.state)
