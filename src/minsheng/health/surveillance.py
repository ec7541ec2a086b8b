"""Count series from case reports and the daily detection run that turns detector alarms
into alerts.

Series are built in SQL (one grouped query for every disease x subdistrict x period) and
reshaped with pandas into a matrix, gaps filled with zeros. Each series is passed to
`minsheng.detection.detect`; an alarm in the evaluated periods becomes an `Alert`, or updates
the alert already open for the same disease, area and period (grouping, not duplicates).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import record_event
from minsheng.core import audit
from minsheng.core.models import Area, AuditEntry
from minsheng.health.config import setting
from minsheng.health.models import Alert, CaseReport, Disease

FALLBACK_METHOD = "ears_c3"


def period_start(day: datetime.date, period: str = "week") -> datetime.date:
    """Monday of the ISO week (weekly series) or the day itself."""
    if period == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day


def period_range(first: datetime.date, last: datetime.date, period: str = "week"):
    step = 7 if period == "week" else 1
    first, last = period_start(first, period), period_start(last, period)
    return pd.date_range(first, last, freq=f"{step}D").date


def subdistrict_expression():
    """The subdistrict of a case report's residential area (community -> parent)."""
    return Case(When(area__level=Area.Level.COMMUNITY, then=F("area__parent_id")),
                default=F("area_id"))


def case_counts(*, start: datetime.date, end: datetime.date, period: str = "week",
                disease_ids=None, area_ids=None) -> pd.DataFrame:
    """Reports per disease x subdistrict x period, from one grouped SQL query.
    Columns: disease_id, area_id, period_start, count."""
    qs = CaseReport.objects.filter(report_date__gte=start, report_date__lte=end)
    if disease_ids is not None:
        qs = qs.filter(disease_id__in=list(disease_ids))
    if area_ids is not None:
        qs = qs.filter(area_id__in=list(area_ids))
    bucket = TruncWeek("report_date") if period == "week" else F("report_date")
    rows = (qs.annotate(sub=subdistrict_expression(), p=bucket).values("disease_id", "sub", "p")
            .annotate(n=Count("id")).order_by())
    frame = pd.DataFrame.from_records(
        list(rows.values_list("disease_id", "sub", "p", "n")),
        columns=["disease_id", "area_id", "period_start", "count"])
    if len(frame):
        frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    return frame


def series_matrix(frame: pd.DataFrame, keys: list[tuple], periods) -> np.ndarray:
    """Counts as a (len(keys), len(periods)) matrix. Missing periods are zeros; duplicate
    (key, period) rows are added together."""
    periods = list(periods)
    if not len(frame):
        return np.zeros((len(keys), len(periods)), dtype=np.int64)
    key_cols = ["disease_id", "area_id"]
    table = (frame.groupby([*key_cols, "period_start"])["count"].sum()
             .unstack("period_start", fill_value=0))
    table = table.reindex(index=pd.MultiIndex.from_tuples(keys, names=key_cols),
                          columns=periods, fill_value=0)
    return table.to_numpy(dtype=np.int64)


def load_detector() -> Callable:
    from minsheng.detection import detect

    return detect


def detection_errors() -> tuple[type[Exception], ...]:
    try:
        from minsheng.detection.errors import DetectionInputError
    except ImportError:  # pragma: no cover - detection not installed yet
        return (ValueError,)
    return (DetectionInputError, ValueError)


@dataclass
class Signal:
    disease: Disease
    area_id: int
    period: str
    period_start: datetime.date
    count: int
    expected: float | None
    upper: float | None
    method: str
    reason: str


def run_series(detect: Callable, disease: Disease, counts: np.ndarray, dates) -> tuple[
        pd.DataFrame, str, str]:
    """Run the disease's configured detector; when the series is too short for it (the
    detector raises DetectionInputError), fall back to EARS C3 and say so. Returns the
    detector table, the method used and a note."""
    errors = detection_errors()
    try:
        table = detect(disease.method, counts, dates, **(disease.params or {}))
        return table, disease.method, ""
    except errors as exc:
        if disease.method == FALLBACK_METHOD:
            raise
        table = detect(FALLBACK_METHOD, counts, dates)
        return table, FALLBACK_METHOD, _("fallback from %(method)s: %(error)s") % {
            "method": disease.method, "error": str(exc)[:150]}


