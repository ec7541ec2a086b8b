"""Indicator sources fed by social assistance (registered from AppConfig.ready). Each is
a handful of aggregate queries per period (set-based), never a loop over people."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from minsheng.core.dates import month_end as _month_end
from minsheng.core.dates import months_between as months
from minsheng.indicators.registry import Source, register_source


def _stock(model, value, extra=Q()):
    def compute(start, end):
        for month in months(start, end):
            last = _month_end(month)
            active = (Q(start_month__lte=last) & extra
                      & (Q(exited_on__isnull=True) | Q(exited_on__gt=last)))
            for area_id, total in (model.objects.filter(active).values("area_id")
                                   .annotate(v=value).values_list("area_id", "v")):
                yield area_id, month, float(total or 0)
    return compute


def _tekun_stock(start, end):
    from minsheng.assistance.models import TekunPerson

    for month in months(start, end):
        last = _month_end(month)
        rows = (TekunPerson.objects.filter(Q(start_month__lte=last)
                                           & (Q(ended_on__isnull=True) | Q(ended_on__gt=last)))
                .values("area_id").annotate(v=Count("id")).values_list("area_id", "v"))
        for area_id, total in rows:
            yield area_id, month, float(total)


def _counted(model_name, date_field, extra):
    def compute(start, end):
        from minsheng.assistance import models

        model = getattr(models, model_name)
        rows = (model.objects.filter(extra, **{f"{date_field}__gte": start,
                                               f"{date_field}__lte": end})
                .values("area_id", f"{date_field}__year", f"{date_field}__month")
                .annotate(v=Count("id")))
        for row in rows:
            yield (row["area_id"], datetime.date(row[f"{date_field}__year"],
                                                 row[f"{date_field}__month"], 1), float(row["v"]))
    return compute


def _decided(start, end):
    """(area path, month, working days, within limit) for dibao cases decided in range."""
    from minsheng.assistance.models import DibaoCase
    from minsheng.assistance.services.clocks import overall_limit
    from minsheng.core import workdays

    cases = (DibaoCase.objects.filter(decided_on__gte=start, decided_on__lte=end,
                                      accepted_on__isnull=False)
             .select_related("area").only("accepted_on", "decided_on", "delegated",
                                          "extension_reason", "area__path"))
    for case in cases.iterator(chunk_size=2000):
        days = workdays.working_days_between(case.accepted_on, case.decided_on)
        yield case.area.path, case.decided_on.replace(day=1), days, days <= overall_limit(case)


def _all_levels(rows, reduce):
    """Roll (path, month, value) rows up to every ancestor area; non-additive figures."""
    from minsheng.core.models import Area

    ids = dict(Area.objects.values_list("path", "id"))
    groups = defaultdict(list)
    for path, month, *values in rows:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            groups[("/".join(parts[:depth]), month)].append(values)
    for (path, month), values in groups.items():
        if path in ids:
            yield ids[path], month, reduce(values)


def _processing_mean(start, end):
    return _all_levels(_decided(start, end), lambda v: sum(x[0] for x in v) / len(v))


def _within_share(start, end):
    return _all_levels(_decided(start, end), lambda v: 100.0 * sum(x[1] for x in v) / len(v))


def register_sources() -> None:
    from minsheng.assistance.models import DibaoBenefit

    for source in (
        Source("assistance.dibao_households", "低保户数", "户", "month", "last",
               _stock(DibaoBenefit, Count("id")), _("Households receiving dibao at month end")),
        Source("assistance.dibao_persons", "低保人数", "人", "month", "last",
               _stock(DibaoBenefit, Sum("members")), _("Persons in dibao households")),
        Source("assistance.temporary_grants", "临时救助人次", "人次", "month", "sum",
               _counted("TemporaryGrant", "decided_on",
                        Q(state__in=["granted", "approved", "completed"])),
               _("Temporary assistance grants made in the month")),
        Source("assistance.tekun_persons", "特困供养人数", "人", "month", "last", _tekun_stock,
               _("Persons receiving extreme-poverty support at month end")),
        Source("assistance.processing_days_mean", "低保审核确认平均用时", "工作日", "month",
               "none", _processing_mean, _("Mean working days from acceptance to decision")),
        Source("assistance.decided_within_limit_share", "低保按时办结率", "%", "month",
               "none", _within_share, _("Share of dibao decisions within the legal limit")),
        Source("assistance.coverage_found", "新纳入低保户数", "户", "month", "sum",
               _counted("DibaoCase", "decided_on", Q(decision="approved", kind="new")),
               _("Households newly covered (应保尽保)")),
        Source("assistance.exits", "退出低保户数", "户", "month", "sum",
               _counted("DibaoBenefit", "exited_on", Q(state="exited")),
               _("Households that left dibao (应退尽退)")),
    ):
        register_source(source)
