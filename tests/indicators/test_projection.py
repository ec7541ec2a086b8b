from datetime import date

import pytest

from minsheng.indicators.projection import (
    TargetSpec,
    assess,
    expected_to_date,
    fit_trend,
    progress_ratio,
    seasonal_shares,
)

MONTH_ENDS = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30),
              date(2024, 5, 31), date(2024, 6, 30)]  # fmt: skip


def yearly(values, start=2018):
    return [(date(start + i, 12, 31), v) for i, v in enumerate(values)]


def test_ceiling_met_now_but_projected_to_cross_is_at_risk():
    # Registered unemployment creeping up 3.2 -> 3.4 over six months; ceiling 3.5.
    series = list(zip(MONTH_ENDS, [3.2, 3.24, 3.28, 3.32, 3.36, 3.4], strict=True))
    target = TargetSpec("ceiling", 3.5, date(2024, 10, 15))
    result = assess(series, target)
    assert result.current_value == 3.4
    assert result.projection.value == pytest.approx(3.54, abs=0.01)
    assert result.status == "at_risk"
    assert "crosses the target" in result.reason
    assert result.trend.slope_per_year == pytest.approx(0.48, abs=0.02)
    assert result.trend.weights[-1] == 1 and result.trend.weights[0] == pytest.approx(0.25)


def test_ceiling_far_from_limit_is_achieved():
    series = list(zip(MONTH_ENDS, [3.0, 2.98, 3.01, 2.99, 3.0, 2.98], strict=True))
    result = assess(series, TargetSpec("ceiling", 3.5, date(2024, 12, 31)))
    assert result.status == "achieved"
    assert result.projection.upper < 3.5


def test_floor_statuses():
    deadline = date(2027, 12, 31)
    rising = yearly([96.0, 96.6, 96.9, 97.5, 98.0])
    assert assess(rising, TargetSpec("floor", 95, deadline)).status == "achieved"
    on_track = assess(rising, TargetSpec("floor", 99, deadline))
    assert on_track.status == "on_track"
    assert on_track.projection.lower >= 99
    flat = yearly([96.0, 95.9, 96.1, 96.0, 95.9])
    assert assess(flat, TargetSpec("floor", 99, deadline)).status == "off_track"
    noisy = yearly([96.0, 97.5, 96.5, 98.0, 97.0])
    result = assess(noisy, TargetSpec("floor", 99, deadline))
    assert result.status == "at_risk"
    assert result.projection.lower < 99 < result.projection.upper


def test_point_target_with_tolerance():
    series = yearly([4.0, 4.1, 4.2, 4.3])
    inside = TargetSpec("point", 4.5, date(2023, 12, 31), tolerance=0.1)
    assert assess(series, inside).status == "on_track"
    assert assess(series, TargetSpec("point", 5.5, date(2023, 12, 31))).status == "off_track"


def test_deadline_passed_and_as_of():
    series = yearly([90.0, 92.0, 94.0, 96.0])
    passed = assess(series, TargetSpec("floor", 95, date(2020, 12, 31)))
    assert passed.status == "off_track" and "deadline passed" in passed.reason
    assert assess(series, TargetSpec("floor", 95, date(2021, 12, 31))).status == "achieved"
    early = assess(series, TargetSpec("floor", 95, date(2025, 12, 31)), as_of=date(2019, 12, 31))
    assert early.status == "insufficient_data" and early.current_value == 92


def test_insufficient_data():
    result = assess(yearly([3.0, 3.1]), TargetSpec("ceiling", 3.5, date(2025, 12, 31)))
    assert result.status == "insufficient_data"
    assert "at least 3" in result.reason
    assert assess([], TargetSpec("floor", 1, date(2025, 1, 1))).current_value is None
    with pytest.raises(ValueError):
        fit_trend(yearly([1.0, 2.0]))


def test_interval_widens_with_lower_level():
    series = yearly([96.0, 97.5, 96.5, 98.0, 97.0])
    t = TargetSpec("floor", 99, date(2027, 12, 31))
    p80, p95 = assess(series, t).projection, assess(series, t, level=0.95).projection
    assert p95.upper - p95.lower > p80.upper - p80.lower


def _flows(year, values):
    return [(date(year, m, 28), v) for m, v in enumerate(values, start=1)]


