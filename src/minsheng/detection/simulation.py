"""Simulated surveillance series after Noufaily et al. (2013, Stat Med 32:1206), section 4.

Baselines are negative binomial with mean
    mu(t) = exp(theta + beta*t + sum_{j=1..m} gamma1 cos(2 pi j t / 52) + gamma2 sin(2 pi j t/52))
and variance phi*mu, for 624 weeks (12 years). Seven parameter sets x trend (beta = 0 or the
set's beta) x m = 0, 1, 2 harmonics give the 42 scenarios, numbered in that order (set 1: no
trend m=0,1,2, then trend m=0,1,2; set 2; ...).

Outbreaks: four in the baseline weeks 313-575, each of Poisson(k * sd) cases with k drawn from
{2, 3, 5, 10} and sd = sqrt(phi * mu) at the start week; one in the evaluated final 49 weeks
(576-624) with k = 1..10 (cycled over replicates so each size is equally represented). Each
case is placed floor(X) weeks after the start, X ~ log-normal(0, 0.5), so an outbreak spreads
over about 1-3 weeks. Everything is drawn from one numpy Generator seeded by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_WEEKS = 624
EVAL_WEEKS = 49
BASELINE_OUTBREAK_WINDOW = (313, 575)  # 1-based inclusive start weeks
BASELINE_K = (2, 3, 5, 10)
CURRENT_K = tuple(range(1, 11))

# theta, beta, gamma1, gamma2, phi for the seven parameter sets (Noufaily et al. 2013, Table I).
PARAMETER_SETS = (
    (0.1, 0.0025, 0.6, 0.6, 1.5),
    (-2.0, 0.005, 0.1, 0.3, 2.0),
    (1.5, 0.003, 0.2, -0.4, 1.0),
    (0.5, 0.002, 0.5, 0.5, 5.0),
    (2.5, 0.001, 1.0, 0.1, 3.0),
    (3.75, 0.001, 0.1, -0.1, 1.1),
    (5.0, 0.0001, 0.05, 0.01, 1.2),
)


@dataclass(frozen=True)
class Scenario:
    number: int
    theta: float
    beta: float
    gamma1: float
    gamma2: float
    phi: float
    m: int

    def mean(self, weeks: np.ndarray) -> np.ndarray:
        eta = self.theta + self.beta * weeks
        for j in range(1, self.m + 1):
            ang = 2 * np.pi * j * weeks / 52
            eta = eta + self.gamma1 * np.cos(ang) + self.gamma2 * np.sin(ang)
        return np.exp(eta)


def scenarios() -> list[Scenario]:
    out = []
    for theta, beta, g1, g2, phi in PARAMETER_SETS:
        for b in (0.0, beta):
            for m in (0, 1, 2):
                out.append(Scenario(len(out) + 1, theta, b, g1 if m else 0.0, g2 if m else 0.0,
                                    phi, m))
    return out


def parse_scenarios(spec: str) -> list[Scenario]:
    """'all', or a comma list of numbers and ranges like '1-6,14'."""
    allsc = scenarios()
    if spec.strip().lower() == "all":
        return allsc
    chosen: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = (int(v) for v in part.split("-"))
            chosen.extend(range(lo, hi + 1))
        elif part:
            chosen.append(int(part))
    bad = [n for n in chosen if not 1 <= n <= len(allsc)]
    if bad:
        raise ValueError(f"scenario numbers must be 1..{len(allsc)}: {bad}")
    return [allsc[n - 1] for n in sorted(set(chosen))]


@dataclass
class Simulation:
    counts: np.ndarray  # (series, weeks) observed = baseline + outbreak cases
    outbreak_cases: np.ndarray  # cases from any outbreak
    current_cases: np.ndarray  # cases from the evaluated-period outbreak only
    scenario: np.ndarray  # scenario number per series
    current_k: np.ndarray  # size multiplier of the current outbreak
    current_start: np.ndarray  # 0-based start week of the current outbreak
    expected: np.ndarray  # true baseline mean

    @property
    def eval_slice(self) -> slice:
        return slice(self.counts.shape[1] - EVAL_WEEKS, self.counts.shape[1])


def _nb(rng: np.random.Generator, mu: np.ndarray, phi: float) -> np.ndarray:
    if phi <= 1.0:
        return rng.poisson(mu)
    # Variance phi*mu: size mu/(phi-1), success probability 1/phi.
    return rng.negative_binomial(mu / (phi - 1.0), 1.0 / phi)


def _add_outbreaks(rng, cases, starts, k, sd):
    """Add Poisson(k*sd) cases per outbreak, spread by floor(lognormal(0, 0.5)) weeks."""
    sizes = rng.poisson(k * sd)
    owner = np.broadcast_to(np.arange(starts.shape[0])[:, None], starts.shape)
    rows = np.repeat(owner.ravel(), sizes.ravel())
    when = np.repeat(starts.ravel(), sizes.ravel())
    when = when + np.floor(rng.lognormal(0.0, 0.5, size=when.size)).astype(int)
    keep = when < cases.shape[1]
    np.add.at(cases, (rows[keep], when[keep]), 1)


def simulate(chosen: list[Scenario] | None = None, replicates: int = 100, seed: int = 1,
             n_weeks: int = N_WEEKS) -> Simulation:
    chosen = scenarios() if chosen is None else chosen
    rng = np.random.default_rng(seed)
    weeks = np.arange(1, n_weeks + 1)
    n = len(chosen) * replicates
    counts = np.empty((n, n_weeks))
    expected = np.empty((n, n_weeks))
    sds = np.empty((n, n_weeks))
    for i, sc in enumerate(chosen):
        mu = sc.mean(weeks)
        rows = slice(i * replicates, (i + 1) * replicates)
        expected[rows] = mu
        sds[rows] = np.sqrt(sc.phi * mu)
        counts[rows] = _nb(rng, np.broadcast_to(mu, (replicates, n_weeks)), sc.phi)
    scen = np.repeat([sc.number for sc in chosen], replicates)
    lo, hi = BASELINE_OUTBREAK_WINDOW
    base_starts = rng.integers(lo - 1, hi, size=(n, 4))
    base_k = rng.choice(BASELINE_K, size=(n, 4))
    base_cases = np.zeros((n, n_weeks))
    _add_outbreaks(rng, base_cases, base_starts, base_k,
                   np.take_along_axis(sds, base_starts, axis=1))
    cur_start = rng.integers(n_weeks - EVAL_WEEKS, n_weeks, size=(n, 1))
    cur_k = np.tile(np.array(CURRENT_K), -(-replicates // len(CURRENT_K)))[:replicates]
    cur_k = np.tile(cur_k, len(chosen))[:, None]
    cur_cases = np.zeros((n, n_weeks))
    _add_outbreaks(rng, cur_cases, cur_start, cur_k, np.take_along_axis(sds, cur_start, axis=1))
    return Simulation(counts=counts + base_cases + cur_cases,
                      outbreak_cases=base_cases + cur_cases, current_cases=cur_cases,
                      scenario=scen, current_k=cur_k[:, 0], current_start=cur_start[:, 0],
                      expected=expected)
