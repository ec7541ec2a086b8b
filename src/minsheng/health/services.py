"""Every write of the health module: case reports, the disease list and its detection
configuration, detection runs, alert responses, bed counts and the supplies reserve. Each
checks permission and scope (`core.access.require`; the health-department rule is part of
the permissions, see `permissions.py`), validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import workflow
from minsheng.casework.services import followup_open
from minsheng.core import audit
from minsheng.core.access import Actor, as_actor, require, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.core.models import Area, AuditEntry, JobProgress, Organization, Person
from minsheng.health import clocks, reference, selectors, surveillance
from minsheng.health.config import setting
from minsheng.health.models import (
    Alert,
    BedCount,
    CaseReport,
    Disease,
    Investigation,
    SupplyItem,
    SupplyLot,
)
from minsheng.health.permissions import CONFIGURE, RECORDS, REPORT, RESPOND

FACILITY_KINDS = {Organization.Kind.HOSPITAL, Organization.Kind.CLINIC}


def _aware(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _require_district(actor, permission: str) -> Actor:
    """The permission over the whole district: for what acts on every area at once."""
    actor = as_actor(actor)
    if not selectors.covers_district(actor, permission):
        raise PermissionDenied()
    return actor


def timeliness(*, disease: Disease, diagnosed_at: datetime.datetime,
               reported_at: datetime.datetime) -> tuple[float, bool]:
    """(hours from diagnosis to report, late?) against the disease's report clock (class A
    and diseases managed as A: 2 hours; others 24 hours)."""
    hours = (reported_at - diagnosed_at).total_seconds() / 3600
    clock = clocks.report_clock(disease=disease, diagnosed_at=diagnosed_at,
                                reported_at=reported_at)
    return hours, clock.status() == "done_late"


def disease_by_code(code: str) -> Disease:
    """A disease by its code or ICD-10 code; unknown codes are a validation error."""
    code = (code or "").strip()
    found = (Disease.objects.filter(code=code).first()
             or Disease.objects.filter(icd10__iexact=code).order_by("id").first())
    if found is None:
        raise ValidationFailed(_("Unknown disease code: %s") % code[:40], field="disease")
    return found


# --- case reports -----------------------------------------------------------------------

def case_report_create(*, actor, person: Person, disease: Disease | str, facility: Organization,
                       onset_date: datetime.date, diagnosed_at: datetime.datetime,
                       reported_at: datetime.datetime | None = None, status: str,
                       area: Area | None = None, note: str = "") -> CaseReport:
    """File a case report. The residential community defaults to the person's."""
    actor = as_actor(actor)
    area = area or person.residence_area
    require(actor, REPORT, area)
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


# --- the disease list and its detection configuration -----------------------------------

def diseases_sync(*, actor, keep_configuration: bool = True) -> tuple[int, int]:
    """Insert missing diseases of the national list and refresh names and codes of known
    ones. The district's detection configuration (method, params) is kept unless
    `keep_configuration` is False. Returns (created, updated)."""
    actor = _require_district(actor, CONFIGURE)
    fields = list(reference.NATIONAL_FIELDS)
    if not keep_configuration:
        fields += reference.CONFIGURATION_FIELDS
    created = updated = 0
    with transaction.atomic():
        existing = {d.code: d for d in Disease.objects.select_for_update()}
        for row in reference.disease_rows():
            found = existing.get(row["code"])
            if found is None:
                disease = Disease.objects.create(**row)
                audit.record(actor, AuditEntry.Action.CREATE, obj=disease,
                             changes={"code": [None, disease.code]})
                created += 1
                continue
            before = audit.snapshot(found, fields)
            changes = audit.diff(before, {f: row[f] for f in fields})
            if changes:
                save_versioned(found, None, values={f: row[f] for f in fields})
                audit.record(actor, AuditEntry.Action.UPDATE, obj=found, changes=changes)
                updated += 1
    return created, updated


