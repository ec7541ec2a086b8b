"""Indicator sources of the culture module (registered from CultureConfig.ready). Each
aggregates in SQL: stocks (sites, items, inheritors, facility area) are counted at each
year end with one grouped query per year; flows (checks, consents) by month."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from minsheng.core.dates import add_months
from minsheng.culture.config import setting
from minsheng.indicators.registry import Source, register_source


def _years(start: datetime.date, end: datetime.date):
    year = start.year
    while datetime.date(year, 1, 1) < end:
        yield datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        year += 1


def _per_year(start, end, queryset_at, value=None):
    rows = []
    for first, last in _years(start, end):
        qs = queryset_at(last)
        rows += [(a, first, float(v or 0)) for a, v in qs.values("area_id").annotate(
            v=value or Count("id")).values_list("area_id", "v")]
    return rows


def _designated(last):
    from minsheng.culture.models import HeritageSite

    return HeritageSite.objects.exclude(level="registered").filter(designated_on__lte=last)


def protected_sites(start, end):
    return _per_year(start, end, _designated)


def sites_with_zones(start, end):
    """Designated sites whose protection range was delimited by the year end."""
    return _per_year(start, end, lambda last: _designated(last).filter(
        zones__kind="protection", zones__delimited_on__lte=last).distinct())


def delimitation_overdue(start, end):
    """Designated sites past the statutory limit with no protection range at year end."""
    def overdue(last):
        limit = add_months(last, -setting("DELIMIT_MONTHS"))
        return _designated(limit).exclude(
            zones__kind="protection", zones__delimited_on__lte=last)
    return _per_year(start, end, overdue)


def _monthly(qs, field):
    rows = (qs.annotate(period=TruncMonth(field)).values("area_id", "period")
            .annotate(v=Count("id")).values_list("area_id", "period", "v"))
    return [(a, p.date() if isinstance(p, datetime.datetime) else p, float(v))
            for a, p, v in rows]


def construction_checks(start, end):
    from minsheng.culture.models import ConstructionCheck

    return _monthly(ConstructionCheck.objects.filter(created_at__date__gte=start,
                                                     created_at__date__lt=end), "created_at")


def consents_opened(start, end):
    from minsheng.culture.models import ConsentCase

    return _monthly(ConsentCase.objects.filter(received_on__gte=start, received_on__lt=end),
                    "received_on")


def intangible_items(start, end):
    from minsheng.culture.models import IntangibleItem

    return _per_year(start, end, lambda last: IntangibleItem.objects.filter(listed_on__lte=last))


def inheritors_recognised(start, end):
    """Recognised inheritors at the year end (not revoked by then), by the item's area."""
    from minsheng.culture.models import Inheritor

    rows = []
    for first, last in _years(start, end):
        qs = Inheritor.objects.filter(recognised_on__lte=last).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=last))
        rows += [(a, first, float(n)) for a, n in qs.values("item__area_id").annotate(
            n=Count("id")).values_list("item__area_id", "n")]
    return rows


def facility_area(start, end):
    """Floor area (m²) of public cultural facilities open at the year end."""
    from minsheng.culture.models import CulturalFacility

    return _per_year(start, end, lambda last: CulturalFacility.objects.filter(
        opened_on__lte=last).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=last)),
        Sum("floor_area_m2"))


SOURCES = [
    ("protected_sites", "文物保护单位数", "处", "year", "last", protected_sites),
    ("sites_with_zones", "已划定保护范围的文物保护单位数", "处", "year", "last",
     sites_with_zones),
    ("delimitation_overdue", "逾期未划定保护范围的文物保护单位数", "处", "year", "last",
     delimitation_overdue),
    ("construction_checks", "建设项目文物影响核查数", "项", "month", "sum", construction_checks),
    ("consents_opened", "建设控制地带文物审批受理数", "件", "month", "sum", consents_opened),
    ("intangible_items", "非遗代表性项目数", "项", "year", "last", intangible_items),
    ("inheritors_recognised", "非遗代表性传承人数", "人", "year", "last",
     inheritors_recognised),
    ("facility_area", "公共文化设施面积", "平方米", "year", "last", facility_area),
]

DESCRIPTIONS = {
    "sites_with_zones": _("Designated sites whose protection range was delimited by the "
                          "year end."),
    "delimitation_overdue": _("Designated sites past the statutory limit with no "
                              "protection range at the year end."),
    "facility_area": _("Floor area of public cultural facilities open at the year end."),
}


def register() -> None:
    for code, name, unit, period, aggregation, compute in SOURCES:
        register_source(Source(code=f"culture.{code}", name=name, unit=unit, period=period,
                               aggregation=aggregation, compute=compute,
                               description=DESCRIPTIONS.get(code, name)))
