import importlib.util
from pathlib import Path

import numpy as np

from minsheng.detection import monthly_simulation as msim

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "detection_monthly_eval.py"


def _bench():
    spec = importlib.util.spec_from_file_location("detection_monthly_eval", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_scenarios_and_season():
    sc = msim.scenarios()
    assert len(sc) == 12
    assert {(s.level, s.phi) for s in sc} == set(msim.LEVELS)
    months = np.arange(24)
    mu = sc[1].mean(months)  # level 8, flat, seasonal
    assert mu[1] == mu.max() and mu[13] == mu[1]  # February peak, same every year
    assert np.isclose(np.log(mu[:12]).mean(), np.log(8.0))
    assert np.allclose(sc[0].mean(months), 8.0)


def test_planted_shifts_define_the_labels():
    sim = msim.simulate(msim.scenarios()[:2], replicates=8, seed=5)
    n, m = sim.counts.shape
    ev = sim.eval_slice
    assert m == msim.HISTORY_YEARS * 12 + msim.EVAL_MONTHS and ev.start == m - 24
    assert (sim.counts >= sim.planted).all()
    assert (sim.current[:, : ev.start] == 0).all()
    assert (sim.planted[:, ev] == sim.current[:, ev]).all()  # past waves stay in the past
    assert ((sim.start >= ev.start) & (sim.start < m - msim.HORIZON)).all()
    step = sim.kind == "step"
    assert step.sum() == n // 2
    window = sim.detect_window()
    for i in np.flatnonzero(step):
        assert window[i].sum() == msim.HORIZON
        assert (sim.current[i, : sim.start[i]] == 0).all()
    for i in np.flatnonzero(~step):
        assert (window[i] == (sim.current[i, ev] > 0)).all()
    again = msim.simulate(msim.scenarios()[:2], replicates=8, seed=5)
    np.testing.assert_array_equal(sim.counts, again.counts)


def test_tiny_monthly_harness_run():
    bench = _bench()
    out = bench.run(replicates=2, seed=3)
    names = [r["method"] for r in out["rows"]]
    assert names == [n for n in bench.METHOD_ORDER if n not in out["skipped"]]
    assert "ears_c2" in names and "seasonal_glm" in names
    for r in out["rows"]:
        assert 0 <= r["fa_per_year"] <= 12
        for key in ("sens_spike", "sens_step", "sens_spike@1", "sens_step@0.5"):
            assert 0 <= r[key] <= 1
    assert next(r for r in out["rows"] if r["method"] == "threshold")["sens_spike"] == 1.0
    assert "seasonal_glm" in bench.format_summary(out["rows"])
    assert "spk k=2" in bench.format_by_size(out["rows"])


def test_short_history_run_says_which_methods_could_not_run():
    bench = _bench()
    out = bench.run(replicates=2, seed=3, history_years=3)
    assert "farrington_flexible" in out["skipped"]
    assert out["skipped"]["farrington_flexible"].startswith("needs 61 earlier months; the "
                                                            "series have 36")
    assert "seasonal_glm" not in out["skipped"]
