"""Economic verification benchmark: households under review against registry extracts.

Default: 20,000 households vs 6 extracts of 1,000,000 records each, with planted
discrepancies and 3% of records carrying a mistyped (check-digit-failing) or missing ID.
Reports run time of the exact-ID path and with probable links (``minsheng.linkage``, registry
records left, members right; the records themselves are the estimation data), precision
and recall of the discrepancies found, and peak memory (tracemalloc of the run + process
max RSS; DuckDB's own memory shows in the RSS only). The probable stage estimates its model
on every record passed: at the default size (6,000,000 records) that is far beyond what
docs/linkage.md measured; use --records 50000 or so on a small machine.

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
    tracemalloc.start()
    t = time.perf_counter()
    exact = linkage.discrepancies(members, records, tolerance=TOLERANCE, fuzzy=False)
    exact_s = time.perf_counter() - t
    _cur, exact_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    t = time.perf_counter()
    full = linkage.discrepancies(members, records, tolerance=TOLERANCE, fuzzy=True)
    full_s = time.perf_counter() - t
    _cur, full_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    p_e, r_e = score(exact, truth)
    p_f, r_f = score(full, truth)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"exact-ID path : {exact_s:6.1f} s  precision {p_e:.4f} recall {r_e:.4f}  "
          f"peak {exact_peak / 2**20:.0f} MiB   (goal < 60 s)")
    print(f"with probable : {full_s:6.1f} s  precision {p_f:.4f} recall {r_f:.4f}  "
          f"peak {full_peak / 2**20:.0f} MiB   (goal < 300 s, P/R >= 0.99)")
    print(f"fuzzy findings to confirm by a caseworker: {(full['match'] == 'fuzzy').sum():,}")
    print(f"process max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
