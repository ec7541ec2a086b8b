"""Target status on awkward series (issue 12): gaps, outliers, bounded rates, deadline years,
the insufficient-data reason, stated seasonality, plain numbers. Each test fails on the
status code before the fix."""

from datetime import date

import pytest

from minsheng.indicators.projection import TargetSpec, assess, find_outliers, plain


def months(year, values, skip=()):
    return [(date(year, m, 28), v) for m, v in enumerate(values, start=1) if m not in skip]


def test_a_missing_month_is_a_gap_not_a_shortfall():
    # 2,000 new jobs a month against 24,000 a year: on pace, but March was not reported.
    series = months(2024, [2000] * 6, skip=(3,))
    result = assess(series, TargetSpec("annual_flow", 24000, date(2024, 12, 31), unit="人"))
    assert result.status == "on_track"  # was off_track: March counted as zero
    assert result.pacing.missing_months == [3]
    assert result.pacing.expected_to_date == pytest.approx(10000)
    assert "no data for March" in result.reason and "gap" in result.reason


def test_uniform_seasonality_is_said():
    result = assess(months(2024, [2000] * 6), TargetSpec("annual_flow", 24000,
                                                         date(2024, 12, 31)))
    assert "even spread over the year assumed" in result.reason
    assert result.reason_args["uniform"] is True
    history = months(2023, [1500] * 12) + months(2024, [2000] * 6)
    with_history = assess(history, TargetSpec("annual_flow", 24000, date(2024, 12, 31)))
    assert "even spread" not in with_history.reason


def test_annual_flow_respects_its_deadline_year():
    # Target: 24,000 a year up to 2024. 2024 fell short; 2025 data must not hide it.
    series = months(2024, [1500] * 12) + months(2025, [3000] * 3)
    result = assess(series, TargetSpec("annual_flow", 24000, date(2024, 12, 31), unit="人"))
    assert result.status == "off_track"
    assert result.pacing.year == 2024 and result.pacing.final
    assert "deadline year 2024 is over" in result.reason and "18,000人" in result.reason
    met = months(2024, [2100] * 12) + months(2025, [100] * 3)
    assert assess(met, TargetSpec("annual_flow", 24000, date(2024, 12, 31))).status \
        == "achieved"


def test_a_typo_does_not_turn_an_achieved_target_at_risk():
    values = [95.6, 95.7, 95.6, 95.8, 59.6, 95.7, 95.8, 95.7, 95.9, 95.8, 95.9, 96.0]
    series = months(2024, values)
    result = assess(series, TargetSpec("floor", 95, date(2025, 12, 31), unit="%",
                                       bounds=(0, 100)))
    assert result.status == "achieved"  # was at_risk
    assert result.outliers == [(date(2024, 5, 28), 59.6)]
    assert "outlier" in result.reason and result.projection.lower > 95


def test_outliers_need_enough_points_and_a_clear_departure():
    assert find_outliers(months(2024, [95.6, 59.6, 95.7])) == []
    noisy = months(2024, [96.0, 97.5, 96.5, 98.0, 97.0, 96.2, 97.8])
    assert find_outliers(noisy) == []
    exact = months(2024, [3.2, 3.24, 3.28, 3.32, 3.36, 3.4])
    assert find_outliers(exact) == []


def test_rate_intervals_stay_within_their_range():
    # A falling, scattered rate near zero: the interval must not go below 0 %.
    series = months(2024, [3.0, 1.0, 2.6, 0.4, 2.0, 0.2, 1.2, 0.1])
    bounded = assess(series, TargetSpec("ceiling", 1, date(2026, 12, 31), unit="%",
                                        bounds=(0, 100)))
    assert bounded.projection.lower >= 0
    unbounded = assess(series, TargetSpec("ceiling", 1, date(2026, 12, 31)))
    assert unbounded.projection.lower < 0  # what the page showed before
    assert "-" not in bounded.reason.split("interval")[1]


