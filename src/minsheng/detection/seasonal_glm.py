"""Quasi-Poisson regression with a linear trend and yearly harmonics ("seasonal_glm").

For each evaluated period t a log-linear model

    log mu_s = a + b * (s - t) / P + sum_{j=1..m} c_j cos(2 pi j s / P) + d_j sin(2 pi j s / P)

is fitted by quasi-Poisson likelihood to every period s from t - years*P to t - exclude_recent
(P periods per year: 12 for monthly, 52 for weekly data), in the spirit of Serfling's cyclic
regression and of the regression step of Farrington's method. Unlike Farrington's windows the
whole year informs the seasonal curve, so fewer years of history suffice (3 by default, against
5). Past excesses are down-weighted as in Noufaily et al. (2013): observations whose Anscombe
residual exceeds ``reweight_threshold`` get weight s^-2 and the model is refitted. The trend is
kept only when significant at 5% (Wald test) and there are at least 3 years of reference data.
The trend and harmonic coefficients carry a small ridge penalty (``RIDGE``) so that sparse
series do not get a seasonal curve that is zero outside the months that had cases.

The threshold is the (1 - alpha) quantile of a negative binomial with mean mu0 (the prediction
for t) and variance phi*mu0 + var(mu0_hat): the dispersion phi (floored at 1) plus the
estimation variance of the prediction, which matters when a trend is extrapolated.

Because harmonics of (s) and of (s - t) span the same columns (a rotation by the phase of t),
the design depends only on the lag t - s and is shared by every series and every period, so all
fits run batched through ``quasipoisson.fit_glm``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import farrington as fr
from . import quasipoisson as qp
from .result import NO_HISTORY, OK, DetectionResult

_ROWS_PER_CHUNK = 20000
# Ridge penalty on the trend and harmonic coefficients (log-likelihood - RIDGE/2 sum beta^2).
# With sparse counts (a handful of cases in 3 years) maximum likelihood fits a seasonal curve
# peaked on the months that had cases and ~0 elsewhere (coefficients diverge, as under
# separation), so any case elsewhere would alarm; the penalty keeps such curves flat. With
# tens of cases a month the information on these coefficients is in the hundreds, so a
# penalty of 1 moves them by well under 1%.
RIDGE = 1.0


@dataclass
class HarmonicDesign:
    offsets: np.ndarray  # lags t - s of the reference periods
    x: np.ndarray  # (n, p) design: intercept, time in years, cos/sin pairs
    x0: np.ndarray  # (p,) design row of the evaluated period (lag 0)
    trend_col: int = 1


def design(years: int, period_per_year: int, harmonics: int,
           exclude_recent: int) -> HarmonicDesign:
    p = period_per_year
    if years < 1:
        raise ValueError("years must be >= 1")
    if harmonics < 0 or 2 * harmonics >= p:
        raise ValueError(f"harmonics must be between 0 and {(p - 1) // 2}")
    if not 0 <= exclude_recent < years * p:
        raise ValueError("exclude_recent must be >= 0 and shorter than the reference years")
    offsets = np.arange(exclude_recent, years * p + 1)
    cols = [np.ones(offsets.size), -offsets / p]
    row0 = [1.0, 0.0]
    for j in range(1, harmonics + 1):
        ang = -2 * np.pi * j * offsets / p
        cols += [np.cos(ang), np.sin(ang)]
        row0 += [1.0, 0.0]
    x = np.column_stack(cols)
    if offsets.size <= x.shape[1] + 1:
        raise ValueError(
            f"{offsets.size} reference periods are too few for {x.shape[1]} model terms; "
            "use more years, fewer harmonics or a smaller exclude_recent")
    return HarmonicDesign(offsets, x, np.array(row0))


def _predict(fit: qp.QPFit, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    eta = np.clip(fit.beta @ x0, -30.0, 30.0)
    mu = np.exp(eta)
    var_eta = fit.phi * np.einsum("i,rij,j->r", x0, fit.cov_unscaled, x0)
    return mu, var_eta * mu**2


def _fit_reweighted(x: np.ndarray, yref: np.ndarray, threshold: float, ridge: float,
                    beta: np.ndarray | None = None) -> qp.QPFit:
    if beta is None:
        # Start IRLS from least squares on log(y + 0.5): the design is shared, so this is one
        # product with its pseudo-inverse, and it saves about half the iterations.
        beta = np.log(yref + 0.5) @ np.linalg.pinv(x).T
    penalty = np.full(x.shape[1], float(ridge))
    penalty[0] = 0.0  # the intercept (level) is never shrunk
    fit = qp.fit_glm(x, yref, beta=beta, penalty=penalty)
    prior = qp.downweights(qp.anscombe_residuals(yref, fit), threshold)
    return qp.fit_glm(x, yref, prior, beta=fit.beta, penalty=penalty)


def _fit_rows(yref: np.ndarray, des: HarmonicDesign, threshold: float, use_trend: bool,
              years: int, ridge: float):
    """Predicted mean, its variance and the dispersion for each row of reference data."""
    keep = np.ones(des.x.shape[1], dtype=bool)
    keep[des.trend_col] = False
    f0 = _fit_reweighted(des.x[:, keep], yref, threshold, ridge)
    mu, var = _predict(f0, des.x0[keep])
    phi = f0.phi
    if use_trend and years >= 3:
        start = np.insert(f0.beta, des.trend_col, 0.0, axis=1)  # no-trend fit, trend 0
        f1 = _fit_reweighted(des.x, yref, threshold, ridge, start)
        se = np.sqrt(f1.phi * f1.cov_unscaled[:, des.trend_col, des.trend_col])
        dof = yref.shape[1] - des.x.shape[1]
        signif = np.abs(f1.beta[:, des.trend_col]) > stats.t.isf(0.025, dof) * se
        mu1, var1 = _predict(f1, des.x0)
        mu = np.where(signif, mu1, mu)
        var = np.where(signif, var1, var)
        phi = np.where(signif, f1.phi, phi)
    return mu, var, phi


def seasonal_glm(y, years: int = 3, harmonics: int = 2, alpha: float = 0.01,
                 exclude_recent: int = 3, trend: bool = True, reweight_threshold: float = 2.58,
                 period_per_year: int = 12, start: int = 0,
                 ridge: float = RIDGE) -> DetectionResult:
    """Quasi-Poisson trend + harmonics baseline per period; NB quantile threshold."""
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if not 0 < alpha < 0.5:
        raise ValueError("alpha must be between 0 and 0.5")
    des = design(years, period_per_year, harmonics, exclude_recent)
    res = DetectionResult.empty(y.shape, "seasonal_glm")
    n_series, n_time = y.shape
    first = max(int(des.offsets.max()), start)
    times = np.arange(first, n_time)
    if times.size == 0:
        return res
    idx = times[:, None] - des.offsets[None, :]
    mu = np.full(y.shape, np.nan)
    var = np.full(y.shape, np.nan)
    phi = np.full(y.shape, np.nan)
    per_chunk = max(1, _ROWS_PER_CHUNK // times.size)
    for s0 in range(0, n_series, per_chunk):
        block = y[s0:s0 + per_chunk]
        yref = block[:, idx].reshape(-1, des.offsets.size)
        m, v, f = _fit_rows(yref, des, reweight_threshold, trend, years, ridge)
        sl = (np.arange(s0, s0 + block.shape[0])[:, None], times[None, :])
        mu[sl], var[sl], phi[sl] = (a.reshape(block.shape[0], -1) for a in (m, v, f))
    ev = np.isfinite(mu)
    phi_eff = np.where(ev, phi + var / np.maximum(mu, 1e-12), 1.0)
    mu_ev = np.where(ev, mu, 1.0)
    upper = np.where(ev, fr.nb_quantile(1.0 - alpha, mu_ev, phi_eff), np.nan)
    p_value = fr.nb_sf(y, mu_ev, phi_eff)
    res.expected = np.where(ev, mu, np.nan)
    res.upper = upper
    res.alarm = ev & (y > np.where(ev, upper, np.inf))
    res.score = np.where(ev, -np.log10(np.maximum(p_value, 1e-300)), -np.inf)
    res.status = np.where(ev, OK, NO_HISTORY).astype(np.int8)
    return res
