"""Simulated monthly claim series with planted shifts (for benchmarks/detection_monthly_eval.py).

Modelled on new unemployment-benefit claims of a subdistrict or a district:

- baseline mean mu(t) = level * exp(trend * t / 12 + season[t mod 12]), t in months from
  January of the first year; ``season`` is a fixed 12-month profile on the log scale (peak in
  February-March after the Spring Festival, when contracts end and migrant workers change jobs;
  a smaller one in July with graduates; low in October-December), centred to mean 0. It is not
  a sum of harmonics, so a harmonic model is only an approximation, as with real data;
- counts negative binomial with variance phi * mu (Poisson when phi = 1);
- 12 scenarios: level 8, 40 or 200 claims a month (phi 1.5, 2 and 4: overdispersion grows with
  the size of the area) x no trend / +8% a year x no seasonality / the claims profile;
- history: two past spikes per series in months 12 .. n-EVAL-1, each Poisson(k * sd) extra
  claims, k in {2, 3, 5, 10}, spread like the current spikes (they test that past layoff waves
  do not inflate the baseline);
- evaluated months: the last ``EVAL_MONTHS`` (24). Each series gets exactly one planted shift
  starting in month n-24 .. n-1-HORIZON, alternating between
  * spike: Poisson(k * sd) extra claims, k cycled over SPIKE_K, each placed
    floor(LogNormal(0, 0.5)) months after the start (a layoff wave claims over 1-2 months);
  * step: from the start month to the end, Poisson(k * sd_t) extra claims every month
    (sd_t = sqrt(phi mu_t)), k cycled over STEP_K (a lasting rise in claims).
  sd is the baseline SD of the start month.

Labels come from the planting only: a month is shift-free when it holds no planted extra claim
(past or current); a spike is detected when a month holding its claims alarms; a step is
detected when one of its first HORIZON months alarms. Everything is drawn from one numpy
Generator seeded by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HISTORY_YEARS = 8
EVAL_MONTHS = 24
HORIZON = 3
PAST_K = (2, 3, 5, 10)
SPIKE_K = (2, 3, 4, 6)
STEP_K = (0.5, 1.0, 1.5, 2.0)
# Log-scale monthly profile, January..December (centred below).
CLAIMS_SEASON = np.array([0.10, 0.45, 0.35, 0.00, -0.15, -0.05, 0.20, 0.05, -0.15, -0.20,
                          -0.30, -0.30])
LEVELS = ((8.0, 1.5), (40.0, 2.0), (200.0, 4.0))
TREND_PER_YEAR = 0.08


@dataclass(frozen=True)
class MonthlyScenario:
    number: int
    level: float
    phi: float
    trend: float  # log growth per year
    seasonal: bool

    def mean(self, months: np.ndarray) -> np.ndarray:
        season = CLAIMS_SEASON - CLAIMS_SEASON.mean() if self.seasonal else np.zeros(12)
        return self.level * np.exp(self.trend * months / 12 + season[months % 12])

    @property
    def label(self) -> str:
        trend = f"+{self.trend * 100:.0f}%/yr" if self.trend else "flat"
        return (f"level {self.level:g}, phi {self.phi:g}, {trend}, "
                f"{'seasonal' if self.seasonal else 'no season'}")


def scenarios() -> list[MonthlyScenario]:
    out = []
    for level, phi in LEVELS:
        for trend in (0.0, TREND_PER_YEAR):
            for seasonal in (False, True):
                out.append(MonthlyScenario(len(out) + 1, level, phi, trend, seasonal))
    return out


@dataclass
class MonthlySimulation:
    counts: np.ndarray  # (series, months) observed
    planted: np.ndarray  # extra claims from any planted shift (past or current)
    current: np.ndarray  # extra claims from the evaluated-period shift
    kind: np.ndarray  # "spike" or "step" per series
    size: np.ndarray  # k of the current shift (in baseline SDs)
    start: np.ndarray  # 0-based start month of the current shift
    scenario: np.ndarray
    expected: np.ndarray  # true baseline mean

    @property
    def eval_slice(self) -> slice:
        return slice(self.counts.shape[1] - EVAL_MONTHS, self.counts.shape[1])

    def detect_window(self) -> np.ndarray:
        """(series, evaluated months): months in which an alarm counts as detecting the shift."""
        ev = self.eval_slice
        window = self.current[:, ev] > 0
        months = np.arange(ev.start, ev.stop)[None, :]
        step = self.kind == "step"
        in_horizon = (months >= self.start[:, None]) & (months < self.start[:, None] + HORIZON)
        window[step] = in_horizon[step]
        return window


def _nb(rng, mu, phi):
    if phi <= 1.0:
        return rng.poisson(mu)
    return rng.negative_binomial(mu / (phi - 1.0), 1.0 / phi)


def _spread(rng, cases, rows, starts, sizes):
    rows = np.repeat(rows, sizes)
    when = np.repeat(starts, sizes) + np.floor(rng.lognormal(0.0, 0.5, rows.size)).astype(int)
    keep = when < cases.shape[1]
    np.add.at(cases, (rows[keep], when[keep]), 1)


def simulate(chosen: list[MonthlyScenario] | None = None, replicates: int = 100, seed: int = 1,
             history_years: int = HISTORY_YEARS) -> MonthlySimulation:
    chosen = scenarios() if chosen is None else chosen
    rng = np.random.default_rng(seed)
    n_months = history_years * 12 + EVAL_MONTHS
    months = np.arange(n_months)
    n = len(chosen) * replicates
    counts = np.empty((n, n_months))
    expected = np.empty((n, n_months))
    phis = np.repeat([sc.phi for sc in chosen], replicates)
    for i, sc in enumerate(chosen):
        rows = slice(i * replicates, (i + 1) * replicates)
        mu = sc.mean(months)
        expected[rows] = mu
        counts[rows] = _nb(rng, np.broadcast_to(mu, (replicates, n_months)), sc.phi)
    sd = np.sqrt(phis[:, None] * expected)
    scen = np.repeat([sc.number for sc in chosen], replicates)
    eval_start = n_months - EVAL_MONTHS
    # Past spikes, before the evaluated months.
    past = np.zeros((n, n_months))
    if eval_start > 14:
        p_start = rng.integers(12, eval_start - 2, size=(n, 2))
        p_k = rng.choice(PAST_K, size=(n, 2))
        p_size = rng.poisson(p_k * np.take_along_axis(sd, p_start, axis=1))
        _spread(rng, past, np.repeat(np.arange(n), 2), p_start.ravel(), p_size.ravel())
        past[:, eval_start:] = 0  # a past wave never reaches the evaluated months
    # The current shift: alternate spike / step, sizes cycled within each scenario.
    within = np.tile(np.arange(replicates), len(chosen))
    kind = np.where(within % 2 == 0, "spike", "step")
    k_index = (within // 2) % len(SPIKE_K)
    size = np.where(kind == "spike", np.array(SPIKE_K, float)[k_index],
                    np.array(STEP_K)[k_index])
    start = rng.integers(eval_start, n_months - HORIZON, size=n)
    current = np.zeros((n, n_months))
    spike = np.flatnonzero(kind == "spike")
    sizes = rng.poisson(size[spike] * sd[spike, start[spike]])
    _spread(rng, current, spike, start[spike], sizes)
    step = np.flatnonzero(kind == "step")
    after = months[None, :] >= start[step, None]
    current[step] = np.where(after, rng.poisson(size[step, None] * sd[step]), 0)
    return MonthlySimulation(counts=counts + past + current, planted=past + current,
                             current=current, kind=kind, size=size, start=start,
                             scenario=scen, expected=expected)
