"""Farrington baseline with a short scan window ("farrington_scan").

Simulated (and real) outbreaks spread their cases over 2-3 weeks, so the single-week test of
the improved Farrington sees only part of an outbreak. This method keeps the Noufaily et al.
baseline (expected mean mu_t and dispersion phi_t per week) and tests the total of the last k
weeks for every k = 1..window against a negative binomial with the summed mean: with variance
phi*mu the NB has a common success probability 1/phi and additive sizes, so a sum of weeks is
again NB. The smallest p-value is compared with alpha / window (Bonferroni), which keeps the
nominal false-positive rate at most alpha.
"""

from __future__ import annotations

import numpy as np

from . import farrington as fr
from .result import NO_HISTORY, OK, SUPPRESSED_FEW_CASES, DetectionResult


def farrington_scan(y, b: int = 5, w: int = 3, alpha: float = 0.01, window: int = 2,
                    min_cases: int = 5, n_periods: int = 10, exclude_recent: int = 26,
                    reweight_threshold: float = 2.58, period_per_year: int = 52, start: int = 0,
                    current_excess: bool = True, long_share: float | None = None,
                    fit: fr.FarringtonFit | None = None) -> DetectionResult:
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if window < 1:
        raise ValueError("window must be >= 1")
    if fit is None:
        fit = fr.fit_farrington(y, "improved", b, w, period_per_year, n_periods,
                                exclude_recent, reweight_threshold,
                                max(0, start - window + 1))
    if long_share is None:
        long_share = (window - 1) / window  # plain Bonferroni: alpha / window per window
    if window > 1 and not 0 < long_share < 1:
        raise ValueError("long_share must be between 0 and 1")
    levels = [alpha * (1 - long_share)] + [alpha * long_share / (window - 1)] * (window - 1)
    ev = fit.evaluated.copy()
    res = DetectionResult.empty(y.shape, "farrington_scan")
    if not ev.any():
        return res
    mu = np.where(fit.evaluated, fit.mu0, np.nan)
    p_min = np.full(y.shape, np.inf)  # min over windows of p_k / level_k
    upper = np.full(y.shape, np.inf)
    for k in range(1, window + 1):
        mu_k = np.full(y.shape, np.nan)
        obs_prev = np.zeros(y.shape)  # counts of the k-1 earlier weeks in the window
        mu_k[:, k - 1:] = sum(mu[:, k - 1 - j: y.shape[1] - j] for j in range(k))
        for j in range(1, k):
            obs_prev[:, k - 1:] += y[:, k - 1 - j: y.shape[1] - j]
        ok = ev & np.isfinite(mu_k)
        if k > 1 and current_excess:
            # Longer windows only speak when the current week itself is above its mean, so the
            # week after an outbreak is not flagged on the strength of last week alone.
            ok &= y > mu
        phi = fit.phi[ok]
        level = levels[k - 1]
        pk = fr.nb_sf(obs_prev[ok] + y[ok], mu_k[ok], phi) / level
        p_min[ok] = np.minimum(p_min[ok], pk)
        q = fr.nb_quantile(1.0 - level, mu_k[ok], phi)
        upper[ok] = np.minimum(upper[ok], q - obs_prev[ok])
        ev &= np.isfinite(mu_k) | (k == 1)
    enough = fr.recent_total(y) >= min_cases
    exceed = ev & (p_min < 1.0)
    score = -np.log10(np.maximum(p_min * alpha, 1e-300))
    res.expected = np.where(ev, mu, np.nan)
    res.upper = np.where(ev, upper, np.nan)
    res.alarm = exceed & enough
    res.score = np.where(ev, np.where(enough, score, score - fr.SUPPRESSED_SCORE_OFFSET), -np.inf)
    res.status = np.where(ev, np.where(exceed & ~enough, SUPPRESSED_FEW_CASES, OK),
                          NO_HISTORY).astype(np.int8)
    return res
