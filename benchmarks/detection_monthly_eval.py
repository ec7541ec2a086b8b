"""Evaluate the detection methods on simulated monthly claim series with planted shifts.

    python benchmarks/detection_monthly_eval.py [--replicates 200] [--seed 2026]
                                                [--history-years 8] [--alpha A] [--per-scenario]

Simulates 12 scenarios x replicates monthly series of new unemployment-benefit claims (level 8,
40 or 200 a month; no trend or +8% a year; no seasonality or a Spring-Festival/graduation
profile; negative-binomial noise; two past layoff waves in the history) with one planted
spike or step shift in the last 24 months (see minsheng/detection/monthly_simulation.py).
Every method that accepts monthly data runs through ``registry.run_batch(method, counts, "M")``
with its monthly defaults, i.e. exactly what ``detect(..., freq="M")`` runs. Labels come from
the planting, never from a detector. Printed per method (means over scenarios):

- false alarms per year: 12 x share of shift-free evaluated months that alarm;
- sensitivity: spikes with an alarm in a month holding their claims; steps with an alarm in
  their first 3 months; both also at matched false-alarm rates of 0.5 and 1 a year (each
  method's score thresholded per scenario where exactly that share of shift-free months alarm);
- timeliness: months from the shift's start to its first alarm (detected shifts);
- sec: the method's CPU seconds over all series (one BLAS thread).
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

from minsheng.detection import METHODS, evaluation, registry
from minsheng.detection import monthly_simulation as msim

METHOD_ORDER = ("ears_c1", "ears_c2", "ears_c3", "moving_percentile", "cusum_poisson",
                "cusum_negbin", "threshold", "farrington", "farrington_flexible",
                "farrington_scan", "seasonal_glm")
MATCHED_PER_YEAR = (0.5, 1.0)


def _params(name: str, alpha: float | None) -> dict:
    """--alpha applies to the methods with a nominal level (Farrington's, seasonal_glm); EARS
    keeps k = 3 (its alpha would replace k)."""
    default = METHODS[name]["parameters"].get("alpha")
    return {"alpha": alpha} if alpha is not None and default is not None else {}


def run_methods(y: np.ndarray, start: int, alpha: float | None = None
                ) -> tuple[dict, dict, dict]:
    """(alarm, score) of the evaluated months per method; seconds; methods that cannot run."""
    results, seconds, skipped = {}, {}, {}
    for name in METHOD_ORDER:
        if "M" not in METHODS[name]["frequencies"]:
            continue
        p = registry.resolve_params(name, _params(name, alpha), "M")
        need = registry.required_history(name, p, "M")
        if need > start:
            skipped[name] = (f"needs {need} earlier months; the series have {start} before the "
                             "evaluated months")
            continue
        t0 = time.process_time()
        r = registry.run_batch(name, y, "M", p, start=start)
        seconds[name] = time.process_time() - t0
        results[name] = (r.alarm[:, start:].copy(), r.score[:, start:].copy())
    return results, seconds, skipped


def _first_hit(hit: np.ndarray) -> np.ndarray:
    return np.where(hit.any(axis=1), hit.argmax(axis=1), -1)


def scenario_metrics(sim: msim.MonthlySimulation, alarm: np.ndarray, score: np.ndarray
                     ) -> list[dict]:
    ev = sim.eval_slice
    free = sim.planted[:, ev] == 0
    window = sim.detect_window()
    score = np.where(np.isnan(score), -np.inf, score)
    out = []
    for sc in np.unique(sim.scenario):
        rows = sim.scenario == sc
        a, s, f, w = alarm[rows], score[rows], free[rows], window[rows]
        kind, size, start = sim.kind[rows], sim.size[rows], sim.start[rows]
        hit = a & w
        detected = hit.any(axis=1)
        delay = _first_hit(hit) + ev.start - start
        m = {"scenario": int(sc), "fa_per_year": float(a[f].mean() * 12)}
        for k in ("spike", "step"):
            sel = kind == k
            m[f"sens_{k}"] = float(detected[sel].mean())
            m[f"delay_{k}"] = (float(delay[sel & detected].mean()) if (sel & detected).any()
                               else float("nan"))
            m[f"by_size_{k}"] = {float(v): float(detected[sel & (size == v)].mean())
                                 for v in np.unique(size[sel])}
        for per_year in MATCHED_PER_YEAR:
            c, q = evaluation.matched_threshold(s[f], per_year / 12)
            prob = evaluation.detection_prob(s, w, c, q)
            for k in ("spike", "step"):
                m[f"sens_{k}@{per_year:g}"] = float(prob[kind == k].mean())
        out.append(m)
    return out


def _mean(values) -> float:
    arr = np.asarray(values, dtype=float)
    ok = ~np.isnan(arr)
    return float(arr[ok].mean()) if ok.any() else float("nan")


def summary_rows(metrics: dict, seconds: dict) -> list[dict]:
    rows = []
    for name in METHOD_ORDER:
        if name not in metrics:
            continue
        ms = metrics[name]
        row = {"method": name, "seconds": seconds[name]}
        for key in ms[0]:
            if key == "scenario" or key.startswith("by_size"):
                continue
            row[key] = _mean([m[key] for m in ms])
        for k in ("spike", "step"):
            sizes = ms[0][f"by_size_{k}"]
            row[f"by_size_{k}"] = {v: _mean([m[f"by_size_{k}"][v] for m in ms]) for v in sizes}
        rows.append(row)
    return rows


def format_summary(rows: list[dict]) -> str:
    matched = [f"{k}@{p:g}" for p in MATCHED_PER_YEAR for k in ("spike", "step")]
    head = (f"{'method':<20} {'FA/yr':>6} {'spike':>6} {'step':>6} "
            + " ".join(f"{m:>9}" for m in matched)
            + f" {'mo.spk':>6} {'mo.stp':>6} {'sec':>5}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['method']:<20} {r['fa_per_year']:6.2f} {r['sens_spike']:6.3f} "
            f"{r['sens_step']:6.3f} "
            + " ".join(f"{r['sens_' + m]:9.3f}" for m in matched)
            + f" {r['delay_spike']:6.2f} {r['delay_step']:6.2f} {r['seconds']:5.2f}")
    return "\n".join(lines)


def format_by_size(rows: list[dict]) -> str:
    spike = list(rows[0]["by_size_spike"])
    step = list(rows[0]["by_size_step"])
    head = (f"{'method':<20} " + " ".join(f"{'spk k=' + format(v, 'g'):>8}" for v in spike)
            + " " + " ".join(f"{'stp k=' + format(v, 'g'):>8}" for v in step))
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['method']:<20} "
                     + " ".join(f"{r['by_size_spike'][v]:8.3f}" for v in spike) + " "
                     + " ".join(f"{r['by_size_step'][v]:8.3f}" for v in step))
    return "\n".join(lines)


def format_per_scenario(metrics: dict, names=("ears_c2", "farrington_flexible",
                                              "seasonal_glm", "cusum_negbin")) -> str:
    names = [n for n in names if n in metrics]
    labels = {sc.number: sc.label for sc in msim.scenarios()}
    head = (f"{'scenario':<46} "
            + " ".join(f"{n[:14] + ' FA/yr':>20} {'@1 spk':>6} {'@1 stp':>6}" for n in names))
    lines = [head]
    for i, m0 in enumerate(metrics[names[0]]):
        cells = []
        for n in names:
            m = metrics[n][i]
            cells.append(f"{m['fa_per_year']:20.2f} {m['sens_spike@1']:6.3f} "
                         f"{m['sens_step@1']:6.3f}")
        lines.append(f"{m0['scenario']:>2} {labels[m0['scenario']]:<43} " + " ".join(cells))
    return "\n".join(lines)


def run(replicates: int = 200, seed: int = 2026, history_years: int = msim.HISTORY_YEARS,
        alpha: float | None = None):
    t0 = time.perf_counter()
    sim = msim.simulate(None, replicates, seed, history_years)
    t_sim = time.perf_counter() - t0
    results, seconds, skipped = run_methods(sim.counts, sim.eval_slice.start, alpha)
    metrics = {name: scenario_metrics(sim, a, s) for name, (a, s) in results.items()}
    return {"rows": summary_rows(metrics, seconds), "metrics": metrics, "skipped": skipped,
            "simulation_seconds": t_sim, "total_seconds": time.perf_counter() - t0,
            "series": sim.counts.shape[0], "months": sim.counts.shape[1], "simulation": sim}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicates", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--history-years", type=int, default=msim.HISTORY_YEARS,
                    help="years of history before the 24 evaluated months")
    ap.add_argument("--alpha", type=float, default=None,
                    help="nominal level for farrington* and seasonal_glm (default: theirs, 0.01)")
    ap.add_argument("--per-scenario", action="store_true",
                    help="also print false alarms and sensitivity at 1 false alarm a year per "
                         "scenario for a few methods")
    args = ap.parse_args(argv)
    out = run(args.replicates, args.seed, args.history_years, args.alpha)
    n_scen = len(msim.scenarios())
    print(f"{n_scen} scenarios x {args.replicates} replicates = {out['series']} monthly series "
          f"of {out['months']} months ({args.history_years} years of history + "
          f"{msim.EVAL_MONTHS} evaluated), seed {args.seed}; half spikes, half steps; alpha "
          f"{args.alpha if args.alpha is not None else 'default'}")
    print("FA/yr: false alarms per year in shift-free months; spike/step: sensitivity at the "
          "method's defaults (step: alarm within its first 3 months); x@r: sensitivity at a "
          "matched r false alarms a year; mo.: months from start to first alarm\n")
    print(format_summary(out["rows"]))
    print("\nSensitivity by shift size (k baseline SDs) at the defaults\n")
    print(format_by_size(out["rows"]))
    for name, why in out["skipped"].items():
        print(f"{name}: not run, {why}")
    if args.per_scenario:
        print("\n" + format_per_scenario(out["metrics"]))
    print(f"\nsimulation {out['simulation_seconds']:.1f} s, total {out['total_seconds']:.1f} s "
          "wall; sec = CPU seconds of each method (one BLAS thread)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
