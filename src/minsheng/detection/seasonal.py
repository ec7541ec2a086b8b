"""Same-season reference windows: the same period and its neighbours in previous years."""

from __future__ import annotations

import numpy as np


def reference_offsets(years: int, half_window: int, period_per_year: int,
                      step: int = 1) -> np.ndarray:
    """Lags (positive = into the past) of periods t - j*P + k*step, j = 1..years, |k| <= w."""
    if years < 1:
        raise ValueError("years must be >= 1")
    if half_window < 0 or half_window * step >= period_per_year // 2:
        raise ValueError("half_window must be >= 0 and well below half a year")
    ks = np.arange(-half_window, half_window + 1) * step
    return np.array([j * period_per_year - k for j in range(1, years + 1) for k in ks])


def gather_reference(y: np.ndarray, times: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """y[:, t - offsets] for each t in times -> (series, len(times), len(offsets))."""
    idx = times[:, None] - offsets[None, :]
    return y[:, idx]


def first_evaluable(offsets: np.ndarray) -> int:
    return int(offsets.max())