def disease_configure(*, actor, disease: Disease, method: str, params: dict | None = None,
                      enabled: bool = True, version: int | None = None) -> Disease:
    """Set a disease's detection method, its parameters and whether it is evaluated. The
    configuration applies to the whole district."""
    actor = _require_district(actor, CONFIGURE)
    from minsheng.detection import METHODS
    from minsheng.detection.errors import DetectionInputError
    from minsheng.detection.registry import resolve_params

    if method not in METHODS:
        raise ValidationFailed(_("Unknown detection method: %s") % method[:30], field="method")
    if params is not None and not isinstance(params, dict):
        raise ValidationFailed(_("Parameters must be an object"), field="params")
    try:
        resolve_params(method, params)
    except DetectionInputError as exc:
        raise ValidationFailed(_("Parameters not valid for this method: %s") % str(exc)[:200],
                               field="params") from None
    values = {"method": method, "params": params or {}, "detection_enabled": bool(enabled)}
    before = audit.snapshot(disease, list(values))
    with transaction.atomic():
        save_versioned(disease, version, values=values)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=disease,
                     changes=audit.diff(before, values))
    return disease


# --- detection runs -------------------------------------------------------------------

def detection_run(*, actor, on: datetime.date | None = None, lookback: int | None = None,
                  progress: Callable | None = None, detect: Callable | None = None,
                  period: str = "week") -> dict:
    """Evaluate every disease x subdistrict series at `on` and turn alarms into alerts.
    Re-running the same day groups repeated signals into the existing alerts. A signal of
    the district total is not raised as an alert of its own when a subdistrict signalled
    the same disease in the same period (that alert carries the response: one case, one
    alert); it is when the rise is spread over subdistricts none of which alarmed."""
    actor = _require_district(actor, RESPOND)
    on = on or timezone.localdate()
    signals, report = surveillance.detect_signals(on=on, period=period, lookback=lookback,
                                                  detect=detect, progress=progress)
    raised, covered = _without_covered_district_signals(signals)
    created = grouped = 0
    now = timezone.now()
    for signal in raised:
        _alert, new = _alert_raise(actor=actor, signal=signal, now=now)
        created += new
        grouped += not new
    report.update(alerts_created=created, alerts_grouped=grouped,
                  covered_by_subdistrict=len(covered))
    return report


def _without_covered_district_signals(signals) -> tuple[list, list]:
    """(signals to raise, district-total signals already covered by a subdistrict alert of
    the same disease and period). A district alert that already exists keeps grouping."""
    districts = set(Area.objects.filter(level=Area.Level.DISTRICT).values_list("id", flat=True))
    district_signals = [s for s in signals if s.area_id in districts]
    if not district_signals:
        return list(signals), []
    keys = {(s.disease.id, s.period, s.period_start) for s in district_signals}
    starts = {k[2] for k in keys}
    covered_keys = {(s.disease.id, s.period, s.period_start) for s in signals
                    if s.area_id not in districts}
    covered_keys |= set(Alert.objects.filter(period_start__in=starts,
                                             area__level=Area.Level.SUBDISTRICT)
                        .values_list("disease_id", "period", "period_start"))
    open_district = set(Alert.objects.filter(period_start__in=starts, area_id__in=districts)
                        .values_list("disease_id", "area_id", "period", "period_start"))
    raised, covered = [], []
    for s in signals:
        key = (s.disease.id, s.period, s.period_start)
        if (s.area_id in districts and key in covered_keys
                and (s.disease.id, s.area_id, s.period, s.period_start) not in open_district):
            covered.append(s)
        else:
            raised.append(s)
    return raised, covered


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _alert_raise(*, actor, signal, now: datetime.datetime) -> tuple[Alert, bool]:
    """Create the alert for a signal, or group the signal into the alert that already exists
    for the same disease, area and period. Returns (alert, created). Called by
    `detection_run`, which checked the permission."""
    lookup = {"disease": signal.disease, "area_id": signal.area_id, "period": signal.period,
              "period_start": signal.period_start}
    with transaction.atomic():
        existing = Alert.objects.select_for_update().filter(**lookup).first()
        if existing is None:
            limit = clocks.verify_limit_hours(signal.disease)
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        **lookup, state=Alert.workflow.initial, opened_at=now,
                        method=signal.method, count=signal.count, expected=signal.expected,
                        upper=signal.upper, reason=signal.reason,
                        urgency=surveillance.urgency_of(signal), last_signal_at=now,
                        verify_due_at=now + datetime.timedelta(hours=limit))
            except IntegrityError:  # raised by a concurrent run a moment ago
                existing = Alert.objects.select_for_update().get(**lookup)
            else:
                workflow.record_event(
                    alert, actor=actor, transition="signal", to_state=alert.state,
                    note=_("Signal: %(count)s cases, threshold %(upper)s") % {
                        "count": signal.count, "upper": _fmt(signal.upper)},
                    data={"count": signal.count, "expected": signal.expected,
                          "upper": signal.upper, "method": signal.method})
                audit.record(actor, AuditEntry.Action.CREATE, obj=alert,
                             changes={"count": [None, signal.count]})
                return alert, True
        grew = signal.count > existing.count
        values = {"signal_count": existing.signal_count + 1, "last_signal_at": now}
        if grew:
            values.update(count=signal.count, expected=signal.expected, upper=signal.upper,
                          urgency=max(existing.urgency, surveillance.urgency_of(signal)))
        before = audit.snapshot(existing, list(values))
        save_versioned(existing, None, values=values)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=existing,
                     changes=audit.diff(before, values))
        if grew:
            workflow.record_event(
                existing, actor=actor, transition="signal_repeat",
                note=_("Repeated signal: %(count)s cases (was %(old)s)") % {
                    "count": signal.count, "old": before["count"]},
                data={"count": signal.count, "upper": signal.upper})
    return existing, False