def test_insufficient_data_says_the_single_value_already_breaks_the_ceiling():
    result = assess([(date(2024, 1, 31), 3.8)], TargetSpec("ceiling", 3.5, date(2025, 12, 31),
                                                           unit="%"))
    assert result.status == "insufficient_data"
    assert "already breaks the ceiling 3.5%" in result.reason and "3.8%" in result.reason
    fine = assess([(date(2024, 1, 31), 3.2)], TargetSpec("ceiling", 3.5, date(2025, 12, 31)))
    assert "breaks" not in fine.reason


@pytest.mark.parametrize(("value", "unit", "text"), [
    (19900.0, "人", "19,900人"), (3.4166, "%", "3.42%"), (95.0, "%", "95%"),
    (0.0, "", "0"), (-0.001, "", "0"), (123.45, "", "123.5"), (2150000.0, "元", "2,150,000元"),
])
def test_plain_numbers(value, unit, text):
    assert plain(value, unit) == text


def test_reasons_print_plain_numbers_with_units():
    series = months(2024, [19000, 19400, 19900])
    result = assess(series, TargetSpec("floor", 21500, date(2024, 12, 31), unit="人"))
    assert "e+" not in result.reason and "19,900人" in result.reason


def test_page_reasons_in_both_languages_carry_units_and_plain_numbers():
    from django.utils import translation

    from minsheng.plans.explain import _wording

    gap = assess(months(2024, [19900] * 6, skip=(3,)),
                 TargetSpec("annual_flow", 240000, date(2024, 12, 31), unit="人"))
    few = assess([(date(2024, 1, 31), 3.8)], TargetSpec("ceiling", 3.5, date(2025, 12, 31),
                                                        unit="%"))
    with translation.override("en"):
        words = _wording(gap)
        assert "99,500人" in words and "e+" not in words
        assert "no data for March" in words and "even spread" in words
        assert "already breaks the ceiling 3.5%" in _wording(few)
    with translation.override("zh-hans"):
        words = _wording(gap)
        assert "99,500人" in words and "无数据" in words and "均匀分布" in words
        assert "已突破上限 3.5%" in _wording(few)


def test_share_indicators_are_bounded_and_growth_rates_are_not():
    from types import SimpleNamespace

    from minsheng.plans.status import bounds

    assert bounds(SimpleNamespace(name="城镇登记失业率", code="x", unit="%")) == (0, 100)
    assert bounds(SimpleNamespace(name="新增就业", code="x", unit="人")) == (0, None)
    assert bounds(SimpleNamespace(name="居民收入增长率", code="x", unit="%")) == (None, None)
    assert bounds(None) == (None, None)


def test_a_jump_in_the_newest_value_is_never_hidden():
    # Unemployment steady near 3.2%, then 5.0% this month: a shock or a typo. Not left out.
    series = months(2024, [3.2, 3.21, 3.19, 3.2, 3.22, 3.2, 3.21, 5.0])
    result = assess(series, TargetSpec("ceiling", 3.5, date(2025, 12, 31), unit="%",
                                       bounds=(0, 100)))
    assert result.outliers == [] and result.current_value == 5.0
    assert result.status != "achieved"
    assert "far off the trend: check it" in result.reason


def test_december_reported_closes_the_deadline_year():
    series = months(2024, [1500] * 12)
    result = assess(series, TargetSpec("annual_flow", 24000, date(2024, 12, 31)))
    assert result.status == "off_track" and result.pacing.final


def test_deadline_year_without_data_is_said():
    series = months(2023, [2100] * 12) + months(2025, [2100] * 2)
    result = assess(series, TargetSpec("annual_flow", 24000, date(2024, 12, 31)))
    assert result.status == "insufficient_data"
    assert result.reason == "the deadline year 2024 is over and has no data"
    early = assess(months(2024, [2100] * 6), TargetSpec("annual_flow", 24000,
                                                        date(2024, 12, 31)),
                   as_of=date(2025, 2, 1))
    # the year is over with July-December unreported: its total is not known
    assert early.pacing.final and early.status == "insufficient_data"
    assert "no data for July, August, September, October, November, December" in early.reason
