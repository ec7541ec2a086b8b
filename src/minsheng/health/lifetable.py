"""Abridged period life table by Chiang's method, with Chiang's variance of e0.

Age groups 0, 1-4, 5-9, ..., 80-84, 85+ (19 groups). For each group x of width n:
  M  = D / P                       (central death rate from deaths and mid-year population)
  q  = n M / (1 + n (1 - a) M)     (probability of dying in the interval; q = 1 in the last)
  l  : l0 = 100,000, l(x+n) = l(x) (1 - q)
  d  = l q
  L  = n (l(x+n) + a d)            (person-years lived; last group L = l / M)
  T  = sum of L from x upwards,  e = T / l
Variance (Chiang 1984, with the Silcocks et al. 2001 term for the open last group):
  Var(q) = q^2 (1 - q) / D
  Var(e0) = sum_x l(x)^2 [(1 - a) n + e(x+n)]^2 Var(q) / l0^2 + (l_w / l0)^2 Var(M_w) / M_w^4,
  Var(M_w) = D_w / P_w^2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from minsheng.health.config import setting

AGE_STARTS = np.array([0, 1, *range(5, 90, 5)])  # 0, 1, 5, ..., 85 (19 groups)
Z95 = 1.959963984540054


def age_labels(starts=AGE_STARTS) -> list[str]:
    labels = []
    for i, s in enumerate(starts):
        if i == len(starts) - 1:
            labels.append(f"{s}+")
        elif starts[i + 1] - s == 1:
            labels.append(str(s))
        else:
            labels.append(f"{s}-{starts[i + 1] - 1}")
    return labels


def age_group_index(ages: np.ndarray, starts=AGE_STARTS) -> np.ndarray:
    """Group index of each age (vectorised)."""
    return np.searchsorted(np.asarray(starts), np.asarray(ages), side="right") - 1


@dataclass
class LifeTable:
    ages: list[str]
    population: np.ndarray
    deaths: np.ndarray
    m: np.ndarray
    q: np.ndarray
    l: np.ndarray  # noqa: E741
    d: np.ndarray
    L: np.ndarray  # noqa: N815
    T: np.ndarray  # noqa: N815
    e: np.ndarray
    variance: float
    warnings: list[str] = field(default_factory=list)

    @property
    def e0(self) -> float:
        return float(self.e[0])

    @property
    def se(self) -> float:
        return float(np.sqrt(self.variance))

    @property
    def ci(self) -> tuple[float, float]:
        return self.e0 - Z95 * self.se, self.e0 + Z95 * self.se

    def rows(self) -> list[dict]:
        return [{"age": self.ages[i], "population": float(self.population[i]),
                 "deaths": float(self.deaths[i]), "m": float(self.m[i]), "q": float(self.q[i]),
                 "l": float(self.l[i]), "d": float(self.d[i]), "L": float(self.L[i]),
                 "T": float(self.T[i]), "e": float(self.e[i])} for i in range(len(self.ages))]


class LifeTableError(ValueError):
    """The data cannot give a life table (e.g. no deaths or no population in the last group)."""


def life_table(deaths, population, starts=AGE_STARTS, *, a=None,
               radix: float | None = None, min_population: float | None = None) -> LifeTable:
    deaths = np.asarray(deaths, dtype=float)
    pop = np.asarray(population, dtype=float)
    starts = np.asarray(starts)
    k = len(starts)
    if deaths.shape != (k,) or pop.shape != (k,):
        raise LifeTableError(_("need %(k)s age groups of deaths and population") % {"k": k})
    if (deaths < 0).any() or (pop < 0).any():
        raise LifeTableError(_("deaths and population cannot be negative"))
    if ((pop == 0) & (deaths > 0)).any():
        raise LifeTableError(_("deaths in an age group with no population"))
    if pop[-1] == 0 or deaths[-1] == 0:
        raise LifeTableError(_("the last (open) age group needs both population and deaths"))
    radix = setting("LIFE_TABLE_RADIX") if radix is None else radix
    min_population = (setting("LIFE_TABLE_MIN_POPULATION") if min_population is None
                      else min_population)
    n = np.append(np.diff(starts), np.inf).astype(float)
    if a is None:
        a = np.full(k, setting("LIFE_TABLE_A"), dtype=float)
        a[0] = setting("LIFE_TABLE_A0")
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.where(pop > 0, deaths / pop, 0.0)
    q = np.empty(k)
    nc = n[:-1]
    q[:-1] = np.minimum(1.0, nc * m[:-1] / (1 + nc * (1 - a[:-1]) * m[:-1]))
    q[-1] = 1.0
    survive = np.concatenate([[1.0], np.cumprod(1 - q[:-1])])
    lx = radix * survive
    dx = lx * q
    big_l = np.empty(k)
    big_l[:-1] = nc * (lx[1:] + a[:-1] * dx[:-1])
    big_l[-1] = lx[-1] / m[-1]
    big_t = np.cumsum(big_l[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(lx > 0, big_t / lx, 0.0)
    # Chiang's variance
    with np.errstate(divide="ignore", invalid="ignore"):
        var_q = np.where(deaths > 0, q ** 2 * (1 - q) / deaths, 0.0)
    e_next = np.append(e[1:], 0.0)
    terms = lx[:-1] ** 2 * ((1 - a[:-1]) * nc + e_next[:-1]) ** 2 * var_q[:-1]
    var_m_last = deaths[-1] / pop[-1] ** 2
    last = lx[-1] ** 2 * var_m_last / m[-1] ** 4
    variance = float((terms.sum() + last) / radix ** 2)
    warnings = []
    if pop.sum() < min_population:
        warnings.append(_("population %(population)s is below %(minimum)s: the estimate is "
                          "unstable") % {"population": f"{pop.sum():,.0f}",
                                         "minimum": f"{min_population:,.0f}"})
    if (pop == 0).any():
        warnings.append(_("some age groups have no population"))
    return LifeTable(ages=age_labels(starts), population=pop, deaths=deaths, m=m, q=q, l=lx,
                     d=dx, L=big_l, T=big_t, e=e, variance=variance, warnings=warnings)
