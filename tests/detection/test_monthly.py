"""Monthly series: period handling, every method that claims monthly, history messages."""

import calendar
import datetime as dt
import math

import numpy as np
import pytest

from minsheng.detection import METHODS, DetectionInputError, detect, run_batch
from minsheng.detection import farrington as fr
from minsheng.detection import seasonal_glm as sg
from minsheng.detection.csvio import detect_csv

MONTHLY_METHODS = sorted(m for m, spec in METHODS.items() if "M" in spec["frequencies"])


def month_starts(n, year=2016, month=1):
    return [dt.date(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 1) for i in range(n)]


def month_ends(n, year=2016, month=1):
    out = []
    for d in month_starts(n, year, month):
        out.append(d.replace(day=calendar.monthrange(d.year, d.month)[1]))
    return out


def seasonal_claims(rng, n=96, level=40.0):
    """Claims with a Spring-Festival peak (Feb-Mar) and a graduation bump (Jul)."""
    t = np.arange(n)
    moy = t % 12  # 0 = January
    season = np.select([np.isin(moy, [1, 2]), moy == 6], [1.0, 0.5], 0.0)
    mu = level * np.exp(0.003 * t + season)
    return rng.poisson(mu).astype(float), mu


def test_methods_say_what_they_do_with_months():
    assert "threshold" in MONTHLY_METHODS and "ears_c2" in MONTHLY_METHODS
    for name in ("farrington", "farrington_flexible", "farrington_scan", "seasonal_glm",
                 "cusum_poisson", "cusum_negbin", "moving_percentile", "ears_c1", "ears_c3"):
        assert "M" in METHODS[name]["frequencies"], name
        assert METHODS[name]["frequencies"]["M"], name  # a sentence, not just a flag
    for name in ("farrington", "farrington_flexible", "farrington_scan", "seasonal_glm"):
        assert "D" not in METHODS[name]["frequencies"]
    monthly = METHODS["farrington_flexible"]["parameters_by_frequency"]["M"]
    assert (monthly["w"], monthly["exclude_recent"], monthly["b"]) == (1, 6, 5)
    assert METHODS["moving_percentile"]["parameters_by_frequency"]["M"]["half_window"] == 1
    assert METHODS["ears_c2"]["parameters_by_frequency"]["M"] == METHODS["ears_c2"]["parameters"]


@pytest.mark.parametrize("method", MONTHLY_METHODS)
def test_every_monthly_method_accepts_months_flat_no_alarm_spike_alarm(method):
    n = 12 * 8
    y = np.full(n, 12)
    table = detect(method, y, month_starts(n))
    assert len(table) == n and not math.isnan(table["upper"].iloc[-1])
    if method != "threshold":
        assert not table["alarm"].any()
    y[-1] = 60
    table = detect(method, y, month_starts(n))
    assert table["alarm"].iloc[-1]
    assert table["reason"].iloc[-1].startswith("alarm")


@pytest.mark.parametrize("method", ["farrington", "farrington_flexible", "farrington_scan",
                                    "seasonal_glm"])
def test_seasonal_peak_is_normal_but_the_same_count_off_season_alarms(method):
    rng = np.random.default_rng(7)
    y, mu = seasonal_claims(rng)
    months = month_starts(y.size)
    peak = y.size - 11  # February of the last year: a normal Spring-Festival month
    y[peak] = round(mu[peak])
    assert not detect(method, y, months)["alarm"].iloc[peak]
    off = y.size - 3  # October: the same count is an outbreak there
    y[off] = round(mu[peak])
    table = detect(method, y, months)
    assert table["alarm"].iloc[off]
    assert table["expected"].iloc[off] < 0.6 * mu[peak]


def test_ears_c2_ignores_seasonality_on_monthly_claims():
    # Documented limitation: a 7-month baseline does not know February is always high.
    rng = np.random.default_rng(7)
    y, mu = seasonal_claims(rng)
    table = detect("ears_c2", y, month_starts(y.size))
    feb_mar = np.isin(np.arange(y.size) % 12, [1, 2])
    assert table["alarm"][feb_mar].sum() > table["alarm"][~feb_mar].sum()


def test_planted_step_in_monthly_claims_is_detected():
    rng = np.random.default_rng(3)
    y, mu = seasonal_claims(rng, n=84)
    y[-4:] += np.round(0.6 * mu[-4:])  # layoffs: claims 60% above normal for 4 months
    for method in ("farrington_flexible", "seasonal_glm", "cusum_poisson"):
        assert detect(method, y, month_starts(y.size))["alarm"].iloc[-4:].any(), method


