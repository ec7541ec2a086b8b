"""Latency of the people list API for a caseworker scoped to one subdistrict, in a
district of N people (default 1,000,000): page of 50, and search by name prefix.

    python benchmarks/scoped_list.py [--people 1000000] [--database-url postgres://...]

Requests go through the whole stack (middleware, auth, scoping, pagination, JSON) with
Django's test client. Prints p50/p95 (goal p95 < 100 ms) and the queries per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--reuse", action="store_true",
                        help="keep a PostgreSQL database built by an earlier run")
    args = parser.parse_args()
    url = use_database(args.database_url, "scoped", reuse=args.reuse)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from minsheng.core.models import Person, User
    from minsheng.demo.build import build_registry

    start = time.perf_counter()
    if not Person.objects.exists():  # an existing SQLite file given by URL is reused
        build_registry(people=args.people, seed=2026)
        with connection.cursor() as cursor:
            # the state autovacuum keeps a live database in: statistics and a visibility
            # map, so that counts can be answered from the index alone
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    built = time.perf_counter() - start
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="caseworker"))  # one subdistrict
    surnames = [n[:1] for n in Person.objects.values_list("name", flat=True)[:50]]
    pairs = [n[:2] for n in Person.objects.values_list("name", flat=True)[:50]]
    cases = {
        "page of 50": lambda i: f"/api/core/people?page={1 + i % 20}",
        "name prefix": lambda i: f"/api/core/people?q={surnames[i % len(surnames)]}",
        "two-char prefix": lambda i: f"/api/core/people?q={pairs[i % len(pairs)]}",
    }
    vendor = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"database {vendor}, {Person.objects.count():,} people (built in {built:.0f} s), "
          f"caseworker scoped to one subdistrict, {args.requests} requests each")
    for label, make_url in cases.items():
        paths = [make_url(i) for i in range(args.requests)]
        client.get(paths[0])  # warm
        timings = []
        for path in paths:
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content[:300]
        with CaptureQueriesContext(connection) as ctx:
            client.get(paths[0])
        print(f"{label:<16} p50 {statistics.median(timings):6.1f} ms   "
              f"p95 {percentile(timings, 0.95):6.1f} ms   {len(ctx)} queries")


if __name__ == "__main__":
    main()
