"""Estimating the Fellegi-Sunter model with Splink and scoring candidate pairs.

Backend-neutral: everything here talks to a Splink database API (DuckDB today, Spark in
issue 19) through Splink's public Linker methods.

Estimation, on all records of both tables (the pairs the exact stage found are the
clearest evidence of what a match looks like):

1. u (P(level | different people)) from pairs drawn at random (seeded);
2. m (P(level | same person)) by expectation-maximisation on the pairs of each
   ``definition.TRAINING_BLOCKS`` session (u held fixed), averaged across sessions;
3. lambda (the prior, probability that two random records match) from the exact stage:
   exact pairs / estimated recall of the exact join / all pairs, the recall being the
   share of records with a valid ID on the left times that on the right (a match is found
   exactly when both IDs are valid). Without any exact pair EM's own estimate is used.

No m or u below a pseudo-count of one: EM drives to zero the m of a level it never saw
among the matches (on clean data: a different surname), which would make one slip veto
any link; m is floored at 1 / (expected matching pairs) and u at 1 / (pairs sampled),
then each comparison's levels are renormalised. Which levels were floored is recorded.
"""

from __future__ import annotations

import contextlib
import logging
import math
from typing import Any

import pandas as pd

from . import definition
from .result import LEVEL_COLUMNS, LinkModel

log = logging.getLogger(__name__)


@contextlib.contextmanager
def splink_messages(notes: list[str]):
    """Collect Splink's warnings into ``notes`` instead of the caller's log."""

    class _Collect(logging.Handler):
        def emit(self, record):
            text = " ".join(record.getMessage().split())
            if text and text not in notes:
                notes.append(text)

    logger = logging.getLogger("splink")
    handler = _Collect(level=logging.WARNING)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield notes
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def train(left_table, right_table, *, optional: tuple[str, ...], lam: float | None,
          lam_source: str, n_left: int, n_right: int) -> LinkModel:
    """Estimate u, m (and lambda when ``lam`` is None) on the two registered tables."""
    from splink import Linker, block_on

    notes: list[str] = []
    settings = definition.settings(optional, probability_two_random_records_match=lam or 1e-4)
    with splink_messages(notes):
        linker = Linker([left_table, right_table], settings, log_level=None)
        all_pairs = n_left * n_right
        u_pairs = min(definition.U_MAX_PAIRS, all_pairs)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs,
                                                         seed=definition.SEED)
        trained_blocks = []
        for i, cols in enumerate(definition.TRAINING_BLOCKS):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*cols), max_pairs=definition.EM_MAX_PAIRS,
                    populate_probability_two_random_records_match_from_trained_values=(
                        lam is None and i == 0))
                trained_blocks.append(" + ".join(cols))
            except Exception as exc:  # noqa: BLE001 - a session that cannot run is reported
                notes.append(f"EM on pairs sharing {' + '.join(cols)} not run: "
                             f"{str(exc).splitlines()[0]}")
        raw = linker.misc.save_model_to_json()
    if lam is None:
        lam = float(raw["probability_two_random_records_match"])
        lam_source = ("estimated by expectation-maximisation (no exact-ID pair to "
                      "estimate it from)")
    raw["probability_two_random_records_match"] = lam
    expected_matches = max(lam * all_pairs, 1.0)
    settings_dict, levels = _floor_and_tabulate(raw, m_floor=1 / expected_matches,
                                                u_floor=1 / max(u_pairs, 1), notes=notes)
    return LinkModel(
        estimated=True, probability_two_random_records_match=lam, lambda_source=lam_source,
        levels=levels, blocking_rules=[f"{b.name}: {b.sql}" for b in definition.BLOCKS],
        training_blocks=trained_blocks, settings=settings_dict, notes=notes)


def _floor_and_tabulate(raw: dict[str, Any], *, m_floor: float, u_floor: float,
                        notes: list[str]) -> tuple[dict[str, Any], pd.DataFrame]:
    rows = []
    floored = []
    for comp in raw["comparisons"]:
        name = comp["output_column_name"]
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        for key, floor in (("m_probability", m_floor), ("u_probability", u_floor)):
            values = [lv.get(key) for lv in levels]
            raised = [v is None or v < floor for v in values]
            kept = [floor if r else v for v, r in zip(values, raised, strict=True)]
            total = sum(kept)
            for lv, v, r, orig in zip(levels, kept, raised, values, strict=True):
                lv[key] = v / total
                lv[f"_{key}_estimated"] = orig is not None
                if r:
                    floored.append(f"{name}: {lv['label_for_charts']} ({key[0]})")
        n = len(levels)
        for i, lv in enumerate(levels):
            m, u = lv["m_probability"], lv["u_probability"]
            rows.append({
                "comparison": name, "level": n - 1 - i, "label": lv["label_for_charts"],
                "m_probability": m, "u_probability": u, "bayes_factor": m / u,
                "match_weight": math.log2(m / u),
                "m_estimated": lv.pop("_m_probability_estimated"),
                "u_estimated": lv.pop("_u_probability_estimated")})
    if floored:
        notes.append(f"raised to the pseudo-count floor (m >= {m_floor:.2g}, "
                     f"u >= {u_floor:.2g}): " + "; ".join(floored))
    return raw, pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def predict(db_api, model: LinkModel, left_table, right_table, residual: pd.DataFrame, *,
            optional: tuple[str, ...], threshold: float) -> pd.DataFrame:
    """Scored pairs (match_probability >= threshold) between the ``residual`` left records
    and all right records, with each comparison's level (gamma_*) and weight (mw_*)."""
    from splink import Linker

    cols = definition.feature_columns(optional)
    with splink_messages(model.notes):
        linker = Linker([left_table, right_table], model.settings, log_level=None)
        # term frequencies of the full tables, as in training
        for col in definition.tf_columns(optional):
            linker.table_management.compute_tf_table(col)
        residual_table = db_api.register(residual[cols],
                                         dataset_display_name="left_residual")
        scored = linker.inference.predict_within(
            [residual_table, right_table], threshold_match_probability=threshold,
            warning_mode="never")
        return scored.as_pandas_dataframe()
