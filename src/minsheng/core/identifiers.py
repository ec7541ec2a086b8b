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
    """Return the compact 18-character resident ID or raise with the reason."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationFailed(_("ID number is required"), field=field)
    try:
        number = ric.validate(raw)
    except stdnum_errors.InvalidChecksum:
        raise ValidationFailed(_("ID number check digit is wrong"), field=field) from None
    except stdnum_errors.InvalidComponent:
        raise ValidationFailed(_("ID number contains an impossible birth date"),
                               field=field) from None
    except stdnum_errors.InvalidLength:
        raise ValidationFailed(_("ID number must have 18 characters"), field=field) from None
    except stdnum_errors.ValidationError:
        raise ValidationFailed(_("ID number is not valid"), field=field) from None
    if len(number) != 18:
        raise ValidationFailed(_("ID number must have 18 characters"), field=field)
    return number


def facts_from_id(number: str) -> tuple[datetime.date, str]:
    """Birth date and sex ('M'/'F') encoded in a valid 18-digit resident ID."""
    birth = ric.get_birth_date(number)
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
