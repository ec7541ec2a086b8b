"""Container for detector output over one or many series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Status codes shared by all detectors; each explains why a point has no threshold or why an
# alarm was suppressed, so that the table can always say why (never a silent threshold).
OK = 0
NO_HISTORY = 1  # not enough past data at this point for the method's baseline
SUPPRESSED_FEW_CASES = 2  # Farrington "at least N cases in the last 4 periods" rule
C3_CARRIED = 3  # EARS C3 already above threshold from the two previous periods


@dataclass
class DetectionResult:
    """Per-point output arrays, shape (series, time) for batches or (time,) for one series.

    ``score`` is the method's own standardised statistic (larger = more unusual); it is what the
    evaluation thresholds to compare methods at equal false-positive rates.
    """

    expected: np.ndarray
    upper: np.ndarray
    alarm: np.ndarray
    score: np.ndarray
    status: np.ndarray
    method: str = ""

    @classmethod
    def empty(cls, shape: tuple[int, ...], method: str = "") -> DetectionResult:
        return cls(
            expected=np.full(shape, np.nan),
            upper=np.full(shape, np.nan),
            alarm=np.zeros(shape, dtype=bool),
            score=np.full(shape, -np.inf),
            status=np.full(shape, NO_HISTORY, dtype=np.int8),
            method=method,
        )

    def row(self, i: int) -> DetectionResult:
        return DetectionResult(self.expected[i], self.upper[i], self.alarm[i], self.score[i],
                               self.status[i], self.method)
