"""Every read of the health module, scoped to what the actor may see."""

from __future__ import annotations

import datetime

import numpy as np
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from minsheng.casework import workflow
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area
from minsheng.health import demography, surveillance
from minsheng.health.access import require_health
from minsheng.health.config import setting
from minsheng.health.lifetable import LifeTable, LifeTableError, life_table
from minsheng.health.models import (
    RECORDS,
    VIEW,
    Alert,
    BedCount,
    CaseReport,
    Disease,
    SupplyItem,
    SupplyLot,
)


def masked_name(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def masked_id(number: str) -> str:
    return mask(number)


def disease_list() -> QuerySet[Disease]:
    return Disease.objects.all()


def disease_get(*, code: str) -> Disease:
    found = Disease.objects.filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def case_report_list(actor, *, disease: Disease | None = None, area: Area | None = None,
                     late: bool | None = None) -> QuerySet[CaseReport]:
    actor = require_health(actor, VIEW)
    qs = scoped(CaseReport.objects.all(), actor, VIEW)
    if disease is not None:
        qs = qs.filter(disease=disease)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    if late is not None:
        qs = qs.filter(late=late)
    return qs.select_related("disease", "area", "facility", "person").order_by(
        "-reported_at", "-id")


def case_report_get(actor, *, pk: int) -> CaseReport:
    actor = require_health(actor, VIEW)
    return get_in_scope(CaseReport.objects.select_related("disease", "area", "facility",
                                                          "person"), actor, VIEW, pk=pk)


def alert_list(actor, *, state: str = "open", disease: Disease | None = None,
               area: Area | None = None) -> QuerySet[Alert]:
    """The alert board: open signals, most urgent first, then overdue verification."""
    actor = as_actor(actor)
    require(actor, VIEW)
    qs = scoped(Alert.objects.all(), actor, VIEW)
    if state == "open":
        qs = qs.exclude(state__startswith="closed")
    elif state == "closed":
        qs = qs.filter(state__startswith="closed")
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


def alert_timeline(alert: Alert):
    return workflow.timeline(alert)


def alert_clock_status(alert: Alert, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if alert.verified_at is not None:
        return "done_on_time" if alert.verified_at <= alert.verify_due_at else "done_late"
    return "overdue" if now > alert.verify_due_at else "running"


def subdistricts(actor) -> QuerySet[Area]:
    actor = as_actor(actor)
    return Area.objects.filter(level=Area.Level.SUBDISTRICT,
                               id__in=actor.area_ids(VIEW)).order_by("code")


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
    subs = list(Area.objects.filter(level=Area.Level.SUBDISTRICT,
                                    id__in=actor.area_ids(VIEW)).order_by("code"))
    if area is not None and area.level == Area.Level.SUBDISTRICT:
        subs = [s for s in subs if s.id == area.id]
    frame = surveillance.case_counts(start=start, end=on, disease_ids=[disease.id],
                                     area_ids=None)
    matrix = surveillance.series_matrix(frame, [(disease.id, s.id) for s in subs], periods)
    total = matrix.sum(axis=0)
    out = {"disease": disease.code, "disease_name": disease.name_zh, "method": disease.method,
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
        out["note"] = "detection module not available"
        return out
    except surveillance.detection_errors() as exc:
        out["note"] = str(exc)[:200]
        return out
    tail = table.tail(weeks)
    out.update(method=method, note=note,
               expected=[None if np.isnan(v) else round(float(v), 2)
                         for v in tail["expected"].astype(float)],
               upper=[None if np.isnan(v) else round(float(v), 2)
                      for v in tail["upper"].astype(float)],
               alarm=[bool(v) for v in tail["alarm"]])
    return out


# --- life tables ------------------------------------------------------------------------

def life_tables(actor, *, year: int, sex: str | None = None) -> list[dict]:
    """Life table of the district and each subdistrict for `year` (both sexes unless `sex`
    is "M" or "F")."""
    actor = as_actor(actor)
    require(actor, VIEW)
    return compute_life_tables(year, sex=sex, area_ids=set(actor.area_ids(VIEW)))


def compute_life_tables(year: int, *, sex: str | None = None,
                        area_ids: set[int] | None = None) -> list[dict]:
    pop = demography.mid_year_population(year)
    dead = demography.deaths(year)
    rows = []
    pick = slice(None) if sex is None else (0 if sex == "M" else 1)
    areas = {a.id: a for a in Area.objects.filter(level__in=[Area.Level.DISTRICT,
                                                             Area.Level.SUBDISTRICT])}
    totals_p = sum(pop.values()) if pop else None
    totals_d = sum(dead.values()) if dead else None
    district = next((a for a in areas.values() if a.level == Area.Level.DISTRICT), None)
    candidates = []
    if district is not None and totals_p is not None:
        candidates.append((district, totals_p, totals_d if totals_d is not None else
                           np.zeros_like(totals_p)))
    for sub_id in sorted(pop, key=lambda i: areas[i].code if i in areas else ""):
        if sub_id in areas and areas[sub_id].level == Area.Level.SUBDISTRICT:
            candidates.append((areas[sub_id], pop[sub_id],
                               dead.get(sub_id, np.zeros_like(pop[sub_id]))))
    for area, p, d in candidates:
        if area_ids is not None and area.id not in area_ids:
            continue
        p_sel = p[pick].sum(axis=0) if sex is None else p[pick]
        d_sel = d[pick].sum(axis=0) if sex is None else d[pick]
        entry = {"area": area, "area_id": area.id, "year": year, "sex": sex or "",
                 "population": float(p_sel.sum()), "deaths": float(d_sel.sum())}
        try:
            table: LifeTable = life_table(d_sel, p_sel)
        except LifeTableError as exc:
            entry.update(table=None, e0=None, ci=None, warnings=[str(exc)])
        else:
            entry.update(table=table, e0=table.e0, ci=table.ci, warnings=table.warnings)
        rows.append(entry)
    return rows


def life_table_years() -> list[int]:
    """Complete calendar years with recorded deaths."""
    today = timezone.localdate()
    return [y for y in demography.years_with_deaths() if datetime.date(y, 12, 31) < today]


# --- beds and supplies ------------------------------------------------------------------

def bed_counts(actor, *, year: int | None = None) -> QuerySet[BedCount]:
    actor = as_actor(actor)
    require(actor, VIEW)
    qs = scoped(BedCount.objects.all(), actor, VIEW, "organization__area")
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("organization", "organization__area").order_by("-year",
                                                                            "organization")


def beds_by_year(actor) -> list[dict]:
    actor = as_actor(actor)
    require(actor, VIEW)
    return list(scoped(BedCount.objects.all(), actor, VIEW, "organization__area")
                .values("year").annotate(beds=Sum("actual_beds"),
                                         hospitals=Count("organization")).order_by("year"))


def supply_items(actor) -> list[dict]:
    """Each reserve item with its usable stock today (unexpired lots) and its shortfall."""
    actor = as_actor(actor)
    require(actor, VIEW)
    today = timezone.localdate()
    usable = Q(lots__expiry_date__gt=today) | Q(lots__expiry_date=None)
    qs = (scoped(SupplyItem.objects.all(), actor, VIEW)
          .annotate(stock=Sum("lots__quantity", filter=usable & Q(lots__received_on__lte=today)))
          .select_related("area", "holder").order_by("category", "name"))
    out = []
    for item in qs:
        stock = item.stock or 0
        out.append({"item": item, "stock": stock,
                    "shortfall": max(0, item.required_quantity - stock)})
    return out


def supply_alerts(actor, *, today: datetime.date | None = None,
                  window_days: int | None = None) -> list[dict]:
    """Shortfalls (usable stock below the required reserve) and lots expiring within the
    window (or already expired but still held)."""
    actor = as_actor(actor)
    require(actor, VIEW)
    today = today or timezone.localdate()
    window = setting("SUPPLIES_EXPIRY_WINDOW_DAYS") if window_days is None else window_days
    usable = (Q(lots__expiry_date__gt=today) | Q(lots__expiry_date=None)) \
        & Q(lots__received_on__lte=today)
    items = (scoped(SupplyItem.objects.all(), actor, VIEW)
             .annotate(stock=Sum("lots__quantity", filter=usable)))
    alerts = []
    for item in items:
        stock = item.stock or 0
        if stock < item.required_quantity:
            alerts.append({"kind": "shortfall", "item_id": item.pk, "lot_id": None,
                           "area_id": item.area_id, "item": item.name,
                           "stock": stock, "required": item.required_quantity,
                           "missing": item.required_quantity - stock, "expiry_date": None,
                           "title": f"应急物资储备不足：{item.name} 缺 "
                                    f"{item.required_quantity - stock}{item.unit}"})
    lots = (scoped(SupplyLot.objects.all(), actor, VIEW, "item__area")
            .filter(quantity__gt=0, expiry_date__isnull=False,
                    expiry_date__lte=today + datetime.timedelta(days=window))
            .select_related("item"))
    for lot in lots:
        alerts.append({"kind": "expiry", "item_id": lot.item_id, "lot_id": lot.pk,
                       "area_id": lot.item.area_id, "item": lot.item.name,
                       "stock": lot.quantity, "required": lot.item.required_quantity,
                       "missing": 0, "expiry_date": lot.expiry_date,
                       "expired": lot.expiry_date <= today,
                       "title": f"应急物资临近效期：{lot.item.name} 批号 {lot.batch} "
                                f"{lot.expiry_date:%Y-%m-%d} 到期"})
    return alerts


def require_records(actor):
    return require_health(actor, RECORDS)


def parse_year(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("year must be a number", field="year") from None
