"""The heritage register: sites, their two statutory zones (drawn or imported, refused or
repaired with the reason, superseded with history), patrols and condition surveys."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry
from minsheng.culture import permissions as P
from minsheng.culture.geometry import Shape, check_position, metric_transformer, to_metric
from minsheng.culture.models import HeritageSite, Patrol, PatrolPhoto, ProtectionZone
from minsheng.culture.services.common import choice, not_future, text, today_or

PHOTO_TYPES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_PHOTO_BYTES = 8 * 1024 * 1024
EDITABLE = ("name", "level", "category", "era", "address", "lon", "lat", "owner",
            "responsible_person", "responsible_duties", "designated_on",
            "designation_document", "risk")


def _clean_site(values: dict, today: datetime.date) -> dict:
    import shapely

    v = dict(values)
    v["name"] = text(v.get("name"), "name", _("Name"), 120)
    v["level"] = choice(v.get("level"), HeritageSite.Level.values, "level", _("level"))
    v["category"] = choice(v.get("category"), HeritageSite.Category.values, "category",
                           _("category"))
    v["era"] = text(v.get("era"), "era", _("Era"), 60)
    v["address"] = text(v.get("address"), "address", _("Address"), 200)
    v["owner"] = text(v.get("owner"), "owner", _("Owner or user"), 120, required=False)
    v["responsible_person"] = text(v.get("responsible_person"), "responsible_person",
                                   _("Responsible person"), 60)
    v["responsible_duties"] = text(v.get("responsible_duties"), "responsible_duties",
                                   _("Responsibilities"), 4000, required=False)
    v["designation_document"] = text(v.get("designation_document"), "designation_document",
                                     _("Designation document"), 120, required=False)
    v["risk"] = choice(v.get("risk") or "good", HeritageSite.Risk.values, "risk",
                       _("risk status"))
    try:
        lon, lat = float(v.get("lon")), float(v.get("lat"))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("Give the longitude and latitude in degrees."),
                               field="lon") from exc
    try:
        check_position(shapely.Point(lon, lat))
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field="lon") from error
    v["lon"], v["lat"] = lon, lat
    designated = not_future(v.get("designated_on"), today, "designated_on",
                            _("The designation date"))
    if v["level"] != HeritageSite.Level.REGISTERED and designated is None:
        raise ValidationFailed(_("A protected site needs its designation date."),
                               field="designated_on")
    v["designated_on"] = designated
    return {k: v.get(k) for k in EDITABLE}


def site_create(*, actor, code: str, area: Area, today: datetime.date | None = None,
                **values) -> HeritageSite:
    actor = as_actor(actor)
    require(actor, P.REGISTER, area)
    code = text(code, "code", _("Register number"), 24)
    if HeritageSite.objects.filter(code=code).exists():
        raise ValidationFailed(_("Register number %s is already used.") % code, field="code")
    clean = _clean_site(values, today_or(today))
    with transaction.atomic():
        site = HeritageSite.objects.create(code=code, area=area, **clean)
        audit.record(actor, AuditEntry.Action.CREATE, obj=site,
                     changes={k: [None, str(v)] for k, v in clean.items() if v})
    return site


def site_update(*, actor, site: HeritageSite, version: int, today=None,
                **values) -> HeritageSite:
    """An edit of the record; every changed field goes to the audit log, which the page
    shows as the record's history."""
    actor = as_actor(actor)
    require(actor, P.REGISTER, site.area)
    clean = _clean_site({**{k: getattr(site, k) for k in EDITABLE}, **values}, today_or(today))
    changes = {k: [str(getattr(site, k)), str(v)] for k, v in clean.items()
               if getattr(site, k) != v}
    if not changes:
        return site
    with transaction.atomic():
        save_versioned(site, version, values=clean)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=site, changes=changes)
    return site


