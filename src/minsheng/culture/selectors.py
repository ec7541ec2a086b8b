"""Every read of the culture module. Each selector takes the actor first and returns only
what it may see: lists are scoped to the actor's areas, single records outside them are
"not found"."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.dates import add_months
from minsheng.core.models import AuditEntry
from minsheng.culture import permissions as P
from minsheng.culture.config import setting
from minsheng.culture.models import (
    ConsentCase,
    ConstructionCheck,
    CulturalFacility,
    HeritageSite,
    Inheritor,
    IntangibleItem,
    ProtectionZone,
)


def _active_protection():
    return ProtectionZone.objects.filter(site=OuterRef("pk"), kind="protection",
                                         superseded_at__isnull=True)


def _active_control():
    return ProtectionZone.objects.filter(site=OuterRef("pk"), kind="control",
                                         superseded_at__isnull=True)


def delimit_due(site: HeritageSite) -> datetime.date | None:
    """The statutory date by which the protection range must be delimited."""
    if site.designated_on is None or site.level == HeritageSite.Level.REGISTERED:
        return None
    return add_months(site.designated_on, setting("DELIMIT_MONTHS"))


def site_list(actor, *, q: str = "", level: str = "", overdue: bool = False,
              today: datetime.date | None = None):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(HeritageSite.objects.select_related("area"), actor, P.VIEW).annotate(
        has_protection=Exists(_active_protection()), has_control=Exists(_active_control()))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(address__icontains=q))
    if level:
        qs = qs.filter(level=level)
    if overdue:
        today = today or timezone.localdate()
        limit = add_months(today, -setting("DELIMIT_MONTHS"))
        qs = qs.exclude(level="registered").filter(designated_on__lt=limit,
                                                   has_protection=False)
    return qs.order_by("code")


def site_overdue(site, today: datetime.date | None = None) -> bool:
    due = delimit_due(site)
    today = today or timezone.localdate()
    return bool(due and due < today and not getattr(site, "has_protection", False))


def site_get(actor, *, pk: int) -> HeritageSite:
    actor = as_actor(actor)
    qs = HeritageSite.objects.select_related("area").annotate(
        has_protection=Exists(_active_protection()), has_control=Exists(_active_control()))
    return get_in_scope(qs, actor, P.VIEW, pk=pk)


def site_get_by_code(actor, *, code: str) -> HeritageSite:
    actor = as_actor(actor)
    return get_in_scope(HeritageSite.objects.all(), actor, P.VIEW, code=code)


def site_zones(actor, site: HeritageSite, *, history: bool = False):
    """The site's zones in force (or every zone it ever had, newest first)."""
    site_get(actor, pk=site.pk)
    qs = ProtectionZone.objects.filter(site=site)
    if not history:
        qs = qs.filter(superseded_at__isnull=True)
    return list(qs.order_by("kind", "-id"))


def _history_words():
    from django.utils.translation import gettext_lazy as _

    words = {f.name: f.verbose_name for f in HeritageSite._meta.fields}
    words.update({"zone_protection": ProtectionZone.Kind.PROTECTION.label,
                  "zone_control": ProtectionZone.Kind.CONTROL.label,
                  "area_m2": _("area (m²)"), "patrol": _("Patrol")})
    return words


def _shown(field: str, value):
    """A stored value as the page shows it: choices by their label, zones by number."""
    if value in (None, "", "None"):
        return "—"
    try:
        choices = dict(HeritageSite._meta.get_field(field).choices or ())
    except Exception:  # not a field of the site (zone, patrol)
        choices = {}
    return str(choices.get(value, value))


def site_history(actor, site: HeritageSite) -> list[AuditEntry]:
    """The record's edit log (from the audit log, newest first); each entry carries
    `rows` of (field label, old, new) in the page's language."""
    site_get(actor, pk=site.pk)
    words = _history_words()
    entries = list(AuditEntry.objects.filter(object_type="culture.heritagesite",
                                             object_id=str(site.pk)).order_by("-at", "-id")[:200])
    for entry in entries:
        entry.rows = [(words.get(k, k), _shown(k, v[0]), _shown(k, v[1]))
                      for k, v in (entry.changes or {}).items()
                      if isinstance(v, list) and len(v) == 2]
    return entries


def site_patrols(actor, site: HeritageSite):
    site_get(actor, pk=site.pk)
    return list(site.patrols.prefetch_related("photos").all()[:100])


def zones_geojson(actor, *, site_ids=None) -> dict:
    """The zones in force the actor may see, as one FeatureCollection for the map."""
    actor = as_actor(actor)
    sites = scoped(HeritageSite.objects.all(), actor, P.VIEW)
    qs = ProtectionZone.objects.filter(superseded_at__isnull=True, site__in=sites)
    if site_ids is not None:
        qs = qs.filter(site_id__in=site_ids)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": g, "properties": {"kind": k, "code": c, "name": n}}
        for g, k, c, n in qs.values_list("geometry", "kind", "site__code", "site__name")]}


# --- checks and consents ----------------------------------------------------------------

