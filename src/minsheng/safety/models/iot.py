from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Organization, Timestamped, User, Versioned
from minsheng.safety.workflows import ALARM_WORKFLOW


class MajorHazardSource(Versioned, Timestamped):
    """A unit identified as a major hazard source under GB 18218-2018."""

    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                   related_name="hazard_sources", verbose_name=_("enterprise"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # production or storage unit
    unit_kind = models.CharField(_("process unit"), max_length=12, default="production")
    population_500m = models.PositiveIntegerField(_("people within 500 m"), default=0)
    s_value = models.FloatField(default=0)
    r_value = models.FloatField(default=0)
    alpha = models.FloatField(default=1)
    level = models.CharField(_("level"), max_length=3, blank=True, db_index=True)
    identified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("major hazard source")

    def __str__(self):
        return f"{self.code} {self.name}"


class SourceSubstance(models.Model):
    source = models.ForeignKey(MajorHazardSource, on_delete=models.CASCADE,
                               related_name="substances")
    substance_code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    quantity_t = models.FloatField(_("quantity (t)"))
    critical_t = models.FloatField(_("critical quantity (t)"))
    beta = models.FloatField()


class Sensor(Timestamped):
    class Kind(models.TextChoices):
        TEMPERATURE = "temperature", _("Temperature")
        PRESSURE = "pressure", _("Pressure")
        LEVEL = "level", _("Liquid level")
        FLOW = "flow", _("Flow")
        COMBUSTIBLE = "combustible", _("Combustible gas")
        TOXIC = "toxic", _("Toxic gas")

    source = models.ForeignKey(MajorHazardSource, on_delete=models.CASCADE,
                               related_name="sensors")
    code = models.CharField(_("sensor code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=12)  # °C, MPa, %, m3/h, %LEL, mg/m3
    oel = models.FloatField(_("occupational exposure limit"), null=True, blank=True)
    # Thresholds in the sensor's unit; empty means the national default for its kind.
    level1 = models.FloatField(null=True, blank=True)
    level2 = models.FloatField(null=True, blank=True)
    low1 = models.FloatField(null=True, blank=True)  # low-side alarm (level, pressure)
    max_rate_per_min = models.FloatField(null=True, blank=True)
    interval_seconds = models.PositiveIntegerField(default=5)
    active = models.BooleanField(default=True)
    # current state, written by the ingester in batches
    last_value = models.FloatField(null=True, blank=True)
    last_ts = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class Reading(models.Model):
    """A raw reading. (sensor, ts) is unique: a message delivered twice is stored once."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    ts = models.DateTimeField()
    value = models.FloatField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "ts"],
                                               name="one_reading_per_sensor_ts")]
        indexes = [models.Index(fields=["ts"])]


class ReadingRollup(models.Model):
    """Downsampled readings kept after the raw ones are pruned."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    bucket = models.DateTimeField()
    n = models.PositiveIntegerField()
    vmin = models.FloatField()
    vmax = models.FloatField()
    vavg = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "bucket"],
                                               name="one_rollup_per_bucket")]


class Alarm(Versioned, Timestamped):
    """An alarm incident: repeated triggers of one rule on one sensor are grouped into the
    open incident instead of opening new ones. Opened by the ingestion service
    (`services.iot.alarm_open`); acknowledged and closed only through its workflow."""

    class Rule(models.TextChoices):
        THRESHOLD = "threshold", _("Threshold exceeded")
        LOW = "low", _("Low threshold")
        RATE = "rate", _("Rate of change")
        STUCK = "stuck", _("Stuck sensor")
        SILENT = "silent", _("Silent sensor")
        ANOMALY = "anomaly", _("Anomaly")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="alarms")
    source = models.ForeignKey(MajorHazardSource, on_delete=models.CASCADE,
                               related_name="alarms")
    enterprise = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.OPEN, db_index=True)
    first_ts = models.DateTimeField()  # reading time of the first trigger
    last_ts = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    peak_value = models.FloatField(null=True, blank=True)
    message = models.CharField(max_length=200, blank=True)
    workflow = ALARM_WORKFLOW

    ack_due = models.DateTimeField()
    handle_due = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_ts"]
        constraints = [models.UniqueConstraint(
            fields=["sensor", "rule"], condition=~models.Q(state="closed"),
            name="one_open_alarm_per_sensor_rule")]
        indexes = [models.Index(fields=["area", "state"]),
                   models.Index(fields=["first_ts"])]

    def __str__(self):
        return f"{self.get_rule_display()} {self.level} · {self.message}"[:200]

    @property
    def state_label(self) -> str:
        return self.workflow.states.get(self.state, self.state)

    @property
    def clocks(self):
        """Acknowledgement and handling clocks (`services.iot.alarm_clocks`)."""
        from minsheng.safety.services.iot import alarm_clocks

        return alarm_clocks(self)


class IngestReject(models.Model):
    """A message the ingester refused, kept so vendors can see why."""

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    topic = models.CharField(max_length=200)
    payload = models.TextField()
    reason = models.CharField(max_length=40)
    detail = models.CharField(max_length=200, blank=True)


class IngestStatus(models.Model):
    """The ingester's counters, flushed every few seconds (one row per client id)."""

    client_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    connected = models.BooleanField(default=False)
    received = models.BigIntegerField(default=0)
    stored = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    dropped = models.BigIntegerField(default=0)
    db_retries = models.BigIntegerField(default=0)
    alarms = models.BigIntegerField(default=0)
    buffered = models.IntegerField(default=0)
