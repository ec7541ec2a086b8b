"""Core registry: areas, organizations, people, households, users and roles, audit log."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Optimistic concurrency: writers send the version they read; services refuse a stale
    one (see `core.concurrency.save_versioned`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Area(models.Model):
    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        SUBDISTRICT = "subdistrict", _("Subdistrict / town")
        COMMUNITY = "community", _("Community / village")

    # GB/T 2260 district code (6 digits) + 3-digit subdistrict + 3-digit community.
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent"))
    # Materialised path of codes ("110105/110105001/110105001002"): a subtree is one
    # indexed prefix query.
    path = models.CharField(max_length=64, db_index=True, editable=False)
    population_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            # a row written around save() (a bulk insert, raw SQL) still cannot have an
            # empty or foreign path: scoping would silently lose the area
            models.CheckConstraint(condition=models.Q(path__endswith=models.F("code")),
                                   name="area_path_ends_with_code"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """The path follows from the parent, here and nowhere else, so that an area
        created anywhere (service, admin, import, demo, a test factory) is in scope."""
        self.path = f"{self.parent.path}/{self.code}" if self.parent_id else self.code
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "path" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "path"]
        super().save(*args, **kwargs)


class Organization(Versioned, Timestamped):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Government department")
        ENTERPRISE = "enterprise", _("Enterprise")
        SCHOOL = "school", _("School")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        HOSPITAL = "hospital", _("Hospital")
        CLINIC = "clinic", _("Clinic")
        ELDERCARE = "eldercare", _("Elderly-care institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, db_index=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True,
                            blank=True, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organizations",
                             verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry_code = models.CharField(_("industry code"), max_length=5, blank=True)
    # Departments are known by a short stable code (e.g. "hrss", "civil_affairs").
    department_code = models.SlugField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["area", "kind"]), models.Index(fields=["name"])]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class Person(Versioned, Timestamped):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Status(models.TextChoices):
        LIVING = "living", _("Living")
        DECEASED = "deceased", _("Deceased")
        MOVED_OUT = "moved_out", _("Moved out")

    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    residence_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="residents",
                                       verbose_name=_("residence area"))
    hukou_area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("household registration"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.LIVING)
    status_date = models.DateField(_("status date"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # scoped list ordered by name, and scoped name-prefix search
            models.Index(fields=["residence_area", "name"]),
            models.Index(fields=["name"]),
            models.Index(fields=["status", "residence_area"]),
            models.Index(fields=["birth_date"]),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name


class Household(Versioned, Timestamped):
    number = models.CharField(_("household number"), max_length=30, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="households",
                             verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    head = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("head of household"))

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["area", "number"])]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.number


class HouseholdMember(models.Model):
    class Relationship(models.TextChoices):
        HEAD = "head", _("Head")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other relative")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # A person is a member of one household at a time.
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="membership")
    relationship = models.CharField(_("relationship"), max_length=12,
                                    choices=Relationship.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=models.Q(relationship="head"),
                                    name="one_head_per_household"),
        ]


class DisabilityCertificate(Versioned, Timestamped):
    """A disability certificate (残疾人证) issued by the Disabled Persons' Federation.

    The national certificate number (第二代/第三代残疾人证) is the holder's resident ID
    number followed by the category code (1-7) and the grade (1-4), e.g. ...X42: physical
    disability, grade 2 (GB/T 26341-2010 sets the categories and grades)."""

    class Category(models.IntegerChoices):
        VISUAL = 1, _("Visual")  # 视力残疾
        HEARING = 2, _("Hearing")  # 听力残疾
        SPEECH = 3, _("Speech")  # 言语残疾
        PHYSICAL = 4, _("Physical")  # 肢体残疾
        INTELLECTUAL = 5, _("Intellectual")  # 智力残疾
        MENTAL = 6, _("Mental")  # 精神残疾
        MULTIPLE = 7, _("Multiple")  # 多重残疾

    class Grade(models.IntegerChoices):
        FIRST = 1, _("Grade 1 (most severe)")
        SECOND = 2, _("Grade 2")
        THIRD = 3, _("Grade 3")
        FOURTH = 4, _("Grade 4")

    person = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="disability_certificates", verbose_name=_("holder"))
    number = models.CharField(_("disability certificate number"), max_length=20)
    category = models.PositiveSmallIntegerField(_("disability category"), choices=Category.choices)
    grade = models.PositiveSmallIntegerField(_("disability grade"), choices=Grade.choices)
    issued_on = models.DateField(_("certificate issued on"))
    # None: no end date (a certificate issued without a term)
    valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    class Meta:
        ordering = ["person", "-issued_on"]
        constraints = [
            # a renewal keeps the number (same category and grade) with a new issue date
            models.UniqueConstraint(fields=["number", "issued_on"],
                                    name="one_certificate_per_number_and_issue"),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=4),
                                   name="disability_grade_1_to_4"),
            models.CheckConstraint(condition=models.Q(category__gte=1, category__lte=7),
                                   name="disability_category_1_to_7"),
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True)
                                   | models.Q(valid_until__gte=models.F("issued_on")),
                                   name="disability_valid_after_issue"),
        ]
        indexes = [models.Index(fields=["person", "issued_on"])]
        verbose_name = _("disability certificate")
        verbose_name_plural = _("disability certificates")

    def __str__(self):
        return f"{self.get_category_display()} {self.get_grade_display()}"

    def valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.valid_until is None or day <= self.valid_until)


class User(AbstractUser):
    department = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="staff", verbose_name=_("department"),
                                   limit_choices_to={"kind": "department"})
    full_name = models.CharField(_("full name"), max_length=60, blank=True)

    def __str__(self):
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held by a user, limited to an area subtree."""

    class Role(models.TextChoices):
        SYSTEM_ADMIN = "system_admin", _("System administrator")
        DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
        CASEWORKER = "caseworker", _("Caseworker")
        REVIEWER = "reviewer", _("Reviewer")
        APPROVER = "approver", _("Approver")
        PLAN_SUPERVISOR = "plan_supervisor", _("Plan supervisor")
        DATA_ENTRY = "data_entry", _("Data entry")
        AUDITOR = "auditor", _("Auditor")
        SECURITY_ADMIN = "security_admin", _("Security administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "area"],
                                               name="unique_role_area")]


