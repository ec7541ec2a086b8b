from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Organization
from minsheng.education.config import setting


def bureau() -> Organization | None:
    return Organization.objects.filter(department_code=setting("DEPARTMENT_CODE")).first()


def today_or(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def text(value, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%s is required.") % label, field=field)
    return value[:limit]


def not_future(value: datetime.date, today: datetime.date, field: str) -> datetime.date:
    if value > today:
        raise ValidationFailed(_("The date cannot be in the future."), field=field)
    return value