def _num(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(value) else value


def detect_signals(*, on: datetime.date, period: str = "week", lookback: int | None = None,
                   detect: Callable | None = None, progress: Callable | None = None,
                   diseases=None) -> tuple[list[Signal], dict]:
    """Evaluate every enabled disease x subdistrict series (and the district total) at `on`."""
    detect = detect or load_detector()
    lookback = setting("DETECTION_LOOKBACK_PERIODS") if lookback is None else lookback
    history = setting("DETECTION_HISTORY_WEEKS") * (7 if period == "week" else 1)
    start = period_start(on - datetime.timedelta(days=history), period)
    # Surveillance began with the first case report: weeks before it are unknown, not zero,
    # so a young system gets a short series (and the detector says what it cannot do).
    first = CaseReport.objects.aggregate(first=Min("report_date"))["first"]
    if first is not None:
        start = max(start, period_start(first, period))
    periods = period_range(start, on, period)
    evaluated = set(periods[-(lookback + 1):]) if lookback >= 0 else set(periods)
    diseases = list(diseases if diseases is not None
                    else Disease.objects.filter(detection_enabled=True))
    district = Area.objects.filter(level=Area.Level.DISTRICT).order_by("id").first()
    subdistricts = list(Area.objects.filter(level=Area.Level.SUBDISTRICT)
                        .values_list("id", flat=True))
    frame = case_counts(start=start, end=on, period=period,
                        disease_ids=[d.id for d in diseases])
    keys = [(d.id, a) for d in diseases for a in subdistricts]
    matrix = series_matrix(frame, keys, periods)
    # district totals: sum of the subdistrict rows of each disease (vectorised)
    per_disease = matrix.reshape(len(diseases), len(subdistricts), len(periods)).sum(axis=1) \
        if subdistricts else np.zeros((len(diseases), len(periods)), dtype=np.int64)
    jobs = [(d, a, matrix[i * len(subdistricts) + j])
            for i, d in enumerate(diseases) for j, a in enumerate(subdistricts)]
    if district is not None:
        jobs += [(d, district.id, per_disease[i]) for i, d in enumerate(diseases)]
    report = {"date": on.isoformat(), "period": period, "series": len(jobs), "evaluated": 0,
              "skipped_empty": 0, "fallbacks": 0, "errors": [], "signals": 0}
    signals: list[Signal] = []
    dates = list(periods)
    for done, (disease, area_id, counts) in enumerate(jobs, start=1):
        if progress and (done % 20 == 0 or done == len(jobs)):
            progress(done, len(jobs))
        if not counts[-(lookback + 1):].any():
            report["skipped_empty"] += 1  # no case in the evaluated periods: no signal
            continue
        try:
            table, method, note = run_series(detect, disease, counts, dates)
        except detection_errors() as exc:
            report["errors"].append({"disease": disease.code, "area_id": area_id,
                                     "error": str(exc)[:200]})
            continue
        report["evaluated"] += 1
        report["fallbacks"] += bool(note)
        table = table.assign(date=pd.to_datetime(table["date"]).dt.date)
        hits = table[table["alarm"].astype(bool) & table["date"].isin(evaluated)]
        for row in hits.itertuples(index=False):
            reason = str(getattr(row, "reason", "") or "")
            signals.append(Signal(disease=disease, area_id=area_id, period=period,
                                  period_start=row.date, count=int(row.count),
                                  expected=_num(row.expected), upper=_num(row.upper),
                                  method=method, reason="; ".join(x for x in (reason, note)
                                                                  if x)[:300]))
    report["signals"] = len(signals)
    return signals, report


def urgency_of(signal: Signal) -> int:
    if signal.method == "threshold" or signal.disease.klass == Disease.Klass.A:
        return Alert.Urgency.CRITICAL
    if signal.upper and signal.count >= setting("URGENCY_HIGH_RATIO") * max(signal.upper, 1):
        return Alert.Urgency.HIGH
    return Alert.Urgency.MEDIUM


def verify_hours(disease: Disease) -> float:
    if disease.uses_threshold or disease.klass == Disease.Klass.A:
        return setting("VERIFY_WITHIN_HOURS_THRESHOLD")
    return setting("VERIFY_WITHIN_HOURS")


def alert_from_signal(*, actor, signal: Signal, now: datetime.datetime | None = None
                      ) -> tuple[Alert, bool]:
    """Create the alert for a signal, or group the signal into the alert that already exists
    for the same disease, area and period. Returns (alert, created)."""
    now = now or timezone.now()
    lookup = {"disease": signal.disease, "area_id": signal.area_id, "period": signal.period,
              "period_start": signal.period_start}
    existing = Alert.objects.filter(**lookup).first()
    if existing is None:
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    **lookup, state=Alert.workflow.initial, opened_at=now, method=signal.method,
                    count=signal.count, expected=signal.expected, upper=signal.upper,
                    reason=signal.reason, urgency=urgency_of(signal), last_signal_at=now,
                    verify_due_at=now + datetime.timedelta(hours=verify_hours(signal.disease)))
                record_event(alert, actor=actor, transition="signal", to_state=alert.state,
                             note=_("Signal: %(count)s cases, threshold %(upper)s") % {
                                 "count": signal.count, "upper": _fmt(signal.upper)},
                             data={"count": signal.count, "expected": signal.expected,
                                   "upper": signal.upper, "method": signal.method})
                audit.record(actor, AuditEntry.Action.CREATE, obj=alert,
                             changes={"count": [None, signal.count]})
            return alert, True
        except IntegrityError:  # raised by a concurrent run a moment ago
            existing = Alert.objects.get(**lookup)
    with transaction.atomic():
        grew = signal.count > existing.count
        changes = {"signal_count": F("signal_count") + 1, "last_signal_at": now}
        if grew:
            changes.update(count=signal.count, expected=signal.expected, upper=signal.upper,
                           urgency=max(existing.urgency, urgency_of(signal)))
        Alert.objects.filter(pk=existing.pk).update(**changes)
        if grew:
            record_event(existing, actor=actor, transition="signal_repeat",
                         note=_("Repeated signal: %(count)s cases (was %(old)s)") % {
                             "count": signal.count, "old": existing.count},
                         data={"count": signal.count, "upper": signal.upper})
    existing.refresh_from_db()
    return existing, False


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"