class RoleChangeRequest(models.Model):
    """A role grant or removal asked for by one person and decided by another (separation
    of duties, MLPS level 3): a system administrator requests, a security administrator
    approves or rejects, and nobody decides a request they made or one about themselves.
    Only an approval changes `RoleAssignment`."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant the role")
        REVOKE = "revoke", _("Remove the role")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Change approved")
        REJECTED = "rejected", _("Change rejected")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, choices=RoleAssignment.Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING, db_index=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]


class ApiToken(models.Model):
    """Bearer tokens for the JSON API; only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


class AuditEntry(models.Model):
    """Append-only: the model refuses updates and deletes (see save/delete), and each
    entry carries the hash of the one before it, so that a change made to the table behind
    the platform's back breaks the chain (`minsheng audit verify` finds where)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        READ = "read", _("Sensitive read")
        REVEAL = "reveal", _("Reveal personal data")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        LOGIN = "login", _("Login")
        TRANSITION = "transition", _("State change")

    # set once when the entry is sealed (auto_now_add would overwrite the hashed time)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries cannot be changed")
        from minsheng.core import auditchain

        auditchain.seal(self)  # sets at, prev_hash and hash, holding the chain's lock
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries cannot be deleted")


class WorkingDayOverride(models.Model):
    """District calendar entries for dates chinese-calendar does not know (future years)
    or where the district's own schedule differs."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)


class CalendarYear(models.Model):
    """A year the district has confirmed its calendar for. Without it, dates in a year the
    library does not cover are an error, never a guess."""

    year = models.PositiveIntegerField(unique=True)
    source = models.CharField(max_length=200)
    confirmed_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")


class JobProgress(Timestamped):
    """Progress of a long background job, polled by pages and the CLI."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    owner = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveBigIntegerField(default=0)
    done = models.PositiveBigIntegerField(default=0)
    message = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
