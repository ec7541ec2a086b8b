"""Monthly payments: a roster per subdistrict and month in the bank's layout, and the
reconciliation of payments the bank returned (PAYMENT_LINE workflow)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.assistance.models import DibaoBenefit, PaymentLine, PaymentRoster, TekunPerson
from minsheng.assistance.permissions import PAY
from minsheng.assistance.services.moves import move
from minsheng.core import audit, dates
from minsheng.core.access import as_actor, require
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area, AuditEntry


def roster_create(*, actor, area: Area, month: datetime.date) -> PaymentRoster:
    """The month's payment roster for a subdistrict: active dibao households and tekun
    persons whose payment has started; deceased or moved-out payees and exited benefits
    are left out and listed with the reason (checked against the registry now)."""
    actor = as_actor(actor)
    require(actor, PAY, area)
    month = dates.month_start(month)
    last = dates.month_end(month)
    in_area = Q(area__path__startswith=area.path + "/") | Q(area=area)
    benefits = DibaoBenefit.objects.filter(in_area, start_month__lte=month).filter(
        Q(state="active") | Q(state="gradual_exit", gradual_exit_until__gte=month)
        | Q(state="exited", exited_on__gt=last)).select_related("payee")
    tekun = TekunPerson.objects.filter(in_area, start_month__lte=month, state="active"
                                       ).select_related("person")
    lines, excluded = [], []
    for b in benefits:
        if b.payee.status != "living":
            excluded.append({"programme": "dibao", "benefit": b.pk, "name": b.payee.name,
                             "reason": b.payee.get_status_display()})
        elif b.monthly_amount > 0:
            lines.append(PaymentLine(programme="dibao", benefit_id=b.pk, payee=b.payee,
                                     account=b.bank_account, amount=b.monthly_amount))
    for t in tekun:
        if t.person.status != "living":
            excluded.append({"programme": "tekun", "benefit": t.pk, "name": t.person.name,
                             "reason": t.person.get_status_display()})
        else:
            lines.append(PaymentLine(programme="tekun", benefit_id=t.pk, payee=t.person,
                                     account="", amount=t.monthly_amount))
    try:
        with transaction.atomic():
            roster = PaymentRoster.objects.create(area=area, month=month, excluded=excluded,
                                                  lines_count=len(lines),
                                                  total=sum((x.amount for x in lines),
                                                            Decimal(0)))
            for line in lines:
                line.roster = roster
            PaymentLine.objects.bulk_create(lines)
            audit.record(actor, AuditEntry.Action.CREATE, obj=roster,
                         object_repr=f"{area.name} {month:%Y-%m}",
                         changes={"lines": [0, len(lines)], "excluded": [0, len(excluded)]})
    except IntegrityError:
        raise Conflict(_("The roster for this month already exists"), field="month") from None
    return roster


def roster_write_xlsx(*, actor, roster: PaymentRoster, target) -> None:
    """Bank layout: name, masked ID, account, amount (an audited export)."""
    actor = as_actor(actor)
    require(actor, PAY, roster.area)
    from minsheng.core.spreadsheets import write_xlsx

    lines = roster.lines.select_related("payee")
    header = [_("Name"), _("Resident ID number"), _("Bank account"), _("Amount")]
    rows = ([line.payee.name, mask(line.payee.id_number), line.account, float(line.amount)]
            for line in lines.iterator(chunk_size=2000))
    with transaction.atomic():
        write_xlsx(target, [(f"{roster.month:%Y-%m}", header, rows)])
        audit.record(actor, AuditEntry.Action.EXPORT, obj=roster,
                     object_repr=f"roster {roster.area.name} {roster.month:%Y-%m}")


def payment_returned(*, actor, line: PaymentLine, reason: str,
                     version: int | None = None) -> PaymentLine:
    """Reconcile a payment the bank returned (closed account, deceased, ...)."""
    actor = as_actor(actor)
    require(actor, PAY, line.roster.area)
    reason = reason.strip()[:200]
    if not reason:
        raise ValidationFailed(_("Give the bank's reason"), field="reason")
    if line.state == "returned":
        raise Conflict(_("This payment is already marked as returned"))
    return move(actor, line, "return", version=version, note=reason,
                data={"reason": reason}, changes={"return_reason": reason})
