"""Every read of the health module. Each takes the actor first and returns only what it may
see; reads of personal health data (case reports) are written to the audit log."""

from __future__ import annotations

import datetime

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.casework import workflow
from minsheng.core import audit
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.health import demography, surveillance
from minsheng.health.config import setting
from minsheng.health.models import (
    Alert,
    BedCount,
    CaseReport,
    Disease,
    Investigation,
    SupplyItem,
    SupplyLot,
    method_label,
)
from minsheng.health.permissions import RECORDS, REPORT, VIEW, VIEW_CASES
from minsheng.health.workflows import OPEN_ALERT_STATES

ORGANIZATIONS = "core.view_organizations"
FACILITY_KINDS = (Organization.Kind.HOSPITAL, Organization.Kind.CLINIC)


def masked_name(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def masked_id(number: str) -> str:
    return mask(number)


def covers_district(actor, permission: str) -> bool:
    """Whether the permission holds over the whole district (every root area): needed for
    what acts on all areas at once (a detection run, the supplies check, the detection
    configuration)."""
    actor = as_actor(actor)
    if actor.system:
        return True
    roots = list(Area.objects.filter(parent=None))
    return bool(roots) and all(actor.covers(permission, root) for root in roots)


# --- diseases (reference data, the same for everyone who may see surveillance) -----------

def disease_list(actor) -> QuerySet[Disease]:
    require(as_actor(actor), VIEW)
    return Disease.objects.all()


def disease_get(actor, *, code: str) -> Disease:
    require(as_actor(actor), VIEW)
    found = Disease.objects.filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


# --- case reports: personal health data, audited ----------------------------------------

def _audit_read(actor, *, obj=None, filters: dict | None = None) -> None:
    with transaction.atomic():
        if obj is not None:
            audit.record(actor, AuditEntry.Action.READ, obj=obj)
        else:
            audit.record(actor, AuditEntry.Action.READ, object_type="health.casereport",
                         object_repr=_("Case report list"),
                         changes={"filters": {k: v for k, v in (filters or {}).items()
                                              if v not in (None, "")}})


def case_report_list(actor, *, disease: Disease | None = None, area: Area | None = None,
                     late: bool | None = None) -> QuerySet[CaseReport]:
    """Case reports in the actor's scope (health-department staff only), newest first. The
    read is audited (once per list, with its filters)."""
    actor = as_actor(actor)
    require(actor, VIEW_CASES)
    qs = scoped(CaseReport.objects.all(), actor, VIEW_CASES)
    if disease is not None:
        qs = qs.filter(disease=disease)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    if late is not None:
        qs = qs.filter(late=late)
    _audit_read(actor, filters={"disease": disease.code if disease else None,
                                "area": area.code if area else None, "late": late})
    return qs.select_related("disease", "area", "facility", "person").order_by(
        "-reported_at", "-id")


def case_report_get(actor, *, pk: int) -> CaseReport:
    """One case report (audited)."""
    actor = as_actor(actor)
    require(actor, VIEW_CASES)
    report = get_in_scope(CaseReport.objects.select_related("disease", "area", "facility",
                                                            "person", "reported_by"),
                          actor, VIEW_CASES, pk=pk)
    _audit_read(actor, obj=report)
    return report


def patient_get(actor, *, pk: int | None = None, id_number: str = "") -> Person:
    """The patient of a new case report, by id or full ID number, among the residents of the
    areas where the actor may report. Not found (or outside those areas) is the same answer,
    so the lookup says nothing about people elsewhere."""
    actor = as_actor(actor)
    require(actor, REPORT)
    qs = scoped(Person.objects.select_related("residence_area"), actor, REPORT,
                "residence_area")
    found = qs.filter(pk=pk).first() if pk else \
        qs.filter(id_number=id_number.upper()).first() if id_number else None
    if found is None:
        if id_number:
            raise ValidationFailed(_("No resident with this ID number lives in your area."),
                                   field="id_number")
        raise NotFound()
    return found


def facilities(actor) -> QuerySet[Organization]:
    """Hospitals and clinics the actor can see, for the actor filing a case report (the
    report form's choices)."""
    actor = as_actor(actor)
    require(actor, REPORT)
    return (scoped(Organization.objects.filter(kind__in=FACILITY_KINDS), actor, ORGANIZATIONS)
            .select_related("area").order_by("name", "id"))


def facility_get(actor, *, pk: int) -> Organization:
    return get_in_scope(Organization.objects.filter(kind__in=FACILITY_KINDS), as_actor(actor),
                        ORGANIZATIONS, pk=pk)


def hospitals(actor) -> QuerySet[Organization]:
    """Hospitals whose records the actor keeps (bed counts)."""
    actor = as_actor(actor)
    return (scoped(Organization.objects.filter(kind=Organization.Kind.HOSPITAL), actor,
                   RECORDS).order_by("name", "id"))


def hospital_get(actor, *, pk: int) -> Organization:
    """The organization picked as a hospital, among those the actor can see (the service
    refuses one that is not a hospital, and checks who may record its beds)."""
    return get_in_scope(Organization.objects.select_related("area"), as_actor(actor),
                        ORGANIZATIONS, pk=pk)


# --- alerts -----------------------------------------------------------------------------

def alert_list(actor, *, state: str = "open", disease: Disease | None = None,
               area: Area | None = None) -> QuerySet[Alert]:
    """The alert board: open signals, most urgent first, then overdue verification."""
    actor = as_actor(actor)
    require(actor, VIEW)
    qs = scoped(Alert.objects.all(), actor, VIEW)
    if state == "open":
        qs = qs.filter(state__in=OPEN_ALERT_STATES)
    elif state == "closed":
        qs = qs.exclude(state__in=OPEN_ALERT_STATES)
    elif state:
        qs = qs.filter(state=state)
    if disease is not None:
        qs = qs.filter(disease=disease)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    return qs.select_related("disease", "area").order_by("-urgency", "verify_due_at", "id")


def alert_get(actor, *, pk: int) -> Alert:
    actor = as_actor(actor)
    require(actor, VIEW)
    return get_in_scope(Alert.objects.select_related("disease", "area"), actor, VIEW, pk=pk)


EVENT_LABELS = {"signal": gettext_lazy("Signal from the detection run"),
                "signal_repeat": gettext_lazy("Repeated signal"), "note": gettext_lazy("Note")}


def alert_timeline(actor, alert: Alert) -> list:
    """The alert's timeline (the alert was read through `alert_get`), every event in words:
    the detection run's signals and the notes as well as the workflow's moves."""
    events = workflow.timeline(alert)
    for event in events:
        if event.transition in EVENT_LABELS:
            event.transition_label = str(EVENT_LABELS[event.transition])
    return events


def alert_investigation(actor, alert: Alert) -> Investigation | None:
    return Investigation.objects.filter(alert=alert).first()


def alert_actions(actor, alert: Alert) -> list[str]:
    """The moves this actor may make on the alert now (the buttons the page offers)."""
    return [t.name for t in Alert.workflow.allowed(as_actor(actor), alert)]


def subdistricts(actor) -> QuerySet[Area]:
    actor = as_actor(actor)
    return Area.objects.filter(level=Area.Level.SUBDISTRICT,
                               id__in=actor.area_ids(VIEW)).order_by("code")


def record_areas(actor, permission: str) -> QuerySet[Area]:
    """The district and subdistricts where the actor holds `permission` (where a reserve
    item may be kept)."""
    actor = as_actor(actor)
    return Area.objects.filter(level__in=[Area.Level.DISTRICT, Area.Level.SUBDISTRICT],
                               id__in=actor.area_ids(permission)).order_by("code")


def area_get(actor, *, code: str) -> Area:
    """An area the actor may see surveillance figures for."""
    actor = as_actor(actor)
    found = Area.objects.filter(code=code, id__in=actor.area_ids(VIEW)).first()
    if found is None:
        raise NotFound()
    return found


def epicurve(actor, *, disease: Disease, area: Area | None = None, weeks: int = 156,
             on: datetime.date | None = None, detect=None) -> dict:
    """Weekly counts by subdistrict for one disease, and the detector's expected value and
    threshold for the chosen area (the district total when no area is given)."""
    actor = as_actor(actor)
    require(actor, VIEW, area)
    on = on or timezone.localdate()
    history = setting("DETECTION_HISTORY_WEEKS")
    start = surveillance.period_start(on - datetime.timedelta(weeks=history))
    periods = surveillance.period_range(start, on)
    subs = list(subdistricts(actor))
    if area is not None and area.level == Area.Level.SUBDISTRICT:
        subs = [s for s in subs if s.id == area.id]
    frame = surveillance.case_counts(start=start, end=on, disease_ids=[disease.id],
                                     area_ids=None)
    matrix = surveillance.series_matrix(frame, [(disease.id, s.id) for s in subs], periods)
    total = matrix.sum(axis=0)
    out = {"disease": disease.code, "disease_name": disease.name_zh, "method": disease.method,
           "method_label": disease.method_label,
           "dates": [d.isoformat() for d in periods[-weeks:]],
           "series": [{"area": s.name, "code": s.code, "counts": matrix[i][-weeks:].tolist()}
                      for i, s in enumerate(subs)],
           "total": total[-weeks:].tolist(), "expected": [], "upper": [], "alarm": [],
           "note": ""}
    if not total.any():
        return out
    try:
        table, method, note = surveillance.run_series(detect or surveillance.load_detector(),
                                                      disease, total, list(periods))
    except ImportError:
        out["note"] = _("The detection module is not available.")
        return out
    except surveillance.detection_errors() as exc:
        out["note"] = str(exc)[:200]
        return out
    tail = table.tail(weeks)
    out.update(method=method, method_label=method_label(method), note=note,
               expected=[None if np.isnan(v) else round(float(v), 2)
                         for v in tail["expected"].astype(float)],
               upper=[None if np.isnan(v) else round(float(v), 2)
                      for v in tail["upper"].astype(float)],
               alarm=[bool(v) for v in tail["alarm"]])
    return out


# --- life tables ------------------------------------------------------------------------

def life_table_years(actor) -> list[int]:
    require(as_actor(actor), VIEW)
    return demography.complete_years()


def life_tables(actor, *, year: int, sex: str | None = None) -> list[dict]:
    """Life table of the district and each subdistrict the actor may see for `year` (both
    sexes unless `sex` is "M" or "F")."""
    actor = as_actor(actor)
    require(actor, VIEW)
    if not 1900 <= year <= timezone.localdate().year:
        raise ValidationFailed(_("Choose a year between 1900 and this year."), field="year")
    return demography.compute_life_tables(year, sex=sex, area_ids=set(actor.area_ids(VIEW)))


# --- beds and supplies ------------------------------------------------------------------

def bed_counts(actor, *, year: int | None = None) -> QuerySet[BedCount]:
    actor = as_actor(actor)
    require(actor, VIEW)
    qs = scoped(BedCount.objects.all(), actor, VIEW, "organization__area")
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("organization", "organization__area").order_by(
        "-year", "organization__name", "id")


def beds_by_year(actor) -> list[dict]:
    actor = as_actor(actor)
    require(actor, VIEW)
    return list(scoped(BedCount.objects.all(), actor, VIEW, "organization__area")
                .values("year").annotate(beds=Sum("actual_beds"),
                                         hospitals=Count("organization")).order_by("year"))


def _with_stock(qs, today: datetime.date):
    """Items annotated with their usable stock today: lots received by today, unexpired."""
    usable = (Q(lots__expiry_date__gt=today) | Q(lots__expiry_date=None)) \
        & Q(lots__received_on__lte=today)
    return qs.annotate(stock=Sum("lots__quantity", filter=usable))


def supply_items(actor, *, today: datetime.date | None = None) -> QuerySet[SupplyItem]:
    """The reserve items in scope, each with `stock` (usable today) and `shortfall`
    (annotations, so the list pages)."""
    actor = as_actor(actor)
    require(actor, VIEW)
    today = today or timezone.localdate()
    return (_with_stock(scoped(SupplyItem.objects.all(), actor, VIEW), today)
            .select_related("area", "holder").order_by("category", "name", "id"))


def supply_item_get(actor, *, pk: int, today: datetime.date | None = None) -> SupplyItem:
    actor = as_actor(actor)
    require(actor, VIEW)
    today = today or timezone.localdate()
    return get_in_scope(_with_stock(SupplyItem.objects.select_related("area", "holder"),
                                    today), actor, VIEW, pk=pk)


def supply_lots(actor, item: SupplyItem) -> QuerySet[SupplyLot]:
    """The lots of an item (read through `supply_item_get`), earliest expiry first."""
    return SupplyLot.objects.filter(item=item).order_by("expiry_date", "id")


def supply_lot_get(actor, *, pk: int) -> SupplyLot:
    actor = as_actor(actor)
    require(actor, VIEW)
    return get_in_scope(SupplyLot.objects.select_related("item", "item__area"), actor, VIEW,
                        "item__area", pk=pk)


def supply_alerts(actor, *, today: datetime.date | None = None,
                  window_days: int | None = None) -> list[dict]:
    """Shortfalls (usable stock below the required reserve) and lots expiring within the
    window (or already expired but still held)."""
    actor = as_actor(actor)
    require(actor, VIEW)
    today = today or timezone.localdate()
    window = setting("SUPPLIES_EXPIRY_WINDOW_DAYS") if window_days is None else window_days
    items = _with_stock(scoped(SupplyItem.objects.all(), actor, VIEW), today)
    alerts = []
    for item in items.filter(Q(stock__lt=F("required_quantity"))
                             | Q(stock=None, required_quantity__gt=0)):
        stock = item.stock or 0
        missing = item.required_quantity - stock
        alerts.append({"kind": "shortfall", "item_id": item.pk, "lot_id": None,
                       "area_id": item.area_id, "item": item.name,
                       "stock": stock, "required": item.required_quantity,
                       "missing": missing, "expiry_date": None, "expired": False,
                       "title": _("Emergency supplies short: %(item)s, %(missing)s %(unit)s "
                                  "missing") % {"item": item.name, "missing": missing,
                                                "unit": item.unit}})
    lots = (scoped(SupplyLot.objects.all(), actor, VIEW, "item__area")
            .filter(quantity__gt=0, expiry_date__isnull=False,
                    expiry_date__lte=today + datetime.timedelta(days=window))
            .select_related("item").order_by("expiry_date", "id"))
    for lot in lots:
        expired = lot.expiry_date <= today
        words = {"item": lot.item.name, "batch": lot.batch,
                 "date": lot.expiry_date.isoformat()}
        alerts.append({"kind": "expiry", "item_id": lot.item_id, "lot_id": lot.pk,
                       "area_id": lot.item.area_id, "item": lot.item.name,
                       "stock": lot.quantity, "required": lot.item.required_quantity,
                       "missing": 0, "expiry_date": lot.expiry_date, "expired": expired,
                       "title": (_("Emergency supplies expired: %(item)s lot %(batch)s "
                                   "expired on %(date)s") if expired else
                                 _("Emergency supplies expiring: %(item)s lot %(batch)s "
                                   "expires on %(date)s")) % words})
    return alerts

