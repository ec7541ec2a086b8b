"""Count series from case reports and the daily detection run that turns detector alarms
into alerts.

Series are built in SQL (one grouped query for every disease x subdistrict x period) and
reshaped with pandas into a matrix, gaps filled with zeros. Each series is passed to
`minsheng.detection.detect`; an alarm in the evaluated periods is a `Signal`. Nothing here
writes: `services.detection_run` turns signals into alerts (or groups them into the alert
already open for the same disease, area and period).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from minsheng.core.models import Area
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
