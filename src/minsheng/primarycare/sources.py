"""Indicator sources computed from primary-care and enrolment records (registered in
PrimaryCareConfig.ready). Per community of residence and calendar month:

- ``primarycare.contracts_active`` (last): residents with a contract running at month end
  (started, not yet ended, not terminated before).
- ``primarycare.key_group_contracts`` (last): of those, contracts of key-group members
  (the groups recorded when signing).
- ``primarycare.working_age_residents`` (last): living residents aged WORKING_AGE_MIN to
  WORKING_AGE_MAX at month end (the denominator of the insured rates).
- ``primarycare.pension_insured`` / ``primarycare.medical_insured`` (last): of those, people
  linked to an enrolment in a basic pension (employee or resident) / basic medical
  (employee or resident) scheme running at month end. insured rate = insured / working-age.
- ``primarycare.uninsured_enrolled`` (sum): outreach cases closed as enrolled in the month.
- ``primarycare.referrals_sent`` / ``primarycare.referrals_ack_on_time`` (sum): referrals
  sent in the month, and those acknowledged within their limit (urgent / routine hours).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.core.dates import add_months, month_end, months_between, next_month_start
from minsheng.core.models import Person
from minsheng.indicators.registry import Source, register_source
from minsheng.primarycare.config import setting
from minsheng.primarycare.models import Contract, Enrolment, Outreach, Referral


def _months(start, end):
    for first in months_between(start, end):
        yield first, month_end(first)


def _contracts(start, end, keyed=False):
    for first, last in _months(start, end):
        qs = Contract.objects.filter(start_date__lte=last, end_date__gte=last).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=last)).exclude(
            state="terminated", ended_on__lt=last)
        if keyed:
            qs = qs.exclude(key_groups=[])
        for area_id, n in qs.values("area_id").annotate(n=Count("person_id", distinct=True)) \
                .values_list("area_id", "n"):
            yield area_id, first, float(n)


def contracts_active(start, end):
    return _contracts(start, end)


def key_group_contracts(start, end):
    return _contracts(start, end, keyed=True)


def _working_age(last):
    return Person.objects.filter(
        status=Person.Status.LIVING,
        birth_date__lte=add_months(last, -12 * setting("WORKING_AGE_MIN")),
        birth_date__gt=add_months(last, -12 * (setting("WORKING_AGE_MAX") + 1)))


def _insured(start, end, schemes=None):
    for first, last in _months(start, end):
        qs = _working_age(last)
        if schemes:
            qs = qs.filter(Exists(Enrolment.objects.filter(
                person_id=OuterRef("pk"), scheme__in=schemes, start_date__lte=last).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=last)).filter(
                Q(current=True) | Q(batch__isnull=True))))
        for area_id, n in qs.values("residence_area_id").annotate(n=Count("id")) \
                .values_list("residence_area_id", "n"):
            yield area_id, first, float(n)


def working_age_residents(start, end):
    return _insured(start, end)


def pension_insured(start, end):
    return _insured(start, end, ("pension_employee", "pension_resident"))


def medical_insured(start, end):
    return _insured(start, end, ("medical_employee", "medical_resident"))


def _monthly(qs, date_field, start, end, moment=False):
    """Count rows per community and month of `date_field` (a local date when `moment`)."""
    after = next_month_start(end)
    lookup = f"{date_field}__date" if moment else date_field
    rows = {}
    for area_id, day in qs.filter(**{f"{lookup}__gte": start.replace(day=1),
                                     f"{lookup}__lt": after}).values_list(
            "area_id", date_field).iterator():
        if isinstance(day, datetime.datetime):
            day = timezone.localdate(day)
        key = (area_id, day.replace(day=1))
        rows[key] = rows.get(key, 0) + 1
    return [(a, m, float(n)) for (a, m), n in sorted(rows.items())]


def uninsured_enrolled(start, end):
    return _monthly(Outreach.objects.filter(state="enrolled"), "closed_on", start, end)


def referrals_sent(start, end):
    return _monthly(Referral.objects.all(), "sent_at", start, end, moment=True)


def referrals_ack_on_time(start, end):
    def within(hours):
        return ExpressionWrapper(F("sent_at") + datetime.timedelta(hours=hours),
                                 output_field=DateTimeField())

    qs = Referral.objects.filter(acknowledged_at__isnull=False).filter(
        Q(urgency="urgent", acknowledged_at__lte=within(setting("ACK_HOURS_URGENT")))
        | Q(urgency="routine", acknowledged_at__lte=within(setting("ACK_HOURS_ROUTINE"))))
    return _monthly(qs, "sent_at", start, end, moment=True)


SOURCES = [
    Source("primarycare.contracts_active", "家庭医生签约人数", "人", "month", "last",
           contracts_active, _("Residents with a family-doctor contract running at month end")),
    Source("primarycare.key_group_contracts", "重点人群签约人数", "人", "month", "last",
           key_group_contracts, _("Contracts of key-group members running at month end")),
    Source("primarycare.working_age_residents", "劳动年龄常住人口", "人", "month", "last",
           working_age_residents, _("Living residents of working age at month end")),
    Source("primarycare.pension_insured", "基本养老保险参保人数", "人", "month", "last",
           pension_insured, _("Working-age residents enrolled in a basic pension scheme")),
    Source("primarycare.medical_insured", "基本医疗保险参保人数", "人", "month", "last",
           medical_insured, _("Working-age residents enrolled in basic medical insurance")),
    Source("primarycare.uninsured_enrolled", "未参保人员动员参保人数", "人", "month", "sum",
           uninsured_enrolled, _("Outreach cases closed as enrolled in the month")),
    Source("primarycare.referrals_sent", "双向转诊人次", "人次", "month", "sum",
           referrals_sent, _("Referrals sent in the month")),
    Source("primarycare.referrals_ack_on_time", "按时接收转诊人次", "人次", "month", "sum",
           referrals_ack_on_time, _("Referrals acknowledged within their limit")),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)
