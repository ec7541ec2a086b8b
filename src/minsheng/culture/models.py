"""Heritage register (sites, their protection zones, patrols), construction checks and the
consent cases they open, intangible heritage items with their inheritors, and public
cultural facilities. Geometry is GeoJSON in WGS-84 (lon, lat) with its bounding box in
columns, so a check narrows candidates in SQL-free memory and the database stays plain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import CaseBase
from minsheng.core.models import Area, Timestamped, User, Versioned
from minsheng.culture.workflows import CONSENT_WORKFLOW, INHERITOR_WORKFLOW


class HeritageSite(Versioned, Timestamped):
    """An immovable cultural relic: a protected site (文物保护单位) at one of four levels, or
    a registered relic not yet designated (尚未核定公布为文物保护单位的不可移动文物)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National key protected site")
        PROVINCIAL = "provincial", _("Provincial protected site")
        MUNICIPAL = "municipal", _("Municipal protected site")
        COUNTY = "county", _("County/district protected site")
        REGISTERED = "registered", _("Registered, not designated")

    class Category(models.TextChoices):
        SITE = "site", _("Ancient site")
        TOMB = "tomb", _("Ancient tomb")
        BUILDING = "building", _("Ancient building")
        CAVE = "cave", _("Cave temple and stone carving")
        MODERN = "modern", _("Modern historic site or representative building")
        OTHER = "other", _("Other")

    class Risk(models.TextChoices):
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")
        ENDANGERED = "endangered", _("Endangered")

    code = models.CharField(_("register number"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    era = models.CharField(_("era"), max_length=60)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=200)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    owner = models.CharField(_("owner or user"), max_length=120, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=60)
    responsible_duties = models.TextField(_("responsibilities"), blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    designation_document = models.CharField(_("designation document"), max_length=120,
                                            blank=True)
    risk = models.CharField(_("risk status"), max_length=12, choices=Risk.choices,
                            default=Risk.GOOD)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["area", "level"])]
        verbose_name = _("heritage site")

    def __str__(self):
        return f"{self.code} {self.name}"


class ProtectionZone(Timestamped):
    """One statutory zone of a site. A redrawn zone supersedes the old one, which stays
    (with `superseded_at`) so that every earlier check can be explained."""

    class Kind(models.TextChoices):
        PROTECTION = "protection", _("Protection range")
        CONTROL = "control", _("Construction-control zone")

    site = models.ForeignKey(HeritageSite, on_delete=models.PROTECT, related_name="zones")
    kind = models.CharField(_("zone"), max_length=12, choices=Kind.choices)
    geometry = models.JSONField()  # GeoJSON Polygon/MultiPolygon, WGS-84
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    area_m2 = models.FloatField(_("area (m²)"))
    source = models.CharField(_("source"), max_length=20)  # drawn, geojson, kml, shapefile
    repair_note = models.CharField(_("repair"), max_length=300, blank=True)
    approved_document = models.CharField(_("approval document"), max_length=120, blank=True)
    delimited_on = models.DateField(_("delimited on"))
    superseded_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["site_id", "kind", "-id"]
        indexes = [models.Index(fields=["site", "kind", "superseded_at"])]


def patrol_photo_path(instance, filename):
    return f"culture/patrols/{instance.patrol.site_id}/{filename}"


class Patrol(Timestamped):
    """A condition survey or routine patrol (巡查) of a site."""

    class Kind(models.TextChoices):
        PATROL = "patrol", _("Patrol")
        SURVEY = "survey", _("Condition survey")

    site = models.ForeignKey(HeritageSite, on_delete=models.CASCADE, related_name="patrols")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    done_on = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=60)
    condition = models.CharField(_("condition found"), max_length=12,
                                 choices=HeritageSite.Risk.choices)
    findings = models.TextField(_("findings"))

    class Meta:
        ordering = ["-done_on", "-id"]


class PatrolPhoto(Timestamped):
    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=patrol_photo_path)
    caption = models.CharField(max_length=200, blank=True)


