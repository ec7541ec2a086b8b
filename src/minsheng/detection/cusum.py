"""Count CUSUMs: Poisson (Lucas 1985) and negative binomial (Hawkins & Olwell 1998).

Each period adds the log-likelihood ratio of an out-of-control mean mu1 against the in-control
mean mu0 to a running sum S (floored at 0); S > h raises an alarm and S restarts from 0, so one
outbreak does not keep the chart above h forever. mu0 comes from a reference window (same
season in previous years, or the recent past behind a guard band); mu1 = mu0 + shift * sd0.
"""

from __future__ import annotations

import numpy as np

from .result import NO_HISTORY, OK, DetectionResult
from .seasonal import first_evaluable, gather_reference, reference_offsets


def reference_moments(y: np.ndarray, reference: str, period_per_year: int, years: int,
                      half_window: int, baseline: int, guard: int, start: int):
    """In-control mean and variance per point from the chosen reference window."""
    if reference == "seasonal":
        offsets = reference_offsets(years, half_window, period_per_year)
    elif reference == "recent":
        if baseline < 2:
            raise ValueError("baseline must be at least 2 periods")
        offsets = np.arange(guard + 1, guard + baseline + 1)
    else:
        raise ValueError("reference must be 'seasonal' or 'recent'")
    mean = np.full(y.shape, np.nan)
    var = np.full(y.shape, np.nan)
    first = max(first_evaluable(offsets), start)
    times = np.arange(first, y.shape[1])
    if times.size:
        ref = gather_reference(y, times, offsets)
        # Half a case over the whole window keeps log(mu1/mu0) finite after all-zero histories.
        mean[:, times] = np.maximum(ref.mean(axis=-1), 0.5 / offsets.size)
        var[:, times] = ref.var(axis=-1, ddof=1)
    return mean, var


def _run(y, mu0, slope, const, h, name) -> DetectionResult:
    """S_t = max(0, S_{t-1} + slope*y + const); alarm and reset when S_t > h."""
    n_series, n_time = y.shape
    res = DetectionResult.empty(y.shape, name)
    s = np.zeros(n_series)
    for t in np.flatnonzero(np.isfinite(mu0).any(axis=0)):
        ok = np.isfinite(mu0[:, t])
        llr = np.where(ok, slope[:, t] * y[:, t] + const[:, t], 0.0)
        cand = s + llr
        alarm = ok & (cand > h)
        res.upper[:, t] = np.where(ok, (h - s - const[:, t]) / slope[:, t], np.nan)
        res.score[:, t] = np.where(ok, cand / h, -np.inf)
        res.alarm[:, t] = alarm
        res.status[:, t] = np.where(ok, OK, NO_HISTORY)
        s = np.where(alarm | ~ok, 0.0, np.maximum(cand, 0.0))
    res.expected = mu0.copy()
    return res


def cusum_poisson(y, h: float = 5.0, shift: float = 2.0, reference: str = "seasonal",
                  years: int = 3, half_window: int = 3, baseline: int = 28, guard: int = 2,
                  period_per_year: int = 52, start: int = 0) -> DetectionResult:
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if h <= 0 or shift <= 0:
        raise ValueError("h and shift must be > 0")
    mu0, _ = reference_moments(y, reference, period_per_year, years, half_window, baseline,
                               guard, start)
    mu1 = mu0 + shift * np.sqrt(mu0)
    slope = np.log(mu1 / mu0)
    return _run(y, mu0, slope, -(mu1 - mu0), h, "cusum_poisson")


def cusum_negbin(y, h: float = 5.0, shift: float = 2.0, reference: str = "seasonal",
                 years: int = 3, half_window: int = 3, baseline: int = 28, guard: int = 2,
                 period_per_year: int = 52, start: int = 0) -> DetectionResult:
    """NB CUSUM with size r fixed from the reference moments (var = mu + mu^2/r)."""
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if h <= 0 or shift <= 0:
        raise ValueError("h and shift must be > 0")
    mu0, var = reference_moments(y, reference, period_per_year, years, half_window, baseline,
                                 guard, start)
    excess = var - mu0
    # No overdispersion in the reference -> a very large size, i.e. effectively Poisson.
    r = np.where(excess > 1e-9 * np.maximum(mu0, 1.0), mu0**2 / np.maximum(excess, 1e-300), 1e9)
    r = np.clip(r, 1e-3, 1e9)
    sd0 = np.sqrt(mu0 + mu0**2 / r)
    mu1 = mu0 + shift * sd0
    slope = np.log(mu1 * (r + mu0) / (mu0 * (r + mu1)))
    const = r * np.log((r + mu0) / (r + mu1))
    return _run(y, mu0, slope, const, h, "cusum_negbin")
