import datetime
import math

import numpy as np
import pytest
from scipy import integrate

from minsheng.health import demography
from minsheng.health.lifetable import AGE_STARTS, LifeTableError, age_labels, life_table
from tests import factories


def test_hand_computed_three_groups():
    # ages 0, 1-4, 5+; P = 1000, 4000, 5000; D = 10, 8, 500; a0 = 0.1, a1 = 0.5
    t = life_table([10, 8, 500], [1000, 4000, 5000], starts=[0, 1, 5], min_population=0)
    q0 = 0.01 / (1 + 0.9 * 0.01)
    q1 = 4 * 0.002 / (1 + 4 * 0.5 * 0.002)
    l1 = 100_000 * (1 - q0)
    l2 = l1 * (1 - q1)
    d0, d1 = 100_000 * q0, l1 * q1
    big_l = [l1 + 0.1 * d0, 4 * (l2 + 0.5 * d1), l2 / 0.1]
    e0 = sum(big_l) / 100_000
    assert t.q[:2] == pytest.approx([q0, q1]) and t.q[2] == 1
    assert t.l == pytest.approx([100_000, l1, l2])
    assert t.L == pytest.approx(big_l)
    assert t.e0 == pytest.approx(e0) and t.e0 == pytest.approx(14.7577, abs=1e-3)
    e1, e2 = (big_l[1] + big_l[2]) / l1, 10.0
    var = (100_000 ** 2 * (0.9 + e1) ** 2 * q0 ** 2 * (1 - q0) / 10
           + l1 ** 2 * (0.5 * 4 + e2) ** 2 * q1 ** 2 * (1 - q1) / 8
           + l2 ** 2 * (500 / 5000 ** 2) / 0.1 ** 4) / 100_000 ** 2
    assert t.variance == pytest.approx(var)
    lo, hi = t.ci
    assert lo < t.e0 < hi and hi - lo == pytest.approx(2 * 1.959964 * math.sqrt(var))


def test_gompertz_population_gives_sensible_e0():
    a, b = 2.5e-5, 0.095

    def survival(x):
        return math.exp(-a / b * (math.exp(b * x) - 1))

    truth = integrate.quad(survival, 0, 130)[0]
    ends = np.append(AGE_STARTS[1:], 130)
    pop = np.full(len(AGE_STARTS), 200_000.0)
    # central death rate of each group from the exact hazard over a stationary population
    m = np.array([(survival(s) - survival(e)) / integrate.quad(survival, s, e)[0]
                  for s, e in zip(AGE_STARTS, ends, strict=True)])
    t = life_table(np.round(pop * m), pop)
    assert 70 < t.e0 < 90
    assert abs(t.e0 - truth) < 1.0
    assert t.ci[1] - t.ci[0] < 1.0 and not t.warnings


def test_small_population_warns_and_bad_input_raises():
    pop = np.full(19, 100.0)
    deaths = np.zeros(19)
    deaths[-1] = 20
    deaths[0] = 1
    assert any("unstable" in w for w in life_table(deaths, pop).warnings)
    with pytest.raises(LifeTableError):
        life_table(np.zeros(19), pop)
    assert age_labels()[:3] == ["0", "1-4", "5-9"] and age_labels()[-1] == "85+"


def test_deaths_and_population_from_registry(health):
    s1 = health["s1"]
    c = health["c11"]
    factories.person(c, birth=datetime.date(2000, 6, 30))    # 23 on 1 July 2023
    factories.person(c, birth=datetime.date(2000, 7, 2))     # 22
    factories.person(c, birth=datetime.date(2023, 8, 1))     # not born yet
    factories.person(c, birth=datetime.date(1930, 1, 1), status="deceased",
                     status_date=datetime.date(2023, 9, 1))  # alive mid-year, dies at 93
    factories.person(c, birth=datetime.date(1950, 12, 1), status="deceased",
                     status_date=datetime.date(2023, 3, 1))  # dies before mid-year at 72
    pop = demography.mid_year_population(2023)[s1.id].sum(axis=0)
    dead = demography.deaths(2023)[s1.id].sum(axis=0)
    assert pop.sum() == 3 and pop[5] == 2 and pop[-1] == 1  # 20-24 and 85+
    assert dead.sum() == 2 and dead[-1] == 1 and dead[15] == 1  # 70-74 group
    rows = demography.compute_life_tables(2023)
    assert {r["area"].level for r in rows} == {"district", "subdistrict"}
    assert all(r["warnings"] for r in rows)