def test_short_monthly_history_says_what_is_needed():
    y = np.full(15, 20)
    with pytest.raises(DetectionInputError) as err:
        detect("farrington_flexible", y, month_starts(15))
    text = str(err.value)
    assert "61 earlier months (5 years and 1 month)" in text
    assert "the series has 15 months (1 year and 3 months)" in text
    assert "ears_c2 (9)" in text  # what can run instead, never run silently
    with pytest.raises(DetectionInputError, match=r"36 earlier months \(3 years\) before the "
                                                  "first month it can evaluate; the series has "
                                                  "15 months"):
        detect("seasonal_glm", y, month_starts(15))
    with pytest.raises(DetectionInputError, match="9 earlier months before the first month"):
        detect("ears_c2", y[:6], month_starts(6))


def test_early_months_are_explained_not_filled():
    table = detect("seasonal_glm", np.full(40, 20), month_starts(40))
    assert table["reason"].iloc[3] == "not enough history: needs 36 earlier months, has 3"
    assert math.isnan(table["upper"].iloc[35]) and not math.isnan(table["upper"].iloc[36])


def test_month_end_dates_are_monthly_and_give_the_same_result():
    rng = np.random.default_rng(1)
    y, _ = seasonal_claims(rng, n=80)
    ends = detect("farrington_flexible", y, month_ends(80))
    starts = detect("farrington_flexible", y, month_starts(80))
    assert ends["date"].iloc[1] == dt.date(2016, 2, 29)
    np.testing.assert_array_equal(ends["upper"].to_numpy(), starts["upper"].to_numpy())
    iso = [d.isoformat() for d in month_ends(80)]
    assert detect("ears_c2", y, iso)["alarm"].tolist() == detect("ears_c2", y, month_starts(80),
                                                                 freq="M")["alarm"].tolist()


@pytest.mark.parametrize("freq", ["M", "monthly", "MS", "me", "month"])
def test_freq_aliases(freq):
    table = detect("ears_c2", np.full(12, 3), month_starts(12), freq=freq)
    assert len(table) == 12


def test_gap_month_is_refused_and_named():
    months = month_starts(14)
    del months[5]  # 2016-06 missing
    with pytest.raises(DetectionInputError, match="no row for 2016-06 between 2016-05-01 and "
                                                  "2016-07-01"):
        detect("ears_c2", np.full(13, 5), months)
    months = month_starts(14)
    del months[5:8]
    with pytest.raises(DetectionInputError, match="2016-06 to 2016-08 .3 months."):
        detect("ears_c2", np.full(11, 5), months)


@pytest.mark.parametrize("dates, message", [
    ([dt.date(2020, 1, 1), dt.date(2020, 1, 20), dt.date(2020, 2, 1)], "duplicate month 2020-01"),
    ([dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 2, 1)], "duplicate date"),
    ([dt.date(2020, 2, 1), dt.date(2020, 1, 1), dt.date(2020, 3, 1)], "not increasing"),
    ([dt.date(2020, 1, 6) + dt.timedelta(weeks=i) for i in range(3)], "duplicate month"),
])
def test_bad_monthly_dates(dates, message):
    with pytest.raises(DetectionInputError, match=message):
        detect("ears_c1", [1, 2, 3], dates, freq="M")


def test_mid_month_dates_need_an_explicit_freq():
    dates = [dt.date(2020, m, 15) for m in range(1, 13)]
    with pytest.raises(DetectionInputError, match="2020-01-15 is neither.*freq='M'"):
        detect("ears_c2", np.full(12, 3), dates)
    assert len(detect("ears_c2", np.full(12, 3), dates, freq="M")) == 12
    mixed = [dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 3, 31)]
    with pytest.raises(DetectionInputError, match="2020-01-01 is a first, 2020-03-31 a last"):
        detect("ears_c1", [1, 2, 3], mixed)


def test_daily_refused_by_yearly_regression_methods():
    days = [dt.date(2016, 1, 1) + dt.timedelta(days=i) for i in range(364 * 4)]
    with pytest.raises(DetectionInputError, match="weekly or monthly counts only"):
        detect("seasonal_glm", np.full(len(days), 3), days)


def test_run_batch_monthly_matches_detect_and_uses_monthly_defaults():
    rng = np.random.default_rng(2)
    y = np.vstack([seasonal_claims(rng, n=90)[0] for _ in range(3)])
    batch = run_batch("farrington_flexible", y, "M")
    one = detect("farrington_flexible", y[1], month_starts(90))
    np.testing.assert_allclose(batch.upper[1], one["upper"].to_numpy())
    direct = fr.farrington_flexible(y, w=1, exclude_recent=6, period_per_year=12)
    np.testing.assert_allclose(batch.upper, direct.upper)
    # an explicit parameter still wins over the monthly default
    wide = run_batch("farrington_flexible", y, "M", {"w": 2})
    np.testing.assert_allclose(wide.upper, fr.farrington_flexible(
        y, w=2, exclude_recent=6, period_per_year=12).upper)