def check_list(actor, *, result: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(ConstructionCheck.objects.select_related("area", "checked_by"), actor, P.VIEW)
    if result:
        qs = qs.filter(result=result)
    return qs.order_by("-created_at", "-id")


def check_get(actor, *, pk: int) -> ConstructionCheck:
    return get_in_scope(ConstructionCheck.objects.select_related("area"), as_actor(actor),
                        P.VIEW, pk=pk)


def consent_of(check: ConstructionCheck) -> ConsentCase | None:
    return ConsentCase.objects.filter(construction_check=check).first()


def consent_list(actor, *, state: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(ConsentCase.objects.select_related("construction_check", "site", "area"),
                actor, P.VIEW)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("due_on", "-id")


def consent_get(actor, *, pk: int) -> ConsentCase:
    return get_in_scope(ConsentCase.objects.select_related("construction_check", "site"),
                        as_actor(actor), P.VIEW, pk=pk)


def consent_timeline(actor, case: ConsentCase):
    consent_get(actor, pk=case.pk)
    return timeline(case)


# --- intangible heritage ------------------------------------------------------------------

def item_list(actor, *, q: str = "", category: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(IntangibleItem.objects.select_related("area"), actor, P.VIEW).annotate(
        recognised=Count("inheritors", filter=Q(inheritors__state="recognised")))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("code")


def item_get(actor, *, pk: int) -> IntangibleItem:
    return get_in_scope(IntangibleItem.objects.select_related("area"), as_actor(actor), P.VIEW,
                        pk=pk)


def item_inheritors(actor, item: IntangibleItem):
    item_get(actor, pk=item.pk)
    return list(item.inheritors.prefetch_related("evaluations").all())


def inheritor_get(actor, *, pk: int) -> Inheritor:
    return get_in_scope(Inheritor.objects.select_related("item", "item__area"),
                        as_actor(actor), P.VIEW, "item__area", pk=pk)


def inheritor_timeline(actor, person: Inheritor):
    inheritor_get(actor, pk=person.pk)
    return timeline(person)


# --- facilities ----------------------------------------------------------------------------

def facility_list(actor, *, kind: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(CulturalFacility.objects.select_related("area"), actor, P.VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("area__path", "name")


def facility_get(actor, *, pk: int) -> CulturalFacility:
    return get_in_scope(CulturalFacility.objects.select_related("area"), as_actor(actor),
                        P.VIEW, pk=pk)


def facility_area_per_10k(actor, *, year: int) -> list[dict]:
    """Facility floor area per 10,000 residents by subdistrict for a year, with the
    district total: the plan's indicator computed from the register and the population
    the indicator engine holds (core.resident_population)."""
    from django.db.models import Sum

    from minsheng.core.models import Area
    from minsheng.indicators.models import DataValue

    actor = as_actor(actor)
    require(actor, P.VIEW)
    last = datetime.date(year, 12, 31)
    open_at = CulturalFacility.objects.filter(opened_on__lte=last).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=last))
    area_by_path: dict[str, float] = {}
    for path, total in open_at.values("area__path").annotate(t=Sum("floor_area_m2")) \
            .values_list("area__path", "t"):
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            area_by_path[key] = area_by_path.get(key, 0.0) + float(total or 0)
    areas = list(Area.objects.filter(level__in=["district", "subdistrict"],
                                     id__in=actor.area_ids(P.VIEW)).order_by("path"))
    population = {}
    for area_id, _period, value in DataValue.objects.filter(
            element__code="core.resident_population", current=True, area__in=areas,
            period_start__lte=last).order_by("area_id", "period_start").values_list(
            "area_id", "period_start", "value"):
        population[area_id] = float(value)  # ordered by period: the latest wins
    rows = []
    for area in areas:
        floor = area_by_path.get(area.path, 0.0)
        people = population.get(area.pk)
        rows.append({"area": area, "floor_area": round(floor, 1), "population": people,
                     "per_10k": round(floor / people * 10000, 1) if people else None})
    return rows


def area_for(actor, permission: str, *, code: str = "", pk: int | None = None):
    """An area the actor may act in with this permission (choices of a form, API input)."""
    from minsheng.core.errors import NotFound
    from minsheng.core.models import Area

    actor = as_actor(actor)
    lookup = {"code": code} if code else {"pk": pk}
    area = Area.objects.filter(**lookup).first()
    if area is None or not actor.covers(permission, area):
        raise NotFound()
    return area


def areas_for(actor, permission: str):
    from minsheng.core.models import Area

    return Area.objects.filter(id__in=as_actor(actor).area_ids(permission)).order_by("path")


# --- exports (need culture.export; the export itself is audited by the view's service) ---

def site_export(actor, qs, today: datetime.date | None = None):
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    for s in qs.iterator(chunk_size=2000):
        due = delimit_due(s)
        yield [s.code, s.name, str(s.get_level_display()), str(s.get_category_display()),
               s.era, s.area.name, s.address, s.lon, s.lat, s.responsible_person,
               s.designated_on, due, "是" if s.has_protection else "否",
               "是" if s.has_control else "否", "是" if site_overdue(s, today) else "否",
               str(s.get_risk_display())]


def check_export(actor, qs):
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    for c in qs.iterator(chunk_size=2000):
        yield [c.number, c.created_at.date(), c.project_name, c.applicant, c.reference,
               c.area.name, str(c.get_result_display()),
               "；".join(f"{m['code']} {m['name']} {m['kind']}" for m in c.matches),
               c.buffer_m]


def facility_export(actor, qs):
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    for f in qs.iterator(chunk_size=2000):
        yield [f.name, str(f.get_kind_display()), f.area.name, float(f.floor_area_m2),
               f.opened_on, f.closed_on, f.opening_hours, f.yearly_visits]
