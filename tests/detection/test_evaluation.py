import importlib.util
from pathlib import Path

import numpy as np

from minsheng.detection import evaluation, simulation

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "detection_eval.py"


def _bench():
    spec = importlib.util.spec_from_file_location("detection_eval", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_scenarios_match_noufaily_table():
    sc = simulation.scenarios()
    assert len(sc) == 42
    s14 = sc[13]  # the scenario many replications use as a default
    assert (s14.theta, s14.beta, s14.gamma1, s14.gamma2, s14.phi, s14.m) == (
        1.5, 0.0, 0.2, -0.4, 1.0, 1)
    assert sc[16].beta == 0.003 and sc[16].m == 1
    assert [s.number for s in simulation.parse_scenarios("1-3,14")] == [1, 2, 3, 14]


def test_simulation_is_seeded():
    chosen = simulation.parse_scenarios("14,35")
    a = simulation.simulate(chosen, replicates=3, seed=7)
    b = simulation.simulate(chosen, replicates=3, seed=7)
    c = simulation.simulate(chosen, replicates=3, seed=8)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts, c.counts)
    assert a.counts.shape == (6, 624)
    assert (a.counts >= a.outbreak_cases).all()
    assert (a.current_start >= 624 - 49).all()
    assert (a.current_cases[:, : 624 - 49] == 0).all()


def test_matched_threshold_hits_target_with_ties():
    scores = np.array([0.0] * 90 + [1.0] * 8 + [2.0, 3.0])
    c, q = evaluation.matched_threshold(scores, 0.05)
    assert c == 1.0 and np.isclose(2 + 8 * q, 5)


def test_tiny_harness_run():
    bench = _bench()
    out = bench.run(replicates=2, scenarios="14,35", seed=3)
    rows = out["rows"]
    assert [r["method"] for r in rows] == list(bench.METHOD_ORDER)
    for r in rows:
        assert {"fpr", "ratio", "pod", "pod@0.005", "pod@0.01", "pod@0.05", "timeliness",
                "alarms_per_100", "seconds"} <= set(r)
        assert 0 <= r["fpr"] <= 1
    assert len(out["metrics"]["farrington_flexible"]) == 2
    text = bench.format_summary(rows)
    assert "farrington_scan" in text
    again = bench.run(replicates=2, scenarios="14,35", seed=3)
    assert [r["fpr"] for r in again["rows"]] == [r["fpr"] for r in rows]
