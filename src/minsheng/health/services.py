"""Every write of the health module: case reports, detection runs, alert responses, bed
counts and the supplies reserve. Each checks permission, validates, writes and audits in one
transaction."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import workflow
from minsheng.casework.services import followup_open
from minsheng.core import audit
from minsheng.core.access import as_actor
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.health import surveillance
from minsheng.health.access import require_health
from minsheng.health.config import setting
from minsheng.health.models import (
    CONFIGURE,
    RECORDS,
    REPORT,
    RESPOND,
    Alert,
    BedCount,
    CaseReport,
    Disease,
    Investigation,
    SupplyItem,
    SupplyLot,
)

FACILITY_KINDS = {Organization.Kind.HOSPITAL, Organization.Kind.CLINIC}


def _aware(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def timeliness(*, disease: Disease, diagnosed_at: datetime.datetime,
               reported_at: datetime.datetime) -> tuple[float, bool]:
    """(hours from diagnosis to report, late?). The limit is the disease's report_hours
    (class A and diseases managed as A: 2 hours; others 24 hours)."""
    hours = (reported_at - diagnosed_at).total_seconds() / 3600
    limit = disease.report_hours or setting("REPORT_WITHIN_HOURS").get(disease.klass, 24)
    return hours, hours > limit


def disease_by_code(code: str) -> Disease:
    """A disease by its code or ICD-10 code; unknown codes are a validation error."""
    code = (code or "").strip()
    found = (Disease.objects.filter(code=code).first()
             or Disease.objects.filter(icd10__iexact=code).order_by("id").first())
    if found is None:
        raise ValidationFailed(_("Unknown disease code: %s") % code[:40], field="disease")
    return found


def case_report_create(*, actor, person: Person, disease: Disease | str, facility: Organization,
                       onset_date: datetime.date, diagnosed_at: datetime.datetime,
                       reported_at: datetime.datetime | None = None, status: str,
                       area: Area | None = None, note: str = "") -> CaseReport:
    """File a case report. The residential community defaults to the person's."""
    actor = as_actor(actor)
    area = area or person.residence_area
    require_health(actor, REPORT, area)
    if isinstance(disease, str):
        disease = disease_by_code(disease)
    if status not in CaseReport.Status.values:
        raise ValidationFailed(_("Unknown diagnosis status: %s") % status[:20], field="status")
    if facility.kind not in FACILITY_KINDS:
        raise ValidationFailed(_("The reporting facility must be a hospital or clinic"),
                               field="facility")
    if area.level != Area.Level.COMMUNITY:
        raise ValidationFailed(_("The residential area must be a community"), field="area")
    diagnosed_at = _aware(diagnosed_at)
    reported_at = _aware(reported_at or timezone.now())
    now = timezone.now()
    if reported_at > now + datetime.timedelta(minutes=5):
        raise ValidationFailed(_("The report time is in the future"), field="reported_at")
    report_date = timezone.localtime(reported_at).date()
    if onset_date > report_date:
        raise ValidationFailed(_("The onset date is after the report date"), field="onset_date")
    if onset_date > timezone.localtime(diagnosed_at).date():
        raise ValidationFailed(_("The onset date is after the diagnosis"), field="onset_date")
    if diagnosed_at > reported_at:
        raise ValidationFailed(_("The diagnosis time is after the report time"),
                               field="diagnosed_at")
    if onset_date < person.birth_date:
        raise ValidationFailed(_("The onset date is before the patient's birth"),
                               field="onset_date")
    if person.status == Person.Status.DECEASED and person.status_date \
            and onset_date > person.status_date:
        raise ValidationFailed(_("The onset date is after the patient's death"),
                               field="onset_date")
    hours, late = timeliness(disease=disease, diagnosed_at=diagnosed_at,
                             reported_at=reported_at)
    with transaction.atomic():
        report = CaseReport.objects.create(
            person=person, disease=disease, area=area, facility=facility,
            onset_date=onset_date, diagnosed_at=diagnosed_at, reported_at=reported_at,
            report_date=report_date, status=status, report_delay_hours=round(hours, 2),
            late=late, reported_by=actor.user if actor.is_authenticated else None,
            note=note[:300])
        audit.record(actor, AuditEntry.Action.CREATE, obj=report,
                     changes={"disease": [None, disease.code], "late": [None, late]})
    return report