def test_farrington_monthly_reference_months():
    orig = fr.design("original", 5, 1, 12)
    assert sorted(orig.offsets) == sorted(12 * j + k for j in range(1, 6) for k in (-1, 0, 1))
    flex = fr.design("improved", 5, 1, 12, 10, 6)
    assert flex.offsets.min() == 6 and flex.offsets.max() == 61
    window = flex.offsets[flex.levels == 0] % 12
    assert set(window) == {0, 1, 11}
    assert flex.n_levels == 10  # the window plus one level per other calendar month


def test_few_cases_rule_speaks_in_months():
    y = np.zeros(80)
    y[-1] = 3
    table = detect("farrington_flexible", y, month_starts(80))
    assert "fewer than 5 cases in the last 4 months" in table["reason"].iloc[-1]


def test_seasonal_glm_fit_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(9)
    y, _ = seasonal_claims(rng, n=37)
    des = sg.design(3, 12, 2, 3)
    ref = y[36 - des.offsets]
    keep = np.ones(des.x.shape[1], dtype=bool)
    keep[1] = False
    glm = sm.GLM(ref, des.x[:, keep], family=sm.families.Poisson()).fit()
    r = sg.seasonal_glm(y, years=3, harmonics=2, exclude_recent=3, trend=False,
                        reweight_threshold=1e9, ridge=0.0)
    assert r.expected[0, 36] == pytest.approx(glm.predict(des.x0[keep][None])[0], rel=1e-6)
    # the default ridge penalty barely moves a fit with ~40 claims a month
    shrunk = sg.seasonal_glm(y, years=3, harmonics=2, exclude_recent=3, trend=False,
                             reweight_threshold=1e9)
    assert shrunk.expected[0, 36] == pytest.approx(r.expected[0, 36], rel=0.01)


def test_seasonal_glm_sparse_counts_keep_a_baseline():
    # 4 cases in 80 months: unpenalised, the harmonics put all the mass on the months that had
    # cases and predict ~0 elsewhere; the ridge keeps a flat-ish, positive baseline.
    y = np.zeros(80)
    y[[5, 30, 50, 79]] = [1, 2, 1, 3]
    r = sg.seasonal_glm(y)
    assert (r.expected[0, 36:] > 0.005).all()
    assert sg.seasonal_glm(y, ridge=0.0).expected[0, 79] < 1e-6


def test_monthly_csv(tmp_path):
    rng = np.random.default_rng(4)
    y, _ = seasonal_claims(rng, n=48)
    src = tmp_path / "claims.csv"
    src.write_text("date,count\n" + "".join(f"{d.isoformat()},{int(c)}\n"
                                            for d, c in zip(month_ends(48), y, strict=True)))
    out = tmp_path / "alarms.csv"
    detect_csv("seasonal_glm", src, out)
    lines = out.read_text().splitlines()
    assert len(lines) == 49 and lines[-1].startswith("2019-12-31,")
    assert lines[36].split(",")[2] == ""  # 36 earlier months needed: row 36 is month 35


def test_employment_claims_rule_is_ears_c2_on_months():
    # The unemployment early warning's written-out rule (count > mean + 3 max(sd, 1) of the 7
    # months ending 2 months before) is exactly EARS C2 with these monthly parameters.
    rng = np.random.default_rng(5)
    y = rng.poisson(30, 40).astype(float)
    y[[20, 33]] += 40
    table = detect("ears_c2", y, month_starts(40), freq="M", baseline=7, guard=2, k=3.0,
                   min_sd=1.0)
    windows = np.lib.stride_tricks.sliding_window_view(y, 7)[: 40 - 9]
    rule = np.zeros(40, dtype=bool)
    rule[9:] = y[9:] > windows.mean(axis=1) + 3 * np.maximum(windows.std(axis=1, ddof=1), 1.0)
    assert table["alarm"].tolist() == rule.tolist()
    assert rule.any()


@pytest.mark.parametrize("method", MONTHLY_METHODS)
def test_run_batch_from_a_start_month_equals_the_full_run_there(method):
    rng = np.random.default_rng(6)
    y = np.vstack([seasonal_claims(rng, n=80)[0] for _ in range(2)])
    full = run_batch(method, y, "M")
    late = run_batch(method, y, "M", start=70)
    np.testing.assert_array_equal(late.alarm[:, 70:], full.alarm[:, 70:])
    np.testing.assert_allclose(late.upper[:, 70:], full.upper[:, 70:])
    np.testing.assert_allclose(late.score[:, 70:], full.score[:, 70:])
    assert not late.alarm[:, :70].any() and (late.status[:, :70] == 1).all()
