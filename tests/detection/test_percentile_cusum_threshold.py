import math

import numpy as np
import pytest

from minsheng.detection import cusum, percentile, threshold


def test_moving_percentile_uses_same_and_adjacent_weeks_of_previous_years():
    rng = np.random.default_rng(1)
    y = rng.poisson(20, size=52 * 4).astype(float)
    t = 52 * 3 + 10
    r = percentile.moving_percentile(y, years=3, half_window=2, percentile=80)
    ref = [y[t - 52 * j + k] for j in (1, 2, 3) for k in (-2, -1, 0, 1, 2)]
    assert r.upper[0, t] == pytest.approx(np.percentile(ref, 80))
    assert r.expected[0, t] == pytest.approx(np.median(ref))
    assert r.alarm[0, t] == (y[t] > np.percentile(ref, 80))
    assert np.isnan(r.upper[0, : 52 * 3 + 2]).all()


def test_moving_percentile_daily_seven_day_totals():
    y = np.ones(364 * 3 + 40)
    r = percentile.moving_percentile(y, period_per_year=364, years=3, half_window=2,
                                     window=7, step=7)
    t = y.size - 1
    assert r.upper[0, t] == pytest.approx(7.0)  # 7-day totals of a flat daily series
    assert not r.alarm.any()


def test_moving_percentile_flat_no_alarm_spike_alarm():
    y = np.full(52 * 4, 5.0)
    assert not percentile.moving_percentile(y).alarm.any()
    y[-1] = 6
    assert percentile.moving_percentile(y).alarm[0, -1]


def test_poisson_cusum_hand_computed_and_resets():
    y = np.array([4.0] * 4 + [4.0, 20.0, 6.0, 4.0])
    r = cusum.cusum_poisson(y, h=5.0, shift=2.0, reference="recent", baseline=4, guard=0)
    # mu0 = 4, mu1 = 4 + 2*sqrt(4) = 8: llr(x) = x ln 2 - 4
    assert r.expected[0, 4] == pytest.approx(4.0)
    assert r.score[0, 4] == pytest.approx((4 * math.log(2) - 4) / 5)
    assert not r.alarm[0, 4]
    assert r.upper[0, 4] == pytest.approx((5 + 4) / math.log(2))
    assert r.alarm[0, 5]  # 20 ln2 - 4 = 9.86 > 5
    # reset after the alarm: the next sum starts from 0, not from 9.86
    mu0 = np.mean([4, 4, 4, 20])
    llr = 6 * math.log((mu0 + 2 * math.sqrt(mu0)) / mu0) - 2 * math.sqrt(mu0)
    assert r.score[0, 6] == pytest.approx(llr / 5)


def test_cusum_accumulates_small_shifts():
    y = np.full(60, 10.0)
    y[50:] = 16.0  # under 2 SD per week, but persistent
    r = cusum.cusum_negbin(y, reference="recent", baseline=28, guard=2)
    assert not r.alarm[0, :50].any()
    assert r.alarm[0, 50:].any()


def test_seasonal_cusum_flat_series_no_alarm():
    y = np.full(52 * 4, 7.0)
    assert not cusum.cusum_poisson(y).alarm.any()
    assert not cusum.cusum_negbin(y).alarm.any()


def test_fixed_threshold_single_case():
    r = threshold.fixed_threshold(np.array([0, 0, 1, 0, 3.0]))
    assert r.alarm.tolist() == [[False, False, True, False, True]]
    r = threshold.fixed_threshold(np.array([0, 2, 3.0]), threshold=3)
    assert r.alarm.tolist() == [[False, False, True]]
    assert r.upper[0, 0] == 2
