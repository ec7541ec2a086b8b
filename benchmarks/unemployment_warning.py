"""Unemployment early-warning evaluation speed: every rule over N enterprises x M months of
headcount reports, with aggregation per industry section and subdistrict.

    .venv/bin/python benchmarks/unemployment_warning.py [--enterprises 2000 --months 36]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.config.settings.test")
    import django

    django.setup()
    from minsheng.employment.early_warning import claims_alarm, evaluate

    rng = np.random.default_rng(args.seed)
    n_e, n_m = args.enterprises, args.months
    t = time.perf_counter()
    size = np.maximum(5, rng.lognormal(3.5, 1.2, n_e)).astype(int)
    ent = np.repeat(np.arange(n_e), n_m)
    month = np.tile(np.arange(n_m), n_e)
    baseline = np.repeat(size, n_m).astype(float)
    additions = rng.poisson(baseline * 0.01)
    reductions = np.stack([rng.binomial(1, 0.0005, len(ent)) * baseline * 0.5,
                           rng.poisson(baseline * 0.001), rng.poisson(baseline * 0.002),
                           rng.poisson(baseline * 0.004), rng.poisson(baseline * 0.003)],
                          axis=1).astype(float)
    planted = rng.choice(len(ent), 40, replace=False)
    reductions[planted, 2] = np.maximum(20, baseline[planted] * 0.12)
    reductions = np.minimum(reductions, (baseline + additions)[:, None] / 5)
    notice = np.where(rng.random(len(ent)) < 0.7, rng.integers(0, 60, len(ent)), np.nan)
    groups = {"industry": rng.integers(0, 20, n_e), "subdistrict": rng.integers(0, 12, n_e)}
    prep = time.perf_counter() - t
    t = time.perf_counter()
    ev = evaluate(ent, month, baseline, additions, reductions, notice, groups, n_months=n_m)
    claims = rng.poisson(40, n_m)
    claims[-1] = 90
    import datetime as dt

    check = claims_alarm(claims.tolist(), [dt.date(2024 + i // 12, i % 12 + 1, 1)
                                           for i in range(n_m)])
    alarm, method = check.alarm, check.error or check.method
    elapsed = time.perf_counter() - t
    print(f"{n_e:,} enterprises x {n_m} months = {len(ent):,} reports (generated in {prep:.2f} s)")
    print(f"rules + industry/subdistrict aggregation + claims detector ({method}): "
          f"{elapsed * 1000:.0f} ms (goal < 10 s) {'OK' if elapsed < 10 else 'MISSED'}")
    print(f"layoff warnings {int(ev.layoff.sum())} (red, notice < 30 days: "
          f"{int((ev.layoff & ~ev.notice_ok).sum())}), job-loss warnings "
          f"{int(ev.job_loss.sum())}, claims alarms {int(alarm.sum())}")


if __name__ == "__main__":
    main()
