"""Allowance applications and decisions (ALLOWANCE workflow), the monthly proposal of
people reaching the age, and the stop with recovery of what was paid after it."""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import transition
from minsheng.core import audit, dates, facts
from minsheng.core.access import as_actor, require, scoped
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry, Person
from minsheng.eldercare import permissions as P
from minsheng.eldercare.amounts import age_on, born_by, minimum_age
from minsheng.eldercare.models import Allowance, PaymentLine, Recovery

ACCOUNT = re.compile(r"\d{12,30}")
# the registry fact each means-tested allowance needs (read through core.facts)
FACT = {"service_subsidy": "assistance.dibao_household", "care_subsidy": "core.disabled"}
OPEN = ("applied", "active")


def _first_month(person: Person, kind: str, applied_on: datetime.date) -> datetime.date:
    """The application's month, or the month the person reaches the age."""
    month = dates.month_start(applied_on)
    birthday = born_by(person.birth_date, -minimum_age(kind))  # the birthday at that age
    return max(month, dates.month_start(birthday))


def allowance_apply(*, actor, person: Person, kind: str, bank_account: str,
                    applied_on: datetime.date | None = None) -> Allowance:
    actor = as_actor(actor)
    require(actor, P.APPLY, person.residence_area)
    applied_on = applied_on or timezone.localdate()
    if kind not in Allowance.Kind.values:
        raise ValidationFailed(_("Choose the allowance."), field="kind")
    account = re.sub(r"\s", "", bank_account or "")
    if not ACCOUNT.fullmatch(account):
        raise ValidationFailed(_("A bank account is 12-30 digits."), field="bank_account")
    if person.status != Person.Status.LIVING:
        raise ValidationFailed(_("%(name)s is recorded as %(status)s in the registry: no "
                                 "allowance can start.")
                               % {"name": person.name, "status": person.get_status_display()},
                               field="person")
    age = age_on(person.birth_date, dates.month_end(applied_on))
    if age < minimum_age(kind):
        raise ValidationFailed(_("%(name)s is %(age)s; this allowance starts at %(min)s.")
                               % {"name": person.name, "age": age, "min": minimum_age(kind)},
                               field="person")
    if kind in FACT and not facts.holder_ids(FACT[kind], applied_on).filter(
            person_id=person.pk).exists():
        raise ValidationFailed(
            _("%(name)s does not qualify: %(fact)s does not hold on %(d)s.")
            % {"name": person.name, "fact": facts.FACTS[FACT[kind]].description,
               "d": applied_on.isoformat()}, field="kind")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if Allowance.objects.filter(person=person, kind=kind, state__in=OPEN).exists():
            raise Conflict(_("%(name)s already has this allowance (applied or paying).")
                           % {"name": person.name}, field="kind")
        allowance = Allowance.objects.create(
            person=person, area=person.residence_area, kind=kind, bank_account=account,
            applied_on=applied_on, start_month=_first_month(person, kind, applied_on))
        audit.record(actor, AuditEntry.Action.CREATE, obj=allowance,
                     object_repr=f"{person.name} {allowance.get_kind_display()}")
    return allowance


def allowances_propose(*, actor, month: datetime.date) -> int:
    """Old-age allowance proposals for living residents (in the actor's scope) who reach
    the first age by the month's end and have none: one set-based insert. The proposal is
    an application the caseworker completes (bank account) and the approver decides."""
    actor = as_actor(actor)
    require(actor, P.APPLY)
    month = dates.month_start(month)
    first_age = minimum_age("old_age")
    has = Allowance.objects.filter(person=OuterRef("pk"), kind="old_age").exclude(
        state="rejected")
    people = scoped(Person.objects.filter(status=Person.Status.LIVING,
                                          birth_date__lte=born_by(dates.month_end(month),
                                                                  first_age)),
                    actor, P.APPLY, "residence_area").filter(~Exists(has))
    rows = [Allowance(person_id=pk, area_id=area, kind="old_age",
                      origin=Allowance.Origin.PROPOSED, applied_on=month,
                      start_month=max(month, dates.month_start(born_by(birth, -first_age))))
            for pk, area, birth in people.values_list("pk", "residence_area_id", "birth_date")
            .iterator(chunk_size=5000)]
    with transaction.atomic():
        Allowance.objects.bulk_create(rows, batch_size=5000)
        audit.record(actor, AuditEntry.Action.CREATE, object_type="eldercare.allowance",
                     object_repr=f"proposals {month:%Y-%m}",
                     changes={"proposed": [0, len(rows)]})
    return len(rows)


