"""Indicator sources of food and drug safety (registered from FoodSafetyConfig.ready),
one grouped SQL query each."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from minsheng.indicators.registry import Source, register_source


def _day(v):
    return v.date() if isinstance(v, datetime.datetime) else v


def _grouped(qs, field, value, trunc=TruncMonth):
    rows = (qs.annotate(period=trunc(field)).values("area_id", "period").annotate(v=value)
            .values_list("area_id", "period", "v"))
    return [(a, _day(p), float(v or 0)) for a, p, v in rows]


def inspections_done(start, end):
    from minsheng.foodsafety.models import Inspection

    return _grouped(Inspection.objects.filter(done_on__gte=start, done_on__lt=end),
                    "done_on", Count("id"))


def inspections_with_findings(start, end):
    from minsheng.foodsafety.models import Inspection

    return _grouped(Inspection.objects.filter(done_on__gte=start, done_on__lt=end,
                                              findings__isnull=False).distinct(),
                    "done_on", Count("id", distinct=True))


def samples_tested(start, end):
    from minsheng.foodsafety.models import Sample

    return _grouped(Sample.objects.filter(reported_on__gte=start, reported_on__lt=end),
                    "reported_on", Count("id"))


def samples_qualified(start, end):
    from minsheng.foodsafety.models import Sample

    return _grouped(Sample.objects.filter(reported_on__gte=start, reported_on__lt=end,
                                          state="qualified"), "reported_on", Count("id"))


def handled_in_time(start, end):
    from django.db.models import F

    from minsheng.foodsafety.models import Sample

    return _grouped(Sample.objects.filter(handled_on__gte=start, handled_on__lt=end,
                                          handled_on__lte=F("handle_due")),
                    "handled_on", Count("id"))


def _year_ends(start, end):
    year = start.year
    while datetime.date(year, 1, 1) < end:
        yield datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        year += 1


def operators_graded_d(start, end):
    """Operators of the highest risk grade (D) at year end (the current grade)."""
    from minsheng.foodsafety.models import Operator

    rows = []
    for first, _last in _year_ends(start, end):
        rows += [(a, first, float(n)) for a, n in Operator.objects.filter(
            state="active", grade="D").values("area_id").annotate(n=Count("id"))
            .values_list("area_id", "n")]
    return rows


def active_on_expired_licence(start, end):
    """Operating operators whose every licence had lapsed at year end (goal 0)."""
    from minsheng.foodsafety.models import Licence, Operator

    rows = []
    for first, last in _year_ends(start, end):
        current = Licence.objects.filter(issued_on__lte=last, expires_on__gte=last).exclude(
            state__in=("cancelled", "superseded"))
        qs = (Operator.objects.filter(state="active", licences__isnull=False)
              .exclude(licences__in=current).distinct())
        rows += [(a, first, float(n)) for a, n in qs.values("area_id")
                 .annotate(n=Count("id", distinct=True)).values_list("area_id", "n")]
    return rows


SOURCES = [
    Source("foodsafety.inspections_done", "食品安全监督检查次数", "次", "month", "sum",
           inspections_done, _("food inspections recorded, by inspection date")),
    Source("foodsafety.inspections_with_findings", "发现问题的监督检查次数", "次", "month",
           "sum", inspections_with_findings, _("inspections with at least one failed item")),
    Source("foodsafety.samples_tested", "食品抽检批次", "批次", "month", "sum", samples_tested,
           _("samples with a lab result, by report date")),
    Source("foodsafety.samples_qualified", "食品抽检合格批次", "批次", "month", "sum",
           samples_qualified, _("samples found qualified, by report date")),
    Source("foodsafety.unqualified_handled_in_time", "不合格食品按期核查处置批次", "批次",
           "month", "sum", handled_in_time, _("unqualified samples handled by their limit")),
    Source("foodsafety.operators_grade_d", "D级风险食品经营者数", "家", "year", "last",
           operators_graded_d, _("operating operators of risk grade D")),
    Source("foodsafety.active_on_expired_licence", "持过期许可证经营的经营者数", "家", "year",
           "last", active_on_expired_licence, _("operating operators whose licences lapsed")),
]


def register():
    for source in SOURCES:
        register_source(source)