def detection_start(*, actor, on: datetime.date | None = None) -> JobProgress:
    """Queue a detection run in the worker; the page polls its JobProgress. The run itself
    is the platform's (system actor), as the daily run is."""
    from minsheng.health.tasks import run_detection

    actor = _require_district(actor, RESPOND)
    on = on or timezone.localdate()
    job = JobProgress.objects.create(kind="health_detection", label=f"detection {on}",
                                     owner=actor.user if actor.is_authenticated else None)

    def enqueue():
        result = run_detection.enqueue(job.pk, on.isoformat())
        JobProgress.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    transaction.on_commit(enqueue)
    return job


def detection_job_run(*, job_id: int, on: datetime.date) -> dict:
    """The body of the background detection job: runs as the platform and keeps the job's
    progress row (running, done with its report, or failed with the error)."""
    JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.RUNNING)
    job = JobProgress.objects.get(pk=job_id)
    from minsheng.core.jobs import progress_updater

    try:
        report = detection_run(actor=system_actor(), on=on, progress=progress_updater(job))
    except Exception as exc:
        JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.FAILED,
                                                     message=str(exc)[:2000])
        raise
    JobProgress.objects.filter(pk=job_id).update(
        state=JobProgress.State.DONE, report=report, done=report["series"],
        total=report["series"],
        message=_("%(signals)s signal(s), %(alerts)s new alert(s)") % {
            "signals": report["signals"], "alerts": report["alerts_created"]})
    return report


# --- alert response ---------------------------------------------------------------------

def alert_verify(*, actor, alert: Alert, finding: str, version: int | None = None) -> Alert:
    """Verify the signal (checked the reports, called the facility): records response time."""
    actor = as_actor(actor)
    require(actor, RESPOND, alert.area)
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
    actor = as_actor(actor)
    require(actor, RESPOND, alert.area)
    if setting_kind not in Investigation.Setting.values:
        raise ValidationFailed(_("Unknown setting"), field="setting")
    if not findings.strip():
        raise ValidationFailed(_("Describe the investigation findings"), field="findings")
    if samples_positive > samples_taken:
        raise ValidationFailed(_("More positive samples than samples taken"),
                               field="samples_positive")
    if started_on < timezone.localtime(alert.opened_at).date() - datetime.timedelta(days=1):
        raise ValidationFailed(_("The investigation cannot start before the signal"),
                               field="started_on")
    if started_on > timezone.localdate():
        raise ValidationFailed(_("The investigation date is in the future"),
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
    actor = as_actor(actor)
    require(actor, RESPOND, alert.area)
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
    """A note on the alert's timeline (a call made, a result awaited), in any state."""
    actor = as_actor(actor)
    require(actor, RESPOND, alert.area)
    note = note.strip()
    if not note:
        raise ValidationFailed(_("Write a note"), field="note")
    with transaction.atomic():
        event = workflow.record_event(alert, actor=actor, transition="note", note=note[:2000])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=alert,
                     changes={"note": [None, note[:200]]})
    return event


