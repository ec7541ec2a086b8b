"""Record linkage on a planted set with hard cases: exact-ID baseline, today's verification
engine, and the new engine (``minsheng.linkage``), on the same data.

    .venv/bin/python benchmarks/linkage_eval.py [--size 200000] [--extract 20000]
                                                [--seed 7] [--threshold 0.9]

A registry of ``--size`` people (names with Faker zh_CN's surname frequencies; given names
half from Faker's list, half composed of two common name characters; valid IDs of one
city's districts plus some from elsewhere; birth dates 1940-2020; addresses) and an extract
of ``--extract`` records: 90% registry people, 10% people the registry does not hold.
Planted among the registry people of the extract (disjoint groups):

- 1% mistyped ID (one digit changed, or two neighbours swapped: the check digit fails);
- 2% missing ID;
- 0.5% name variant (同音字 homophone or one character dropped) with a missing or
  mistyped ID;
- 0.5% day and month of the birth date transposed, with a missing or mistyped ID;
- 1% decoys: people not in the registry who share a registry person's name and either the
  birth date with the other sex, or the sex with another birth date; half without ID;
- 5% moved (another address), as in life.

Two scenarios: the extract carries a birth-date column, and it does not (then a birth
date can only come from the ID's own digits). Truth is the generator's: which registry
person each extract record is. Precision and recall are over links (left, right); each
engine runs in a forked child process, timed, its peak memory being the rise of its
resident set (resource.getrusage max RSS) above where it started -- DuckDB's memory
included.

(b) is verification's engine before issue 12: ``minsheng.assistance.linkage`` id_keys /
exact_pairs (any well-formed ID, check digit or not) then the hand-set ``fuzzy_pairs``
(frozen in benchmarks/legacy_verification.py) for the records whose ID is missing or fails
the check digit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# this checkout's src first (as benchmarks/verification.py does)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from minsheng.linkage import link_people  # noqa: E402

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CITY = [f"1201{d:02d}" for d in range(1, 17)]  # Tianjin's districts
ELSEWHERE = ["110105", "130102", "370202", "410105", "510104", "440106", "320106",
             "230103", "610113", "340104"]
ROADS = ["和平", "胜利", "解放", "建设", "人民", "中山", "幸福", "友谊", "团结", "光明", "新华",
         "文化", "长江", "黄河", "南京", "北京", "青年", "工农", "红旗", "东风"]
# Common given-name characters beyond Faker's list, so homophones have partners.
EXTRA_CHARS = ("玮维薇威炜卫蔚巍鸣铭茗名敏民旻晓小筱孝笑婧晶菁京经君钧俊峻骏珺丽莉力立"
               "黎利华桦骅花红宏鸿弘虹洪芳方舫妍燕艳雁彦岩研颜雪学轩宣萱璇玄杰洁婕捷"
               "婷庭廷霆亭涛韬滔焘琳霖林麟临淋")


def name_tables():
    from faker.providers.person.zh_CN import Provider

    surnames = np.array(list(Provider.last_names))
    weights = np.array(list(Provider.last_names.values()), dtype=float)
    given = np.array(list(Provider.first_names))
    chars = np.array(sorted(set("".join(Provider.first_names)) | set(EXTRA_CHARS)))
    return surnames, weights / weights.sum(), given, chars


def homophones(chars) -> dict[str, list[str]]:
    """For each character, the others of the pool with the same toneless pinyin."""
    from pypinyin import Style, lazy_pinyin

    by_sound: dict[str, list[str]] = {}
    for c in chars:
        by_sound.setdefault(lazy_pinyin(c, style=Style.NORMAL)[0], []).append(c)
    return {c: [o for o in group if o != c] for group in by_sound.values() for c in group}


def make_names(rng, n, tables):
    surnames, weights, given, chars = tables
    s = rng.choice(surnames, n, p=weights)
    faker_given = rng.choice(given, n)
    composed = np.char.add(rng.choice(chars, n), rng.choice(chars, n))
    one = rng.choice(chars, n)
    pick = rng.random(n)
    g = np.where(pick < 0.5, faker_given, np.where(pick < 0.9, composed, one))
    return np.char.add(s, g)


def make_ids(rng, births: pd.DatetimeIndex, sex: np.ndarray) -> np.ndarray:
    n = len(births)
    region = np.where(rng.random(n) < 0.85, rng.choice(CITY, n), rng.choice(ELSEWHERE, n))
    seq = rng.integers(0, 500, n) * 2 + (sex == "M")
    body = np.char.add(np.char.add(region.astype("U6"), births.strftime("%Y%m%d").to_numpy(
        dtype="U8")), np.char.zfill(seq.astype("U3"), 3))
    digits = np.frombuffer(body.astype("S17").tobytes(), np.uint8).reshape(n, 17) - 48
    check = np.frombuffer(b"10X98765432", np.uint8)[(digits * WEIGHTS).sum(1) % 11]
    return np.char.add(body, check.view("S1").astype("U1"))


def people(rng, n, tables, prefix):
    births = pd.to_datetime("1940-01-01") + pd.to_timedelta(rng.integers(0, 29200, n), "D")
    sex = np.where(rng.random(n) < 0.5, "M", "F")
    frame = pd.DataFrame({
        "record_id": [f"{prefix}{i}" for i in range(n)],
        "id_number": make_ids(rng, births, sex),
        "name": make_names(rng, n, tables),
        "birth_date": births.date, "sex": sex,
        "address": np.char.add(np.char.add(rng.choice(ROADS, n), "路"),
                               rng.integers(1, 400, n).astype(str)) + "号",
    })
    return frame.drop_duplicates("id_number").reset_index(drop=True)


def mistype(rng, ids: np.ndarray) -> np.ndarray:
    """One digit changed (70%) or two neighbouring different digits swapped (30%)."""
    out = ids.astype("U18").copy()
    for k, s in enumerate(out):
        chars = list(s)
        if rng.random() < 0.3:
            spots = [p for p in range(16) if chars[p] != chars[p + 1]]
            p = int(rng.choice(spots))
            chars[p], chars[p + 1] = chars[p + 1], chars[p]
        else:
            p = int(rng.integers(0, 17))
            chars[p] = str((int(chars[p]) + int(rng.integers(1, 10))) % 10)
        out[k] = "".join(chars)
    return out


def vary_name(rng, name: str, sounds) -> str:
    """A homophone for one character, or (for names of 3+) one given character dropped."""
    if len(name) >= 3 and rng.random() < 0.4:
        p = int(rng.integers(1, len(name)))
        return name[:p] + name[p + 1:]
    spots = [p for p, c in enumerate(name) if sounds.get(c)]
    if not spots:
        return name[:-1] if len(name) >= 3 else name + "子"
    p = int(rng.choice(spots))
    return name[:p] + str(rng.choice(sounds[name[p]])) + name[p + 1:]


def build(size: int, extract: int, seed: int = 7):
    """(registry, extract, truth, category): truth maps extract record_id -> registry
    record_id (absent: not in the registry); category names each planted group."""
    rng = np.random.default_rng(seed)
    tables = name_tables()
    sounds = homophones(tables[3].tolist() + list(tables[0]))
    registry = people(rng, size, tables, "R")
    inside = int(extract * 0.9)
    chosen = rng.choice(len(registry), inside, replace=False)
    left = registry.iloc[chosen].reset_index(drop=True).copy()
    left["record_id"] = [f"E{i}" for i in range(len(left))]
    truth = dict(zip(left["record_id"], registry["record_id"].to_numpy()[chosen], strict=True))
    category = np.full(len(left), "clean", dtype=object)
    dates = pd.to_datetime(left["birth_date"])
    transposable = ((dates.dt.day <= 12) & (dates.dt.day != dates.dt.month)).to_numpy()
    n_td = int(extract * 0.005)
    td = rng.choice(np.nonzero(transposable)[0], n_td, replace=False)
    category[td] = "transposed_date"
    order = rng.permutation(np.nonzero(category == "clean")[0])
    cuts = np.cumsum([int(extract * f) for f in (0.01, 0.02, 0.005)])
    groups = np.split(order[:cuts[-1]], cuts[:-1])
    for name, idx in zip(("mistyped_id", "missing_id", "name_variant"), groups, strict=True):
        category[idx] = name
    ids = left["id_number"].to_numpy(dtype="U18").astype(object)
    mist = category == "mistyped_id"
    ids[mist] = mistype(rng, ids[mist].astype("U18"))
    ids[category == "missing_id"] = ""
    for cat in ("name_variant", "transposed_date"):
        idx = np.nonzero(category == cat)[0]
        half = rng.random(len(idx)) < 0.5
        ids[idx[half]] = ""
        ids[idx[~half]] = mistype(rng, ids[idx[~half]].astype("U18"))
    left["id_number"] = ids
    nv = np.nonzero(category == "name_variant")[0]
    left.loc[nv, "name"] = [vary_name(rng, n, sounds) for n in left.loc[nv, "name"]]
    # the registry keeps the true date; the extract has day and month transposed
    d = dates.iloc[td]
    left.loc[td, "birth_date"] = pd.to_datetime(pd.DataFrame(
        {"year": d.dt.year, "month": d.dt.day, "day": d.dt.month})).dt.date.to_numpy()
    moved = rng.random(len(left)) < 0.05
    left.loc[moved, "address"] = np.char.add(rng.choice(ROADS, moved.sum()), "街") + \
        rng.integers(1, 400, moved.sum()).astype(str) + "号"

    # outsiders: 10% of the extract minus the decoys; decoys share a registry person's name
    n_decoy = int(extract * 0.01)
    outsiders = people(rng, extract - inside, tables, "X")
    outsiders = outsiders[~outsiders["id_number"].isin(registry["id_number"])]
    outsiders = outsiders.reset_index(drop=True)
    model = registry.iloc[rng.choice(len(registry), n_decoy, replace=False)].reset_index(
        drop=True)
    dec = outsiders.iloc[:n_decoy].copy()
    dec["name"] = model["name"].to_numpy()
    same_date = rng.random(n_decoy) < 0.5
    births = pd.to_datetime(model["birth_date"]).to_numpy().copy()
    other = pd.to_datetime(dec["birth_date"]).to_numpy()
    births = np.where(same_date, births, other)
    sex = np.where(same_date, np.where(model["sex"] == "M", "F", "M"), model["sex"])
    dec["birth_date"] = pd.to_datetime(births).date
    dec["sex"] = sex
    dec_ids = make_ids(rng, pd.DatetimeIndex(births), sex)
    clash = np.isin(dec_ids, registry["id_number"].to_numpy())
    while clash.any():  # a decoy never holds a registry person's number
        dec_ids[clash] = make_ids(rng, pd.DatetimeIndex(births[clash]), sex[clash])
        clash = np.isin(dec_ids, registry["id_number"].to_numpy())
    dec["id_number"] = dec_ids
    dec.loc[rng.random(n_decoy) < 0.5, "id_number"] = ""
    dec["record_id"] = [f"D{i}" for i in range(n_decoy)]
    rest = outsiders.iloc[n_decoy:]
    extract_frame = pd.concat([left, dec, rest], ignore_index=True)
    cats = np.concatenate([category, np.full(len(dec), "decoy", dtype=object),
                           np.full(len(rest), "outsider", dtype=object)])
    cats[len(category):len(category) + n_decoy] = np.where(
        same_date, "decoy_same_birth_other_sex", "decoy_other_birth_same_sex")
    extract_frame["category"] = cats
    extract_frame = extract_frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return registry, extract_frame, truth


def score(links: set, truth: dict, extract: pd.DataFrame) -> dict:
    true_pairs = set(truth.items())
    tp = len(links & true_pairs)
    out = {"links": len(links), "precision": tp / max(len(links), 1),
           "recall": tp / max(len(true_pairs), 1)}
    cat = dict(zip(extract["record_id"], extract["category"], strict=True))
    linked = {}
    for left_id, right_id in links:
        linked.setdefault(left_id, set()).add(right_id)
    for name in ("mistyped_id", "missing_id", "name_variant", "transposed_date"):
        ids = [r for r, c in cat.items() if c == name]
        found = sum(truth[r] in linked.get(r, ()) for r in ids)
        out[name] = found / max(len(ids), 1)
    for name in ("decoy_same_birth_other_sex", "decoy_other_birth_same_sex", "outsider"):
        out[name] = sum(1 for r, c in cat.items() if c == name and r in linked)
    return out


def run_exact_only(registry, extract):
    from minsheng.assistance import linkage as old

    mkeys = old.id_keys(registry["id_number"].fillna("").to_numpy())[0]
    rkeys = old.id_keys(extract["id_number"].fillna("").to_numpy())[0]
    mi, ri = old.exact_pairs(mkeys, rkeys)
    return set(zip(extract["record_id"].to_numpy()[ri], registry["record_id"].to_numpy()[mi],
                   strict=True))


def run_old_engine(registry, extract):
    """The pre-issue-12 path: exact on any well-formed ID, then the hand-set fuzzy_pairs
    (frozen in benchmarks/legacy_verification.py) for the records whose ID is missing or
    fails the check digit."""
    import legacy_verification as old

    members = registry.assign(birth_date=pd.to_datetime(registry["birth_date"]))
    records = extract.assign(birth_date=pd.to_datetime(extract["birth_date"]) if
                             "birth_date" in extract else pd.NaT)
    mkeys = old.id_keys(members["id_number"].fillna("").to_numpy())[0]
    rkeys, rvalid = old.id_keys(records["id_number"].fillna("").to_numpy())
    mi, ri = old.exact_pairs(mkeys, rkeys)
    links = set(zip(records["record_id"].to_numpy()[ri], members["record_id"].to_numpy()[mi],
                    strict=True))
    unmatched = np.ones(len(records), dtype=bool)
    unmatched[ri] = False
    loose_mask = unmatched & ~rvalid
    loose = records.loc[loose_mask, ["name", "birth_date", "address", "id_number"]].copy()
    loose["rec"] = np.nonzero(loose_mask)[0]
    fp = old.fuzzy_pairs(members, loose)
    links |= set(zip(records["record_id"].to_numpy()[fp["rec"].to_numpy(dtype=int)],
                     members["record_id"].to_numpy()[fp["member"].to_numpy(dtype=int)],
                     strict=True))
    return links


def run_new_engine(registry, extract, threshold):
    result = link_people(extract, registry, threshold=threshold)
    links = set(zip(result.exact["left_id"], result.exact["right_id"], strict=True))
    links |= set(zip(result.probable["left_id"], result.probable["right_id"], strict=True))
    return links, result


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def measure(fn):
    """(result, seconds, peak MiB): ``fn`` runs in a forked child, so the peak is that
    run's own high-water mark above what it started with (DuckDB's memory included,
    which tracemalloc would not see)."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child():
        start = _rss_mib()
        t = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - start
        send.send((out, seconds, peak))

    proc = ctx.Process(target=child)
    proc.start()
    out = receive.recv()
    proc.join()
    return out


