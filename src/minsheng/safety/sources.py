"""Indicator sources of the safety module (registered from SafetyConfig.ready). Each
aggregates in SQL: one grouped query per source and period range."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.utils.translation import gettext_lazy as _

from minsheng.indicators.registry import Source, register_source
from minsheng.safety.config import setting


def _month(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _grouped(qs, date_field: str, value, trunc=TruncMonth, area: str = "area_id"):
    rows = (qs.annotate(period=trunc(date_field)).values(area, "period")
            .annotate(v=value).values_list(area, "period", "v"))
    return [(a, _month(p), float(v or 0)) for a, p, v in rows]


def hazards_found(start, end):
    from minsheng.safety.models import Hazard

    return _grouped(Hazard.objects.filter(found_on__gte=start, found_on__lt=end),
                    "found_on", Count("id"))


def hazards_rectified_on_time(start, end):
    from minsheng.safety.models import Hazard

    qs = Hazard.objects.filter(rectified_on__gte=start, rectified_on__lt=end,
                               rectified_on__lte=F("rectify_due"))
    return _grouped(qs, "rectified_on", Count("id"))


def hazards_overdue(start, end):
    """Open hazards past their deadline at the end of each month (a stock)."""
    from minsheng.safety.models import Hazard

    rows = []
    month = start.replace(day=1)
    while month < end:
        nxt = (month + datetime.timedelta(days=32)).replace(day=1)
        last = nxt - datetime.timedelta(days=1)
        qs = Hazard.objects.filter(rectify_due__lt=last, found_on__lte=last).filter(
            Q(rectified_on__isnull=True) | Q(rectified_on__gt=last))
        rows += [(a, month, float(n)) for a, n in qs.values("area_id").annotate(
            n=Count("id")).values_list("area_id", "n")]
        month = nxt
    return rows


def major_sources(start, end):
    from minsheng.safety.models import MajorHazardSource

    rows = []
    year = start.year
    while datetime.date(year, 1, 1) < end:
        qs = MajorHazardSource.objects.exclude(level="").filter(
            identified_on__lte=datetime.date(year, 12, 31))
        rows += [(a, datetime.date(year, 1, 1), float(n)) for a, n in qs.values(
            "area_id").annotate(n=Count("id")).values_list("area_id", "n")]
        year += 1
    return rows


def alarms(start, end):
    from minsheng.safety.models import Alarm

    return _grouped(Alarm.objects.filter(first_ts__date__gte=start, first_ts__date__lt=end),
                    "first_ts", Count("id"))


def ack_minutes_mean(start, end):
    """Mean minutes from alarm to acknowledgement, per area and rolled up the area tree
    (not additive, so every level is returned)."""
    from minsheng.core.models import Area
    from minsheng.safety.models import Alarm

    qs = (Alarm.objects.filter(created_at__date__gte=start, created_at__date__lt=end,
                               acknowledged_at__isnull=False)
          .annotate(period=TruncMonth("created_at"))
          .values("area__path", "period")
          .annotate(n=Count("id"), total=Sum(F("acknowledged_at") - F("created_at"))))
    sums: dict[tuple[str, datetime.date], list[float]] = {}
    for row in qs:
        parts = row["area__path"].split("/")
        total = row["total"]
        seconds = total.total_seconds() if hasattr(total, "total_seconds") else total / 1e6
        for depth in range(1, len(parts) + 1):
            acc = sums.setdefault(("/".join(parts[:depth]), _month(row["period"])), [0.0, 0])
            acc[0] += seconds
            acc[1] += row["n"]
    ids = dict(Area.objects.filter(path__in={p for p, _n in sums}).values_list("path", "id"))
    return [(ids[p], m, round(s / n / 60, 2)) for (p, m), (s, n) in sums.items() if p in ids]


def drills_done(start, end):
    from minsheng.safety.models import Drill

    return _grouped(Drill.objects.filter(held_on__gte=start, held_on__lt=end), "held_on",
                    Count("id"), TruncYear, "plan__area_id")


def drills_due(start, end):
    """Plans whose required drill interval (by type) ends in the year."""
    from minsheng.safety.models import EmergencyPlan
    from minsheng.safety.selectors import add_months

    months = setting("DRILL_MONTHS")
    rows: dict[tuple[int, datetime.date], float] = {}
    plans = EmergencyPlan.objects.annotate(last=Max(
        "drills__held_on")).values_list("area_id", "plan_type", "issued_on", "last")
    for area_id, plan_type, issued, last in plans:
        due = add_months(last or issued, months.get(plan_type, 12))
        if start <= due < end:
            key = (area_id, datetime.date(due.year, 1, 1))
            rows[key] = rows.get(key, 0) + 1
    return [(a, y, v) for (a, y), v in rows.items()]


def accidents(start, end):
    from minsheng.safety.models import Accident

    return _grouped(Accident.objects.filter(occurred_at__date__gte=start,
                                            occurred_at__date__lt=end),
                    "occurred_at", Count("id"))


def deaths(start, end):
    from minsheng.safety.models import Accident

    return _grouped(Accident.objects.filter(occurred_at__date__gte=start,
                                            occurred_at__date__lt=end),
                    "occurred_at", Sum("deaths"))


def releases_within_limit(start, end):
    from minsheng.safety.models import Release

    limit = setting("RELEASE_HOURS") * 60
    qs = Release.objects.filter(published_at__date__gte=start, published_at__date__lt=end,
                                minutes_to_release__lte=limit)
    return _grouped(qs, "published_at", Count("id"))


SOURCES = [
    ("hazards_found", "排查发现隐患数", "项", "month", "sum", hazards_found),
    ("hazards_rectified_on_time", "按期整改隐患数", "项", "month", "sum",
     hazards_rectified_on_time),
    ("hazards_overdue", "逾期未整改隐患数", "项", "month", "last", hazards_overdue),
    ("major_sources", "重大危险源数", "处", "year", "last", major_sources),
    ("alarms", "监测预警报警数", "次", "month", "sum", alarms),
    ("ack_minutes_mean", "报警平均响应时间", "分钟", "month", "none", ack_minutes_mean),
    ("drills_done", "应急演练次数", "次", "year", "sum", drills_done),
    ("drills_due", "应开展应急演练数", "次", "year", "sum", drills_due),
    ("accidents", "生产安全事故起数", "起", "month", "sum", accidents),
    ("deaths", "生产安全事故死亡人数", "人", "month", "sum", deaths),
    ("releases_within_limit", "按时发布事故信息数", "条", "month", "sum",
     releases_within_limit),
]


# What each source counts, shown on the indicator definitions page (translated there).
DESCRIPTIONS = {
    "hazards_overdue": _("Open hazards past their deadline at the end of each month."),
    "ack_minutes_mean": _("Mean minutes from alarm to acknowledgement, per area."),
    "drills_due": _("Plans whose required drill interval (by type) ends in the year."),
}


def register() -> None:
    for code, name, unit, period, aggregation, compute in SOURCES:
        register_source(Source(code=f"safety.{code}", name=name, unit=unit, period=period,
                               aggregation=aggregation, compute=compute,
                               description=DESCRIPTIONS.get(code, name)))