class ConstructionCheck(Timestamped):
    """One construction or planning project tested against every active zone: the
    geometry checked, the buffer, and each zone it touched with the overlap found."""

    class Result(models.TextChoices):
        CLEAR = "clear", _("No zone affected")
        NEARBY = "nearby", _("Near a zone (within the buffer)")
        CONTROL = "control", _("Inside a construction-control zone: consent needed")
        PROTECTION = "protection", _("Inside a protection range: not allowed")
        EXCEPTION = "exception", _("Inside a protection range: exception requested")

    number = models.CharField(_("number"), max_length=24, unique=True)
    project_name = models.CharField(_("project"), max_length=200)
    applicant = models.CharField(_("applicant"), max_length=200)
    reference = models.CharField(_("planning reference"), max_length=60, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    geometry = models.JSONField()  # WGS-84
    buffer_m = models.FloatField(_("buffer (m)"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices,
                              db_index=True)
    matches = models.JSONField(default=list)  # [{zone, site, code, kind, overlap_m2, ...}]
    explanation = models.TextField(_("explanation"))
    input_note = models.CharField(max_length=300, blank=True)  # CRS transformed, repaired
    checked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "created_at"])]


class ConsentCase(CaseBase):
    """Heritage consent for a project in a control zone (or the exception procedure for
    one in a protection range), with its legal clock."""

    class Kind(models.TextChoices):
        CONTROL = "control", _("Design consent in a construction-control zone")
        EXCEPTION = "exception", _("Special-case approval inside a protection range")

    workflow = CONSENT_WORKFLOW

    number = models.CharField(_("number"), max_length=24, unique=True)
    construction_check = models.OneToOneField(ConstructionCheck, on_delete=models.PROTECT,
                                 related_name="consent")
    site = models.ForeignKey(HeritageSite, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("decide by"), db_index=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["area", "state"])]


class IntangibleItem(Versioned, Timestamped):
    """A representative item of intangible heritage (非遗代表性项目)."""

    class Category(models.TextChoices):
        LITERATURE = "literature", _("Folk literature")
        MUSIC = "music", _("Traditional music")
        DANCE = "dance", _("Traditional dance")
        DRAMA = "drama", _("Traditional drama")
        QUYI = "quyi", _("Quyi (storytelling and ballad singing)")
        SPORTS = "sports", _("Traditional sports, entertainment and acrobatics")
        ART = "art", _("Traditional fine arts")
        CRAFT = "craft", _("Traditional craftsmanship")
        MEDICINE = "medicine", _("Traditional medicine")
        CUSTOM = "custom", _("Folk custom")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")
        COUNTY = "county", _("County/district")

    code = models.CharField(_("item number"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    protection_unit = models.CharField(_("protection unit"), max_length=120)
    listed_on = models.DateField(_("listed on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]


class Inheritor(Versioned, Timestamped):
    """A representative inheritor of one item: nomination, public notice, recognition,
    yearly evaluation, revocation. One person is recognised at most once per item."""

    workflow = INHERITOR_WORKFLOW

    item = models.ForeignKey(IntangibleItem, on_delete=models.PROTECT,
                             related_name="inheritors")
    name = models.CharField(_("name"), max_length=60)
    id_number = models.CharField(_("ID number"), max_length=18)
    birth_year = models.PositiveIntegerField(_("year of birth"))
    state = models.CharField(_("state"), max_length=12, default="nominated", db_index=True)
    nominated_on = models.DateField(_("nominated on"))
    notice_starts_on = models.DateField(null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    yearly_subsidy = models.DecimalField(_("yearly subsidy (yuan)"), max_digits=10,
                                         decimal_places=2, default=0)

    class Meta:
        ordering = ["item_id", "name"]
        constraints = [models.UniqueConstraint(
            fields=["item", "id_number"], condition=~models.Q(state__in=["rejected", "revoked"]),
            name="culture_one_live_inheritor_per_item")]

    @property
    def state_label(self):
        return self.workflow.states.get(self.state, self.state)


class InheritorEvaluation(Timestamped):
    """The yearly evaluation of an inheritor's duties (teaching, showing, records)."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    inheritor = models.ForeignKey(Inheritor, on_delete=models.CASCADE,
                                  related_name="evaluations")
    year = models.PositiveIntegerField(_("year"))
    apprentices = models.PositiveIntegerField(_("apprentices taught"))
    shows = models.PositiveIntegerField(_("shows and events"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["inheritor", "year"],
                                               name="culture_one_evaluation_per_year")]


class CulturalFacility(Versioned, Timestamped):
    """A public cultural facility; its floor area feeds the plan's indicator of public
    cultural facility area per 10,000 residents."""

    class Kind(models.TextChoices):
        LIBRARY = "library", _("Public library")
        CENTRE = "centre", _("Culture centre")
        STATION = "station", _("Community culture station")
        MUSEUM = "museum", _("Museum")
        CINEMA = "cinema", _("Public cinema")
        OTHER = "other", _("Other public venue")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=10, decimal_places=1)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    yearly_visits = models.PositiveIntegerField(_("visits last year"), default=0)

    class Meta:
        ordering = ["area_id", "name"]
