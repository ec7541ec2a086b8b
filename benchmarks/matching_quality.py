"""Matching quality with labels written independently of the engine (issue 12).

Data: `minsheng.employment.matching.synthetic` (hidden profiles generate posts and seekers;
some profiles need a certificate that only some of their seekers hold). The posts of three
profiles are removed, so that their seekers (like the accountant of the issue) have no
post of their own kind: the honest answer for them is a short or empty list.

Labels (graded, from the hidden profiles and the raw fields, never from engine code):
  2 = the post is the seeker's own kind of work (same hidden profile);
  1 = the post's occupation is the seeker's profile occupation or in its minor group
      (小类), from another profile: work the seeker could reasonably be sent to;
  0 = anything else;
and any post that breaks a stated requirement of either side (a required certificate the
seeker lacks, fewer years than required, lower education, top salary below the seeker's
minimum, beyond the seeker's travel limit, a shift the seeker refuses, a public-welfare post
outside the seeker's eligible group or subdistrict) is 0 and counted as a violation.

Metrics on sampled seekers with at least one label > 0: Recall@10 = labelled posts (>0)
shown / min(10, labelled); nDCG@10 with gains 2^g - 1; over every sampled seeker: share of
shown posts that break a stated requirement (goal 0), share of shown posts labelled 0
(filler), posts shown to seekers who have no labelled post at all.

Before = the engine as it was (benchmarks/legacy_matching.py: 85% salary tolerance,
experience as a score, no certificates) with the baselines as they were evaluated (no
filters). After = the engine now, with both baselines given the engine's hard filters.

    /work/main/.venv/bin/python benchmarks/matching_quality.py [--seekers 4000 --postings 3000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def subset_posts(p, keep: np.ndarray):
    from dataclasses import fields, replace

    values = {}
    for f in fields(p):
        v = getattr(p, f.name)
        if v is None:
            continue
        values[f.name] = v[keep] if isinstance(v, np.ndarray) else [v[i] for i in keep]
    out = replace(p, **values)
    out.ids = np.arange(len(keep))
    return out


def broken(data, seekers: np.ndarray) -> np.ndarray:
    """True where a post breaks a stated requirement (raw fields, no engine code)."""
    p, s = data.postings, data.seekers
    bad = np.zeros((len(seekers), len(p.ids)), dtype=bool)
    for r, i in enumerate(seekers):
        held = set(s.certificates[i])
        accepted = set(s.shifts[i])
        minutes = data.commute[s.area[i]][p.area]
        bad[r] = (np.array([not set(c) <= held for c in p.certificates])
                  | (p.experience > s.experience[i]) | (p.education > s.education[i])
                  | (p.salary_max < s.salary_min[i]) | (minutes > s.max_commute[i])
                  | np.array([sh not in accepted for sh in p.shift])
                  | (p.public_welfare & ~(s.key_group[i] & (p.subdistrict == s.subdistrict[i]))))
    return bad


def grades(data, seekers: np.ndarray, post_code: list[str]) -> np.ndarray:
    same = data.seeker_profile[seekers][:, None] == data.post_profile[None, :]
    want = [data.profile_code[data.seeker_profile[i]] for i in seekers]
    near = np.array([[c[:7] == w[:7] for c in post_code] for w in want])
    g = np.where(same, 2, np.where(near, 1, 0))
    g[broken(data, seekers)] = 0
    return g


def measure(ranked, g, bad, k=10) -> dict:
    disc = 1 / np.log2(np.arange(2, k + 2))
    recall, ndcg, shown, viol, filler, empty_shown = [], [], 0, 0, 0, 0
    for r, rec in enumerate(ranked):
        rec = np.asarray(rec[:k], dtype=int)
        shown += len(rec)
        viol += int(bad[r, rec].sum())
        filler += int((g[r, rec] == 0).sum())
        labelled = int((g[r] > 0).sum())
        if labelled == 0:
            empty_shown += len(rec)
            continue
        recall.append((g[r, rec] > 0).sum() / min(k, labelled))
        ideal = np.sort(g[r])[::-1][:k]
        idcg = ((2.0 ** ideal - 1) * disc[:len(ideal)]).sum()
        ndcg.append(((2.0 ** g[r, rec] - 1) * disc[:len(rec)]).sum() / idcg)
    return {"recall": float(np.mean(recall)), "ndcg": float(np.mean(ndcg)),
            "violations": viol / max(shown, 1), "filler": filler / max(shown, 1),
            "shown": shown / len(ranked), "empty_shown": empty_shown}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=4000)
    parser.add_argument("--postings", type=int, default=3000)
    parser.add_argument("--sample", type=int, default=600)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    import legacy_matching as legacy

    from minsheng.employment.matching import synthetic
    from minsheng.employment.matching.engine import MatchIndex

    t0 = time.perf_counter()
    data = synthetic.generate(args.seekers, args.postings, seed=args.seed)
    dropped = np.unique(data.post_profile)[:3]  # these profiles' posts are gone
    keep = np.flatnonzero(~np.isin(data.post_profile, dropped))
    data.postings = subset_posts(data.postings, keep)
    data.post_profile = data.post_profile[keep]
    rng = np.random.default_rng(1)
    sample = rng.choice(args.seekers, min(args.sample, args.seekers), replace=False)
    g = grades(data, sample, data.postings.occupation)
    bad = broken(data, sample)
    k = 10
    print(f"{args.seekers:,} seekers x {len(keep):,} posts; {len(sample)} sampled seekers, "
          f"{int((g.max(axis=1) == 0).sum())} of them with no labelled post "
          f"({np.isin(data.seeker_profile[sample], dropped).sum()} from the profiles whose "
          f"posts were removed)")

    # before: the legacy engine, and the baselines as they were evaluated (no filters)
    p = data.postings
    old_posts = legacy.PostingData(
        ids=p.ids, occupation=p.occupation, skills=p.skills, education=p.education,
        experience=p.experience, salary_min=p.salary_min, salary_max=p.salary_max,
        area=p.area, shift=p.shift, public_welfare=p.public_welfare, openings=p.openings,
        texts=p.texts)
    s = data.seekers
    old_seekers = legacy.SeekerData(
        ids=s.ids, occupations=s.occupations, skills=[a + b for a, b in
                                                      zip(s.skills, s.certificates,
                                                          strict=True)],
        education=s.education, experience=s.experience, salary_min=s.salary_min,
        area=s.area, max_commute=s.max_commute, shifts=s.shifts, key_group=s.key_group,
        texts=s.texts)
    old = legacy.MatchIndex(old_posts, data.commute)
    oq = old.prepare(old_seekers)
    rows = {"before": {}, "after": {}}
    rows["before"]["engine (legacy)"] = measure(
        [old.recommend(oq, int(i), k, respect_cap=False)[0] for i in sample], g, bad)
    old.params = legacy.Params(use_structure=False)
    rows["before"]["BM25, no filters"] = measure(
        [old.recommend(oq, int(i), k, respect_cap=False)[0] for i in sample], g, bad)
    order = np.random.default_rng(1).permutation(old.n)
    rows["before"]["occupation code, no filters"] = measure(
        [order[np.isin(old.post_occ[order], oq["occ"][int(i)].indices)][:k] for i in sample],
        g, bad)

    # after: the engine now, baselines with the same hard filters
    index = MatchIndex(data.postings, data.commute)
    q = index.prepare(data.seekers)
    rows["after"]["engine"] = measure(
        [index.recommend(q, int(i), k, respect_cap=False)[0] for i in sample], g, bad)
    base = [synthetic.filtered_baselines(index, q, int(i), k) for i in sample]
    for name in base[0]:
        rows["after"][name] = measure([b[name] for b in base], g, bad)

    print(f"\n{'':7}{'method':<32}{'Recall@10':>10}{'nDCG@10':>9}{'violating':>10}"
          f"{'filler':>8}{'shown/seeker':>13}{'shown to seekers w/o match':>28}")
    for when, methods in rows.items():
        for name, m in methods.items():
            print(f"{when:<7}{name:<32}{m['recall']:>10.3f}{m['ndcg']:>9.3f}"
                  f"{m['violations']:>10.3f}{m['filler']:>8.3f}{m['shown']:>13.2f}"
                  f"{m['empty_shown']:>28}")
    after = rows["after"]["engine"]
    print(f"\nshare of shown posts breaking a stated requirement: before "
          f"{rows['before']['engine (legacy)']['violations']:.3f}, after "
          f"{after['violations']:.3f} (goal 0) {'OK' if after['violations'] == 0 else 'MISSED'}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
