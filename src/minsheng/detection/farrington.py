"""Farrington (1996) and the improved Farrington of Noufaily et al. (2013).

Both fit, for each evaluated week t, a quasi-Poisson log-linear model to reference weeks from
previous years, down-weight past outbreaks by their Anscombe residuals, refit, and set a
threshold for week t from the predicted mean:

- original (Farrington et al. 1996, JRSS A 159:547): reference = weeks t-52j+k, j=1..b,
  |k|<=w; model = intercept (+ linear trend); residuals above 1 are down-weighted; threshold from
  the 2/3-power transformation of the prediction (including its estimation variance).
- improved (Noufaily et al. 2013, Stat Med 32:1206; "farringtonFlexible"): reference = every
  week from t-52b-w up to t-27 (the last 26 weeks are left out so a current outbreak cannot
  raise its own baseline); a 10-level seasonal factor (the +/-w windows around t in past years
  vs 9 periods splitting the rest of each year); residuals above 2.58 down-weighted; threshold =
  (1-alpha) quantile of a negative binomial with the predicted mean and the estimated dispersion.

In both, the trend is kept only if significant at 5% (Wald test on the weighted fit), if there
are at least 3 years of reference data, and if the prediction does not exceed the largest
reference count. Weeks with fewer than ``min_cases`` cases in the last 4 weeks never alarm (the
"5 in 4 weeks" rule, on by default; set min_cases=0 to disable).

The fits for all series and evaluated weeks share one design matrix, so they are batched
(see quasipoisson.py). Written for weeks (period_per_year = 52); monthly data use
period_per_year = 12 with the same code, "week" then reading "month" throughout (the registry's
monthly defaults are w = 1 and exclude_recent = 6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import quasipoisson as qp
from .result import NO_HISTORY, OK, SUPPRESSED_FEW_CASES, DetectionResult

_ROWS_PER_CHUNK = 2500  # bounds memory: rows x reference weeks x p^2 floats per matmul
SUPPRESSED_SCORE_OFFSET = 1e3


@dataclass
class FarringtonDesign:
    offsets: np.ndarray  # lags t - s of the reference weeks
    x_trend: np.ndarray  # design with trend (intercept, time in years, [factor dummies])
    levels: np.ndarray  # seasonal level of each reference week (0 = window around t)
    n_levels: int


def design(variant: str, b: int, w: int, period_per_year: int = 52,
           n_periods: int = 10, exclude_recent: int = 26) -> FarringtonDesign:
    p = period_per_year
    if b < 1 or w < 0 or 2 * w + 1 >= p:
        raise ValueError("need b >= 1 and 0 <= w < half a year")
    if variant == "original":
        offsets = np.array([j * p - k for j in range(1, b + 1) for k in range(-w, w + 1)])
        levels = np.zeros(offsets.size, dtype=int)
        n_levels = 1
    elif variant == "improved":
        if n_periods < 1:
            raise ValueError("n_periods must be >= 1")
        offsets = np.arange(exclude_recent, b * p + w + 1)
        u = offsets % p  # position within the year relative to t
        in_window = (u <= w) | (u >= p - w)
        gap = p - 2 * w - 1  # weeks between consecutive windows
        n_out = n_periods - 1
        levels = np.where(in_window, 0, 1 + ((u - w - 1) * n_out) // max(gap, 1))
        levels = np.minimum(levels, n_out).astype(int)
        present = np.unique(levels)  # a level can vanish for short b / large exclusion
        levels = np.searchsorted(present, levels)
        n_levels = present.size
    else:
        raise ValueError(f"unknown Farrington variant {variant!r}")
    t_years = -offsets / p
    cols = [np.ones(offsets.size), t_years]
    for lev in range(1, n_levels):
        cols.append((levels == lev).astype(float))
    return FarringtonDesign(offsets, np.column_stack(cols), levels, n_levels)


@dataclass
class FarringtonFit:
    """Per (series, week) baseline: predicted mean, its variance, dispersion, trend used."""

    mu0: np.ndarray
    var_mu0: np.ndarray
    phi: np.ndarray
    trend: np.ndarray
    evaluated: np.ndarray  # bool: a fit exists at this point


def _fit_rows(yref: np.ndarray, des: FarringtonDesign, reweight_threshold: float,
              b: int) -> tuple[np.ndarray, ...]:
    """Fit both models (with/without trend) for rows of reference data; pick per the rule."""
    # Without trend: closed form; reweight once and refit.
    f0 = qp.fit_factor(des.levels, des.n_levels, yref)
    w0 = qp.downweights(qp.anscombe_residuals(yref, f0), reweight_threshold)
    f0 = qp.fit_factor(des.levels, des.n_levels, yref, w0)
    mu0 = np.exp(f0.beta[:, 0])
    var0 = f0.phi * f0.cov_unscaled[:, 0, 0] * mu0**2
    phi, var, use_trend = f0.phi, var0, np.zeros(yref.shape[0], dtype=bool)
    if b >= 3:
        t = des.x_trend[:, 1]
        f1 = qp.fit_factor_trend(des.levels, des.n_levels, t, yref)
        w1 = qp.downweights(qp.anscombe_residuals(yref, f1), reweight_threshold)
        f1 = qp.fit_factor_trend(des.levels, des.n_levels, t, yref, w1, f1.beta[:, 1])
        mu1 = np.exp(np.clip(f1.beta[:, 0], -30, 30))
        se = np.sqrt(f1.phi * f1.cov_unscaled[:, 1, 1])
        dof = yref.shape[1] - des.n_levels - 1
        signif = np.abs(f1.beta[:, 1]) > stats.t.isf(0.025, dof) * se
        use_trend = signif & (mu1 <= yref.max(axis=1))
        var1 = f1.phi * f1.cov_unscaled[:, 0, 0] * mu1**2
        mu0 = np.where(use_trend, mu1, mu0)
        var = np.where(use_trend, var1, var0)
        phi = np.where(use_trend, f1.phi, f0.phi)
    return mu0, var, phi, use_trend


def fit_farrington(y, variant: str = "improved", b: int = 5, w: int = 3,
                   period_per_year: int = 52, n_periods: int = 10, exclude_recent: int = 26,
                   reweight_threshold: float | None = None, start: int = 0) -> FarringtonFit:
    """Baseline fits for every series (rows of y) and every week t >= start with enough history.

    A week needs b years plus w weeks of history; earlier weeks are left unevaluated (NaN)
    rather than fitted on a shorter baseline.
    """
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if reweight_threshold is None:
        reweight_threshold = 2.58 if variant == "improved" else 1.0
    des = design(variant, b, w, period_per_year, n_periods, exclude_recent)
    n_series, n_time = y.shape
    shape = (n_series, n_time)
    fit = FarringtonFit(np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan),
                        np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool))
    first = max(int(des.offsets.max()), start)
    times = np.arange(first, n_time)
    if times.size == 0:
        return fit
    # Rows are (series, week) pairs; chunk over series so memory stays bounded.
    per_chunk = max(1, _ROWS_PER_CHUNK // times.size)
    idx = times[:, None] - des.offsets[None, :]
    for s0 in range(0, n_series, per_chunk):
        block = y[s0:s0 + per_chunk]
        yref = block[:, idx].reshape(-1, des.offsets.size)
        mu0, var, phi, trend = _fit_rows(yref, des, reweight_threshold, b)
        rows = block.shape[0]
        sl = (np.arange(s0, s0 + rows)[:, None], times[None, :])
        fit.mu0[sl] = mu0.reshape(rows, -1)
        fit.var_mu0[sl] = var.reshape(rows, -1)
        fit.phi[sl] = phi.reshape(rows, -1)
        fit.trend[sl] = trend.reshape(rows, -1)
        fit.evaluated[sl] = True
    return fit


def nb_quantile(q: float, mu: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """q-quantile of the negative binomial with mean mu and variance phi*mu (Poisson if phi=1).

    With variance phi*mu the NB has success probability 1/phi and size mu/(phi-1).
    """
    mu = np.maximum(mu, 1e-12)
    poisson = phi <= 1.0 + 1e-9
    size = mu / np.where(poisson, 1.0, phi - 1.0)
    out = stats.nbinom.ppf(q, size, 1.0 / np.where(poisson, 2.0, phi))
    return np.where(poisson, stats.poisson.ppf(q, mu), out)


def nb_sf(x: np.ndarray, mu: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """P(X >= x) under the same negative binomial (upper-tail p-value of a count)."""
    mu = np.maximum(mu, 1e-12)
    poisson = phi <= 1.0 + 1e-9
    size = mu / np.where(poisson, 1.0, phi - 1.0)
    out = stats.nbinom.sf(x - 1, size, 1.0 / np.where(poisson, 2.0, phi))
    return np.where(poisson, stats.poisson.sf(x - 1, mu), out)


def recent_total(y: np.ndarray, weeks: int = 4) -> np.ndarray:
    c = np.cumsum(np.pad(y, ((0, 0), (1, 0))), axis=1)
    lo = np.maximum(np.arange(y.shape[1]) + 1 - weeks, 0)
    return c[:, 1:] - c[:, lo]


def threshold_from_fit(y, fit: FarringtonFit, variant: str, alpha: float,
                       min_cases: int = 5) -> DetectionResult:
    y = np.atleast_2d(np.asarray(y, dtype=float))
    ev = fit.evaluated
    mu0 = np.where(ev, fit.mu0, 0.0)
    phi = np.where(ev, fit.phi, 1.0)
    upper = np.full(y.shape, np.nan)
    if variant == "improved":
        upper[ev] = nb_quantile(1.0 - alpha, mu0[ev], phi[ev])
    else:
        # 2/3-power transformation: y^(2/3) is roughly normal with variance
        # (4/9) mu^(-2/3) (phi mu + var(mu_hat)).
        z = stats.norm.isf(alpha)
        sd = np.sqrt(phi[ev] * mu0[ev] + fit.var_mu0[ev])
        upper[ev] = mu0[ev] * (1.0 + (2.0 / 3.0) * z * sd / np.maximum(mu0[ev], 1e-12)) ** 1.5
    exceed = ev & (y > np.where(ev, upper, np.inf))
    enough = recent_total(y) >= min_cases
    # Farrington's exceedance score (y - mu0) / (U - mu0): > 1 means above threshold.
    score = (y - mu0) / np.maximum(np.where(ev, upper, 1.0) - mu0, 1e-9)
    score = np.where(enough, score, score - SUPPRESSED_SCORE_OFFSET)
    status = np.where(ev, np.where(exceed & ~enough, SUPPRESSED_FEW_CASES, OK), NO_HISTORY)
    name = "farrington_flexible" if variant == "improved" else "farrington"
    return DetectionResult(
        expected=np.where(ev, mu0, np.nan), upper=upper,
        alarm=ev & exceed & enough, score=np.where(ev, score, -np.inf),
        status=status.astype(np.int8), method=name)


def farrington(y, b: int = 5, w: int = 3, alpha: float = 0.01, min_cases: int = 5,
               reweight_threshold: float = 1.0, period_per_year: int = 52,
               start: int = 0) -> DetectionResult:
    """Original Farrington et al. (1996)."""
    fit = fit_farrington(y, "original", b, w, period_per_year,
                         reweight_threshold=reweight_threshold, start=start)
    return threshold_from_fit(y, fit, "original", alpha, min_cases)


def farrington_flexible(y, b: int = 5, w: int = 3, alpha: float = 0.01, min_cases: int = 5,
                        n_periods: int = 10, exclude_recent: int = 26,
                        reweight_threshold: float = 2.58, period_per_year: int = 52,
                        start: int = 0) -> DetectionResult:
    """Improved Farrington of Noufaily et al. (2013)."""
    fit = fit_farrington(y, "improved", b, w, period_per_year, n_periods, exclude_recent,
                         reweight_threshold, start)
    return threshold_from_fit(y, fit, "improved", alpha, min_cases)
