from __future__ import annotations

from minsheng.core.models import Organization
from minsheng.safety.config import setting


def supervising_department() -> Organization | None:
    return Organization.objects.filter(department_code=setting("DEPARTMENT_CODE")).first()
