"""What ``link_people`` returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

LEVEL_COLUMNS = ["comparison", "level", "label", "m_probability", "u_probability",
                 "bayes_factor", "match_weight", "m_estimated", "u_estimated"]


@dataclass
class LinkModel:
    """What was estimated, to show and document.

    - ``probability_two_random_records_match`` (lambda, the prior) and
      ``lambda_source``, how it was obtained;
    - ``levels``: one row per comparison level -- comparison, level (gamma value), label,
      m_probability (P(level | same person)), u_probability (P(level | different people)),
      bayes_factor m/u, match_weight log2(m/u), and whether m and u were estimated from
      this data (False: Splink's starting value was kept, e.g. a level never seen);
    - ``prior_match_weight``: log2(lambda / (1 - lambda)), where every pair starts;
    - ``blocking_rules``, ``training_blocks``: how pairs were proposed and trained on;
    - ``settings``: the trained Splink model as a dict (JSON-serialisable), reusable by
      another backend;
    - ``notes``: anything the estimation could not do, in plain English.
    An unestimated model (nothing left to link probabilistically) has ``estimated`` False.
    """

    estimated: bool = False
    probability_two_random_records_match: float = float("nan")
    lambda_source: str = ""
    levels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEVEL_COLUMNS))
    blocking_rules: list[str] = field(default_factory=list)
    training_blocks: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def prior_match_weight(self) -> float:
        lam = self.probability_two_random_records_match
        if not 0 < lam < 1:
            return float("nan")
        return math.log2(lam / (1 - lam))


@dataclass
class LinkResult:
    """``exact``: DataFrame[left_id, right_id] -- the same valid ID.
    ``probable``: DataFrame[left_id, right_id, match_probability, match_weight,
    explanation] -- suggestions for a caseworker to confirm, at most one per left record,
    only for left records without an exact link.
    ``unmatched_left``: Series of left record_ids with neither.
    ``model``: LinkModel, what was estimated.
    ``stats``: counts (records, exact pairs, candidate pairs scored, ...)."""

    exact: pd.DataFrame
    probable: pd.DataFrame
    unmatched_left: pd.Series
    model: LinkModel
    stats: dict[str, Any] = field(default_factory=dict)
