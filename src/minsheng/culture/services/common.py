from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Organization
from minsheng.culture.config import setting


def culture_department() -> Organization | None:
    return Organization.objects.filter(department_code=setting("DEPARTMENT_CODE")).first()


def today_or(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def text(value, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%s is required.") % label, field=field)
    if len(value) > limit:
        raise ValidationFailed(_("%(label)s may be at most %(n)d characters.")
                               % {"label": label, "n": limit}, field=field)
    return value


def choice(value, choices, field: str, label: str) -> str:
    if value not in choices:
        raise ValidationFailed(_("Choose a valid %s.") % label, field=field)
    return value


def not_future(value: datetime.date | None, today: datetime.date, field: str, label: str):
    if value is not None and value > today:
        raise ValidationFailed(_("%s cannot be in the future.") % label, field=field)
    return value