# --- records: beds and supplies ---------------------------------------------------------

def bed_count_record(*, actor, hospital: Organization, year: int, actual_beds: int,
                     newborn_cots: int = 0, observation_beds: int = 0,
                     companion_beds: int = 0) -> BedCount:
    """Record (or correct) a hospital's year-end actual open beds."""
    actor = as_actor(actor)
    require(actor, RECORDS, hospital.area)
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
    actor = as_actor(actor)
    require(actor, RECORDS, area)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("Give the item a name (at most 100 characters)"), field="name")
    if not unit.strip():
        raise ValidationFailed(_("Give the unit the reserve is counted in"), field="unit")
    if required_quantity < 0:
        raise ValidationFailed(_("The required reserve cannot be negative"),
                               field="required_quantity")
    try:
        with transaction.atomic():
            item = SupplyItem.objects.create(name=name, unit=unit.strip()[:10],
                                             category=category.strip()[:40],
                                             required_quantity=required_quantity, area=area,
                                             holder=holder)
            audit.record(actor, AuditEntry.Action.CREATE, obj=item)
    except IntegrityError:
        raise Conflict(_("This item is already in the reserve of this area"),
                       field="name") from None
    return item


def supply_lot_add(*, actor, item: SupplyItem, batch: str, quantity: int,
                   received_on: datetime.date, expiry_date: datetime.date | None) -> SupplyLot:
    actor = as_actor(actor)
    require(actor, RECORDS, item.area)
    if quantity <= 0:
        raise ValidationFailed(_("The quantity must be positive"), field="quantity")
    if received_on > timezone.localdate():
        raise ValidationFailed(_("The lot cannot be received in the future"),
                               field="received_on")
    if expiry_date is not None and expiry_date <= received_on:
        raise ValidationFailed(_("The lot expires before it was received"),
                               field="expiry_date")
    with transaction.atomic():
        lot = SupplyLot.objects.create(item=item, batch=batch.strip()[:40], quantity=quantity,
                                       received_on=received_on, expiry_date=expiry_date)
        audit.record(actor, AuditEntry.Action.CREATE, obj=lot,
                     changes={"quantity": [None, quantity]})
    return lot


def supply_lot_issue(*, actor, lot: SupplyLot, quantity: int, reason: str = "") -> SupplyLot:
    """Take `quantity` out of a lot (used, rotated out or destroyed). One conditional
    decrement: two issues at once can never take more than the lot holds."""
    actor = as_actor(actor)
    require(actor, RECORDS, lot.item.area)
    if quantity <= 0 or quantity > lot.quantity:
        raise ValidationFailed(_("Issue between 1 and the quantity in the lot"),
                               field="quantity")
    with transaction.atomic():
        updated = SupplyLot.objects.filter(pk=lot.pk, quantity__gte=quantity).update(
            quantity=F("quantity") - quantity, updated_at=timezone.now())
        if not updated:
            raise Conflict(_("The lot changed a moment ago; reload it"))
        left = SupplyLot.objects.values_list("quantity", flat=True).get(pk=lot.pk)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=lot,
                     changes={"quantity": [left + quantity, left],
                              **({"reason": reason.strip()[:200]} if reason.strip() else {})})
    lot.quantity = left
    return lot


def supplies_check(*, actor, today: datetime.date | None = None) -> dict:
    """Open follow-ups (idempotent per item / lot) for each shortfall and each lot that
    expires within the configured window. Returns counts."""
    actor = _require_district(actor, RECORDS)
    today = today or timezone.localdate()
    department = Organization.objects.filter(department_code="health").first()
    opened = 0
    days = setting("SUPPLIES_FOLLOWUP_WORKING_DAYS")
    alerts = selectors.supply_alerts(actor, today=today)
    areas = Area.objects.in_bulk({a["area_id"] for a in alerts})
    for a in alerts:
        source = ("health.supplyitem", a["item_id"]) if a["kind"] == "shortfall" \
            else ("health.supplylot", a["lot_id"])
        followup_open(actor=actor, kind=f"health_supplies_{a['kind']}", title=a["title"],
                      area=areas[a["area_id"]], department=department,
                      source_type=source[0], source_id=source[1], working_days=days,
                      today=today)
        opened += 1
    return {"alerts": opened}
