"""``link_people``: exact ID join first, then Splink for the rest."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from . import backends, blocking, definition, explain, model, prepare
from .errors import LinkageInputError, LinkageTooLargeError
from .exact import exact_pairs
from .result import LinkModel, LinkResult


def _empty_probable(left_ids: pd.Series, right_ids: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        "left_id": pd.Series([], dtype=left_ids.dtype),
        "right_id": pd.Series([], dtype=right_ids.dtype),
        "match_probability": pd.Series([], dtype=float),
        "match_weight": pd.Series([], dtype=float),
        "explanation": pd.Series([], dtype="string")})


def link_people(left: pd.DataFrame, right: pd.DataFrame, *, threshold: float = 0.9,
                backend: str = "duckdb", max_pairs: int | None = None) -> LinkResult:
    """Link the people of ``left`` to those of ``right``.

    Both tables: ``record_id`` (unique), ``id_number``, ``name``; optional ``birth_date``,
    ``sex`` ('M'/'F'), ``guardian_name``, ``address``. Records with the same valid ID are
    ``exact`` links; for the other left records, Splink (Fellegi-Sunter, m and u
    estimated from these data) proposes at most one ``probable`` right record each, with
    match_probability >= ``threshold``, for a caseworker to confirm. ``max_pairs`` bounds
    the candidate pairs blocking may propose (LinkageTooLargeError beyond it).
    See docs/linkage.md.
    """
    backends.check(backend)
    if not 0 < threshold <= 1:
        raise LinkageInputError(f"threshold must be in (0, 1], not {threshold!r}")
    prepare.check(left, "left")
    prepare.check(right, "right")
    left = left.reset_index(drop=True)
    right = right.reset_index(drop=True)
    left_ids, right_ids = left["record_id"], right["record_id"]
    stats: dict = {"left_records": len(left), "right_records": len(right)}
    if left.empty or right.empty:
        reason = "no records on the left" if left.empty else "no records on the right"
        return LinkResult(
            exact=pd.DataFrame({"left_id": pd.Series([], dtype=left_ids.dtype),
                                "right_id": pd.Series([], dtype=right_ids.dtype)}),
            probable=_empty_probable(left_ids, right_ids),
            unmatched_left=left_ids.copy().rename("record_id"),
            model=LinkModel(notes=[f"not estimated: {reason}"]), stats=stats)

    t0 = time.perf_counter()
    lf = prepare.features(left)
    rf = prepare.features(right)
    pairs = exact_pairs(lf["id_valid"].to_numpy(), lf["id_key"].to_numpy(),
                        rf["id_valid"].to_numpy(), rf["id_key"].to_numpy())
    exact = pd.DataFrame({"left_id": left_ids.to_numpy()[pairs["left"].to_numpy()],
                          "right_id": right_ids.to_numpy()[pairs["right"].to_numpy()]})
    exact = exact.astype({"left_id": left_ids.dtype, "right_id": right_ids.dtype})
    linked = np.zeros(len(left), dtype=bool)
    linked[pairs["left"].to_numpy()] = True
    residual = lf[~linked]
    stats.update(exact_pairs=len(exact), left_linked_exactly=int(linked.sum()),
                 left_to_score=len(residual), seconds_exact=time.perf_counter() - t0)

    probable = _empty_probable(left_ids, right_ids)
    fitted = LinkModel(notes=["not estimated: every left record was linked by ID"])
    if len(residual):
        bound = blocking.candidate_pairs_upper_bound(residual, rf)
        stats["candidate_pairs_upper_bound"] = bound
        if max_pairs is not None and bound > max_pairs:
            raise LinkageTooLargeError(
                f"blocking would propose up to {bound:,} candidate pairs, more than "
                f"max_pairs={max_pairs:,}; link smaller batches or raise max_pairs")
        t1 = time.perf_counter()
        optional = prepare.optional_columns(left, right)
        lam, lam_source = _prior(lf, rf, len(exact))
        cols = definition.feature_columns(optional)
        with backends.session(backend) as db_api:
            left_table = db_api.register(lf[cols], dataset_display_name="left_records")
            right_table = db_api.register(rf[cols], dataset_display_name="right_records")
            fitted = model.train(left_table, right_table, optional=optional, lam=lam,
                                 lam_source=lam_source, n_left=len(lf), n_right=len(rf))
            stats["seconds_training"] = time.perf_counter() - t1
            if fitted.estimated:
                t2 = time.perf_counter()
                scored = model.predict(db_api, fitted, left_table, right_table, residual,
                                       optional=optional,
                                       threshold=min(threshold, definition.CANDIDATE_FLOOR))
                stats["candidate_pairs_kept"] = len(scored)
                probable = _best(scored, fitted, left_ids, right_ids, threshold)
                stats["seconds_scoring"] = time.perf_counter() - t2

    done = linked.copy()
    if len(probable):
        done |= left_ids.isin(probable["left_id"]).to_numpy()
    unmatched = left_ids[~done].reset_index(drop=True).rename("record_id")
    return LinkResult(exact=exact, probable=probable, unmatched_left=unmatched, model=fitted,
                      stats=stats)


def _prior(lf: pd.DataFrame, rf: pd.DataFrame, n_exact: int) -> tuple[float | None, str]:
    """lambda from the exact stage, or None when it has nothing to go on."""
    recall = float(lf["id_valid"].mean() * rf["id_valid"].mean())
    if n_exact == 0 or recall == 0:
        return None, ""
    lam = min(n_exact / recall / (len(lf) * len(rf)), 0.5)
    return lam, (f"{n_exact:,} exact-ID pairs / estimated recall of the ID join {recall:.3f} "
                 f"(share of valid IDs left x right) / {len(lf):,} x {len(rf):,} pairs")


def _best(scored: pd.DataFrame, fitted: LinkModel, left_ids: pd.Series,
          right_ids: pd.Series, threshold: float) -> pd.DataFrame:
    """The best right record per left record when its probability, counting the other
    candidates of the same left record, reaches ``threshold``; a runner-up holding at
    least 1% is named in the explanation."""
    if scored.empty:
        return _empty_probable(left_ids, right_ids)
    scored = scored.copy()
    flip = (scored["source_dataset_l"] == "right_records").to_numpy()
    scored["lpos"] = np.where(flip, scored["unique_id_r"], scored["unique_id_l"]).astype(
        np.int64)
    scored["rpos"] = np.where(flip, scored["unique_id_l"], scored["unique_id_r"]).astype(
        np.int64)
    scored["match_weight"] = scored["match_weight"].astype(float)
    scored = scored.sort_values(["lpos", "match_weight", "rpos"],
                                ascending=[True, False, True], kind="stable")
    # One person on the left is at most one person on the right: P(candidate i) =
    # odds_i / (1 + sum of the odds of all candidates of that left record).
    odds = np.exp2(np.clip(scored["match_weight"].to_numpy(), -500, 500))
    total = pd.Series(odds, index=scored.index).groupby(scored["lpos"]).transform("sum")
    scored["probability"] = odds / (1.0 + total.to_numpy())
    scored["rank"] = scored.groupby("lpos").cumcount()
    best = scored[(scored["rank"] == 0) & (scored["probability"] >= threshold)]
    best = best.reset_index(drop=True)
    if best.empty:
        return _empty_probable(left_ids, right_ids)
    second = scored[(scored["rank"] == 1) & (scored["probability"] >= 0.01)].set_index("lpos")
    text = explain.explanations(best, fitted.levels, fitted.prior_match_weight)
    has = best["lpos"].isin(second.index).to_numpy()
    if has.any():
        runner = second.loc[best["lpos"][has].to_numpy()]
        extra = ("; runner-up " + pd.Series(right_ids.to_numpy()[runner["rpos"].to_numpy()]
                                            ).astype(str).to_numpy()
                 + " weight " + runner["match_weight"].round(1).astype(str).to_numpy()
                 + " p=" + runner["probability"].round(3).astype(str).to_numpy())
        text = text.copy()
        text[has] = text[has].to_numpy() + extra
    out = pd.DataFrame({
        "left_id": left_ids.to_numpy()[best["lpos"].to_numpy()],
        "right_id": right_ids.to_numpy()[best["rpos"].to_numpy()],
        "match_probability": best["probability"].to_numpy(dtype=float),
        "match_weight": best["match_weight"].to_numpy(dtype=float),
        "explanation": text.to_numpy(),
    })
    out = out.astype({"left_id": left_ids.dtype, "right_id": right_ids.dtype,
                      "explanation": "string"})
    return out.sort_values(["match_weight", "left_id"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)
