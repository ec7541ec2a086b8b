"""The construction check: a project's location against every active protection range and
construction-control zone, in metres (CGCS2000 Gauss-Kruger, `METRIC_CRS`).

Zones are held in a shapely STRtree built once and rebuilt only when the zones change (a
signature of count, last id and last change is read per check: one small query), so a
check costs one index query plus exact GEOS predicates on the few candidates. The same
code runs on SQLite and PostgreSQL, so both give the same answer to the last digit."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection
from django.db.models import Count, Max

from minsheng.culture.geometry import metric_transformer, to_metric

PROTECTION, CONTROL = "protection", "control"


@dataclass(frozen=True)
class Match:
    zone_id: int
    site_id: int
    site_code: str
    site_name: str
    kind: str
    touches: bool  # the project itself intersects the zone (not only its buffer)
    inside: bool  # the project lies wholly inside the zone
    overlap_m2: float
    distance_m: float

    def as_dict(self) -> dict:
        return {"zone": self.zone_id, "site": self.site_id, "code": self.site_code,
                "name": self.site_name, "kind": self.kind, "touches": self.touches,
                "inside": self.inside, "overlap_m2": self.overlap_m2,
                "distance_m": self.distance_m}


def result_of(matches: list[Match]) -> str:
    if any(m.touches and m.kind == PROTECTION for m in matches):
        return "protection"
    if any(m.touches and m.kind == CONTROL for m in matches):
        return "control"
    return "nearby" if matches else "clear"


class ZoneIndex:
    def __init__(self, rows):
        """rows: (zone id, site id, site code, site name, kind, GeoJSON dict)."""
        self.meta = [r[:5] for r in rows]
        transformer = metric_transformer()
        # one vectorised transformation of every zone's coordinates
        self.geoms = to_metric(np.array([shapely.geometry.shape(r[5]) for r in rows],
                                        dtype=object), transformer)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        self.transformer = transformer

    @classmethod
    def load(cls) -> ZoneIndex:
        from minsheng.culture.models import ProtectionZone

        rows = ProtectionZone.objects.filter(superseded_at__isnull=True).order_by("id")\
            .values_list("id", "site_id", "site__code", "site__name", "kind", "geometry")
        return cls(list(rows))

    def _matches(self, project, buffered, candidates) -> list[Match]:
        out = []
        for i in sorted(candidates, key=lambda j: self.meta[j][0]):
            zone = self.geoms[i]
            touches = bool(shapely.intersects(zone, project))
            overlap = 0.0
            if touches and project.geom_type != "Point":
                overlap = round(float(shapely.intersection(zone, project).area), 1)
            zone_id, site_id, code, name, kind = self.meta[i]
            out.append(Match(zone_id, site_id, code, name, kind, touches,
                             bool(shapely.contains(zone, project)), overlap,
                             round(float(shapely.distance(zone, project)), 1)))
        return out

    def check(self, geometry_wgs84, buffer_m: float) -> list[Match]:
        project = to_metric(geometry_wgs84, self.transformer)
        buffered = shapely.buffer(project, buffer_m) if buffer_m > 0 else project
        candidates = self.tree.query(buffered, predicate="intersects")
        return self._matches(project, buffered, candidates)

    def check_many(self, geometries_wgs84, buffer_m: float) -> list[list[Match]]:
        """A batch in one vectorised tree query (the benchmark's full batch, imports)."""
        projects = to_metric(np.array(list(geometries_wgs84), dtype=object), self.transformer)
        buffered = shapely.buffer(projects, buffer_m) if buffer_m > 0 else projects
        pairs = self.tree.query(buffered, predicate="intersects")
        by_project: dict[int, list[int]] = {}
        for p, z in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True):
            by_project.setdefault(p, []).append(z)
        return [self._matches(projects[i], buffered[i], by_project.get(i, []))
                for i in range(len(projects))]


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, ZoneIndex]] = {}


def signature() -> tuple:
    from minsheng.culture.models import ProtectionZone

    row = ProtectionZone.objects.aggregate(n=Count("id"), last=Max("id"),
                                           changed=Max("updated_at"))
    return (row["n"], row["last"], row["changed"])


def current_index() -> ZoneIndex:
    """The index of the zones in force now, rebuilt after any zone changed."""
    key = connection.settings_dict.get("NAME") or "default"
    sig = signature()
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != sig:
            cached = (sig, ZoneIndex.load())
            _cache[key] = cached
        return cached[1]