def disease_configure(*, actor, disease: Disease, method: str, params: dict | None = None,
                      enabled: bool = True) -> Disease:
    actor = require_health(actor, CONFIGURE)
    try:
        from minsheng.detection import METHODS
    except ImportError:  # pragma: no cover - detection not installed yet
        METHODS = None  # noqa: N806
    if METHODS is not None and method not in METHODS:
        raise ValidationFailed(_("Unknown detection method: %s") % method[:30], field="method")
    if params is not None and not isinstance(params, dict):
        raise ValidationFailed(_("Parameters must be an object"), field="params")
    before = audit.snapshot(disease, ["method", "params", "detection_enabled"])
    disease.method, disease.params, disease.detection_enabled = method, params or {}, enabled
    with transaction.atomic():
        disease.save(update_fields=["method", "params", "detection_enabled", "updated_at"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=disease,
                     changes=audit.diff(before, audit.snapshot(disease, list(before))))
    return disease


# --- detection runs -------------------------------------------------------------------

def detection_run(*, actor, on: datetime.date | None = None, lookback: int | None = None,
                  progress: Callable | None = None, detect: Callable | None = None,
                  period: str = "week") -> dict:
    """Evaluate every disease x subdistrict series at `on` and turn alarms into alerts.
    Re-running the same day groups repeated signals into the existing alerts."""
    actor = require_health(actor, RESPOND)
    on = on or timezone.localdate()
    signals, report = surveillance.detect_signals(on=on, period=period, lookback=lookback,
                                                  detect=detect, progress=progress)
    created = grouped = 0
    for signal in signals:
        _alert, new = surveillance.alert_from_signal(actor=actor, signal=signal)
        created += new
        grouped += not new
    report.update(alerts_created=created, alerts_grouped=grouped)
    return report


def detection_start(*, actor, on: datetime.date | None = None):
    """Queue a detection run in the worker; the page polls its JobProgress."""
    from minsheng.core.models import JobProgress
    from minsheng.health.tasks import run_detection

    actor = require_health(actor, RESPOND)
    on = on or timezone.localdate()
    job = JobProgress.objects.create(kind="health_detection", label=f"detection {on}",
                                     owner=actor.user if actor.is_authenticated else None)

    def enqueue():
        result = run_detection.enqueue(job.pk, on.isoformat())
        JobProgress.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    transaction.on_commit(enqueue)
    return job


# --- alert response ---------------------------------------------------------------------

def alert_verify(*, actor, alert: Alert, finding: str, version: int | None = None) -> Alert:
    """Verify the signal (checked the reports, called the facility): records response time."""
    require_health(actor, RESPOND, alert.area)
    if not finding.strip():
        raise ValidationFailed(_("Describe what verification found"), field="finding")
    now = timezone.now()
    hours = round((now - alert.opened_at).total_seconds() / 3600, 2)
    return workflow.transition(actor=actor, case=alert, name="verify", version=version,
                               note=finding, data={"response_hours": hours},
                               changes={"verified_at": now, "response_hours": hours,
                                        "verification_note": finding[:2000]})


def alert_investigate(*, actor, alert: Alert, started_on: datetime.date, setting_kind: str,
                      findings: str, cases_found: int = 0, samples_taken: int = 0,
                      samples_positive: int = 0, measures: str = "",
                      version: int | None = None) -> Alert:
    """Record the epidemiological investigation and move the alert to investigation."""
    actor = require_health(actor, RESPOND, alert.area)
    if setting_kind not in Investigation.Setting.values:
        raise ValidationFailed(_("Unknown setting"), field="setting")
    if not findings.strip():
        raise ValidationFailed(_("Describe the investigation findings"), field="findings")
    if samples_positive > samples_taken:
        raise ValidationFailed(_("More positive samples than samples taken"),
                               field="samples_positive")
    if started_on < alert.opened_at.date() - datetime.timedelta(days=1):
        raise ValidationFailed(_("The investigation cannot start before the signal"),
                               field="started_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = Investigation.objects.create(
                    alert=alert, investigator=actor.user if actor.is_authenticated else None,
                    started_on=started_on, setting=setting_kind, findings=findings,
                    cases_found=cases_found, samples_taken=samples_taken,
                    samples_positive=samples_positive, measures=measures)
        except IntegrityError:
            raise Conflict(_("An investigation is already recorded for this alert")) from None
        audit.record(actor, AuditEntry.Action.CREATE, obj=record,
                     changes={"alert": [None, alert.pk]})
        return workflow.transition(actor=actor, case=alert, name="investigate", version=version,
                                   note=findings, data={"investigation": record.pk})


def alert_close(*, actor, alert: Alert, outbreak: bool, outcome: str,
                version: int | None = None) -> Alert:
    require_health(actor, RESPOND, alert.area)
    if not outcome.strip():
        raise ValidationFailed(_("Describe the outcome"), field="outcome")
    name = "close_outbreak" if outbreak else "close_no_outbreak"
    changes = {"outcome_note": outcome[:2000]}
    if alert.verified_at is None:  # closed straight from a new signal: that was the response
        now = timezone.now()
        changes.update(verified_at=now, response_hours=round(
            (now - alert.opened_at).total_seconds() / 3600, 2))
    return workflow.transition(actor=actor, case=alert, name=name, version=version,
                               note=outcome, changes=changes)


def alert_note(*, actor, alert: Alert, note: str):
    actor = require_health(actor, RESPOND, alert.area)
    if not note.strip():
        raise ValidationFailed(_("Write a note"), field="note")
    return workflow.record_event(alert, actor=actor, transition="note", note=note[:2000])


# --- records: beds and supplies ---------------------------------------------------------

def bed_count_record(*, actor, hospital: Organization, year: int, actual_beds: int,
                     newborn_cots: int = 0, observation_beds: int = 0,
                     companion_beds: int = 0) -> BedCount:
    """Record (or correct) a hospital's year-end actual open beds."""
    actor = require_health(actor, RECORDS, hospital.area)
    if hospital.kind != Organization.Kind.HOSPITAL:
        raise ValidationFailed(_("Beds are recorded for hospitals"), field="hospital")
    if min(actual_beds, newborn_cots, observation_beds, companion_beds) < 0:
        raise ValidationFailed(_("Bed counts cannot be negative"), field="actual_beds")
    if not 1949 <= year <= timezone.localdate().year:
        raise ValidationFailed(_("Year out of range"), field="year")
    values = {"actual_beds": actual_beds, "newborn_cots": newborn_cots,
              "observation_beds": observation_beds, "companion_beds": companion_beds}
    with transaction.atomic():
        found = BedCount.objects.select_for_update().filter(organization=hospital,
                                                            year=year).first()
        if found is None:
            found = BedCount.objects.create(organization=hospital, year=year, **values)
            audit.record(actor, AuditEntry.Action.CREATE, obj=found,
                         changes={"actual_beds": [None, actual_beds]})
        else:
            before = audit.snapshot(found, list(values))
            for k, v in values.items():
                setattr(found, k, v)
            found.save()
            audit.record(actor, AuditEntry.Action.UPDATE, obj=found,
                         changes=audit.diff(before, values))
    return found


def supply_item_create(*, actor, name: str, unit: str, required_quantity: int, area: Area,
                       category: str = "", holder: Organization | None = None) -> SupplyItem:
    actor = require_health(actor, RECORDS, area)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("Give the item a name (at most 100 characters)"), field="name")
    if required_quantity < 0:
        raise ValidationFailed(_("The required reserve cannot be negative"),
                               field="required_quantity")
    try:
        with transaction.atomic():
            item = SupplyItem.objects.create(name=name, unit=unit[:10], category=category[:40],
                                             required_quantity=required_quantity, area=area,
                                             holder=holder)
            audit.record(actor, AuditEntry.Action.CREATE, obj=item)
    except IntegrityError:
        raise Conflict(_("This item is already in the reserve of this area")) from None
    return item