def report(label, res, seconds, peak):
    cats = " ".join(f"{k}={res[k]:.2f}" for k in ("mistyped_id", "missing_id", "name_variant",
                                                   "transposed_date"))
    print(f"  {label:<22} P {res['precision']:.4f}  R {res['recall']:.4f}  "
          f"{seconds:6.1f} s  peak {peak:5.0f} MiB  links {res['links']:,}")
    print(f"  {'':<22} recall by planted case: {cats}")
    print(f"  {'':<22} wrongly linked: namesakes same birth date other sex "
          f"{res['decoy_same_birth_other_sex']}, namesakes other birth date "
          f"{res['decoy_other_birth_same_sex']}, outsiders {res['outsider']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="registry people")
    parser.add_argument("--extract", type=int, default=20_000, help="extract records")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    t0 = time.perf_counter()
    registry, extract, truth = build(args.size, args.extract, args.seed)
    counts = extract["category"].value_counts().to_dict()
    print(f"built registry {len(registry):,}, extract {len(extract):,} "
          f"({len(truth):,} in the registry; planted {counts}) in "
          f"{time.perf_counter() - t0:.1f} s")
    for scenario in ("with birth-date column", "without birth-date column"):
        ext = extract if scenario.startswith("with ") else extract.drop(columns="birth_date")
        print(f"\n{scenario}:")
        links, s, peak = measure(lambda ext=ext: run_exact_only(registry, ext))
        report("(a) exact ID only", score(links, truth, ext), s, peak)
        links, s, peak = measure(lambda ext=ext: run_old_engine(registry, ext))
        report("(b) today's engine", score(links, truth, ext), s, peak)
        (links, result), s, peak = measure(
            lambda ext=ext: run_new_engine(registry, ext, args.threshold))
        report("(c) minsheng.linkage", score(links, truth, ext), s, peak)
        st = result.stats
        print(f"  {'':<22} {len(result.exact):,} exact + {len(result.probable):,} probable "
              f"(to confirm); lambda {result.model.probability_two_random_records_match:.3g}; "
              f"{st['left_to_score']:,} left records scored, <= "
              f"{st['candidate_pairs_upper_bound']:,} candidate pairs; seconds: features + "
              f"exact {st['seconds_exact']:.1f}, estimation {st['seconds_training']:.1f}, "
              f"scoring {st['seconds_scoring']:.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess max RSS {rss:.0f} MiB; total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
