"""The hand-set fuzzy matcher economic verification used before issue 12 (blocking on the
birth-date column only, fixed weights, threshold 8), kept frozen here so the benchmarks can
compare it with ``minsheng.linkage`` on the same data. Not used by the platform.
``id_keys`` / ``exact_pairs`` are the exact path, unchanged in ``minsheng.assistance.linkage``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from minsheng.assistance.linkage import exact_pairs, id_keys  # noqa: E402

__all__ = ["FUZZY_THRESHOLD", "exact_pairs", "fuzzy_pairs", "id_keys", "pinyin"]
FUZZY_THRESHOLD = 8.0

_PINYIN_CACHE: dict[str, str] = {}


def pinyin(names: pd.Series) -> pd.Series:
    """Toneless pinyin of each name, from a per-character table built once per unique
    character (thousands), so a million names cost a dictionary lookup each."""
    from pypinyin import Style, lazy_pinyin

    uniques = pd.unique(names.fillna(""))
    chars = {c for name in uniques for c in name} - _PINYIN_CACHE.keys()
    for c in chars:
        _PINYIN_CACHE[c] = "".join(lazy_pinyin(c, style=Style.NORMAL)) or c
    table = {name: " ".join(_PINYIN_CACHE[c] for c in name) for name in uniques}
    return names.fillna("").map(table)


def fuzzy_pairs(members: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Candidate links for records without a usable ID. Both frames carry name,
    birth_date (datetime64 or NaT), address, id_number; records also the row index `rec`.
    Returns member index, record index and score (weights summed)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Hamming, Levenshtein

    if records.empty or members.empty:
        return pd.DataFrame({"member": [], "rec": [], "score": []})
    m = members[["name", "birth_date", "address", "id_number"]].copy()
    m["member"] = np.arange(len(m))
    r = records[["rec", "name", "birth_date", "address", "id_number"]]
    r = r[r["birth_date"].notna()]
    pairs = r.merge(m, on="birth_date", suffixes=("_r", "_m"))  # blocking
    if pairs.empty:
        return pd.DataFrame({"member": [], "rec": [], "score": []})
    name_r = pairs["name_r"].fillna("").tolist()
    name_m = pairs["name_m"].fillna("").tolist()
    name_sim = process.cpdist(name_r, name_m, scorer=Levenshtein.normalized_similarity,
                              workers=1)
    py_sim = process.cpdist(pinyin(pairs["name_r"]).tolist(), pinyin(pairs["name_m"]).tolist(),
                            scorer=Levenshtein.normalized_similarity, workers=1)
    addr_sim = process.cpdist(pairs["address_r"].fillna("").tolist(),
                              pairs["address_m"].fillna("").tolist(),
                              scorer=Levenshtein.normalized_similarity, workers=1)
    id_r = pairs["id_number_r"].fillna("").tolist()
    id_dist = process.cpdist(id_r, pairs["id_number_m"].fillna("").tolist(),
                             scorer=Hamming.distance, workers=1)
    id_missing = pairs["id_number_r"].fillna("").str.len().to_numpy() == 0
    score = np.full(len(pairs), 3.0)  # birth date agrees (the block)
    score += np.where(name_sim >= 0.999, 6.0,
                      np.where(py_sim >= 0.999, 4.0, np.where(name_sim >= 0.5, 0.5, -6.0)))
    score += np.where(id_missing, 0.0, np.where(id_dist <= 2, 8.0, -4.0))
    score += np.where(addr_sim >= 0.8, 2.0, np.where(addr_sim >= 0.5, 0.5, -1.0))
    keep = score >= FUZZY_THRESHOLD
    out = pd.DataFrame({"member": pairs["member"].to_numpy()[keep],
                        "rec": pairs["rec"].to_numpy()[keep], "score": score[keep]})
    # a record links to its best member only
    out = out.sort_values("score", ascending=False).drop_duplicates("rec")
    return out