def supply_lot_add(*, actor, item: SupplyItem, batch: str, quantity: int,
                   received_on: datetime.date, expiry_date: datetime.date | None) -> SupplyLot:
    actor = require_health(actor, RECORDS, item.area)
    if quantity <= 0:
        raise ValidationFailed(_("The quantity must be positive"), field="quantity")
    if expiry_date is not None and expiry_date <= received_on:
        raise ValidationFailed(_("The lot expires before it was received"),
                               field="expiry_date")
    with transaction.atomic():
        lot = SupplyLot.objects.create(item=item, batch=batch[:40], quantity=quantity,
                                       received_on=received_on, expiry_date=expiry_date)
        audit.record(actor, AuditEntry.Action.CREATE, obj=lot,
                     changes={"quantity": [None, quantity]})
    return lot


def supply_lot_issue(*, actor, lot: SupplyLot, quantity: int) -> SupplyLot:
    """Take `quantity` out of a lot (used, rotated out or destroyed)."""
    actor = require_health(actor, RECORDS, lot.item.area)
    if quantity <= 0 or quantity > lot.quantity:
        raise ValidationFailed(_("Issue between 1 and the quantity in the lot"),
                               field="quantity")
    with transaction.atomic():
        updated = SupplyLot.objects.filter(pk=lot.pk, quantity__gte=quantity).update(
            quantity=lot.quantity - quantity)
        if not updated:
            raise Conflict(_("The lot changed a moment ago; reload it"))
        audit.record(actor, AuditEntry.Action.UPDATE, obj=lot,
                     changes={"quantity": [lot.quantity, lot.quantity - quantity]})
    lot.quantity -= quantity
    return lot


def supplies_check(*, actor, today: datetime.date | None = None) -> dict:
    """Open follow-ups (idempotent per item / lot) for each shortfall and each lot that
    expires within the configured window. Returns counts."""
    from minsheng.health.selectors import supply_alerts

    actor = require_health(actor, RECORDS)
    today = today or timezone.localdate()
    department = Organization.objects.filter(department_code="health").first()
    opened = 0
    days = setting("SUPPLIES_FOLLOWUP_WORKING_DAYS")
    for a in supply_alerts(actor, today=today):
        source = ("health.supplyitem", a["item_id"]) if a["kind"] == "shortfall" \
            else ("health.supplylot", a["lot_id"])
        followup_open(actor=actor, kind=f"health_supplies_{a['kind']}", title=a["title"],
                      area=Area.objects.get(pk=a["area_id"]), department=department,
                      source_type=source[0], source_id=source[1], working_days=days,
                      today=today)
        opened += 1
    return {"alerts": opened}


def stock_of(item: SupplyItem, on: datetime.date) -> int:
    return (item.lots.filter(received_on__lte=on).exclude(expiry_date__lte=on)
            .aggregate(n=Sum("quantity"))["n"] or 0)
