"""Plan dashboard benchmark: every seed target for the district and every subdistrict
(value, projection, status), cold and warm, with the SQL query count, against one
hand-written SQL aggregation of the same numbers.

    .venv/bin/python benchmarks/plan_dashboard.py --people 20000 --database /tmp/bench.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/plan_dashboard.py --people 20000

If the database has no demo district yet, the script builds one (core registry + the plans
demo builder: five years of monthly values per subdistrict). `minsheng demo --people N
--no-serve --database FILE` builds the same district with every module.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

BASELINE_SQL = """
SELECT e.code, v.area_id, COUNT(*), SUM(v.value), MAX(v.period_start)
FROM indicators_datavalue v JOIN indicators_dataelement e ON e.id = v.element_id
JOIN core_area a ON a.id = v.area_id
WHERE v.current AND v.state = 'approved' AND v.flag = '' AND a.level IN ('district', 'subdistrict')
GROUP BY e.code, v.area_id
"""


def setup(database: str | None) -> None:
    if database and not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(database)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.config.settings.demo")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", "-v", "0")


def build(people: int) -> float:
    import numpy as np
    from django.db import transaction

    from minsheng.core.models import Area
    from minsheng.demo import build as b
    from minsheng.plans.demo import build as plans_build

    if Area.objects.exists():
        return 0.0
    start = time.perf_counter()
    rng = np.random.default_rng(1)
    actor = b.system_actor()
    district, subs, comms = b._areas(actor, rng)
    departments = b._departments(actor, district)
    b._staff(district, subs, departments)
    ctx = b.DemoContext(seed=1, people=people, today=b.TODAY, actor=actor, district=district,
                        subdistricts=subs, communities=comms, departments=departments)
    b._people(ctx, rng)
    with transaction.atomic():
        plans_build(ctx)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database", default=None)
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    setup(args.database)
    built = build(args.people)

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minsheng.core.models import Area, Person
    from minsheng.indicators.models import DataValue
    from minsheng.plans import status
    from minsheng.plans.models import Target

    district = Area.objects.get(parent=None)
    areas = [district, *Area.objects.filter(parent=district).order_by("code")]
    targets = Target.objects.filter(parent=None)
    print(f"database {connection.vendor}; {Person.objects.count()} people, "
          f"{len(areas) - 1} subdistricts, {targets.count()} targets, "
          f"{DataValue.objects.filter(current=True).count()} current values"
          + (f"; built in {built:.1f} s" if built else ""))

    cache.clear()
    with CaptureQueriesContext(connection) as cold_q:
        t0 = time.perf_counter()
        results = status.cached_compute(targets, areas)
        cold = time.perf_counter() - t0
    warm_times = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as warm_q:
            t0 = time.perf_counter()
            status.cached_compute(targets, areas)
            warm_times.append(time.perf_counter() - t0)
    base_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL)
            cursor.fetchall()
        base_times.append(time.perf_counter() - t0)
    base = min(base_times)
    warm = min(warm_times)
    counts: dict[str, int] = {}
    for r in results.values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"results: {len(results)} (target x area); statuses {counts}")
    print(f"cold: {cold * 1000:.1f} ms, {len(cold_q)} queries")
    print(f"warm: {warm * 1000:.1f} ms, {len(warm_q)} queries")
    print(f"baseline (one SQL aggregation): {base * 1000:.1f} ms, 1 query")
    print(f"ratio cold/baseline {cold / base:.1f}x, warm/baseline {warm / base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
