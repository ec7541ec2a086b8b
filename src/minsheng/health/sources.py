"""Indicator sources of the health module (registered in apps.py; listed in
docs/registries.md). Each aggregates records in SQL into (area id, period start, value)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import Area, Person
from minsheng.health.models import Alert, BedCount, CaseReport, SupplyItem
from minsheng.indicators.registry import Source


def _years(start: datetime.date, end: datetime.date) -> range:
    return range(start.year, end.year + 1)


def _months(start: datetime.date, end: datetime.date):
    d = start.replace(day=1)
    while d <= end:
        yield d
        d = (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def hospital_beds(start, end):
    """Year-end actual open beds (excluding newborn cots, observation and companion beds),
    summed per area where the hospitals are; the engine rolls them up."""
    rows = (BedCount.objects.filter(year__gte=start.year, year__lte=end.year)
            .values("organization__area_id", "year").annotate(beds=Sum("actual_beds"))
            .order_by())
    return [(r["organization__area_id"], datetime.date(r["year"], 1, 1), float(r["beds"]))
            for r in rows]


def life_expectancy(start, end):
    """e0 of the district and each subdistrict per complete year (not additive)."""
    from minsheng.health.demography import complete_years, compute_life_tables

    years = [y for y in complete_years() if start.year <= y <= end.year]
    out = []
    for year in years:
        for entry in compute_life_tables(year):
            if entry["e0"] is not None:
                out.append((entry["area_id"], datetime.date(year, 1, 1),
                            round(entry["e0"], 2)))
    return out


def deaths(start, end):
    rows = (Person.objects.filter(status=Person.Status.DECEASED, status_date__gte=start,
                                  status_date__lte=end)
            .values("residence_area_id", "status_date__year").annotate(n=Count("id"))
            .order_by())
    return [(r["residence_area_id"], datetime.date(r["status_date__year"], 1, 1),
             float(r["n"])) for r in rows]


def case_reports(start, end):
    rows = (CaseReport.objects.filter(report_date__gte=start, report_date__lte=end)
            .annotate(m=TruncMonth("report_date")).values("area_id", "m")
            .annotate(n=Count("id")).order_by())
    return [(r["area_id"], _as_date(r["m"]), float(r["n"])) for r in rows]


def alerts(start, end):
    """Alerts opened per month, at the area they were raised for (a subdistrict, or the
    district for signals of the district total)."""
    rows = (Alert.objects.filter(opened_at__date__gte=start, opened_at__date__lte=end)
            .annotate(m=TruncMonth("opened_at")).values("area_id", "m")
            .annotate(n=Count("id")).order_by())
    return [(r["area_id"], _as_date(r["m"]), float(r["n"])) for r in rows]


def alert_response_hours_mean(start, end):
    """Mean hours from signal to verification of the alerts opened in the month, for each
    area with alerts and for every ancestor of those areas (subtree means)."""
    base = Alert.objects.filter(opened_at__date__gte=start, opened_at__date__lte=end,
                                response_hours__isnull=False)
    out = []
    for area in Area.objects.filter(level__in=[Area.Level.DISTRICT, Area.Level.SUBDISTRICT]):
        rows = (base.filter(Q(area__path=area.path) | Q(area__path__startswith=area.path + "/"))
                .annotate(m=TruncMonth("opened_at")).values("m")
                .annotate(h=Avg("response_hours")).order_by())
        out += [(area.id, _as_date(r["m"]), round(float(r["h"]), 2)) for r in rows]
    return out


def supplies_shortfall_items(start, end):
    """Items whose usable stock at the end of the month (lots received by then and not
    expired) is below the required reserve. Lot quantities are today's (issues are not
    dated), so past months are an approximation."""
    out = []
    for month in _months(start, end):
        month_end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) \
            - datetime.timedelta(days=1)
        usable = Q(lots__received_on__lte=month_end) & (Q(lots__expiry_date__gt=month_end)
                                                         | Q(lots__expiry_date=None))
        short = (SupplyItem.objects.filter(created_at__date__lte=month_end)
                 .annotate(stock=Sum("lots__quantity", filter=usable))
                 .filter(Q(stock__lt=F("required_quantity"))
                         | Q(stock=None, required_quantity__gt=0))
                 .values_list("area_id", flat=True))
        # items number in the tens: count them per area after the per-item aggregate
        out += [(area_id, month, float(n)) for area_id, n in Counter(short).items()]
    return out


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


SOURCES = [
    Source("health.hospital_beds", "医院实有床位数", "张", "year", "last", hospital_beds,
           _("Hospitals' actual open beds at year end, excluding newborn cots, observation and "
             "companion beds; divide by the resident population for beds per 1,000.")),
    Source("health.life_expectancy", "人均预期寿命", "岁", "year", "none", life_expectancy,
           _("Life expectancy at birth from an abridged life table (Chiang), per district and "
             "subdistrict, from registry deaths and mid-year population.")),
    Source("health.deaths", "死亡人数", "人", "year", "sum", deaths,
           _("Deaths of residents (registry status deceased) by year of death.")),
    Source("health.case_reports", "法定传染病报告病例数", "例", "month", "sum", case_reports,
           _("Notifiable-disease case reports by month of report and residential community.")),
    Source("health.alerts", "传染病预警信号数", "条", "month", "sum", alerts,
           _("Outbreak early-warning alerts opened per month.")),
    Source("health.alert_response_hours_mean", "预警信号平均响应时间", "小时", "month", "none",
           alert_response_hours_mean,
           _("Mean hours from signal to verification of alerts opened in the month.")),
    Source("health.supplies_shortfall_items", "应急医疗物资储备不足品种数", "种", "month", "last",
           supplies_shortfall_items,
           _("Emergency medical supply items below their required reserve at month end.")),
]
