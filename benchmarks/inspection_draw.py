"""Double-random draw on minsheng.inspections: 2,000 of 40,000 entities with 300
inspectors, recusal and rotation; re-derived from its log; and a uniformity test
(chi-square over 10,000 draws). Pure engine code, no database.

    PYTHONPATH=src python benchmarks/inspection_draw.py
"""

import time

import numpy as np
from scipy.stats import chisquare

from minsheng.inspections import draw as d

ENTITIES, SAMPLE, INSPECTORS, TEAM = 40_000, 2_000, 300, 2


def main():
    rng = np.random.default_rng(1)
    entities = list(range(1, ENTITIES + 1))
    inspectors = list(range(1, INSPECTORS + 1))
    recused = {(int(rng.integers(1, INSPECTORS + 1)), e) for e in
               rng.choice(entities, 4_000, replace=False).tolist()}
    previous = {e: sorted(rng.choice(inspectors, TEAM, replace=False).tolist())
                for e in rng.choice(entities, 20_000, replace=False).tolist()}
    t0 = time.perf_counter()
    inputs = d.canonical(entities, inspectors, recused, previous, SAMPLE, TEAM, 20261203)
    assignment = [[e, t] for e, t in d.rederive(inputs)]
    digest = d.digest(inputs, assignment)
    draw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = [[e, t] for e, t in d.rederive(inputs)]
    rederive_s = time.perf_counter() - t0
    broken = sum(1 for e, team in assignment for i in team
                 if (i, e) in recused or i in previous.get(e, ()))
    print(f"draw {SAMPLE} of {ENTITIES} with {INSPECTORS} inspectors: {draw_s:.2f} s "
          f"(target < 2 s); recusal/rotation breaches: {broken}")
    same = again == assignment and d.digest(inputs, again) == digest
    print(f"re-derived from the log in {rederive_s:.2f} s: "
          f"{'identical' if same else 'DIFFERENT'} (digest {digest[:16]}…)")
    # uniformity: 10,000 draws of 10 of 100 entities; each entity's selection count
    counts = np.zeros(100)
    for seed in range(10_000):
        for e, _team in d.draw(entities=range(100), inspectors=range(10), sample=10, team=2,
                               seed=seed):
            counts[e] += 1
    stat, p = chisquare(counts)
    print(f"uniformity over 10,000 draws (10 of 100): chi-square {stat:.1f}, "
          f"df 99, p = {p:.3f}")


if __name__ == "__main__":
    main()
