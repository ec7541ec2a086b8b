"""Indicator sources of the eldercare module (registered from EldercareConfig.ready,
listed in docs/registries.md). Bed figures are recomputed from the dated bed periods and
stays for each year's last day (or the range's end, for the running year): one grouped
query per year. Allowance figures are grouped per month in SQL."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from minsheng.indicators.registry import Source, register_source


def _year_ends(start: datetime.date, end: datetime.date):
    for year in range(start.year, end.year + 1):
        yield datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), end)


def _beds(start, end, *, nursing=False, occupied=False):
    from minsheng.eldercare.figures import covering
    from minsheng.eldercare.models import BedPeriod, Stay

    rows = []
    for period, on in _year_ends(start, end):
        if occupied:
            qs = Stay.objects.filter(covering(on, "admitted_on", "discharged_on"))
            area = "area_id"
        else:
            qs = BedPeriod.objects.filter(covering(on, "valid_from", "valid_to"),
                                          status=BedPeriod.Status.IN_SERVICE)
            if nursing:
                qs = qs.filter(bed_type=BedPeriod.Type.NURSING)
            area = "bed__institution__area_id"
        rows += [(a, period, float(n)) for a, n in qs.values(area).order_by().annotate(
            n=Count("id")).values_list(area, "n")]
    return rows


def institution_beds(start, end):
    return _beds(start, end)


def nursing_beds(start, end):
    return _beds(start, end, nursing=True)


def occupied_beds(start, end):
    return _beds(start, end, occupied=True)


def allowance_recipients(start, end):
    """Allowances due for each month (paid or to be paid), by the recipient's area."""
    from minsheng.eldercare.models import PaymentLine

    qs = PaymentLine.objects.filter(month__gte=start, month__lt=end)
    return [(a, m, float(n)) for a, m, n in qs.values("allowance__area_id", "month")
            .order_by().annotate(n=Count("allowance_id", distinct=True))
            .values_list("allowance__area_id", "month", "n")]


def allowance_amount(start, end):
    from minsheng.eldercare.models import PaymentLine

    qs = PaymentLine.objects.filter(month__gte=start, month__lt=end)
    return [(a, m, float(v)) for a, m, v in qs.values("allowance__area_id", "month")
            .order_by().annotate(v=Sum("amount")).values_list("allowance__area_id", "month",
                                                               "v")]


def paid_after_death(start, end):
    """Payments for a month after the recipient's death month (goal: none)."""
    from minsheng.eldercare.models import PaymentLine

    qs = PaymentLine.objects.filter(month__gte=start, month__lt=end,
                                    person__status="deceased",
                                    month__gt=TruncMonth(F("person__status_date")))
    return [(a, m, float(n)) for a, m, n in qs.values("allowance__area_id", "month")
            .order_by().annotate(n=Count("id")).values_list("allowance__area_id", "month",
                                                             "n")]


SOURCES = [
    Source("eldercare.institution_beds", "养老机构床位数", "张", "year", "last",
           institution_beds,
           _("Beds in service in elderly-care institutions on the year's last day, from the "
             "dated bed register."), records="eldercare:home"),
    Source("eldercare.nursing_beds", "养老机构护理型床位数", "张", "year", "last", nursing_beds,
           _("Nursing beds in service on the year's last day; divided by institution beds it "
             "is the nursing-bed share (national goal at least 55%)."),
           records="eldercare:home"),
    Source("eldercare.occupied_beds", "养老机构在住人数", "人", "year", "last", occupied_beds,
           _("Residents in care on the year's last day (stays covering that day)."),
           records="eldercare:home"),
    Source("eldercare.allowance_recipients", "老年人补贴发放人数", "人", "month", "last",
           allowance_recipients,
           _("Old-age, service and care allowances on the month's payment lists.")),
    Source("eldercare.allowance_amount", "老年人补贴发放金额", "元", "month", "sum",
           allowance_amount, _("Amount on the month's allowance payment lists.")),
    Source("eldercare.paid_after_death", "死亡后发放补贴笔数", "笔", "month", "sum",
           paid_after_death,
           _("Allowance payments for a month after the recipient's death month (goal 0).")),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)

