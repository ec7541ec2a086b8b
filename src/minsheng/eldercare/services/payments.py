"""Monthly allowance payment lists (PAYMENT_LIST workflow) in the bank's layout.

Kept inside eldercare on purpose: social assistance has its own rosters, and a shared
payments engine is a separate decision (see docs/eldercare.md). A list pays every active
allowance of the area for the month, priced in SQL by age tier, and leaves out with the
reason: anyone dead or moved out before the month (no payment for any month after the
death month) and anyone held by a death match still to confirm."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from minsheng.casework.workflow import transition
from minsheng.core import audit, dates
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area, AuditEntry, Person
from minsheng.eldercare import permissions as P
from minsheng.eldercare.amounts import amount_expression
from minsheng.eldercare.models import Allowance, DeathMatch, PaymentLine, PaymentList


def _due(area: Area, month: datetime.date):
    in_area = Q(area=area) | Q(area__path__startswith=area.path + "/")
    return Allowance.objects.filter(in_area, state__in=("active", "stopped"),
                                    start_month__lte=month).filter(
        Q(stop_month__isnull=True) | Q(stop_month__gte=month))


def payment_list_build(*, actor, area: Area, month: datetime.date) -> PaymentList:
    actor = as_actor(actor)
    require(actor, P.PAY, area)
    month = dates.month_start(month)
    due = _due(area, month)
    # alive, or the event happened in this month or later (the death month is paid)
    gone = ~Q(person__status=Person.Status.LIVING) & Q(person__status_date__lt=month)
    held = Q(pk__in=DeathMatch.objects.filter(state="pending").values("allowance_id"))
    excluded = [{"allowance": pk, "name": name, "reason": str(reason)}
                for pk, name, reason in (
                    [(pk, n, _("deceased or moved out before the month"))
                     for pk, n in due.filter(gone).values_list("pk", "person__name")]
                    + [(pk, n, _("held: a possible death record to confirm"))
                       for pk, n in due.filter(held).exclude(gone)
                       .values_list("pk", "person__name")])]
    payable = (due.exclude(gone).exclude(held).annotate(amount=amount_expression(month))
               .filter(amount__gt=0))
    try:
        with transaction.atomic():
            plist = PaymentList.objects.create(area=area, month=month, excluded=excluded)
            rows = payable.values_list("pk", "person_id", "bank_account", "amount")
            lines = [PaymentLine(payment_list=plist, allowance_id=pk, person_id=person,
                                 month=month, account=account, amount=amount)
                     for pk, person, account, amount in rows.iterator(chunk_size=10000)]
            PaymentLine.objects.bulk_create(lines, batch_size=5000)
            total = sum((x.amount for x in lines), Decimal(0))
            PaymentList.objects.filter(pk=plist.pk).update(lines_count=len(lines), total=total)
            plist.lines_count, plist.total = len(lines), total
            audit.record(actor, AuditEntry.Action.CREATE, obj=plist,
                         object_repr=f"{area.name} {month:%Y-%m}",
                         changes={"lines": [0, len(lines)], "excluded": [0, len(excluded)],
                                  "total": [0, str(total)]})
    except IntegrityError:
        raise Conflict(_("The payment list for this area and month already exists."),
                       field="month") from None
    return plist


def payment_list_move(*, actor, payment_list: PaymentList, version: int | None,
                      action: str) -> PaymentList:
    if action not in ("approve", "paid"):
        raise ValidationFailed(_("Unknown action: %s") % action)
    return transition(actor=actor, case=payment_list, name=action, version=version)


def payment_list_write_xlsx(*, actor, payment_list: PaymentList, target) -> None:
    """The bank layout: sequence, name, masked ID, account, amount, month (an audited
    export of personal data)."""
    actor = as_actor(actor)
    require(actor, P.PAY, payment_list.area)
    from minsheng.core.spreadsheets import write_xlsx

    header = [pgettext("bank layout", "No."), pgettext("bank layout", "Name"),
              pgettext("bank layout", "Resident ID number"),
              pgettext("bank layout", "Bank account"), pgettext("bank layout", "Amount (yuan)"),
              pgettext("bank layout", "Month"), pgettext("bank layout", "Allowance")]
    kinds = dict(Allowance.Kind.choices)
    lines = (payment_list.lines.order_by("id")
             .values_list("person__name", "person__id_number", "account", "amount",
                          "allowance__kind"))
    month = f"{payment_list.month:%Y-%m}"
    rows = ([n, name, mask(idn), account, float(amount), month, str(kinds[kind])]
            for n, (name, idn, account, amount, kind)
            in enumerate(lines.iterator(chunk_size=5000), start=1))
    totals = payment_list.lines.aggregate(t=Sum("amount"))["t"] or 0
    with transaction.atomic():
        write_xlsx(target, [(month, header, rows),
                            (pgettext("bank layout", "Summary"),
                             [pgettext("bank layout", "Lines"),
                              pgettext("bank layout", "Total (yuan)")],
                             [[payment_list.lines_count, float(totals)]])])
        audit.record(actor, AuditEntry.Action.EXPORT, obj=payment_list,
                     object_repr=f"payment list {payment_list.area.name} {month}")
