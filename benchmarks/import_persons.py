"""Import throughput: `minsheng import persons` (full validation, all-or-nothing) against
the fastest raw insert the driver offers on the same database (executemany in one
transaction on SQLite, COPY on PostgreSQL), on the same generated file.

    python benchmarks/import_persons.py --people 1000000 [--database-url postgres://...]

Prints rows/s of both, the ratio (goal >= 0.5) and the importer's peak memory (goal < 1 GB).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from _setup import use_database  # noqa: E402

HEADER = ["身份证号", "姓名", "出生日期", "性别", "联系电话", "居住地区划代码", "地址"]


def write_file(path: Path, people: int, communities: list[str], seed: int = 7) -> None:
    from minsheng.core.identifiers import id_check_digit

    rng = np.random.default_rng(seed)
    births = np.datetime64("1940-01-01") + rng.integers(0, 30_000, size=people)
    area = rng.integers(0, len(communities), size=people)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        seen: dict = {}
        for i in range(people):
            birth = births[i].astype(datetime.date)
            n = seen.get(birth, 0)
            seen[birth] = n + 1
            region = f"12011{n // 500}"
            body = f"{region}{birth:%Y%m%d}{(n % 500) * 2 + 1:03d}"
            writer.writerow([body + id_check_digit(body), f"测试{i % 9973}", birth.isoformat(),
                             "男", f"139{i % 100_000_000:08d}", communities[area[i]],
                             f"示范路{i % 999}号"])


def raw_insert(path: Path) -> float:
    """Baseline: parse the same file and insert with the driver's fastest path."""
    from django.db import connection, transaction
    from django.utils import timezone

    from minsheng.core.models import Area, Person

    areas = dict(Area.objects.values_list("code", "id"))
    now = timezone.now()
    table = Person._meta.db_table
    cols = ["id_number", "name", "sex", "birth_date", "phone", "residence_area_id",
            "hukou_area_id", "address", "status", "version", "created_at", "updated_at"]

    def rows():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for r in reader:
                a = areas[r[5]]
                yield (r[0], r[1], "M", r[2], r[4], a, a, r[6], "living", 1, now, now)

    start = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            sql = (f"INSERT INTO {table} ({', '.join(cols)}) "  # noqa: S608
                   f"VALUES ({', '.join(['%s'] * len(cols))})")
            with connection.cursor() as cursor:
                cursor.executemany(sql, list(rows()))
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)  # leave the table empty for the real import
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    url = use_database(args.database_url, "import")
    from minsheng.core.access import system_actor
    from minsheng.demo.build import _areas

    district, subdistricts, communities = _areas(system_actor(), np.random.default_rng(1))
    path = Path(tempfile.mkdtemp()) / "people.csv"
    write_file(path, args.people, [c.code for c in communities])
    size_mb = path.stat().st_size / 1e6
    baseline = raw_insert(path)
    env = dict(os.environ, DATABASE_URL=url,
               DJANGO_SETTINGS_MODULE="minsheng.config.settings.demo")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "minsheng.cli", "import", "persons",
                             str(path)], env=env, capture_output=True, text=True)
    ours = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:])
        raise SystemExit("import failed")
    from minsheng.core.models import Person

    assert Person.objects.count() == args.people
    vendor = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"database {vendor}, {args.people:,} rows, file {size_mb:.0f} MB")
    print(f"raw insert (baseline):   {args.people / baseline:>10,.0f} rows/s  ({baseline:.1f} s)")
    print(f"minsheng import persons: {args.people / ours:>10,.0f} rows/s  ({ours:.1f} s, "
          f"process start and validation included)")
    print(f"ratio import/raw: {baseline / ours:.2f}  (goal >= 0.5)")
    print(f"importer peak memory: {peak_mb:.0f} MB  (goal < 1024 MB)")


if __name__ == "__main__":
    main()
