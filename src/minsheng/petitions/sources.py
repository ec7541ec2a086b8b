"""Indicator sources of the petitions module (registered from PetitionsConfig.ready):
one grouped SQL query per source and period range."""

from __future__ import annotations

import datetime

from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from minsheng.indicators.registry import Source, register_source


def _grouped(qs, date_field: str, value):
    rows = (qs.annotate(period=TruncMonth(date_field)).values("area_id", "period")
            .annotate(v=value).values_list("area_id", "period", "v"))
    return [(a, p.date() if isinstance(p, datetime.datetime) else p, float(v or 0))
            for a, p, v in rows]


def received(start, end):
    from minsheng.petitions.models import Petition

    return _grouped(Petition.objects.filter(received_on__gte=start, received_on__lt=end),
                    "received_on", Count("id"))


def accepted(start, end):
    from minsheng.petitions.models import Petition

    return _grouped(Petition.objects.filter(accepted_on__gte=start, accepted_on__lt=end),
                    "accepted_on", Count("id"))


def replied_within_limit(start, end):
    from minsheng.petitions.models import Petition

    qs = Petition.objects.filter(replied_on__gte=start, replied_on__lt=end,
                                 replied_on__lte=F("handle_due"))
    return _grouped(qs, "replied_on", Count("id"))


def replied(start, end):
    from minsheng.petitions.models import Petition

    return _grouped(Petition.objects.filter(replied_on__gte=start, replied_on__lt=end),
                    "replied_on", Count("id"))


def repeats(start, end):
    from minsheng.petitions.models import Petition

    return _grouped(Petition.objects.filter(received_on__gte=start, received_on__lt=end,
                                            repeat_of__isnull=False),
                    "received_on", Count("id"))


def satisfied(start, end):
    from minsheng.petitions.models import Petition

    return _grouped(Petition.objects.filter(rated_on__gte=start, rated_on__lt=end,
                                            satisfaction__in=("satisfied", "basic")),
                    "rated_on", Count("id"))


def rated(start, end):
    from minsheng.petitions.models import Petition

    return _grouped(Petition.objects.filter(rated_on__gte=start, rated_on__lt=end)
                    .exclude(satisfaction=""), "rated_on", Count("id"))


SOURCES = [
    Source("petitions.received", "信访事项登记件数", "件", "month", "sum", received,
           _("Petitions registered, by month received and area")),
    Source("petitions.accepted", "信访事项受理件数", "件", "month", "sum", accepted,
           _("Petitions accepted, by month of acceptance")),
    Source("petitions.replied", "信访事项办结件数", "件", "month", "sum", replied,
           _("Petitions replied to in writing, by month of reply")),
    Source("petitions.replied_within_limit", "按期办结件数", "件", "month", "sum",
           replied_within_limit,
           _("Replied on or before the handling limit (60 days plus any extension)")),
    Source("petitions.repeats", "重复信访件数", "件", "month", "sum", repeats,
           _("Petitions linked to an earlier one of the same person on the same matter")),
    Source("petitions.rated", "满意度评价件数", "件", "month", "sum", rated,
           _("Replies the petitioner rated")),
    Source("petitions.satisfied", "满意及基本满意件数", "件", "month", "sum", satisfied,
           _("Replies rated satisfied or basically satisfied")),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)
