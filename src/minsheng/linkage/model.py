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
import copy
import logging
import math
from typing import Any

import numpy as np
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
    from splink import Linker

    notes: list[str] = []
    settings = definition.settings(optional, probability_two_random_records_match=lam or 1e-4)
    all_pairs = n_left * n_right
    u_pairs = min(definition.U_MAX_PAIRS, all_pairs)
    with splink_messages(notes):
        linker = Linker([left_table, right_table], settings, log_level=None)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs,
                                                         seed=definition.SEED)
        raw = linker.misc.save_model_to_json()
        raw, trained_blocks = _expectation_maximisation(
            [left_table, right_table], raw, estimate_lambda=lam is None, notes=notes)
    if not trained_blocks:
        notes.append("no expectation-maximisation session could run, so m is unknown and "
                     "no probable link is proposed")
        return LinkModel(estimated=False, notes=notes,
                         blocking_rules=[f"{b.name}: {b.sql}" for b in definition.BLOCKS])
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


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _expectation_maximisation(tables, raw: dict[str, Any], *, estimate_lambda: bool,
                              notes: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Run the EM sessions of ``definition.TRAINING_BLOCKS`` one after another, each
    starting from the estimates so far; a level's m is the median over the sessions that
    estimated it (as Splink does). A session whose estimates run below what float64 can
    hold (clean data: a level no match ever falls in) is re-run with fewer iterations --
    early stopping -- before it is given up."""
    from splink import Linker, block_on

    trained: dict[tuple[str, int], list[float]] = {}
    done = []
    for cols, excluded in definition.TRAINING_BLOCKS:
        label = " + ".join(cols)
        for iterations in definition.EM_ITERATION_SCHEDULE:
            attempt = copy.deepcopy(raw)
            attempt["max_iterations"] = iterations
            linker = Linker(tables, attempt, log_level=None)
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*cols), max_pairs=definition.EM_MAX_PAIRS,
                    populate_probability_two_random_records_match_from_trained_values=(
                        estimate_lambda))
            except ValueError as exc:
                if "below the minimum allowed" in str(exc):
                    continue  # ran into float64's floor: stop earlier
                notes.append(f"EM on pairs sharing {label} not run: "
                             f"{str(exc).splitlines()[0]}")
                break
            except Exception as exc:  # noqa: BLE001 - reported, the other session may run
                notes.append(f"EM on pairs sharing {label} not run: "
                             f"{str(exc).splitlines()[0]}")
                break
            out = linker.misc.save_model_to_json()
            for comp in out["comparisons"]:
                if comp["output_column_name"] in excluded:
                    continue
                for i, level in enumerate(comp["comparison_levels"]):
                    m = level.get("m_probability")
                    if not level.get("is_null_level") and _is_number(m):
                        trained.setdefault((comp["output_column_name"], i), []).append(m)
            if estimate_lambda:
                raw["probability_two_random_records_match"] = out[
                    "probability_two_random_records_match"]
            if iterations != definition.EM_ITERATION_SCHEDULE[0]:
                notes.append(f"EM on pairs sharing {label} stopped after {iterations} "
                             "iterations (more would drive an m below float64's range)")
            done.append(label)
            break
        else:
            notes.append(f"EM on pairs sharing {label} not run: its estimates fall below "
                         "float64's range even after a few iterations")
        # the next session starts from the estimates so far
        for comp in raw["comparisons"]:
            for i, level in enumerate(comp["comparison_levels"]):
                values = trained.get((comp["output_column_name"], i))
                if not level.get("is_null_level"):
                    level["m_probability"] = float(np.median(values)) if values else None
    return raw, done


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
