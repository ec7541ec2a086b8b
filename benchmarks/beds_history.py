"""Nursing-bed share for every month of five years over 5,000 beds with dated history
(openings, general beds converted to nursing beds, repairs), recomputed from the bed
register: the time for all 60 month-ends (goal < 2 s) and a check that the figures agree
with a plain Python count over the same periods.

    python benchmarks/beds_history.py [--beds 5000] [--database-url postgres://...]
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
    parser.add_argument("--beds", type=int, default=5000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    use_database(args.database_url, "beds")
    import numpy as np

    from minsheng.core import dates
    from minsheng.core.models import Area, Organization
    from minsheng.eldercare import figures
    from minsheng.eldercare.models import Bed, BedPeriod, Institution

    rng = np.random.default_rng(14)
    district = Area.objects.create(code="120199", name="基准区", level="district", path="120199")
    n_inst = max(args.beds // 100, 1)
    orgs = Organization.objects.bulk_create([
        Organization(name=f"养老院{i}", kind="eldercare", area=district) for i in range(n_inst)])
    insts = Institution.objects.bulk_create([
        Institution(organization=o, area=district, ownership="public") for o in orgs])
    start = datetime.date(2021, 1, 1)
    beds = Bed.objects.bulk_create([Bed(institution=insts[i % n_inst], room=str(i // 4),
                                        number=str(i % 4)) for i in range(args.beds)],
                                   batch_size=5000)
    periods = []
    for bed in beds:
        opened = start + datetime.timedelta(days=int(rng.integers(0, 1200)))
        cuts = [(opened, "general", "in_service")]
        if rng.random() < 0.5:
            cuts.append((opened + datetime.timedelta(days=int(rng.integers(30, 700))),
                         "nursing", "in_service"))
        if rng.random() < 0.1:
            d = cuts[-1][0] + datetime.timedelta(days=int(rng.integers(30, 300)))
            cuts += [(d, cuts[-1][1], "out_of_service"),
                     (d + datetime.timedelta(days=90), cuts[-1][1], "in_service")]
        for k, (d, t, s) in enumerate(cuts):
            periods.append(BedPeriod(bed=bed, bed_type=t, status=s, valid_from=d,
                                     valid_to=cuts[k + 1][0] if k + 1 < len(cuts) else None))
    BedPeriod.objects.bulk_create(periods, batch_size=5000)
    ends = [dates.month_end(dates.add_months(start, k)) for k in range(60)]
    t0 = time.perf_counter()
    series = [(on, f.beds, f.nursing) for on, f in zip(ends, figures.series(ends), strict=True)]
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    grouped = []
    for on in ends:  # the per-date path the pages use for one date: two grouped queries
        total = figures.BedFigures()
        for fig in figures.by_institution(on).values():
            total.add(fig)
        grouped.append((on, total.beds, total.nursing))
    grouped_s = time.perf_counter() - t1
    # the same figures counted in plain Python over the periods
    wrong = sum(a != b for a, b in zip(series, grouped, strict=True))
    for on, beds_n, nursing_n in series[::6]:
        live = [p for p in periods if p.valid_from <= on and (p.valid_to is None or p.valid_to > on)
                and p.status == "in_service"]
        wrong += (len(live), sum(p.bed_type == "nursing" for p in live)) != (beds_n, nursing_n)
    last = series[-1]
    print(f"{args.beds} beds, {len(periods)} periods, {n_inst} institutions")
    print(f"60 month-ends recomputed in {elapsed:.2f} s (goal < 2 s; one grouped query per "
          f"date: {grouped_s:.2f} s); figures that disagree with a plain count: {wrong}")
    print(f"{last[0]}: {last[1]} beds, nursing share {last[2] / max(last[1], 1):.1%}")


if __name__ == "__main__":
    main()
