"""The nightly petitions clock sweep over N open cases (default 200,000; goal < 30 s).

    python benchmarks/deadline_sweep.py [--cases 200000] [--overdue 0.002] [--ripe 0.02]
        [--database-url postgres://...]

Builds a small registry (areas, departments), bulk-inserts N petitions at every open stage
— `--overdue` of them past an agency limit since the last sweep, `--ripe` of the replied and
reviewed ones past their review window (defaults: a night's worth) — then times
`petitions_sweep` twice: the night with that work (each overdue case escalated to a
follow-up with its audit row, each ripe case concluded through the workflow) and the next
night (nothing new: the cost of finding the work among N open cases). Prints seconds and
counts; the moves cost the same per case, so a backlog night scales with its size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import use_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--overdue", type=float, default=0.002,
                        help="share of cases whose agency limit passed since last night")
    parser.add_argument("--ripe", type=float, default=0.02,
                        help="share of replied/reviewed cases whose review window ended")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    use_database(args.database_url, "sweep")
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from minsheng.core.bulkload import insert_rows
    from minsheng.core.models import Area, Organization
    from minsheng.demo.build import build_registry
    from minsheng.petitions.models import Petition
    from minsheng.petitions.services import petitions_sweep

    today = datetime.date(2026, 11, 27)
    if not Area.objects.exists():
        build_registry(people=500, seed=2026)
    areas = list(Area.objects.filter(level="community").values_list("id", flat=True))
    departments = list(Organization.objects.filter(kind="department")
                       .values_list("id", flat=True))
    rng = np.random.default_rng(2026)
    n = args.cases
    states = rng.choice(["registered", "accepted", "replied", "review", "reviewed",
                         "re_review"], size=n, p=[0.15, 0.6, 0.12, 0.05, 0.05, 0.03])
    late = rng.random(n) < args.overdue
    ripe = rng.random(n) < args.ripe
    now = timezone.now()
    rows = []
    for i in range(n):
        state = states[i]
        received = today - datetime.timedelta(days=int(rng.integers(1, 40)))
        due = today + datetime.timedelta(days=int(rng.integers(1, 40)))
        if late[i]:
            due = today - datetime.timedelta(days=int(rng.integers(1, 20)))
        replied = reviewed = None
        if state == "replied":
            replied = today - datetime.timedelta(days=40 if ripe[i] else 10)
        if state == "reviewed":
            reviewed = today - datetime.timedelta(days=40 if ripe[i] else 10)
        agency = state in ("registered", "accepted", "review", "re_review")
        rows.append((f"XB{i:012d}", state, int(areas[i % len(areas)]), now, now, now, 1,
                     "visit", "claim", "居民", f"120199198001{i % 10**6:06d}", "", "", 1, "",
                     "事项", "内容", int(departments[i % len(departments)]), received,
                     received + datetime.timedelta(days=15), 0, "", "", replied, "", "",
                     reviewed, "", "", "", "[]", due if agency else None))
    columns = ["reference", "state", "area_id", "opened_at", "created_at", "updated_at",
               "version", "channel", "category", "petitioner_name", "petitioner_id_number",
               "petitioner_phone", "petitioner_address", "joint_count", "representatives",
               "subject", "content", "department_id", "received_on", "accept_due",
               "extension_days", "extension_reason", "extension_approved_by", "replied_on",
               "reply", "satisfaction", "reviewed_on", "review_opinion", "decision_note",
               "re_review_opinion", "recused", "current_due"]
    start = time.perf_counter()
    with transaction.atomic():
        insert_rows(Petition._meta.db_table, columns, rows)
    print(f"inserted {n:,} petitions in {time.perf_counter() - start:.1f} s")
    for night in ("night with work", "next night"):
        start = time.perf_counter()
        result = petitions_sweep(today=today)
        print(f"{night}: {time.perf_counter() - start:.1f} s — escalated "
              f"{result['escalated']:,}, concluded {result['concluded']:,} "
              f"(goal < 30 s)")


if __name__ == "__main__":
    main()
