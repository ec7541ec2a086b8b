"""Economic verification benchmark: households under review against registry extracts.

Default: 20,000 households vs 6 extracts of 1,000,000 records each, with planted
discrepancies and 3% of records carrying a mistyped (check-digit-failing) or missing ID.
Reports run time of the exact-ID path and with probable links (``minsheng.linkage``, registry
records left, members right; the records themselves are the estimation data), precision
and recall of the discrepancies found, and peak memory (tracemalloc of the run + process
max RSS; DuckDB's own memory shows in the RSS only), for the engine before issue 12
(benchmarks/legacy_verification.py) and the current one on the same data. Hard cases are
planted besides: amounts just above and just below the tolerance, namesakes (same name and
birth date, another person: with their own ID, or none), and members' records with no ID and
day and month of birth transposed; the share of each group reported is printed. The
probable stage estimates its model on every record passed: at the default size (6,000,000
records) that is far beyond what docs/linkage.md measured; use --records 50000 or so on a
small machine.

    .venv/bin/python benchmarks/verification.py [--households 20000] [--records 1000000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from minsheng.assistance import linkage  # noqa: E402

SOURCES = ["social_insurance", "housing_fund", "tax", "vehicle", "deposits", "real_estate"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏辉建国志")
TOLERANCE = 100.0  # assistance.defaults.VERIFICATION_TOLERANCE
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])


def make_ids(rng, n, births):
    region = rng.choice([120101, 120102, 120103, 120104, 120105], size=n)
    order = rng.integers(0, 1000, size=n)
    body = np.char.add(np.char.add(region.astype(str), births.strftime("%Y%m%d").to_numpy(
        dtype="U8")), np.char.zfill(order.astype(str), 3))
    digits = np.frombuffer(body.astype("S17").tobytes(), np.uint8).reshape(n, 17) - 48
    check = np.frombuffer(b"10X98765432", np.uint8)[(digits * WEIGHTS).sum(1) % 11]
    return np.char.add(body, check.view("S1").astype("U1"))


def names(rng, n):
    s = rng.choice(SURNAMES, n)
    g1, g2 = rng.choice(GIVEN, n), rng.choice(GIVEN, n)
    two = rng.random(n) < 0.7
    return np.char.add(np.char.add(s, g1), np.where(two, g2, ""))


def build(households: int, records: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4], size=households, p=[0.3, 0.35, 0.25, 0.1])
    n = int(sizes.sum())
    births = pd.to_datetime("1940-01-01") + pd.to_timedelta(rng.integers(0, 29000, n), "D")
    members = pd.DataFrame({
        "id_number": make_ids(rng, n, births), "name": names(rng, n), "birth_date": births,
        "address": np.char.add("和平路", rng.integers(1, 3000, n).astype(str)) + "号",
        "wages": rng.choice([0, 500, 1000], n).astype(float),
        "income_total": 0.0, "properties": 1.0, "vehicle_value": 0.0,
        "business_capital": 0.0, "deposits": rng.choice([0, 5000, 20000], n).astype(float)})
    members["income_total"] = members["wages"]
    members = members.drop_duplicates("id_number").reset_index(drop=True)
    n = len(members)
    member_keys = linkage.id_keys(members["id_number"].to_numpy())[0]
    frames, truth = [], set()
    for source in SOURCES:
        # 20% of members appear in this registry; of those 25% with a planted discrepancy
        mine = rng.random(n) < 0.20
        idx = np.nonzero(mine)[0]
        planted = rng.random(len(idx)) < 0.25
        declared = {"social_insurance": "wages", "housing_fund": "wages",
                    "tax": "income_total", "vehicle": "vehicle_value",
                    "deposits": "deposits", "real_estate": "properties"}[source]
        base = members[declared].to_numpy()[idx]
        if source == "real_estate":
            amount = np.full(len(idx), 300000.0)
            # consistent: one property (the home); planted: a second property record
            extra = idx[planted]
            amount_extra = np.full(len(extra), 250000.0)
        else:
            amount = np.where(planted, base + 1000 + rng.integers(0, 5000, len(idx)),
                              np.maximum(base - 50, 0))
            if source == "vehicle":
                amount = np.where(planted, 60000.0, 0.0)
                keep = planted
                idx, amount, planted = idx[keep], amount[keep], planted[keep]
            extra = np.array([], int)
            amount_extra = np.array([])
        rows_idx = np.concatenate([idx, extra])
        rows_amount = np.concatenate([amount, amount_extra])
        for i in idx[planted] if source != "real_estate" else extra:
            truth.add((int(i), source))
        own = pd.DataFrame({"id_number": members["id_number"].to_numpy()[rows_idx],
                            "name": members["name"].to_numpy()[rows_idx],
                            "birth_date": members["birth_date"].to_numpy()[rows_idx],
                            "address": members["address"].to_numpy()[rows_idx],
                            "amount": rows_amount})
        others_n = max(records - len(own), 0)
        ob = pd.to_datetime("1940-01-01") + pd.to_timedelta(rng.integers(0, 29000, others_n),
                                                            "D")
        other_ids = make_ids(rng, others_n, ob)
        # another resident never shares a member's ID (the generator could collide)
        clash = np.isin(linkage.id_keys(other_ids)[0], member_keys)
        others = pd.DataFrame({"id_number": other_ids,
                               "name": names(rng, others_n), "birth_date": ob,
                               "address": np.char.add("胜利街", rng.integers(1, 3000, others_n
                                                                          ).astype(str)),
                               "amount": rng.integers(0, 20000, others_n).astype(float)})
        frame = pd.concat([own, others[~clash]], ignore_index=True)
        # 3% mistyped IDs: one digit changed (fails the check digit) or the ID left out
        bad = rng.random(len(frame)) < 0.03
        ids = frame["id_number"].to_numpy(dtype="U18").copy()
        pos = rng.integers(0, 17, size=bad.sum())
        mangled = ids[bad].astype("S18").view(np.uint8).reshape(-1, 18).copy()
        mangled[np.arange(len(pos)), pos] = 48 + (mangled[np.arange(len(pos)), pos] - 48 + 1
                                                  + rng.integers(0, 8, len(pos))) % 10
        ids[bad] = mangled.view("S18").ravel().astype("U18")
        blank = bad & (rng.random(len(frame)) < 0.3)
        ids[blank] = ""
        frame["id_number"] = ids
        frame["source"] = source
        frames.append(frame)
    return members, pd.concat(frames, ignore_index=True), truth


def plant_hard_cases(rng, members: pd.DataFrame, records: pd.DataFrame, truth: set,
                     per_case: int = 200) -> tuple[pd.DataFrame, dict]:
    """Cases where a naive engine is right by luck (issue 12): amounts just above and just
    below the tolerance, namesakes (same name and birth date, another person), and the
    member's own record with no ID and day and month of birth transposed. Each group uses
    members that no other planted case touches. Returns the extra records and, per group,
    the (member, source) pairs that must be found or must not be."""
    # members with no record at all in the sources used here, so a sum cannot mix cases
    keys = linkage.id_keys(members["id_number"].to_numpy())[0]
    used = records["source"].isin(["social_insurance", "tax", "housing_fund"]).to_numpy()
    present = np.isin(keys, linkage.id_keys(records["id_number"].to_numpy()[used])[0])
    taken = {i for i, _ in truth} | set(np.nonzero(present)[0].tolist())
    free = np.array([i for i in rng.permutation(len(members)) if i not in taken])
    births = members["birth_date"]
    swappable = free[(births.dt.day.to_numpy()[free] <= 12)
                     & (births.dt.day.to_numpy()[free] != births.dt.month.to_numpy()[free])]
    above, below, namesake = (free[k * per_case:(k + 1) * per_case] for k in range(3))
    transposed = np.setdiff1d(swappable, free[:3 * per_case])[:per_case]
    m = members
    rows = []

    def add(idx, source, amount, *, ids=None, birth=None, address=None):
        rows.append(pd.DataFrame({
            "id_number": m["id_number"].to_numpy()[idx] if ids is None else ids,
            "name": m["name"].to_numpy()[idx],
            "birth_date": births.to_numpy()[idx] if birth is None else birth,
            "address": m["address"].to_numpy()[idx] if address is None else address,
            "amount": amount, "source": source}))

    wages = m["wages"].to_numpy()
    add(above, "social_insurance", wages[above] + TOLERANCE + rng.integers(1, 30, len(above)))
    add(below, "social_insurance", wages[below] + rng.integers(40, 100, len(below)))
    # another person of the same name and birth date: a valid ID of their own, or none
    other_ids = make_ids(rng, len(namesake), pd.DatetimeIndex(births.to_numpy()[namesake]))
    half = len(namesake) // 2
    other_ids[half:] = ""
    add(namesake, "tax", np.full(len(namesake), 50_000.0), ids=other_ids,
        address=np.char.add("胜利街", rng.integers(1, 3000, len(namesake)).astype(str)))
    swapped = pd.to_datetime({"year": births.dt.year.to_numpy()[transposed],
                              "month": births.dt.day.to_numpy()[transposed],
                              "day": births.dt.month.to_numpy()[transposed]})
    add(transposed, "housing_fund", wages[transposed] + 2000, ids=np.full(len(transposed), ""),
        birth=swapped.to_numpy())
    groups = {"just above the tolerance (must be found)": {(int(i), "social_insurance")
                                                          for i in above},
              "just below the tolerance (must not be)": {(int(i), "social_insurance")
                                                         for i in below},
              "namesakes (must not be found)": {(int(i), "tax") for i in namesake},
              "no ID, day and month transposed (must be found)": {
                  (int(i), "housing_fund") for i in transposed}}
    truth |= groups["just above the tolerance (must be found)"]
    truth |= groups["no ID, day and month transposed (must be found)"]
    return pd.concat(rows, ignore_index=True), groups


def score(found: pd.DataFrame, truth: set) -> tuple[float, float]:
    got = set(zip(found["member"].astype(int), found["source"], strict=True))
    tp = len(got & truth)
    return tp / max(len(got), 1), tp / max(len(truth), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="records per registry extract (6 extracts)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    members, records, truth = build(args.households, args.records)
    print(f"built {len(members):,} members of {args.households:,} households, "
          f"{len(records):,} registry records ({len(truth):,} planted discrepancies) in "
          f"{time.perf_counter() - t0:.1f} s")
    hard, groups = plant_hard_cases(np.random.default_rng(11), members, records, truth)
    records = pd.concat([records, hard], ignore_index=True)
    print(f"hard cases: {len(hard):,} records in {len(groups)} groups of "
          f"{len(next(iter(groups.values())))}")
    import legacy_verification as old

    runs = [("old engine, exact IDs", old, False), ("old engine, fuzzy", old, True),
            ("new engine, exact IDs", linkage, False), ("new engine, probable", linkage, True)]
    print(f"{'engine':24} {'time':>7} {'peak MiB':>9} {'precision':>9} {'recall':>7}  "
          + "  ".join(f"[{g.split(' (')[0]}]" for g in groups))
    for label, engine, fuzzy in runs:
        tracemalloc.start()
        t = time.perf_counter()
        found = engine.discrepancies(members, records, tolerance=TOLERANCE, fuzzy=fuzzy)
        seconds = time.perf_counter() - t
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        precision, recall = score(found, truth)
        got = set(zip(found["member"].astype(int), found["source"], strict=True))
        shares = "  ".join(f"{len(got & pairs) / len(pairs):>{len(g.split(' (')[0]) + 2}.2f}"
                           for g, pairs in groups.items())
        print(f"{label:24} {seconds:6.1f}s {peak / 2**20:9.0f} {precision:9.4f} {recall:7.4f}  "
              f"{shares}")
        exact = set(zip(found.loc[found["match"] == "exact", "member"].astype(int),
                        found.loc[found["match"] == "exact", "source"], strict=True))
        wrong = [g for g, pairs in groups.items() if "must not" in g and exact & pairs]
        if wrong:
            print(f"{'':24} reported as certain (not a suggestion) in: {', '.join(wrong)}")
    print("hard-case columns: share of the group's pairs reported (goal: 1 where they must "
          "be found, 0 where they must not)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
