"""Construction checks against protection zones: N projects (default 10,000) against the
zones of S sites (default 2,000; a protection range and a construction-control zone
each), on SQLite or PostgreSQL.

    python benchmarks/heritage_check.py [--sites 2000] [--projects 10000]
                                        [--database-url postgres://postgres@127.0.0.1/bench]

Prints: the zone index build, the time per recorded check through the service
(`project_check`: geometry, index query, the check row, audit row, consent case when one
opens) as p50/p95 (goal p95 < 50 ms), the full batch through the vectorised index
(`ZoneIndex.check_many`), the results by kind, and a digest of every project's result and
zones: the same digest on SQLite and PostgreSQL means identical results.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def square(lon, lat, metres):
    import shapely

    dlat = metres / 111_320
    dlon = metres / (111_320 * math.cos(math.radians(lat)))
    return shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def build_sites(n: int, rng: random.Random) -> None:
    """Sites and zones written set-based (a benchmark fixture, like a demo builder)."""
    import datetime

    from shapely.geometry import mapping

    from minsheng.core.models import Area
    from minsheng.culture.geometry import metric_transformer, to_metric
    from minsheng.culture.models import HeritageSite, ProtectionZone

    district = Area.objects.create(code="120199", name="基准区", level="district",
                                   path="120199")
    sites = HeritageSite.objects.bulk_create(
        HeritageSite(code=f"B{i:05d}", name=f"基准文物{i}", level="county", category="site",
                     era="明", area=district, address="-", lon=rng.uniform(117.35, 118.05),
                     lat=rng.uniform(38.65, 39.35), responsible_person="-",
                     designated_on=datetime.date(2020, 1, 1)) for i in range(n))
    transformer = metric_transformer()
    zones = []
    for site in sites:
        for kind, size in (("protection", rng.uniform(50, 150)), ("control", 400.0)):
            geom = square(site.lon, site.lat, size if kind == "protection" else size + 150)
            minx, miny, maxx, maxy = geom.bounds
            zones.append(ProtectionZone(
                site=site, kind=kind, geometry=mapping(geom), min_lon=minx, min_lat=miny,
                max_lon=maxx, max_lat=maxy, area_m2=to_metric(geom, transformer).area,
                source="bench", delimited_on=datetime.date(2020, 6, 1)))
    ProtectionZone.objects.bulk_create(zones, batch_size=2000)


def projects(n: int, rng: random.Random):
    import shapely

    out = []
    for i in range(n):
        lon, lat = rng.uniform(117.32, 118.08), rng.uniform(38.62, 39.38)
        out.append(shapely.Point(lon, lat) if i % 2 else square(lon, lat, rng.uniform(20, 120)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    url = use_database(args.database_url, "heritage")
    from django.conf import settings
    from django.db import connection

    settings.MINSHENG_CULTURE = {"DISTRICT_BOUNDS": (117.30, 38.60, 118.10, 39.40)}
    from minsheng.core.access import system_actor
    from minsheng.core.models import Area
    from minsheng.culture.geometry import Shape
    from minsheng.culture.services import checks
    from minsheng.culture.zonecheck import ZoneIndex, current_index

    rng = random.Random(args.seed)
    build_sites(args.sites, rng)
    geoms = projects(args.projects, rng)
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")

    started = time.perf_counter()
    index = ZoneIndex.load()
    print(f"zone index: {len(index.meta)} zones built in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")

    started = time.perf_counter()
    batch = index.check_many(geoms, 50.0)
    batch_s = time.perf_counter() - started
    print(f"full batch (vectorised index, no records): {len(geoms)} projects in "
          f"{batch_s:.2f} s ({batch_s / len(geoms) * 1000:.3f} ms per project)")

    actor = system_actor()
    area = Area.objects.get(code="120199")
    current_index()  # built once, as on a running server
    times, results = [], []
    started = time.perf_counter()
    for geom in geoms:
        t0 = time.perf_counter()
        check = checks.project_check(actor=actor, project_name="基准项目", applicant="-",
                                     area=area, shape=Shape(geom), buffer_m=50.0)
        times.append((time.perf_counter() - t0) * 1000)
        results.append((check.result, tuple(m["zone"] for m in check.matches)))
    total = time.perf_counter() - started
    print(f"recorded checks through the service: {len(times)} in {total:.1f} s; per check "
          f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
          f"max {max(times):.1f} ms (goal p95 < 50 ms)")

    from minsheng.culture.zonecheck import result_of

    assert [r for r, _z in results] == [result_of(m) for m in batch], "batch and service differ"
    kinds = {}
    for r, _z in results:
        kinds[r] = kinds.get(r, 0) + 1
    print("results: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    # zone ids are the same on both databases: sites and zones are inserted in one order
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"digest of every result and its zones: {digest}")


if __name__ == "__main__":
    main()
