"""Validation of Chinese identifiers with python-stdnum, turned into clear messages."""

import datetime
import re

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from minsheng.core.errors import ValidationFailed

AREA_CODE = re.compile(r"^\d{6}(\d{3}){0,2}$")
INDUSTRY_CODE = re.compile(r"^[A-T](\d{2,4})?$")  # GB/T 4754: section letter + 2-4 digits
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def clean_id_number(value: str, *, field: str = "id_number") -> str:
    """Return the compact 18-character resident ID or raise with the reason.

    Checks length, format, check digit (GB 11643) and birth date with python-stdnum. The
    region prefix is not checked against today's code list: it records the place of first
    registration, and codes of merged or renamed counties stay valid on old cards.
    """
    number = (value or "").strip().upper()
    if not (len(number) == 18 and number[:17].isdigit()):
        number = ric.compact(number)  # spaces or dashes typed in; slower, so only then
    if not number:
        raise ValidationFailed(_("ID number is required"), field=field)
    if len(number) != 18:
        raise ValidationFailed(_("ID number must have 18 characters"), field=field)
    if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        raise ValidationFailed(_("ID number may only contain digits and a final X"),
                               field=field)
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationFailed(_("ID number check digit is wrong"), field=field)
    try:
        _birth_date(number)
    except ValueError:
        raise ValidationFailed(_("ID number contains an impossible birth date"),
                               field=field) from None
    return number


def _birth_date(number: str) -> datetime.date:
    # the same reading as stdnum's ric.get_birth_date, without its second compact()
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_check_digit(first17: str) -> str:
    """The check digit for the first 17 characters (stdnum wants a placeholder 18th)."""
    return ric.calc_check_digit(first17 + "0")


def parse_id(value: str, *, field: str = "id_number") -> tuple[str, datetime.date, str]:
    """The clean ID number with the birth date and sex it encodes, in one pass."""
    number = clean_id_number(value, field=field)
    return number, _birth_date(number), "M" if int(number[16]) % 2 else "F"


def facts_from_id(number: str) -> tuple[datetime.date, str]:
    """Birth date and sex ('M'/'F') encoded in a valid 18-digit resident ID."""
    birth = _birth_date(number)
    sex = "M" if int(number[16]) % 2 else "F"
    return birth, sex


def clean_uscc(value: str, *, field: str = "uscc") -> str:
    raw = (value or "").strip().upper()
    try:
        return uscc.validate(raw)
    except stdnum_errors.ValidationError:
        raise ValidationFailed(_("Unified social credit code is not valid"), field=field) from None


def clean_phone(value: str, *, field: str = "phone") -> str:
    raw = (value or "").strip().replace(" ", "")
    if raw and not PHONE.match(raw):
        raise ValidationFailed(_("Phone number is not a valid mainland number"), field=field)
    return raw


def clean_industry_code(value: str, *, field: str = "industry_code") -> str:
    raw = (value or "").strip().upper()
    if raw and not INDUSTRY_CODE.match(raw):
        raise ValidationFailed(_("Industry code must be a GB/T 4754 code such as C3011"),
                               field=field)
    return raw


def mask(value: str, keep_start: int = 6, keep_end: int = 4) -> str:
    """`110105********1234`-style masking used everywhere personal numbers are shown."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_phone(value: str) -> str:
    return mask(value, 3, 4)
