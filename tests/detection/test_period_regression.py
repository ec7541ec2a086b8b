"""Weekly and daily results are unchanged by monthly support.

The fingerprints below were recorded with the code before monthly series were added (commit
431f68e): sum of expected, sum of upper, the last alarm positions, the number of alarms and of
points without a threshold, per method, on one seeded weekly and one seeded daily series.
"""

import numpy as np
import pytest

from minsheng.detection import METHODS, run_batch

BEFORE = {
    ("cusum_negbin", "W"): (2260.761905, 5889.573343, [200, 361], 2, 159),
    ("cusum_poisson", "W"): (2260.761905, 4940.062987, [200, 361], 2, 159),
    ("ears_c1", "W"): (3848.428571, 7599.208362, [158, 161, 200, 223, 319, 361], 9, 7),
    ("ears_c2", "W"): (3822.714286, 7521.434112, [200, 202, 255, 319, 320, 361], 10, 9),
    ("ears_c3", "W"): (3803.285714, 6999.162956, [320, 321, 322, 361, 362, 363], 38, 11),
    ("farrington", "W"): (1084.40354, 1984.64753, [350, 361], 2, 263),
    ("farrington_flexible", "W"): (1086.639591, 1974.0, [361], 1, 263),
    ("farrington_scan", "W"): (1075.26792, 2151.0, [361, 362], 2, 264),
    ("moving_percentile", "W"): (2232.0, 2767.8, [350, 351, 355, 356, 361, 362], 46, 158),
    ("threshold", "W"): (0.0, 0.0, [358, 359, 360, 361, 362, 363], 364, 0),
    ("cusum_negbin", "D"): (1445.47619, 4843.905826, [1454], 1, 1095),
    ("cusum_poisson", "D"): (1445.47619, 4494.32784, [1423, 1434, 1454], 3, 1095),
    ("ears_c1", "D"): (5893.142857, 14161.561899, [1103, 1130, 1224, 1398, 1419, 1454], 36, 7),
    ("ears_c2", "D"): (5881.428571, 14121.455325, [1353, 1398, 1409, 1419, 1421, 1454], 44, 9),
    ("ears_c3", "D"): (5873.0, 13217.60676, [1421, 1422, 1423, 1424, 1454, 1455], 155, 11),
    ("moving_percentile", "D"): (9647.0, 10929.2, [1449, 1450, 1451, 1452, 1454, 1455], 115,
                                 1112),
    ("threshold", "D"): (0.0, 0.0, [1450, 1451, 1452, 1453, 1454, 1455], 1423, 0),
}


def _series():
    rng = np.random.default_rng(2024)
    wk = np.arange(52 * 7)
    yw = rng.poisson(10 * np.exp(0.4 * np.sin(2 * np.pi * wk / 52))).astype(float)
    yw[-3] += 25
    yw[200] += 30
    dd = np.arange(364 * 4)
    yd = rng.poisson(4 * np.exp(0.3 * np.sin(2 * np.pi * dd / 364))).astype(float)
    yd[-2] += 15
    return {"W": yw, "D": yd}


SERIES = _series()


@pytest.mark.parametrize("method, freq", sorted(BEFORE))
def test_weekly_and_daily_results_unchanged(method, freq):
    r = run_batch(method, SERIES[freq][None], freq)
    expected_sum, upper_sum, last_alarms, n_alarms, n_missing = BEFORE[(method, freq)]
    assert float(np.nansum(r.expected)) == pytest.approx(expected_sum, rel=1e-9, abs=1e-6)
    assert float(np.nansum(r.upper)) == pytest.approx(upper_sum, rel=1e-9, abs=1e-6)
    assert np.flatnonzero(r.alarm[0]).tolist()[-6:] == last_alarms
    assert int(r.alarm.sum()) == n_alarms
    assert int(np.isnan(r.upper).sum()) == n_missing


def test_every_weekly_or_daily_method_is_fingerprinted():
    old = {(m, f) for m, spec in METHODS.items() for f in spec["frequencies"]
           if f in ("W", "D") and m != "seasonal_glm"}  # seasonal_glm is new
    assert old == set(BEFORE)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_weekly_and_daily_defaults_unchanged(method):
    spec = METHODS[method]
    for freq in ("W", "D"):
        if freq in spec["frequencies"]:
            assert spec["parameters_by_frequency"][freq] == spec["parameters"]
