"""Economic verification engine: plain numpy/pandas, no Django, so the same code runs in
the service and in benchmarks/verification.py.

- Exact path: resident IDs become int64 keys (vectorised over a uint8 view of the digits),
  the join is a sort + searchsorted, never a Python loop per record. Any well-formed ID
  links, check digit or not.
- Probable path, only for registry records whose ID is missing or fails the check digit
  (a valid ID that matches no member belongs to someone else): the shared engine
  ``minsheng.linkage.link_people`` with the registry records on the LEFT and the people on
  the RIGHT (each record is at most one person; docs/linkage.md). Its m/u are estimated
  from the two tables, so the caller passes, besides the members, other people and other
  registry records as `context` (a namesake who is not a member then takes the link
  instead of the member). A probable link is only ever a suggestion: the findings it
  produces are marked for a caseworker to confirm, with the link weight as their score.
- Rules: per member and source, registry figures are compared to the declaration.
"""

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


LINK_COLUMNS = ("id_number", "name", "birth_date", "address")
EMPTY = ["member", "source", "kind", "declared", "found", "match", "score", "probability",
         "explanation", "records"]


def _people(frame: pd.DataFrame, ids) -> pd.DataFrame:
    out = pd.DataFrame({"record_id": np.asarray(ids, dtype=np.int64)})
    for col in LINK_COLUMNS:
        if col in frame.columns:
            values = frame[col].to_numpy()
            out[col] = values if col == "birth_date" else pd.Series(values).fillna("").astype(
                str).to_numpy()
    return out


def probable_links(members: pd.DataFrame, records: pd.DataFrame, loose: np.ndarray, *,
                   threshold: float = 0.9, context_people: pd.DataFrame | None = None,
                   context_records: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """Probable links (member, rec, weight, probability, explanation) from
    ``minsheng.linkage.link_people`` for the records flagged in `loose`. Records are the
    left table (record_id = row index, context records after them), people the right
    (record_id = member index, context people after them); only links of a loose record to
    a member are returned. A record without a birth date (no column, or empty) is compared
    on the date and region digits of its own ID when those are plausible."""
    from minsheng.linkage import link_people

    none = pd.DataFrame({"member": pd.Series([], dtype=np.int64),
                         "rec": pd.Series([], dtype=np.int64), "weight": [],
                         "probability": [], "explanation": []})
    if not loose.any() or members.empty:
        return none, {"notes": [], "stats": {}}
    extra_r = context_records if context_records is not None else records.iloc[:0]
    extra_p = context_people if context_people is not None else members.iloc[:0]
    left = pd.concat([_people(records, np.arange(len(records))),
                      _people(extra_r, len(records) + np.arange(len(extra_r)))],
                     ignore_index=True)
    right = pd.concat([_people(members, np.arange(len(members))),
                       _people(extra_p, len(members) + np.arange(len(extra_p)))],
                      ignore_index=True)
    if "birth_date" in left.columns:
        left["birth_date"] = pd.to_datetime(left["birth_date"], errors="coerce")
    if "birth_date" in right.columns:
        right["birth_date"] = pd.to_datetime(right["birth_date"], errors="coerce")
    result = link_people(left, right, threshold=threshold)
    p = result.probable
    rec = p["left_id"].to_numpy(dtype=np.int64)
    member = p["right_id"].to_numpy(dtype=np.int64)
    in_records = rec < len(records)
    keep = in_records & (member < len(members))
    keep[in_records] &= loose[rec[in_records]]
    out = pd.DataFrame({"member": member[keep], "rec": rec[keep],
                        "weight": p["match_weight"].to_numpy(dtype=float)[keep],
                        "probability": p["match_probability"].to_numpy(dtype=float)[keep],
                        "explanation": p["explanation"].astype(str).to_numpy()[keep]})
    return out, {"notes": list(result.model.notes), "stats": dict(result.stats)}


def discrepancies(members: pd.DataFrame, records: pd.DataFrame, *, tolerance: float,
                  fuzzy: bool = True, threshold: float = 0.9,
                  context_people: pd.DataFrame | None = None,
                  context_records: pd.DataFrame | None = None) -> pd.DataFrame:
    """members: id_number, name, birth_date, address and the declared columns wages,
    income_total, properties, vehicle_value, business_capital, deposits.
    records: source, id_number, name, address, amount and, optionally, birth_date.
    `tolerance` (yuan a month) is the district setting VERIFICATION_TOLERANCE.
    Returns one row per (member index, source) where the registry exceeds the declaration:
    member, source, kind, declared, found, match ('exact'|'fuzzy'), score (for a fuzzy
    finding the match_weight of its weakest probable link, else 1.0), probability (of that
    link; 1.0 when exact), explanation, records. ``.attrs["linkage"]`` holds the probable
    stage's model notes and counts."""
    members = members.reset_index(drop=True)
    records = records.reset_index(drop=True)
    mkeys, _mvalid = id_keys(members["id_number"].fillna("").to_numpy())
    rkeys, rvalid = id_keys(records["id_number"].fillna("").to_numpy())
    mi, ri = exact_pairs(mkeys, rkeys)
    # probable links: records without an exact match whose ID is missing or fails the
    # check digit (a valid ID that matches nobody belongs to someone else)
    unmatched = np.ones(len(records), dtype=bool)
    unmatched[ri] = False
    loose_mask = unmatched & ~rvalid
    links = [pd.DataFrame({"member": mi, "rec": ri, "score": 1.0, "probability": 1.0,
                           "explanation": "", "fuzzy": False})]
    info: dict = {"notes": [], "stats": {}}
    if fuzzy:
        fp, info = probable_links(members, records, loose_mask, threshold=threshold,
                                  context_people=context_people,
                                  context_records=context_records)
        if len(fp):
            links.append(pd.DataFrame({"member": fp["member"].to_numpy(),
                                       "rec": fp["rec"].to_numpy(),
                                       "score": fp["weight"].to_numpy(),
                                       "probability": fp["probability"].to_numpy(),
                                       "explanation": fp["explanation"].to_numpy(),
                                       "fuzzy": True}))
    link = pd.concat(links, ignore_index=True)
    if link.empty:
        out = pd.DataFrame(columns=EMPTY)
        out.attrs["linkage"] = info
        return out
    link["source"] = records["source"].to_numpy()[link["rec"].to_numpy()]
    link["amount"] = records["amount"].to_numpy(dtype=float)[link["rec"].to_numpy()]
    # the finding's score is its weakest probable link (exact links do not lower it)
    link["weak"] = np.where(link["fuzzy"], link["score"], np.inf)
    link = link.sort_values(["member", "source", "weak"], kind="stable")
    grouped = link.groupby(["member", "source"], sort=False).agg(
        found_sum=("amount", "sum"), found_count=("amount", "size"),
        fuzzy=("fuzzy", "any"), weak=("weak", "first"), probability=("probability", "first"),
        explanation=("explanation", "first"), records=("rec", list)).reset_index()
    grouped["score"] = np.where(grouped["fuzzy"], grouped["weak"], 1.0)
    grouped.loc[~grouped["fuzzy"], ["probability", "explanation"]] = [1.0, ""]
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
            "score": sel["score"].to_numpy(dtype=float),
            "probability": sel["probability"].to_numpy(dtype=float),
            "explanation": sel["explanation"].to_numpy(), "records": sel["records"].to_numpy()}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=EMPTY)
    out.attrs["linkage"] = info
    return out
