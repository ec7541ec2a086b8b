"""What an allowance pays for a month, as data (settings) and as SQL, so a payment list of
any size is priced in the query that selects it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Case, DecimalField, Value, When

from minsheng.core import dates
from minsheng.eldercare.config import setting


def born_by(day: datetime.date, age: int) -> datetime.date:
    """Latest birth date of someone who is `age` or older on `day`."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 29 February
        return day.replace(year=day.year - age, day=28)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def minimum_age(kind: str) -> int:
    if kind == "old_age":
        return min(setting("OLD_AGE_ALLOWANCE"))
    return setting("SERVICE_SUBSIDY_AGE" if kind == "service_subsidy" else "CARE_SUBSIDY_AGE")


def monthly(kind: str, birth: datetime.date, month: datetime.date) -> Decimal:
    """The amount for `month` (age reached by the month's last day counts)."""
    age = age_on(birth, dates.month_end(month))
    if kind == "old_age":
        tiers = [amount for start, amount in sorted(setting("OLD_AGE_ALLOWANCE").items())
                 if age >= start]
        return Decimal(tiers[-1] if tiers else 0)
    if age < minimum_age(kind):
        return Decimal(0)
    key = "SERVICE_SUBSIDY_AMOUNT" if kind == "service_subsidy" else "CARE_SUBSIDY_AMOUNT"
    return Decimal(setting(key))


def amount_expression(month: datetime.date, person: str = "person__"):
    """A SQL expression for the month's amount of an Allowance row."""
    last = dates.month_end(month)
    field = DecimalField(max_digits=10, decimal_places=2)
    whens = [When(kind="old_age", **{f"{person}birth_date__lte": born_by(last, start)},
                  then=Value(Decimal(amount)))
             for start, amount in sorted(setting("OLD_AGE_ALLOWANCE").items(), reverse=True)]
    for kind, age_key, amount_key in (
            ("service_subsidy", "SERVICE_SUBSIDY_AGE", "SERVICE_SUBSIDY_AMOUNT"),
            ("care_subsidy", "CARE_SUBSIDY_AGE", "CARE_SUBSIDY_AMOUNT")):
        whens.append(When(kind=kind, **{f"{person}birth_date__lte": born_by(
            last, setting(age_key))}, then=Value(Decimal(setting(amount_key)))))
    return Case(*whens, default=Value(Decimal(0)), output_field=field)
