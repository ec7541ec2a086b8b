"""Community locations for travel-time estimates (employment.matchdata.travel_minutes)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry
from minsheng.core.tabular import open_table
from minsheng.employment.models import AreaLocation
from minsheng.employment.permissions import MANAGE

A = AuditEntry.Action


def area_locations_load(*, actor, path: str, source: str = "") -> dict:
    """Load `area_code, latitude, longitude` rows (CSV or XLSX, with a header). Atomic: a
    file with any bad line changes nothing and every bad line is reported with its reason.
    Areas outside the actor's scope count as bad lines."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    table = open_table(path)
    header = [h.strip().lower() for h in table.header]
    try:
        ci, la, lo = (header.index(c) for c in ("area_code", "latitude", "longitude"))
    except ValueError:
        raise ValidationFailed(_("The header must name area_code, latitude and longitude")) \
            from None
    allowed = set(actor.area_ids(MANAGE)) if not actor.system else None
    codes = dict(Area.objects.values_list("code", "id"))
    rows, errors = {}, []
    for line, cells in table.rows:
        code = (cells[ci] if ci < len(cells) else "").strip()
        area = codes.get(code)
        try:
            lat, lon = float(cells[la]), float(cells[lo])
        except (ValueError, IndexError):
            errors.append((line, _("latitude and longitude must be numbers")))
            continue
        if area is None or (allowed is not None and area not in allowed):
            errors.append((line, _("unknown area code %(code)s") % {"code": code}))
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append((line, _("coordinates out of range")))
        else:
            rows[area] = (lat, lon)
    if errors:
        return {"loaded": 0, "errors": errors}
    with transaction.atomic():
        for area, (lat, lon) in rows.items():
            AreaLocation.objects.update_or_create(
                area_id=area, defaults={"latitude": lat, "longitude": lon,
                                        "source": source[:100] or str(path)[-100:]})
        audit.record(actor, A.UPDATE, object_type="employment.area_location",
                     object_repr=f"{len(rows)} area locations",
                     changes={"rows": [None, len(rows)]})
    return {"loaded": len(rows), "errors": []}
