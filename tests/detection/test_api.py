import datetime as dt
import math

import numpy as np
import pytest

from minsheng.detection import METHODS, DetectionInputError, detect, run_batch
from minsheng.detection.csvio import detect_csv

START = dt.date(2018, 1, 1)  # a Monday


def weeks(n, start=START):
    return [start + dt.timedelta(weeks=i) for i in range(n)]


def test_methods_catalogue():
    expected = {"ears_c1", "ears_c2", "ears_c3", "moving_percentile", "farrington",
                "farrington_flexible", "cusum_poisson", "cusum_negbin", "threshold"}
    assert expected <= set(METHODS)
    for spec in METHODS.values():
        assert spec["description"] and isinstance(spec["parameters"], dict)
    assert METHODS["farrington_flexible"]["parameters"]["alpha"] == 0.01


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_flat_no_alarm_spike_alarm(method):
    n = 52 * 6 + 10
    y = np.full(n, 12)
    table = detect(method, y, weeks(n))
    assert list(table.columns[:5]) == ["date", "count", "expected", "upper", "alarm"]
    assert len(table) == n
    if method != "threshold":
        assert not table["alarm"].any()
    y[-1] = 60
    table = detect(method, y, weeks(n))
    assert table["alarm"].iloc[-1]
    assert table["reason"].iloc[-1].startswith("alarm")


def test_insufficient_history_rows_are_explained():
    n = 52 * 5 + 10
    table = detect("farrington_flexible", np.full(n, 5), weeks(n))
    early = table.iloc[0]
    assert math.isnan(early["expected"]) and not early["alarm"]
    assert "not enough history" in early["reason"]
    assert not math.isnan(table["upper"].iloc[-1])


def test_fewer_baseline_years_than_needed_is_an_error():
    n = 52 * 2
    with pytest.raises(DetectionInputError, match="needs more than 263 weeks"):
        detect("farrington_flexible", np.full(n, 5), weeks(n))


def test_daily_inferred_and_weekly_only_methods_refuse_daily():
    n = 30
    days = [START + dt.timedelta(days=i) for i in range(n)]
    table = detect("ears_c2", np.full(n, 3), days)
    assert len(table) == n
    with pytest.raises(DetectionInputError, match="weekly"):
        detect("farrington", np.full(400 * 7, 3), [START + dt.timedelta(days=i)
                                                     for i in range(400 * 7)])


@pytest.mark.parametrize("dates, message", [
    ([START, START + dt.timedelta(weeks=1), START + dt.timedelta(weeks=3)], "gap"),
    ([START, START + dt.timedelta(weeks=1), START + dt.timedelta(weeks=1)], "duplicate"),
    ([START + dt.timedelta(weeks=1), START, START + dt.timedelta(weeks=2)], "not increasing"),
])
def test_bad_dates(dates, message):
    with pytest.raises(DetectionInputError, match=message):
        detect("ears_c1", [1, 2, 3], dates)


@pytest.mark.parametrize("counts, message", [
    ([1, -2, 3], "negative"),
    ([1, float("nan"), 3], "NaN"),
    ([1, 2.5, 3], "whole number"),
])
def test_bad_counts(counts, message):
    with pytest.raises(DetectionInputError, match=message):
        detect("ears_c1", counts, weeks(3))


def test_unknown_method_and_parameter():
    with pytest.raises(DetectionInputError, match="unknown method"):
        detect("nope", [1], weeks(1))
    with pytest.raises(DetectionInputError, match="no parameter 'bogus'"):
        detect("ears_c1", [1, 2], weeks(2), bogus=1)
    assert issubclass(DetectionInputError, ValueError)


def test_run_batch_is_rowwise_equal_to_single_series():
    rng = np.random.default_rng(0)
    y = rng.poisson(8, size=(5, 52 * 6)).astype(float)
    batch = run_batch("farrington_flexible", y)
    one = run_batch("farrington_flexible", y[3:4])
    np.testing.assert_allclose(batch.upper[3], one.upper[0])


def test_detect_csv_roundtrip(tmp_path):
    n = 40
    src = tmp_path / "counts.csv"
    rows = ["date,count"] + [f"{d.isoformat()},{5 if i < n - 1 else 30}"
                             for i, d in enumerate(weeks(n))]
    src.write_text("\n".join(rows) + "\n")
    out = tmp_path / "alarms.csv"
    assert detect_csv("ears_c2", src, out, alpha=0.01, params={"min_sd": "1"}) == 1
    lines = out.read_text().splitlines()
    assert lines[0] == "date,count,expected,upper,alarm"
    assert lines[1].endswith(",,false")  # no baseline yet: empty expected/upper
    assert lines[-1].startswith(f"{weeks(n)[-1].isoformat()},30,5,")
    assert lines[-1].endswith(",true")


def test_detect_csv_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("when,n\n2024-01-01,3\n")
    with pytest.raises(DetectionInputError, match="header"):
        detect_csv("ears_c1", bad, tmp_path / "o.csv")
    bad.write_text("date,count\n2024-01-01,three\n")
    with pytest.raises(DetectionInputError, match="not a number"):
        detect_csv("ears_c1", bad, tmp_path / "o.csv")
    good = tmp_path / "g.csv"
    good.write_text("date,count\n2024-01-01,3\n2024-01-08,4\n")
    with pytest.raises(DetectionInputError, match="must be float"):
        detect_csv("ears_c1", good, tmp_path / "o.csv", params={"k": "high"})
    with pytest.raises(DetectionInputError, match="cannot read"):
        detect_csv("ears_c1", tmp_path / "missing.csv", tmp_path / "o.csv")
