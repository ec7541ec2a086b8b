"""Evaluate the detection methods on the Noufaily et al. (2013) simulation study.

    python benchmarks/detection_eval.py [--replicates 100] [--scenarios all] [--seed 2026]
                                        [--alpha 0.01] [--per-scenario]

Simulates 42 scenarios x replicates negative-binomial series of 624 weeks with outbreaks
(see minsheng/detection/simulation.py), runs every method on the final 49 weeks, and prints
per method: mean false-positive rate, effective/nominal alpha, POD at nominal alpha, POD at
matched false-positive rates (0.5%, 1%, 5%), timeliness, alarms per 100 series-weeks, CPU seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

# The fits are many small matrix products: BLAS threads only contend for the cores
# (8x slower on a loaded 2-core machine), so use one unless told otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
from pathlib import Path

import numpy as np

# Measure this checkout's code, even when another checkout of minsheng is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from minsheng.detection import (
    cusum,
    ears,
    evaluation,
    farrington,
    percentile,
    scan,
    seasonal_glm,
    threshold,
)
from minsheng.detection import simulation as sim_mod

METHOD_ORDER = ("ears_c1", "ears_c2", "ears_c3", "moving_percentile", "cusum_poisson",
                "cusum_negbin", "threshold", "farrington", "farrington_flexible",
                "farrington_scan", "seasonal_glm")


def run_methods(y: np.ndarray, start: int, alpha: float) -> tuple[dict, dict, dict]:
    """Results, nominal alpha (None where the method has none) and seconds per method."""
    results, nominal, seconds = {}, {}, {}

    def timed(name, fn, level=None):
        t0 = time.process_time()
        r = fn()
        seconds[name] = time.process_time() - t0
        # Keep only the evaluated weeks: full-length arrays for ten methods cost ~1 GB.
        results[name] = (r.alarm[:, start:].copy(), r.score[:, start:].copy())
        nominal[name] = level

    timed("ears_c1", lambda: ears.ears_c1(y, alpha=alpha), alpha)
    timed("ears_c2", lambda: ears.ears_c2(y, alpha=alpha), alpha)
    timed("ears_c3", lambda: ears.ears_c3(y))
    timed("moving_percentile", lambda: percentile.moving_percentile(y, start=start))
    timed("cusum_poisson", lambda: cusum.cusum_poisson(y, start=start))
    timed("cusum_negbin", lambda: cusum.cusum_negbin(y, start=start))
    timed("threshold", lambda: threshold.fixed_threshold(y))
    timed("farrington", lambda: farrington.farrington(y, alpha=alpha, start=start), alpha)
    t0 = time.process_time()
    # One improved-Farrington fit serves both the improved Farrington and the scan (which also
    # needs the week before the first evaluated one).
    fit = farrington.fit_farrington(y, "improved", start=start - 1)
    fit_seconds = time.process_time() - t0
    timed("farrington_flexible",
          lambda: farrington.threshold_from_fit(y, fit, "improved", alpha), alpha)
    seconds["farrington_flexible"] += fit_seconds
    timed("farrington_scan", lambda: scan.farrington_scan(y, alpha=alpha, fit=fit), alpha)
    timed("seasonal_glm", lambda: seasonal_glm.seasonal_glm(
        y, alpha=alpha, exclude_recent=26, period_per_year=52, start=start), alpha)
    return results, nominal, seconds


def evaluate_all(sim, results) -> dict[str, list[evaluation.ScenarioMetrics]]:
    ev = sim.eval_slice
    return {
        name: evaluation.evaluate(
            alarm, score, sim.outbreak_cases[:, ev], sim.current_cases[:, ev],
            sim.current_start, sim.current_k, sim.scenario, ev.start)
        for name, (alarm, score) in results.items()
    }


def _mean(values) -> float:
    arr = np.asarray(values, dtype=float)
    return float(arr[~np.isnan(arr)].mean()) if (~np.isnan(arr)).any() else float("nan")


def summary_rows(metrics, nominal, seconds) -> list[dict]:
    rows = []
    for name in METHOD_ORDER:
        if name not in metrics:
            continue
        ms = metrics[name]
        fpr = _mean([m.fpr for m in ms])
        row = {
            "method": name, "fpr": fpr, "nominal": nominal[name],
            "ratio": fpr / nominal[name] if nominal[name] else float("nan"),
            "pod": _mean([m.pod for m in ms]),
            "timeliness": _mean([m.timeliness for m in ms]),
            "alarms_per_100": float(np.mean([m.alarms_per_100 for m in ms])),
            "seconds": seconds[name],
        }
        for target in evaluation.MATCHED_FPR:
            row[f"pod@{target:g}"] = _mean([m.matched_pod[target] for m in ms])
        rows.append(row)
    return rows


def format_summary(rows) -> str:
    targets = [f"pod@{t:g}" for t in evaluation.MATCHED_FPR]
    head = (f"{'method':<20} {'FPR':>7} {'alpha':>6} {'FPR/a':>6} {'POD':>6} "
            + " ".join(f"{'POD@' + t[4:]:>9}" for t in targets)
            + f" {'weeks':>6} {'al/100':>7} {'sec':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        alpha = f"{r['nominal']:.3f}" if r["nominal"] else "  -"
        ratio = f"{r['ratio']:.2f}" if r["nominal"] else "  -"
        lines.append(
            f"{r['method']:<20} {r['fpr']:7.4f} {alpha:>6} {ratio:>6} {r['pod']:6.3f} "
            + " ".join(f"{r[t]:9.3f}" for t in targets)
            + f" {r['timeliness']:6.2f} {r['alarms_per_100']:7.2f} {r['seconds']:6.2f}")
    return "\n".join(lines)


def format_per_scenario(metrics, names=("farrington_flexible", "farrington_scan")) -> str:
    names = [n for n in names if n in metrics]
    head = f"{'scen':>4} " + " ".join(f"{n[:19] + ' FPR':>23} {'POD@1%':>7}" for n in names)
    lines = [head]
    for i, m0 in enumerate(metrics[names[0]]):
        cells = []
        for n in names:
            m = metrics[n][i]
            cells.append(f"{m.fpr:23.4f} {m.matched_pod[0.01]:7.3f}")
        lines.append(f"{m0.scenario:>4} " + " ".join(cells))
    return "\n".join(lines)


def run(replicates: int = 100, scenarios: str = "all", seed: int = 2026, alpha: float = 0.01):
    t0 = time.perf_counter()
    chosen = sim_mod.parse_scenarios(scenarios)
    sim = sim_mod.simulate(chosen, replicates, seed)
    t_sim = time.perf_counter() - t0
    results, nominal, seconds = run_methods(sim.counts, sim.eval_slice.start, alpha)
    metrics = evaluate_all(sim, results)
    rows = summary_rows(metrics, nominal, seconds)
    return {"rows": rows, "metrics": metrics, "simulation_seconds": t_sim,
            "total_seconds": time.perf_counter() - t0, "series": sim.counts.shape[0],
            "simulation": sim}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicates", type=int, default=100)
    ap.add_argument("--scenarios", default="all", help="'all' or e.g. '1-6,14'")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--alpha", type=float, default=0.01)
    ap.add_argument("--per-scenario", action="store_true",
                    help="also print FPR and POD at 1%% matched FPR per scenario")
    args = ap.parse_args(argv)
    out = run(args.replicates, args.scenarios, args.seed, args.alpha)
    n_scen = len(out["metrics"][METHOD_ORDER[0]])
    print(f"{n_scen} scenarios x {args.replicates} replicates = {out['series']} series, "
          f"evaluated weeks 576-624, seed {args.seed}, nominal alpha {args.alpha}")
    print("FPR: outbreak-free weeks flagged; POD: current outbreaks detected; POD@x: at "
          "matched FPR x; weeks: start to first alarm\n")
    print(format_summary(out["rows"]))
    if args.per_scenario:
        print("\n" + format_per_scenario(out["metrics"]))
    print(f"\nsimulation {out['simulation_seconds']:.1f} s, total {out['total_seconds']:.1f} s "
          "wall; sec = CPU seconds of each method (one BLAS thread)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
