"""Performance measures for detectors on simulated series with known outbreaks.

Measured over the evaluated final weeks only:
- false-positive rate (FPR): share of outbreak-free weeks (no outbreak case of any outbreak)
  that alarm;
- probability of detection (POD): share of evaluated-period outbreaks (with at least one case)
  with an alarm in at least one week holding their cases; also by outbreak size k;
- timeliness: weeks from the outbreak's start to its first alarm, among detected outbreaks;
- alarms per 100 series-weeks;
- POD at matched FPR: each method's score is thresholded, per scenario, at the level where
  exactly the target share of outbreak-free weeks alarm (ties at the threshold alarm with the
  probability that hits the target exactly, and POD counts that probability), so methods are
  compared at equal specificity whatever their nominal calibration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MATCHED_FPR = (0.005, 0.01, 0.05)


@dataclass
class ScenarioMetrics:
    scenario: int
    fpr: float
    pod: float
    timeliness: float
    alarms_per_100: float
    pod_by_k: dict[int, float]
    matched_pod: dict[float, float] = field(default_factory=dict)


def matched_threshold(free_scores: np.ndarray, target: float) -> tuple[float, float]:
    """Threshold c and tie probability q so that P(score > c) + q P(score = c) = target."""
    n = free_scores.size
    want = target * n
    ordered = np.sort(free_scores)[::-1]
    pos = int(np.floor(want))
    if pos >= n:
        return -np.inf, 1.0
    c = ordered[pos]
    above = np.count_nonzero(free_scores > c)
    ties = np.count_nonzero(free_scores == c)
    return float(c), float(np.clip((want - above) / max(ties, 1), 0.0, 1.0))


def detection_prob(scores, outbreak_weeks, c, q):
    """Per outbreak: 1 if any week scores above c, else 1 - (1-q)^(weeks tied at c)."""
    above = (outbreak_weeks & (scores > c)).any(axis=1)
    tied = (outbreak_weeks & (scores == c)).sum(axis=1)
    return np.where(above, 1.0, 1.0 - (1.0 - q) ** tied)


def evaluate(alarm: np.ndarray, score: np.ndarray, outbreak_cases: np.ndarray,
             current_cases: np.ndarray, current_start: np.ndarray, current_k: np.ndarray,
             scenario: np.ndarray, first_week: int,
             targets=MATCHED_FPR) -> list[ScenarioMetrics]:
    """Metrics per scenario; arrays are (series, weeks) restricted to the evaluated weeks,
    ``current_start`` is 0-based in the full series and ``first_week`` the first evaluated."""
    free = outbreak_cases == 0
    outbreak_weeks = current_cases > 0
    has = outbreak_weeks.any(axis=1)
    score = np.where(np.isnan(score), -np.inf, score)
    out = []
    for sc in np.unique(scenario):
        rows = scenario == sc
        a, s, f, o, h = alarm[rows], score[rows], free[rows], outbreak_weeks[rows], has[rows]
        fpr = float(a[f].mean()) if f.any() else np.nan
        detected = (a & o).any(axis=1)
        pod = float(detected[h].mean()) if h.any() else np.nan
        hit = a & o
        first_alarm = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
        delay = first_alarm + first_week - current_start[rows]
        ok = detected & h
        timeliness = float(delay[ok].mean()) if ok.any() else np.nan
        ks = current_k[rows]
        by_k = {int(k): float(detected[h & (ks == k)].mean()) if (h & (ks == k)).any() else np.nan
                for k in np.unique(ks)}
        m = ScenarioMetrics(int(sc), fpr, pod, timeliness, float(a.mean() * 100), by_k)
        for target in targets:
            c, q = matched_threshold(s[f], target)
            m.matched_pod[target] = float(detection_prob(s[h], o[h], c, q).mean())
        out.append(m)
    return out
