import numpy as np
import pytest
from scipy import stats

from minsheng.detection import farrington as fr
from minsheng.detection import quasipoisson as qp
from minsheng.detection import scan


def test_nb_quantile_matches_scipy_parametrisation():
    mu, phi = np.array([4.0, 12.5]), np.array([2.0, 3.0])
    # variance phi*mu  <=>  size mu/(phi-1), p = 1/phi
    expect = [stats.nbinom.ppf(0.99, m / (f - 1), 1 / f) for m, f in zip(mu, phi, strict=True)]
    np.testing.assert_array_equal(fr.nb_quantile(0.99, mu, phi), expect)
    assert fr.nb_quantile(0.99, np.array([10.0]), np.array([1.0]))[0] == stats.poisson.ppf(0.99, 10)
    x = np.array([5.0, 20.0])
    np.testing.assert_allclose(fr.nb_sf(x, mu, phi),
                               [stats.nbinom.sf(v - 1, m / (f - 1), 1 / f)
                                for v, m, f in zip(x, mu, phi, strict=True)])


def test_constant_series_threshold_is_poisson_quantile():
    y = np.full(52 * 6, 10.0)
    r = fr.farrington_flexible(y, alpha=0.01)
    t = y.size - 1
    assert r.expected[0, t] == pytest.approx(10.0)
    assert r.upper[0, t] == stats.poisson.ppf(0.99, 10.0)  # phi floored at 1
    assert not r.alarm.any()
    assert np.isnan(r.upper[0, : 52 * 5 + 3]).all()


def test_batched_fits_match_statsmodels_glm():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(5)
    des = fr.design("improved", 5, 3)
    n = des.offsets.size
    t = des.x_trend[:, 1]
    mu = np.exp(1.5 + 0.1 * t + 0.3 * (des.levels == 2))
    y = rng.poisson(mu, size=(3, n)).astype(float)
    prior = rng.uniform(0.5, 1.5, size=(3, n))
    fast = qp.fit_factor_trend(des.levels, des.n_levels, t, y, prior)
    irls = qp.fit_glm(des.x_trend, y, prior)
    for i in range(3):
        ref = sm.GLM(y[i], des.x_trend, family=sm.families.Poisson(),
                     var_weights=prior[i]).fit()
        assert fast.beta[i, 1] == pytest.approx(ref.params[1], rel=1e-6)
        assert fast.beta[i, 0] == pytest.approx(ref.params[0], rel=1e-6)
        np.testing.assert_allclose(irls.beta[i], ref.params, rtol=1e-6)
        np.testing.assert_allclose(fast.cov_unscaled[i, 1, 1], ref.cov_params()[1, 1],
                                   rtol=1e-6)
        np.testing.assert_allclose(fast.leverage[i], irls.leverage[i], rtol=1e-5, atol=1e-9)


def test_design_levels():
    des = fr.design("improved", 5, 3)
    assert des.n_levels == 10
    assert des.offsets.min() == 26 and des.offsets.max() == 5 * 52 + 3
    window = des.offsets[des.levels == 0] % 52
    assert set(window) <= {0, 1, 2, 3, 49, 50, 51}
    orig = fr.design("original", 5, 3)
    assert sorted(orig.offsets) == sorted(52 * j + k for j in range(1, 6) for k in range(-3, 4))


def _seasonal_series(rng, years=6):
    weeks = np.arange(52 * years)
    mu = np.where((weeks % 52 >= 20) & (weeks % 52 <= 26), 40.0, 8.0)
    return rng.poisson(mu).astype(float), weeks


@pytest.mark.parametrize("variant", ["farrington", "farrington_flexible", "farrington_scan"])
def test_seasonal_baseline_respected(variant):
    rng = np.random.default_rng(11)
    y, weeks = _seasonal_series(rng)
    fn = {"farrington": fr.farrington, "farrington_flexible": fr.farrington_flexible,
          "farrington_scan": scan.farrington_scan}[variant]
    peak = 52 * 5 + 23
    y[peak] = 45  # ordinary for the season
    r = fn(y)
    assert not r.alarm[0, peak]
    assert r.expected[0, peak] > 25
    off = 52 * 5 + 40
    y2 = y.copy()
    y2[off] = 45  # the same count out of season is an outbreak
    assert fn(y2).alarm[0, off]


def test_past_outbreaks_are_downweighted():
    rng = np.random.default_rng(2)
    y = rng.poisson(10, 52 * 6).astype(float)
    t = y.size - 1
    y[t - 52 * 2 - 1: t - 52 * 2 + 2] += 80  # an outbreak at the same time two years ago
    r = fr.farrington_flexible(y)
    assert r.expected[0, t] < 12


def test_five_cases_in_four_weeks_rule():
    y = np.zeros(52 * 6)
    y[-1] = 3  # far above a zero baseline, but only 3 cases in 4 weeks
    r = fr.farrington_flexible(y)
    assert not r.alarm[0, -1] and r.status[0, -1] == 2
    assert fr.farrington_flexible(y, min_cases=0).alarm[0, -1]


def test_scan_detects_two_week_outbreak_missed_week_by_week():
    rng = np.random.default_rng(4)
    y = rng.poisson(20, 52 * 6).astype(float)
    y[-2:] = [31, 31]  # each week at (not above) the weekly threshold of 31
    single = fr.farrington_flexible(y, alpha=0.01)
    two = scan.farrington_scan(y, alpha=0.01)
    assert not single.alarm[0, -2:].any()
    assert two.alarm[0, -1]