def zone_set(*, actor, site: HeritageSite, kind: str, shape: Shape, source: str,
             delimited_on: datetime.date | None = None, approved_document: str = "",
             today: datetime.date | None = None) -> ProtectionZone:
    """Delimit (or redraw) one of a site's zones. The zone in force before is kept as
    superseded, so earlier checks stay explainable."""
    actor = as_actor(actor)
    require(actor, P.REGISTER, site.area)
    choice(kind, ProtectionZone.Kind.values, "kind", _("zone"))
    today = today_or(today)
    delimited_on = not_future(delimited_on or today, today, "delimited_on",
                              _("The delimitation date"))
    geom = shape.geometry
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationFailed(_("A zone must be a polygon (got %s).") % geom.geom_type,
                               field="geometry")
    current = {z.kind: z for z in ProtectionZone.objects.filter(
        site=site, superseded_at__isnull=True)}
    metric = to_metric(geom, metric_transformer())
    if kind == "control" and "protection" in current:
        from shapely.geometry import shape as to_shape

        inner = to_metric(to_shape(current["protection"].geometry))
        if not metric.buffer(0.5).covers(inner):
            raise ValidationFailed(_("The construction-control zone must surround the "
                                     "protection range."), field="geometry")
    minx, miny, maxx, maxy = geom.bounds
    now = timezone.now()
    with transaction.atomic():
        old = current.get(kind)
        if old is not None:
            ProtectionZone.objects.filter(pk=old.pk).update(superseded_at=now, updated_at=now)
        zone = ProtectionZone.objects.create(
            site=site, kind=kind, geometry=shape.geojson, min_lon=minx, min_lat=miny,
            max_lon=maxx, max_lat=maxy, area_m2=round(metric.area, 1), source=source[:20],
            repair_note="; ".join(shape.notes)[:300], delimited_on=delimited_on,
            approved_document=(approved_document or "")[:120],
            created_by=actor.user if actor.is_authenticated else None)
        audit.record(actor, AuditEntry.Action.CREATE if old is None else AuditEntry.Action.UPDATE,
                     obj=site, changes={f"zone_{kind}": [old.pk if old else None, zone.pk],
                                        "area_m2": [old.area_m2 if old else None,
                                                    zone.area_m2]})
    return zone


def zones_import(*, actor, shapes: list[Shape], source: str, site: HeritageSite | None = None,
                 kind: str = "", today: datetime.date | None = None) -> list[ProtectionZone]:
    """Import zones from a file: all or nothing. Each feature names its site (`site` or
    `code` property) and zone (`kind`: protection/control, or 保护范围/建设控制地带) unless
    the caller gives them for the whole file. Every bad feature is reported."""
    actor = as_actor(actor)
    words = {"保护范围": "protection", "建设控制地带": "control"}
    codes = {str(s.properties.get("site") or s.properties.get("code")
                 or s.properties.get("name") or "") for s in shapes}
    sites = {x.code: x for x in HeritageSite.objects.filter(code__in=codes)}
    errors, plan = [], []
    for n, shp in enumerate(shapes, 1):
        target = site or sites.get(str(shp.properties.get("site") or shp.properties.get("code")
                                       or shp.properties.get("name") or ""))
        zone_kind = kind or words.get(str(shp.properties.get("kind", "")),
                                      str(shp.properties.get("kind", "")))
        if target is None:
            errors.append(_("Feature %d: no site with this register number.") % n)
        elif zone_kind not in ProtectionZone.Kind.values:
            errors.append(_("Feature %d: kind must be protection or control.") % n)
        elif not actor.covers(P.REGISTER, target.area):
            errors.append(_("Feature %d: the site is outside your area.") % n)
        else:
            plan.append((target, zone_kind, shp))
    if errors:
        raise ValidationFailed(" ".join(errors), field="file", details={"field": "file",
                                                                        "errors": errors})
    # protection ranges first, so a control zone in the same file is checked against them
    plan.sort(key=lambda t: t[1] != "protection")
    with transaction.atomic():
        return [zone_set(actor=actor, site=s, kind=k, shape=shp, source=source, today=today)
                for s, k, shp in plan]


def patrol_record(*, actor, site: HeritageSite, kind: str, done_on: datetime.date,
                  inspector: str, condition: str, findings: str, photos=(),
                  today: datetime.date | None = None) -> Patrol:
    """A patrol or survey; the condition found becomes the site's risk status."""
    actor = as_actor(actor)
    require(actor, P.REGISTER, site.area)
    today = today_or(today)
    choice(kind, Patrol.Kind.values, "kind", _("kind"))
    choice(condition, HeritageSite.Risk.values, "condition", _("condition"))
    not_future(done_on, today, "done_on", _("The date"))
    for upload in photos:
        name = getattr(upload, "name", "")
        suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if suffix not in PHOTO_TYPES:
            raise ValidationFailed(_("Photos must be JPEG, PNG or WebP."), field="photos")
        if getattr(upload, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationFailed(_("A photo may be at most 8 MB."), field="photos")
    with transaction.atomic():
        patrol = Patrol.objects.create(
            site=site, kind=kind, done_on=done_on,
            inspector=text(inspector, "inspector", _("Inspector"), 60),
            condition=condition, findings=text(findings, "findings", _("Findings"), 4000))
        for upload in photos:
            PatrolPhoto.objects.create(patrol=patrol, file=upload,
                                       caption=getattr(upload, "name", "")[:200])
        changes = {"patrol": [None, patrol.pk]}
        if site.risk != condition:
            changes["risk"] = [site.risk, condition]
            save_versioned(site, None, values={"risk": condition})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=site, changes=changes)
    return patrol