def allowance_complete(*, actor, allowance: Allowance, version: int,
                       bank_account: str) -> Allowance:
    """Give a proposed allowance its bank account before the decision."""
    actor = as_actor(actor)
    require(actor, P.APPLY, allowance.area)
    account = re.sub(r"\s", "", bank_account or "")
    if not ACCOUNT.fullmatch(account):
        raise ValidationFailed(_("A bank account is 12-30 digits."), field="bank_account")
    if allowance.state != "applied":
        raise ValidationFailed(_("Only an application can be completed."))
    from minsheng.core.concurrency import save_versioned

    with transaction.atomic():
        save_versioned(allowance, version, values={"bank_account": account})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=allowance,
                     changes={"bank_account": ["", account]})
    return allowance


def allowance_decide(*, actor, allowance: Allowance, version: int | None, action: str,
                     reason: str = "") -> Allowance:
    if action not in ("approve", "reject"):
        raise ValidationFailed(_("Unknown action: %s") % action)
    person = allowance.person
    if action == "approve":
        if not allowance.bank_account:
            raise ValidationFailed(_("Add the bank account before approving."),
                                   field="bank_account")
        if person.status != Person.Status.LIVING:
            raise ValidationFailed(_("%(name)s is recorded as %(status)s in the registry.")
                                   % {"name": person.name,
                                      "status": person.get_status_display()})
    return transition(actor=actor, case=allowance, name=action, version=version,
                      note=(reason or "").strip()[:500], data={"reason": reason})


def allowance_stop(*, actor, allowance: Allowance, version: int | None,
                   last_month: datetime.date, stop_reason: str, reason: str) -> Allowance:
    """Stop after `last_month` (the death or move month: no payment for any later month);
    any payment already made for a later month becomes a recovery case."""
    if stop_reason not in Allowance.StopReason.values:
        raise ValidationFailed(_("Choose why the allowance stops."), field="stop_reason")
    last_month = dates.month_start(last_month)
    if last_month < dates.add_months(allowance.start_month, -1):
        raise ValidationFailed(_("The last month cannot be before the first (%(m)s).")
                               % {"m": f"{allowance.start_month:%Y-%m}"}, field="last_month")
    with transaction.atomic():
        transition(actor=actor, case=allowance, name="stop", version=version,
                   note=(reason or "").strip()[:500], data={"reason": reason},
                   changes={"stop_month": last_month, "stop_reason": stop_reason})
        recoveries_open(actor=actor, allowance=allowance, after=last_month)
    return allowance


def recoveries_open(*, actor, allowance: Allowance, after: datetime.date) -> int:
    """Recovery cases for the allowance's payments for months after `after` (once each)."""
    actor = as_actor(actor)
    require(actor, P.DECIDE, allowance.area)
    lines = PaymentLine.objects.filter(allowance=allowance, month__gt=after).filter(
        Q(recovery__isnull=True))
    rows = [Recovery(line=line, allowance=allowance, area=allowance.area, amount=line.amount)
            for line in lines]
    with transaction.atomic():
        Recovery.objects.bulk_create(rows)
        if rows:
            audit.record(actor, AuditEntry.Action.CREATE, obj=allowance,
                         changes={"recoveries": [0, len(rows)],
                                  "amount": [0, str(sum(r.amount for r in rows))]})
    return len(rows)


def recovery_move(*, actor, recovery: Recovery, version: int | None, action: str,
                  reason: str = "") -> Recovery:
    if action not in ("recovered", "waive"):
        raise ValidationFailed(_("Unknown action: %s") % action)
    return transition(actor=actor, case=recovery, name=action, version=version,
                      note=(reason or "").strip()[:500], data={"reason": reason})

