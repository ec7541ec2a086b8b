"""EARS C1, C2 and C3 (Hutwagner et al. 2003; CDC Early Aberration Reporting System).

C1 compares the current count with the mean and SD of the 7 previous periods; C2 does the same
after skipping a 2-period guard band so a slowly growing outbreak does not inflate its own
baseline; C3 sums the positive parts of (C2 - 1) over the current and two previous periods.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from .result import C3_CARRIED, NO_HISTORY, OK, DetectionResult


def _moving_baseline(y: np.ndarray, baseline: int, guard: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample SD of y[t-guard-baseline : t-guard] for every t (NaN where too early)."""
    n_series, n_time = y.shape
    lag = baseline + guard
    mean = np.full(y.shape, np.nan)
    sd = np.full(y.shape, np.nan)
    if n_time > lag:
        windows = sliding_window_view(y, baseline, axis=1)[:, : n_time - lag]
        mean[:, lag:] = windows.mean(axis=-1)
        sd[:, lag:] = windows.std(axis=-1, ddof=1) if baseline > 1 else 0.0
    return mean, sd


def _check(baseline: int, guard: int, min_sd: float) -> None:
    if baseline < 2:
        raise ValueError("baseline must be at least 2 periods")
    if guard < 0:
        raise ValueError("guard must be >= 0")
    if min_sd <= 0:
        raise ValueError("min_sd must be > 0 (a flat baseline otherwise gives infinite z)")


def ears_z(y: np.ndarray, baseline: int = 7, guard: int = 0, min_sd: float = 0.5):
    """Standardised deviation z = (y - mean) / max(sd, min_sd) against the moving baseline."""
    _check(baseline, guard, min_sd)
    mean, sd = _moving_baseline(y, baseline, guard)
    sd_eff = np.maximum(sd, min_sd)
    return (y - mean) / sd_eff, mean, sd_eff


def _threshold_k(k: float, alpha: float | None) -> float:
    # alpha, when given, overrides k with the matching one-sided normal quantile.
    return float(stats.norm.isf(alpha)) if alpha is not None else float(k)


def ears_c1(y, baseline: int = 7, k: float = 3.0, min_sd: float = 0.5, alpha=None,
            guard: int = 0) -> DetectionResult:
    return _c1c2(y, baseline, guard, _threshold_k(k, alpha), min_sd, "ears_c1")


def ears_c2(y, baseline: int = 7, k: float = 3.0, min_sd: float = 0.5, alpha=None,
            guard: int = 2) -> DetectionResult:
    return _c1c2(y, baseline, guard, _threshold_k(k, alpha), min_sd, "ears_c2")


def _c1c2(y, baseline, guard, k, min_sd, name) -> DetectionResult:
    y = np.atleast_2d(y)
    z, mean, sd_eff = ears_z(y, baseline, guard, min_sd)
    ok = np.isfinite(mean)
    upper = mean + k * sd_eff
    return DetectionResult(
        expected=mean, upper=upper, alarm=ok & (z > k),
        score=np.where(ok, z, -np.inf),
        status=np.where(ok, OK, NO_HISTORY).astype(np.int8), method=name)


def ears_c3(y, baseline: int = 7, h: float = 2.0, min_sd: float = 0.5, guard: int = 2,
            alpha=None) -> DetectionResult:
    """C3_t = sum_{i=t-2..t} max(0, C2_i - 1); alarm when C3_t > h (CDC uses h = 2).

    ``alpha`` is accepted for interface symmetry but C3 has no nominal level; h sets it.
    """
    y = np.atleast_2d(y)
    z, mean, sd_eff = ears_z(y, baseline, guard, min_sd)
    part = np.maximum(0.0, z - 1.0)  # NaN where C2 is undefined
    prev = np.full(y.shape, np.nan)
    prev[:, 2:] = part[:, 1:-1] + part[:, :-2]
    c3 = prev + part
    ok = np.isfinite(c3)
    carried = ok & (prev > h)
    # The count at which C3 would cross h given the two previous terms: z_t - 1 = h - prev.
    upper = np.where(carried, mean, mean + sd_eff * (1.0 + h - prev))
    status = np.where(ok, np.where(carried, C3_CARRIED, OK), NO_HISTORY).astype(np.int8)
    return DetectionResult(
        expected=np.where(ok, mean, np.nan), upper=np.where(ok, upper, np.nan),
        alarm=ok & (c3 > h), score=np.where(ok, c3, -np.inf), status=status, method="ears_c3")
