"""Moving percentile method of China's national automated alert system (CIDARS).

CIDARS (Yang et al. 2011; Li et al. 2014) compares the cases of the current period with a
percentile (P50/P80/P90 depending on the disease) of the counts of the same period and the two
periods either side of it in each of the previous three years (15 historical periods). Daily
data are first summed over a moving 7-day window, as CIDARS does, so the compared quantity is
the count of the last 7 days; the output's expected/upper are on that 7-day scale.
"""

from __future__ import annotations

import numpy as np

from .result import NO_HISTORY, OK, DetectionResult
from .seasonal import first_evaluable, gather_reference, reference_offsets


def moving_sum(y: np.ndarray, window: int) -> np.ndarray:
    """Sum of the last ``window`` periods (NaN for the first window-1)."""
    if window <= 1:
        return y.astype(float)
    c = np.cumsum(np.pad(y, ((0, 0), (1, 0))), axis=1)
    out = np.full(y.shape, np.nan)
    out[:, window - 1:] = c[:, window:] - c[:, :-window]
    return out


def moving_percentile(y, period_per_year: int = 52, years: int = 3, half_window: int = 2,
                      percentile: float = 80.0, window: int = 1, step: int = 1,
                      start: int = 0) -> DetectionResult:
    """Alarm when the current (windowed) count exceeds the percentile of the reference counts.

    ``step`` is the spacing of the neighbouring periods in rows (7 for daily data summed over
    7-day windows, so neighbours are the adjacent weeks); ``start`` skips early points.
    """
    if not 0 < percentile < 100:
        raise ValueError("percentile must be between 0 and 100")
    y = np.atleast_2d(np.asarray(y, dtype=float))
    x = moving_sum(y, window)
    offsets = reference_offsets(years, half_window, period_per_year, step)
    res = DetectionResult.empty(y.shape, "moving_percentile")
    first = max(first_evaluable(offsets) + window - 1, start)
    if first >= y.shape[1]:
        return res
    times = np.arange(first, y.shape[1])
    ref = gather_reference(x, times, offsets)
    expected = np.median(ref, axis=-1)
    upper = np.percentile(ref, percentile, axis=-1)
    cur = x[:, times]
    res.expected[:, times] = expected
    res.upper[:, times] = upper
    res.alarm[:, times] = cur > upper
    # Excess over the percentile relative to the spread above the median (+1 so flat
    # histories still rank larger excesses higher).
    res.score[:, times] = (cur - expected) / (upper - expected + 1.0)
    res.status[:, times] = OK
    res.status[:, :first] = NO_HISTORY
    return res
