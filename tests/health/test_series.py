import datetime

import numpy as np
import pandas as pd

from minsheng.health import surveillance
from tests.health.conftest import report

MON = datetime.date(2026, 11, 2)


def test_period_start_is_monday():
    assert surveillance.period_start(datetime.date(2026, 11, 8)) == MON
    assert surveillance.period_start(MON) == MON


def test_series_matrix_fills_gaps_and_adds_duplicates():
    periods = surveillance.period_range(MON, MON + datetime.timedelta(weeks=3))
    frame = pd.DataFrame({"disease_id": [1, 1, 1, 2],
                          "area_id": [10, 10, 10, 10],
                          "period_start": [MON, MON, MON + datetime.timedelta(weeks=2), MON],
                          "count": [2, 3, 4, 1]})
    m = surveillance.series_matrix(frame, [(1, 10), (1, 11), (2, 10)], periods)
    assert m.tolist() == [[5, 0, 4, 0], [0, 0, 0, 0], [1, 0, 0, 0]]


def test_case_counts_group_by_week_and_subdistrict(health):
    today = datetime.date.today()
    week = surveillance.period_start(today)
    for community in ("c11", "c12", "c21"):
        report(health, community=community, on=today)
    report(health, community="c11", on=today - datetime.timedelta(days=14))
    frame = surveillance.case_counts(start=today - datetime.timedelta(days=30), end=today)
    got = {(r.area_id, r.period_start): r.count for r in frame.itertuples()}
    s1, s2 = health["s1"].id, health["s2"].id
    assert got[(s1, week)] == 2 and got[(s2, week)] == 1
    assert got[(s1, surveillance.period_start(today - datetime.timedelta(days=14)))] == 1
    periods = surveillance.period_range(today - datetime.timedelta(days=30), today)
    hfmd = frame["disease_id"].iloc[0]
    m = surveillance.series_matrix(frame, [(hfmd, s1), (hfmd, s2)], periods)
    assert m.sum() == 4 and np.count_nonzero(m[0]) == 2 and m[0, -1] == 2
