import math

import numpy as np
import pytest

from minsheng.detection import ears


def test_c1_hand_computed():
    y = np.array([1, 2, 3, 4, 5, 6, 7, 20], dtype=float)
    r = ears.ears_c1(y)
    sd = math.sqrt(28 / 6)  # sample SD of 1..7 around mean 4
    assert r.expected[0, 7] == pytest.approx(4.0)
    assert r.upper[0, 7] == pytest.approx(4.0 + 3 * sd)
    assert r.score[0, 7] == pytest.approx((20 - 4) / sd)
    assert r.alarm[0, 7]
    assert not r.alarm[0, :7].any() and np.isnan(r.expected[0, :7]).all()


def test_c2_ignores_two_most_recent_periods():
    y = np.array([5.0] * 7 + [100.0, 100.0, 5.0])
    c2 = ears.ears_c2(y)
    assert c2.expected[0, 9] == pytest.approx(5.0)  # baseline = periods 0..6
    y2 = y.copy()
    y2[7:9] = 0.0
    assert ears.ears_c2(y2).expected[0, 9] == pytest.approx(5.0)
    c1 = ears.ears_c1(y)
    assert c1.expected[0, 9] > 30  # C1 does include them


def test_min_sd_floor_on_flat_baseline():
    y = np.array([3.0] * 7 + [4.0])
    r = ears.ears_c1(y, min_sd=0.5)
    assert r.score[0, 7] == pytest.approx(2.0)  # (4 - 3) / 0.5, not infinite
    assert not r.alarm[0, 7]


def test_c3_matches_its_definition():
    rng = np.random.default_rng(3)
    y = rng.poisson(6, size=(4, 60)).astype(float)
    y[:, 40:43] += [6, 9, 12]
    z, _, _ = ears.ears_z(y, 7, 2, 0.5)
    part = np.maximum(0.0, z - 1.0)
    r = ears.ears_c3(y)
    for t in range(11, 60):
        expect = part[:, t] + part[:, t - 1] + part[:, t - 2]
        np.testing.assert_allclose(r.score[:, t], expect)
        np.testing.assert_array_equal(r.alarm[:, t], expect > 2.0)
    assert np.isneginf(r.score[:, :11]).all()
    # upper is the count at which C3 would cross h given the two previous terms
    t = 41
    ok = r.status[:, t] == 0
    prev = part[:, t - 1] + part[:, t - 2]
    _, mean, sd = ears.ears_z(y, 7, 2, 0.5)
    np.testing.assert_allclose(r.upper[ok, t], (mean[:, t] + sd[:, t] * (3.0 - prev))[ok])


def test_flat_series_no_alarm_and_spike_alarms():
    y = np.full(30, 10.0)
    for fn in (ears.ears_c1, ears.ears_c2, ears.ears_c3):
        assert not fn(y).alarm.any()
    y[25] = 30
    for fn in (ears.ears_c1, ears.ears_c2, ears.ears_c3):
        assert fn(y).alarm[0, 25]


def test_alpha_sets_k():
    y = np.array([1, 2, 3, 4, 5, 6, 7, 9], dtype=float)
    r = ears.ears_c1(y, alpha=0.05)
    sd = math.sqrt(28 / 6)
    assert r.upper[0, 7] == pytest.approx(4 + 1.6448536 * sd, rel=1e-6)
