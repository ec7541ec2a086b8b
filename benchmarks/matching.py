"""Matching benchmark: index build, single-recommendation latency, full batch, memory and
quality (Recall@10, nDCG@10, coverage) of the engine against two baselines given the same
hard filters, on synthetic data with planted suitable pairs (see
minsheng.employment.matching.synthetic; graded, engine-independent labels:
benchmarks/matching_quality.py).

    .venv/bin/python benchmarks/matching.py                      # 100,000 x 50,000
    .venv/bin/python benchmarks/matching.py --seekers 5000 --postings 2000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=1000, help="seekers in the quality table")
    parser.add_argument("--latency", type=int, default=200, help="single queries to time")
    parser.add_argument("--workers", type=int, default=2, help="forked worker processes")
    parser.add_argument("--block", type=int, default=256, help="seekers per scored block")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from minsheng.employment.matching import synthetic
    from minsheng.employment.matching.engine import MatchIndex
    from minsheng.employment.matching.text import tokenizer

    tokenizer()  # load jieba's dictionary outside the timings
    t = time.perf_counter()
    data = synthetic.generate(args.seekers, args.postings, seed=args.seed)
    print(f"synthetic data: {args.seekers:,} seekers x {args.postings:,} postings "
          f"({time.perf_counter() - t:.1f} s)")

    t = time.perf_counter()
    index = MatchIndex(data.postings, data.commute)
    build = time.perf_counter() - t
    t = time.perf_counter()
    q = index.prepare(data.seekers)
    prepare = time.perf_counter() - t
    print(f"index build (jieba + bm25s + sparse structures): {build:.1f} s; "
          f"seeker preparation: {prepare:.1f} s")
    cohorts = index.cohorts(q)
    scored = sum(len(c) * len(index.columns(q, int(c[0]))) for c in cohorts)
    print(f"{len(cohorts):,} cohorts (area, commute limit, shifts); pairs scored "
          f"{scored:,} of {args.seekers * args.postings:,} "
          f"({scored / max(1, args.seekers * args.postings):.1%})")

    rng = np.random.default_rng(1)
    picks = rng.choice(args.seekers, min(args.latency, args.seekers), replace=False)
    times = []
    for i in picks:
        t = time.perf_counter()
        positions, _ = index.recommend(q, int(i), 10)
        index.reasons(q, np.full(len(positions), int(i)), positions)
        times.append((time.perf_counter() - t) * 1000)
    p50, p95 = np.percentile(times, [50, 95])
    print(f"single recommendation with reasons: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(goal p95 < 100 ms) {'OK' if p95 < 100 else 'MISSED'}")

    def cpu_seconds():  # this process and its (forked, finished) worker processes
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    t = time.perf_counter()
    cpu = cpu_seconds()
    s, p, v = index.batch(q, top=10, block=args.block, workers=args.workers)
    batch = time.perf_counter() - t
    cpu = cpu_seconds() - cpu
    per_post = np.bincount(p, minlength=index.n)
    print(f"full batch top-10 for {args.seekers:,} seekers ({args.workers} processes): "
          f"{batch:.1f} s wall, {cpu:.1f} s CPU (goal < 180 s) "
          f"{'OK' if batch < 180 else 'MISSED'}; "
          f"{len(s):,} recommendations, {len(np.unique(s)):,} seekers served, "
          f"max per post {per_post.max()} (cap respected: {bool((per_post <= index.cap).all())})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:,.0f} MB main process, {worker:,.0f} MB largest "
          f"worker (workers share the index and seekers copy-on-write)")

    sample = rng.choice(args.seekers, min(args.sample, args.seekers), replace=False)
    capped = {}
    order = np.argsort(s, kind="stable")
    s_sorted, p_sorted = s[order], p[order]
    starts = np.searchsorted(s_sorted, sample)
    ends = np.searchsorted(s_sorted, sample, side="right")
    for i, a, b in zip(sample, starts, ends, strict=True):
        capped[int(i)] = p_sorted[a:b]
    t = time.perf_counter()
    result = synthetic.evaluate(data, index, q, sample, capped)
    print(f"\nquality on {len(sample):,} sampled seekers ({time.perf_counter() - t:.0f} s):")
    print(f"{'method':<24} {'Recall@10':>10} {'nDCG@10':>9} {'coverage':>9}")
    for name, m in result.items():
        print(f"{name:<24} {m['recall@10']:>10.3f} {m['ndcg@10']:>9.3f} {m['coverage']:>9.3f}")
    engine = result["engine"]
    for b in ("BM25 + same filters", "occupation code + same filters"):
        print(f"engine - {b}: Recall@10 {engine['recall@10'] - result[b]['recall@10']:+.3f}, "
              f"nDCG@10 {engine['ndcg@10'] - result[b]['ndcg@10']:+.3f}")
    print("(graded labels independent of the engine: benchmarks/matching_quality.py)")


if __name__ == "__main__":
    main()
