"""Fixed count thresholds, for diseases where a single case needs immediate follow-up
(e.g. cholera, plague, polio under China's notifiable-disease rules)."""

from __future__ import annotations

import numpy as np

from .result import OK, DetectionResult


def fixed_threshold(y, threshold: float = 1) -> DetectionResult:
    """Alarm when the count reaches ``threshold`` (default: any single case)."""
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if threshold <= 0:
        raise ValueError("threshold must be > 0")
    # No baseline is modelled: expected is 0 and upper is the largest count that does not alarm.
    upper = np.full(y.shape, np.ceil(threshold) - 1.0)
    return DetectionResult(
        expected=np.zeros(y.shape), upper=upper, alarm=y >= threshold, score=y.copy(),
        status=np.full(y.shape, OK, dtype=np.int8), method="threshold")