def test_annual_flow_pacing_with_seasonal_share():
    previous = _flows(2023, [1800] * 6 + [2200] * 6)  # 45% of the year done by end of June
    shares, years = seasonal_shares(previous, 2024)
    assert shares[5] == pytest.approx(0.45) and shares[11] == pytest.approx(1) and years == [2023]
    assert expected_to_date(21500, 0.45) == pytest.approx(9675)
    target = TargetSpec("annual_flow", 21500, date(2024, 12, 31))

    ahead = assess(previous + _flows(2024, [1650] * 6), target)
    assert ahead.pacing.expected_to_date == pytest.approx(9675)
    assert ahead.pacing.year_to_date == 9900 and ahead.pacing.seasonal_share == pytest.approx(0.45)
    assert ahead.pacing.projected_year_total == pytest.approx(22000)
    assert ahead.status == "on_track"

    slightly_behind = assess(previous + _flows(2024, [1500] * 6), target)
    assert slightly_behind.pacing.pace_ratio == pytest.approx(9000 / 9675)
    assert slightly_behind.status == "at_risk"
    far_behind = assess(previous + _flows(2024, [1000] * 6), target)
    assert far_behind.status == "off_track"
    done = assess(previous + _flows(2024, [4000] * 6), target)
    assert done.status == "achieved"


def test_annual_flow_uniform_without_history_and_interval_from_years():
    target = TargetSpec("annual_flow", 21500, date(2024, 12, 31))
    result = assess(_flows(2024, [1800] * 6), target)
    assert result.pacing.seasonal_share == pytest.approx(0.5)
    assert result.pacing.shares_source == "uniform"
    assert result.pacing.expected_to_date == pytest.approx(10750)
    history = _flows(2022, [1600] * 6 + [2000] * 6) + _flows(2023, [1800] * 6 + [2200] * 6)
    spread = assess(history + _flows(2024, [1750] * 6), target)
    assert spread.projection.lower < spread.projection.upper
    assert spread.pacing.shares_source == "previous years (2022, 2023)"


def test_progress_ratio_worked_examples():
    # Floor: 50 in 2015 -> 80 by 2030; 60 observed in 2020.
    r = progress_ratio((date(2015, 1, 1), 50), (date(2020, 1, 1), 60), 80, date(2030, 1, 1), 1)
    assert r.observed_cagr == pytest.approx(0.0371, abs=1e-4)
    assert r.required_cagr == pytest.approx(0.0318, abs=1e-4)
    assert r.ratio == pytest.approx(1.167, abs=2e-3) and r.label == "on_track"
    # Ceiling: unemployment 4.0% -> at most 3.5% in five years; 3.9% after two.
    r = progress_ratio((date(2020, 1, 1), 4.0), (date(2022, 1, 1), 3.9), 3.5, date(2025, 1, 1), -1)
    assert r.ratio == pytest.approx(0.477, abs=2e-3) and r.label == "limited_progress"
    r = progress_ratio((date(2020, 1, 1), 4.0), (date(2022, 1, 1), 3.85), 3.5, date(2025, 1, 1), -1)
    assert 0.6 <= r.ratio < 0.95 and r.label == "acceleration_needed"
    r = progress_ratio((date(2020, 1, 1), 4.0), (date(2022, 1, 1), 4.2), 3.5, date(2025, 1, 1), -1)
    assert r.ratio < 0 and r.label == "deterioration"
    met = progress_ratio((date(2020, 1, 1), 4.0), (date(2022, 1, 1), 3.4), 3.5, None, -1, True)
    assert met.label == "target_achieved"


def test_progress_without_target_value_uses_cagr():
    up = progress_ratio((date(2020, 1, 1), 100), (date(2022, 1, 1), 104.04), None, None, 1)
    assert up.observed_cagr == pytest.approx(0.02, abs=1e-4) and up.label == "on_track"
    down = progress_ratio((date(2020, 1, 1), 100), (date(2022, 1, 1), 98), None, None, 1)
    assert down.label == "deterioration"
    bad = progress_ratio((date(2020, 1, 1), 0), (date(2022, 1, 1), 5), 10, date(2025, 1, 1), 1)
    assert bad.label == "not_computable"
    no_value = assess(yearly([10.0, 11.0, 12.0]), TargetSpec("floor", None, date(2025, 1, 1)))
    assert no_value.status == "insufficient_data" and no_value.progress.label == "on_track"


def test_assessment_exposes_progress_alongside_trend():
    series = yearly([96.0, 96.6, 96.9, 97.5, 98.0])
    result = assess(series, TargetSpec("floor", 99, date(2027, 12, 31)))
    assert result.progress.label in {"on_track", "acceleration_needed"}
    assert result.progress.ratio is not None
    assert len(result.trend.weights) == 5
