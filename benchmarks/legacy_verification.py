"""The economic-verification engine as it was before issue 12 (commit 28a7d48): exact IDs,
then hand-weighted fuzzy links blocked on the birth-date column. Frozen here so
benchmarks/verification.py compares the old and the new engine on the same data; the
platform does not use it."""

from __future__ import annotations

import numpy as np
import pandas as pd

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)
# Sources compared as a monthly figure against declared wages / total income, or as a
# value/count against declared assets.
RULES = {
    "social_insurance": ("sum", "wages", "undeclared_wages"),
    "housing_fund": ("sum", "wages", "undeclared_wages"),
    "tax": ("sum", "income_total", "undeclared_income"),
    "real_estate": ("count", "properties", "undeclared_property"),
    "vehicle": ("sum", "vehicle_value", "undeclared_vehicle"),
    "business": ("sum", "business_capital", "undeclared_business"),
    "deposits": ("sum", "deposits", "undeclared_deposits"),
    "death": ("count", None, "member_deceased"),
    "marriage": ("count", None, "marriage_registered"),
}
FUZZY_THRESHOLD = 8.0


def id_keys(ids) -> tuple[np.ndarray, np.ndarray]:
    """(int64 key, checksum_valid) for an array of ID strings. Any well-formed ID (17
    digits and a digit or X) gets a key, so an exact match never depends on the check
    digit; malformed or missing IDs get key -1."""
    raw = np.asarray(ids, dtype="U19")  # one extra character reveals over-long input
    try:
        b = raw.astype("S19")
    except UnicodeEncodeError:
        b = np.char.encode(raw, "ascii", errors="replace").astype("S19")
    n = len(b)
    mat = (np.frombuffer(b.tobytes(), dtype=np.uint8).reshape(n, 19) if n
           else np.zeros((0, 19), np.uint8))
    digits = mat[:, :17].astype(np.int64) - 48
    last = np.where(mat[:, 17] == ord("x"), ord("X"), mat[:, 17])
    last_val = np.where(last == ord("X"), 10, last.astype(np.int64) - 48)
    formed = (((digits >= 0) & (digits <= 9)).all(axis=1) & (last_val >= 0) & (last_val <= 10)
              & (mat[:, 18] == 0))
    clipped = np.clip(digits, 0, 9)
    check = CHECK[(clipped * WEIGHTS).sum(axis=1) % 11]
    valid = formed & (last == check)
    keys = np.where(formed, (clipped * POW10).sum(axis=1) * 11 + np.clip(last_val, 0, 10), -1)
    return keys.astype(np.int64), valid


def exact_pairs(member_keys: np.ndarray, record_keys: np.ndarray):
    """Indices (member, record) of records whose key equals a member's key."""
    order = np.argsort(member_keys, kind="stable")
    sorted_keys = member_keys[order]
    pos = np.searchsorted(sorted_keys, record_keys)
    pos_clipped = np.minimum(pos, max(len(sorted_keys) - 1, 0))
    hit = (record_keys >= 0) & (len(sorted_keys) > 0)
    if len(sorted_keys):
        hit &= sorted_keys[pos_clipped] == record_keys
    rec_idx = np.nonzero(hit)[0]
    return order[pos_clipped[rec_idx]], rec_idx


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


def discrepancies(members: pd.DataFrame, records: pd.DataFrame, *, tolerance: float = 100.0,
                  fuzzy: bool = True) -> pd.DataFrame:
    """members: id_number, name, birth_date, address and the declared columns wages,
    income_total, properties, vehicle_value, business_capital, deposits.
    records: source, id_number, name, birth_date, address, amount.
    Returns one row per (member index, source) where the registry exceeds the declaration:
    member, source, kind, declared, found, match ('exact'|'fuzzy'), score, records."""
    members = members.reset_index(drop=True)
    records = records.reset_index(drop=True)
    mkeys, _mvalid = id_keys(members["id_number"].fillna("").to_numpy())
    rkeys, rvalid = id_keys(records["id_number"].fillna("").to_numpy())
    mi, ri = exact_pairs(mkeys, rkeys)
    # fuzzy fallback: records without an exact match whose ID is missing or fails the
    # check digit (a valid ID that matches nobody belongs to someone else)
    unmatched = np.ones(len(records), dtype=bool)
    unmatched[ri] = False
    loose_mask = unmatched & ~rvalid
    links = [pd.DataFrame({"member": mi, "rec": ri, "score": 1.0, "fuzzy": False})]
    if fuzzy:
        loose = records.loc[loose_mask, ["name", "birth_date", "address", "id_number"]].copy()
        loose["rec"] = np.nonzero(loose_mask)[0]
        fp = fuzzy_pairs(members, loose)
        if len(fp):
            links.append(pd.DataFrame({"member": fp["member"].to_numpy(),
                                       "rec": fp["rec"].to_numpy(),
                                       "score": fp["score"].to_numpy(), "fuzzy": True}))
    link = pd.concat(links, ignore_index=True)
    if link.empty:
        return pd.DataFrame(columns=["member", "source", "kind", "declared", "found", "match",
                                     "score", "records"])
    link["source"] = records["source"].to_numpy()[link["rec"].to_numpy()]
    link["amount"] = records["amount"].to_numpy(dtype=float)[link["rec"].to_numpy()]
    grouped = link.groupby(["member", "source"], sort=False).agg(
        found_sum=("amount", "sum"), found_count=("amount", "size"),
        fuzzy=("fuzzy", "any"), score=("score", "min"),
        records=("rec", list)).reset_index()
    rows = []
    for source, (how, declared_col, kind) in RULES.items():
        part = grouped[grouped["source"] == source]
        if part.empty:
            continue
        found = part["found_count" if how == "count" else "found_sum"].to_numpy(dtype=float)
        if declared_col is None:
            declared = np.zeros(len(part))
            flag = found > 0
        else:
            declared = members[declared_col].to_numpy(dtype=float)[part["member"].to_numpy()]
            slack = 0 if how == "count" else tolerance
            flag = found > declared + slack
        sel = part[flag]
        rows.append(pd.DataFrame({
            "member": sel["member"].to_numpy(), "source": source, "kind": kind,
            "declared": declared[flag], "found": found[flag],
            "match": np.where(sel["fuzzy"].to_numpy(), "fuzzy", "exact"),
            "score": sel["score"].to_numpy(), "records": sel["records"].to_numpy()}))
    if not rows:
        return pd.DataFrame(columns=["member", "source", "kind", "declared", "found", "match",
                                     "score", "records"])
    return pd.concat(rows, ignore_index=True)
