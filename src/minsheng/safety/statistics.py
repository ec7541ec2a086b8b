"""Quarterly and annual hazard statistics per enterprise and area (aggregated in SQL)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q

from minsheng.core.access import as_actor
from minsheng.core.spreadsheets import write_xlsx
from minsheng.safety import permissions as P
from minsheng.safety.config import setting
from minsheng.safety.selectors import hazard_list


@dataclass
class Report:
    label: str
    start: datetime.date
    end: datetime.date
    due_on: datetime.date
    by_enterprise: list[dict]
    by_area: list[dict]


def period(year: int, quarter: int | None) -> tuple[datetime.date, datetime.date,
                                                    datetime.date, str]:
    """(first day, last day, report due date, label). Quarterly reports are due on the
    configured day of the next quarter's first month; annual ones on 31 January."""
    if quarter:
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1-4")
        start = datetime.date(year, 3 * quarter - 2, 1)
        nxt = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        due = nxt.replace(day=setting("QUARTERLY_REPORT_DAY"))
        return start, nxt - datetime.timedelta(days=1), due, f"{year}Q{quarter}"
    month, day = setting("ANNUAL_REPORT_MONTH_DAY")
    return (datetime.date(year, 1, 1), datetime.date(year, 12, 31),
            datetime.date(year + 1, month, day), str(year))


def _counts():
    return dict(
        found=Count("id"),
        major=Count("id", filter=Q(grade="major")),
        rectified=Count("id", filter=Q(rectified_on__isnull=False)),
        on_time=Count("id", filter=Q(rectified_on__isnull=False,
                                     rectified_on__lte=F("rectify_due"))),
        written_off=Count("id", filter=Q(state="closed")),
        listed=Count("id", filter=Q(listed=True)))


def hazard_statistics(actor, *, year: int, quarter: int | None = None) -> Report:
    actor = as_actor(actor)
    start, end, due, label = period(year, quarter)
    qs = hazard_list(actor, permission=P.VIEW).filter(found_on__gte=start, found_on__lte=end)
    overdue = Q(rectify_due__lt=min(end + datetime.timedelta(days=1), datetime.date.today()),
                rectified_on__isnull=True) | Q(rectified_on__gt=F("rectify_due"))
    by_enterprise = list(qs.order_by().values(
        "enterprise_id", enterprise_name=F("enterprise__name"),
        area_name=F("area__name")).annotate(
        **_counts(), overdue=Count("id", filter=overdue)).order_by("area_name",
                                                                  "enterprise_name"))
    by_area = list(qs.order_by().values("area_id", area_name=F("area__name")).annotate(
        **_counts(), overdue=Count("id", filter=overdue)).order_by("area_name"))
    return Report(label, start, end, due, by_enterprise, by_area)


COLUMNS = [("found", "排查隐患数"), ("major", "重大隐患"), ("rectified", "已整改"),
           ("on_time", "按期整改"), ("overdue", "逾期"), ("written_off", "已销号"),
           ("listed", "挂牌督办")]


def write_xlsx_report(report: Report, target) -> None:
    header = [label for _, label in COLUMNS]
    write_xlsx(target, [
        ("按区域", ["区域", *header], ([r["area_name"], *[r[k] for k, _ in COLUMNS]]
                                     for r in report.by_area)),
        ("按企业", ["企业", "区域", *header],
         ([r["enterprise_name"], r["area_name"], *[r[k] for k, _ in COLUMNS]]
          for r in report.by_enterprise)),
    ])
