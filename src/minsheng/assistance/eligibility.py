"""Who qualifies, and for how much: pure functions over declared figures (no database).
Dibao eligibility and amounts, the temporary-assistance approval level, tekun
recognition and the self-care (ADL) level."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from minsheng.assistance.config import setting
from minsheng.core.errors import ValidationFailed

CENT = Decimal("0.01")
INCOME_ITEMS = ("wages", "business", "property", "transfers", "other")


def money(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except Exception:
        raise ValidationFailed(_("%s is not an amount") % value) from None
    if not amount.is_finite():
        raise ValidationFailed(_("%s is not an amount") % value)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def clean_income(income: dict) -> dict[str, str]:
    """Validate one member's declared monthly income items: known items, no negatives."""
    known = set(INCOME_ITEMS) | set(setting("INCOME_EXCLUSIONS")) | set(
        setting("ALLOWED_DEDUCTIONS"))
    cleaned = {}
    for item, value in (income or {}).items():
        if item not in known:
            raise ValidationFailed(_("Unknown income item: %s") % item, field="income")
        amount = money(value)
        if amount < 0:
            raise ValidationFailed(_("Income items cannot be negative (%(item)s: %(amount)s)")
                                   % {"item": item, "amount": amount}, field="income")
        cleaned[item] = str(amount)
    return cleaned


def per_capita_income(incomes: list[dict], members: int) -> Decimal:
    """(income items - allowed deductions) / members; excluded items do not count.
    Negative results are floored at 0 (deductions cannot create income)."""
    if members <= 0:
        raise ValidationFailed(_("A household needs at least one member"))
    deductions = set(setting("ALLOWED_DEDUCTIONS"))
    total = Decimal(0)
    for income in incomes:
        for item, value in income.items():
            if item in INCOME_ITEMS:
                total += money(value)
            elif item in deductions:
                total -= money(value)
            # exclusions (veterans' benefits, scholarships, ...) are not income
    return max(Decimal(0), total / members).quantize(CENT, rounding=ROUND_HALF_UP)


def standard() -> Decimal:
    return money(setting("DIBAO_STANDARD"))


def asset_failures(assets: dict, members: int) -> list[str]:
    """Reasons the declared (or verified) assets exceed the local limits."""
    reasons = []
    deposits = money(assets.get("deposits", 0))
    limit = standard() * setting("DEPOSITS_MONTHS_PER_PERSON") * members
    if deposits > limit:
        reasons.append(_("Deposits and securities %(value)s exceed the limit %(limit)s")
                       % {"value": deposits, "limit": limit})
    if int(assets.get("extra_properties", 0) or 0) > setting("EXTRA_PROPERTIES_ALLOWED"):
        reasons.append(_("Owns real estate besides the home"))
    if money(assets.get("vehicle_value", 0)) > setting("VEHICLE_VALUE_LIMIT"):
        reasons.append(_("Owns a vehicle above the limit"))
    if money(assets.get("business_capital", 0)) > setting("BUSINESS_CAPITAL_LIMIT"):
        reasons.append(_("Owns a business"))
    return reasons


def monthly_amount(pci: Decimal, members: int) -> Decimal:
    std = standard()
    if pci >= std:
        return Decimal(0)
    if setting("AMOUNT_METHOD") == "tiers":
        for below, per_person in setting("AMOUNT_TIERS"):
            if pci < below:
                return money(per_person) * members
        return Decimal(0)
    return ((std - pci) * members).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Assessment:
    per_capita_income: Decimal
    standard: Decimal
    eligible: bool
    amount: Decimal
    near_dibao: bool
    reasons: list[str] = field(default_factory=list)


def assess(incomes: list[dict], assets: dict, members: int) -> Assessment:
    pci = per_capita_income(incomes, members)
    std = standard()
    reasons = asset_failures(assets, members)
    if pci >= std:
        reasons.insert(0, _("Per-capita income %(pci)s is not below the standard %(std)s")
                       % {"pci": pci, "std": std})
    eligible = not reasons
    return Assessment(per_capita_income=pci, standard=std, eligible=eligible,
                      amount=monthly_amount(pci, members) if eligible else Decimal(0),
                      near_dibao=not eligible and pci < std * Decimal(
                          str(setting("NEAR_DIBAO_FACTOR"))),
                      reasons=reasons)


# ---------------------------------------------------------------- temporary assistance
def temporary_limit_level(amount: Decimal) -> str:
    """The level that may approve a temporary grant of this amount (LSJZ): the
    subdistrict up to its limit, the district above; above the district's, none."""
    std = standard()
    if amount <= std * setting("TEMPORARY_SUBDISTRICT_MAX_MONTHS"):
        return "subdistrict"
    if amount <= std * setting("TEMPORARY_DISTRICT_MAX_MONTHS"):
        return "district"
    raise ValidationFailed(_("The amount exceeds the limit of %(n)s months of the dibao "
                             "standard (%(max)s)") % {
        "n": setting("TEMPORARY_DISTRICT_MAX_MONTHS"),
        "max": std * setting("TEMPORARY_DISTRICT_MAX_MONTHS")}, field="amount")


# ---------------------------------------------------------------- extreme-poverty support
ADL_ACTIVITIES = ("eating", "dressing", "transfer", "toileting", "indoor_walking", "bathing")


def adl_level(failed: list[str]) -> str:
    """The care level from the activities a person cannot do without help (TKRD annex)."""
    unknown = set(failed) - set(ADL_ACTIVITIES)
    if unknown:
        raise ValidationFailed(_("Unknown activities: %s") % ", ".join(sorted(unknown)),
                               field="failed")
    n = len(set(failed))
    if n >= setting("ADL_FULLY_FROM"):
        return "fully_dependent"
    if n >= setting("ADL_PARTLY_FROM"):
        return "partly_dependent"
    return "self_care"


def tekun_recognition(birth_date: datetime.date, *, disability_kind: str, disability_grade,
                      monthly_income, has_able_supporter: bool,
                      today: datetime.date) -> dict:
    """The three conditions of TKRD art. 6: no labour capacity, no income, no supporter."""
    age = (today - birth_date).days // 365
    grades = setting("TEKUN_DISABILITY").get(disability_kind, ())
    no_labour = (age >= setting("TEKUN_ELDER_AGE") or age < setting("TEKUN_MINOR_AGE")
                 or (disability_grade is not None and int(disability_grade) in grades))
    no_income = money(monthly_income) < standard()
    result = {"age": age, "no_labour_capacity": no_labour, "no_income": no_income,
              "no_supporter": not has_able_supporter}
    result["recognised"] = no_labour and no_income and not has_able_supporter
    return result
