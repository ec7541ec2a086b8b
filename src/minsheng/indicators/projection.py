"""Target status from an indicator's observed series: trend projection and progress ratio.

Two independent methods are computed so a page can show both and explain each
(see docs/status-methods.md):

1. **Weighted trend projection.** A straight line is fitted by weighted least squares, with
   exponentially decaying weights so recent observations count more. The line is extended to
   the deadline with a prediction interval (80% by default), and the status follows from where
   today's value and that interval sit relative to the target.
2. **Progress ratio** (Statistics Canada method used by Open SDG): observed compound annual
   growth since the baseline divided by the growth needed to reach the target on time.

Status rules (``assess``), with "ok" meaning "on the right side of the target":

* ``insufficient_data``: fewer than ``min_points`` observations.
* deadline passed: ``achieved`` if the last value on or before it is ok, else ``off_track``.
* met now: ``achieved`` if the whole projection interval at the deadline is ok, otherwise
  ``at_risk`` (the trend is heading out of bounds even though today is fine).
* not met now: ``on_track`` if the whole interval is ok, ``off_track`` if the whole interval
  is on the wrong side, else ``at_risk``.

Annual flows (e.g. new jobs per year) compare the year-to-date total with the expected
year-to-date total, ``seasonal share x annual target``, and project the year total as
``year-to-date / share``; the share comes from earlier years' monthly pattern or is uniform.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import stats

FLOOR, CEILING, POINT, ANNUAL_FLOW = "floor", "ceiling", "point", "annual_flow"
ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK = "achieved", "on_track", "at_risk", "off_track"
INSUFFICIENT = "insufficient_data"
STATUSES = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, INSUFFICIENT)

DAYS_PER_YEAR = 365.25
# Open SDG / Statistics Canada thresholds for the ratio R = observed / required growth.
RATIO_THRESHOLDS = (0.95, 0.6)
# Without a target value: thresholds on the direction-adjusted observed CAGR.
NO_TARGET_CAGR_THRESHOLDS = (0.015, 0.005)
# An annual flow with no seasonal spread to build an interval from is "at risk" rather than
# "off track" while its pace is within this fraction of what is expected.
PACE_TOLERANCE = 0.9


@dataclass(frozen=True)
class TargetSpec:
    kind: str  # floor (>=), ceiling (<=), point (= within tolerance), annual_flow (>= per year)
    value: float | None
    deadline: date
    baseline_value: float | None = None
    baseline_date: date | None = None
    tolerance: float = 0.0
    unit: str = ""  # printed after every number of the reason ("19,900人", "3.42%")
    # the quantity's possible range, e.g. (0, 100) for a rate: intervals never leave it
    bounds: tuple[float | None, float | None] = (None, None)

    def __post_init__(self) -> None:
        if self.kind not in (FLOOR, CEILING, POINT, ANNUAL_FLOW):
            raise ValueError(f"unknown target kind {self.kind!r}")

    def ok(self, v: float) -> bool:
        assert self.value is not None
        if self.kind == CEILING:
            return v <= self.value
        if self.kind == POINT:
            return abs(v - self.value) <= self.tolerance
        return v >= self.value

    def interval_side(self, lo: float, hi: float) -> str:
        """'ok', 'bad' or 'straddles' for a whole interval."""
        assert self.value is not None
        if self.kind == CEILING:
            good, bad = hi <= self.value, lo > self.value
        elif self.kind == POINT:
            band_lo, band_hi = self.value - self.tolerance, self.value + self.tolerance
            good, bad = band_lo <= lo and hi <= band_hi, hi < band_lo or lo > band_hi
        else:
            good, bad = lo >= self.value, hi < self.value
        return "ok" if good else "bad" if bad else "straddles"

    def clip(self, v: float) -> float:
        lo, hi = self.bounds
        if lo is not None and v < lo:
            return lo
        if hi is not None and v > hi:
            return hi
        return v

    def word(self) -> str:
        """What missing the target means, for reasons."""
        return {CEILING: "ceiling", FLOOR: "floor", ANNUAL_FLOW: "annual target"}.get(
            self.kind, "target")

    @property
    def direction(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        if self.kind == CEILING:
            return -1
        if self.kind == POINT and self.baseline_value is not None and self.value is not None:
            return 1 if self.value >= self.baseline_value else -1
        return 1


@dataclass
class TrendFit:
    slope_per_year: float
    intercept: float  # fitted value at ``origin``
    origin: date  # date of the latest observation; x is years relative to it
    x_years: list[float]
    weights: list[float]
    half_life_days: float
    residual_sd: float  # weighted residual standard deviation (per unit weight)
    dof: int
    cov: list[list[float]]  # covariance of (intercept, slope), for the prediction interval

    def value_at(self, when: date) -> float:
        return self.intercept + self.slope_per_year * _years(self.origin, when)


@dataclass
class Projection:
    when: date
    value: float
    lower: float
    upper: float
    level: float


@dataclass
class ProgressRatio:
    label: str  # target_achieved, on_track, acceleration_needed, limited_progress,
    # deterioration, not_computable
    ratio: float | None
    observed_cagr: float | None
    required_cagr: float | None
    years_elapsed: float
    years_to_deadline: float | None
    note: str = ""


@dataclass
class Pacing:
    year: int
    through_month: int
    year_to_date: float
    seasonal_share: float
    expected_to_date: float
    pace_ratio: float  # year_to_date / expected_to_date
    shares_source: str  # "previous years (2021, 2022)" or "uniform"
    projected_year_total: float
    missing_months: list[int] = field(default_factory=list)  # gaps, not zeros
    final: bool = False  # the deadline year is over: its total is the result


@dataclass
class Assessment:
    status: str
    reason: str
    current_value: float | None
    current_date: date | None
    target: TargetSpec
    trend: TrendFit | None = None
    projection: Projection | None = None
    progress: ProgressRatio | None = None
    pacing: Pacing | None = None
    notes: list[str] = field(default_factory=list)
    outliers: list[tuple[date, float]] = field(default_factory=list)  # left out of the fit
    # the reason as a key and its numbers, for callers that word it in another language
    reason_key: str = ""
    reason_args: dict = field(default_factory=dict)


def _years(a: date, b: date) -> float:
    return (b - a).days / DAYS_PER_YEAR


def plain(value: float | None, unit: str = "") -> str:
    """A number as a reason prints it: plain digits with thousands separators, at most two
    decimals, trailing zeros dropped, then the unit (never 1.99e+04)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v = float(value)
    decimals = 0 if abs(v) >= 1000 else 1 if abs(v) >= 100 else 2
    text = f"{v:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text + (unit or "")


# Outliers: points further than OUTLIER_SDS robust standard deviations (1.4826 x MAD of the
# residuals) from a Theil-Sen line are left out of the fit. At most a quarter of the points
# is left out, and only from OUTLIER_MIN_POINTS on: fewer points cannot tell a typo from a turn.
OUTLIER_SDS = 4.0
OUTLIER_MIN_POINTS = 5


def find_outliers(obs: Sequence[tuple[date, float]]) -> list[int]:
    """Indexes of observations that sit far off the robust (Theil-Sen) trend line, e.g. a
    typo 59.6 among values near 95.6."""
    if len(obs) < OUTLIER_MIN_POINTS:
        return []
    origin = obs[-1][0]
    x = np.array([_years(origin, d) for d, _ in obs])
    y = np.array([v for _, v in obs])
    if np.ptp(x) == 0:
        return []
    slope, intercept, _, _ = stats.theilslopes(y, x)
    resid = y - (intercept + slope * x)
    scale = 1.4826 * float(np.median(np.abs(resid - np.median(resid))))
    # a floor so that points lying exactly on a line do not make rounding noise an outlier
    scale = max(scale, 1e-3 * (float(np.median(np.abs(y))) + 1.0))
    far = [int(i) for i in np.argsort(-np.abs(resid)) if abs(resid[i]) > OUTLIER_SDS * scale]
    return sorted(far) if len(far) <= len(obs) // 4 else []


def _sorted(observations: Iterable[tuple[date, float]]) -> list[tuple[date, float]]:
    obs = sorted((d, float(v)) for d, v in observations if v is not None and not math.isnan(v))
    return obs


def fit_trend(
    observations: Sequence[tuple[date, float]], half_life_days: float | None = None
) -> TrendFit:
    """Weighted least-squares line; weight halves every ``half_life_days`` back in time.

    The default half-life is half the observed span, so the oldest point weighs 1/4.
    """
    obs = _sorted(observations)
    if len(obs) < 3:
        raise ValueError("a trend needs at least 3 observations")
    origin = obs[-1][0]
    x = np.array([_years(origin, d) for d, _ in obs])  # <= 0, latest is 0
    y = np.array([v for _, v in obs])
    span_days = (obs[-1][0] - obs[0][0]).days
    if span_days <= 0:
        raise ValueError("observations must span more than one date")
    hl = float(half_life_days) if half_life_days else span_days / 2
    w = 0.5 ** (-x * DAYS_PER_YEAR / hl)
    X = np.column_stack([np.ones_like(x), x])
    xtw = X.T * w
    xtwx_inv = np.linalg.inv(xtw @ X)
    beta = xtwx_inv @ (xtw @ y)
    resid = y - X @ beta
    dof = len(obs) - 2
    s2 = float(np.sum(w * resid**2) / dof)
    return TrendFit(
        slope_per_year=float(beta[1]),
        intercept=float(beta[0]),
        origin=origin,
        x_years=[float(v) for v in x],
        weights=[float(v) for v in w],
        half_life_days=hl,
        residual_sd=math.sqrt(s2),
        dof=dof,
        cov=(xtwx_inv * s2).tolist(),
    )


def project(trend: TrendFit, when: date, level: float = 0.8) -> Projection:
    """Prediction interval for a new observation at ``when`` with the newest point's weight."""
    x0 = np.array([1.0, _years(trend.origin, when)])
    value = float(x0 @ np.array([trend.intercept, trend.slope_per_year]))
    var = trend.residual_sd**2 + float(x0 @ np.array(trend.cov) @ x0)
    half = float(stats.t.ppf(0.5 + level / 2, trend.dof)) * math.sqrt(max(var, 0.0))
    return Projection(when, value, value - half, value + half, level)


def progress_ratio(
    baseline: tuple[date, float],
    current: tuple[date, float],
    target_value: float | None,
    deadline: date | None,
    direction: int,
    met_now: bool | None = None,
    thresholds: tuple[float, float] = RATIO_THRESHOLDS,
) -> ProgressRatio:
    """Statistics Canada / Open SDG progress measure."""
    (d0, y0), (d1, y1) = baseline, current
    elapsed = _years(d0, d1)
    to_deadline = _years(d0, deadline) if deadline else None
    if met_now:
        return ProgressRatio("target_achieved", None, None, None, elapsed, to_deadline)
    if elapsed <= 0:
        return ProgressRatio(
            "not_computable", None, None, None, elapsed, to_deadline, "no time since baseline"
        )
    if y0 <= 0 or y1 <= 0 or (target_value is not None and target_value <= 0):
        return ProgressRatio(
            "not_computable", None, None, None, elapsed, to_deadline,
            "growth rates need positive values",
        )  # fmt: skip
    cagr = (y1 / y0) ** (1 / elapsed) - 1
    if target_value is None or to_deadline is None:
        hi, mid = NO_TARGET_CAGR_THRESHOLDS
        g = direction * cagr
        label = (
            "on_track" if g >= hi else "acceleration_needed" if g >= mid
            else "limited_progress" if g >= 0 else "deterioration"
        )  # fmt: skip
        return ProgressRatio(label, None, cagr, None, elapsed, to_deadline, "no target value")
    if to_deadline <= 0:
        return ProgressRatio(
            "not_computable", None, cagr, None, elapsed, to_deadline, "deadline not after baseline"
        )
    required = (target_value / y0) ** (1 / to_deadline) - 1
    if required == 0 or (required > 0) != (direction > 0):
        # The baseline already sits beyond the target, yet it is not met now: any growth in
        # the desired direction is progress, growth the other way is deterioration.
        label = "deterioration" if direction * cagr < 0 else "limited_progress"
        return ProgressRatio(
            label, None, cagr, required, elapsed, to_deadline, "baseline at target"
        )
    ratio = cagr / required
    high, mid = thresholds
    label = (
        "on_track" if ratio >= high else "acceleration_needed" if ratio >= mid
        else "limited_progress" if ratio >= 0 else "deterioration"
    )  # fmt: skip
    return ProgressRatio(label, ratio, cagr, required, elapsed, to_deadline)


def seasonal_shares(
    observations: Sequence[tuple[date, float]], before_year: int
) -> tuple[list[float], list[int]]:
    """Cumulative share of the year total reached by the end of each month (12 values).

    Averaged over complete earlier years (all 12 months present); uniform if there are none.
    """
    by_year: dict[int, dict[int, float]] = {}
    for d, v in _sorted(observations):
        if d.year < before_year:
            by_year.setdefault(d.year, {})
            by_year[d.year][d.month] = by_year[d.year].get(d.month, 0.0) + v
    years = sorted(y for y, months in by_year.items() if len(months) == 12)
    rows = []
    for y in years:
        monthly = np.array([by_year[y][m] for m in range(1, 13)])
        total = monthly.sum()
        if total > 0:
            rows.append(np.cumsum(monthly) / total)
    if not rows:
        return [m / 12 for m in range(1, 13)], []
    return [float(v) for v in np.mean(rows, axis=0)], years


def expected_to_date(annual_target: float, share: float) -> float:
    return annual_target * share


def _month_names(months: list[int]) -> str:
    return ", ".join(date(2000, m, 1).strftime("%B") for m in months)


def _assess_annual_flow(
    all_obs: list[tuple[date, float]], target: TargetSpec, level: float,
    as_of: date | None = None,
) -> Assessment:
    assert target.value is not None
    obs = all_obs
    u = target.unit
    # The target is for each year up to its deadline: values after the deadline year do not
    # count, and once the deadline year is over its total is the result.
    deadline_year = target.deadline.year
    obs = [(d, v) for d, v in obs if d.year <= deadline_year]
    over = (as_of is not None and as_of > target.deadline) or obs[-1][0] < all_obs[-1][0]
    last_date = obs[-1][0]
    year = last_date.year
    if over and year < deadline_year:
        return Assessment(
            INSUFFICIENT, f"the deadline year {deadline_year} is over and has no data",
            None, None, target, reason_key="annual_no_deadline_year",
            reason_args={"year": deadline_year})
    final = over or (year == deadline_year and last_date.month == 12)
    this_year = [(d, v) for d, v in obs if d.year == year]
    ytd = sum(v for _, v in this_year)
    month = 12 if final else last_date.month
    present = {d.month for d, _ in this_year}
    missing = [m for m in range(1, month + 1) if m not in present]
    shares, years = seasonal_shares(obs, year)
    monthly = np.diff([0.0, *shares])
    # A missing month is a gap in the data, not a month with nothing done: pace is measured
    # against the share of the months that were reported.
    share = float(sum(monthly[m - 1] for m in range(1, month + 1) if m in present))
    expected = expected_to_date(target.value, share)
    projected = ytd / share if share > 0 else math.nan
    source = f"previous years ({', '.join(map(str, years))})" if years else "uniform"
    pace_ratio = ytd / expected if expected else math.nan
    pacing = Pacing(year, month, ytd, share, expected, pace_ratio, source, projected,
                    missing, final)
    notes = [f"seasonal share of the reported months through month {month}: {share:.3f} "
             f"({source})"]
    if not years:
        notes.append("no complete earlier year: an even spread over the twelve months is "
                      "assumed")
    if missing:
        notes.append(f"no data for {_month_names(missing)} {year}: a gap, not counted as zero")
    result = Assessment(ACHIEVED, "", ytd, last_date, target, pacing=pacing, notes=notes)
    gap_words = (f"; no data for {_month_names(missing)} (a gap, not counted as zero)"
                 if missing else "")
    uniform_words = "; even spread over the year assumed (no complete earlier year)" \
        if not years else ""
    result.reason_args = {"ytd": ytd, "target": target.value, "year": year,
                          "missing": missing, "uniform": not years, "unit": u}
    if ytd >= target.value:
        result.reason = (f"{year} total so far {plain(ytd, u)} already reaches the annual "
                         f"target {plain(target.value, u)}")
        result.reason_key = "annual_reached"
        return result
    if final and missing:
        # a closed year with months nobody reported: its total is not known
        result.status = INSUFFICIENT
        result.reason_key = "annual_final_gaps"
        result.reason = (f"deadline year {year} is over: {plain(ytd, u)} reported against the "
                         f"annual target {plain(target.value, u)}{gap_words}")
        return result
    if final:
        result.status = OFF_TRACK
        result.reason_key = "annual_final_missed"
        result.reason = (f"deadline year {year} is over: its total {plain(ytd, u)} missed the "
                         f"annual target {plain(target.value, u)}")
        return result
    # Interval: the year total implied by each earlier year's own share of these months.
    per_year = []
    for y in years:
        one, _ = seasonal_shares([(d, v) for d, v in obs if d.year == y], year)
        inc = np.diff([0.0, *one])
        part = float(sum(inc[m - 1] for m in present if m <= month))
        if part > 0:
            per_year.append(ytd / part)
    if len(per_year) >= 2:
        tail = (1 - level) / 2
        lo, hi = (float(q) for q in np.quantile(per_year, [tail, 1 - tail]))
        lo, hi = min(lo, projected), max(hi, projected)
    else:
        lo = hi = projected
    lo, hi = target.clip(lo), target.clip(hi)
    result.projection = Projection(date(year, 12, 31), projected, lo, hi, level)
    side = target.interval_side(lo, hi)
    pace = pacing.pace_ratio
    if side == "ok":
        result.status = ON_TRACK
    elif side == "bad" and not (lo == hi and pace >= PACE_TOLERANCE):
        result.status = OFF_TRACK
    else:
        result.status = AT_RISK
    result.reason_key = "annual_pace"
    result.reason_args.update({"expected": expected, "pace": pace, "projected": projected,
                               "lo": lo, "hi": hi})
    result.reason = (
        f"{year} to date {plain(ytd, u)} vs expected {plain(expected, u)} ({pace:.0%} of "
        f"pace); projected year total {plain(projected, u)} (range {plain(lo, u)} to "
        f"{plain(hi, u)}) against {plain(target.value, u)}{gap_words}{uniform_words}"
    )
    return result


def assess(
    observations: Iterable[tuple[date, float]],
    target: TargetSpec,
    *,
    as_of: date | None = None,
    level: float = 0.8,
    half_life_days: float | None = None,
    min_points: int = 3,
) -> Assessment:
    """Status of one target from its observations (see the module docstring for the rules)."""
    obs = _sorted(observations)
    if as_of is not None:
        obs = [(d, v) for d, v in obs if d <= as_of]
    current = obs[-1] if obs else None
    base = Assessment(INSUFFICIENT, "", current[1] if current else None,
                      current[0] if current else None, target)  # fmt: skip
    if target.value is None:
        base.reason = "the target has no value; only the progress direction can be shown"
        base.reason_key = "no_value"
        if len(obs) >= 2:
            first = (target.baseline_date, target.baseline_value)
            b = first if first[0] and first[1] is not None else obs[0]
            base.progress = progress_ratio(b, obs[-1], None, None, target.direction)  # type: ignore[arg-type]
        return base
    u = target.unit
    if len(obs) < min_points:
        base.reason = f"{len(obs)} observation(s); at least {min_points} are needed"
        base.reason_key, base.reason_args = "too_few", {"n": len(obs), "needed": min_points}
        if current is not None and target.kind != ANNUAL_FLOW and not target.ok(current[1]):
            # too few points for a trend, but what there is already misses the target
            base.reason += (f"; the latest value {plain(current[1], u)} already breaks the "
                            f"{target.word()} {plain(target.value, u)}")
            base.reason_key = "too_few_breaks"
            base.reason_args.update({"value": current[1], "target": target.value, "unit": u,
                                     "kind": target.kind})
        return base
    if target.kind == ANNUAL_FLOW:
        return _assess_annual_flow(obs, target, level, as_of)

    assert current is not None
    outliers = find_outliers(obs)
    if outliers and outliers[-1] == len(obs) - 1:
        # The newest value may be a typo or a real turn (a shock): it is never left out,
        # because hiding a real deterioration is worse than a warning someone checks.
        outliers.pop()
        base.notes.append(f"the latest value {plain(current[1], u)} is far off the robust "
                          "trend line: check it before acting")
        base.reason_args["latest_off_trend"] = True
    if outliers:
        base.outliers = [obs[i] for i in outliers]
        base.notes.append("left out of the fit as outliers (far off the robust trend line): "
                          + ", ".join(f"{plain(v, u)} on {d}" for d, v in base.outliers))
        obs = [o for i, o in enumerate(obs) if i not in set(outliers)]
    met_now = target.ok(current[1])
    baseline = (
        (target.baseline_date, target.baseline_value)
        if target.baseline_date and target.baseline_value is not None
        else obs[0]
    )
    base.progress = progress_ratio(
        baseline,
        current,
        target.value,
        target.deadline,
        target.direction,
        met_now,  # type: ignore[arg-type]
    )
    if current[0] >= target.deadline:
        at_deadline = [o for o in obs if o[0] <= target.deadline][-1]
        ok = target.ok(at_deadline[1])
        base.status = ACHIEVED if ok else OFF_TRACK
        base.reason = (f"deadline passed; value {plain(at_deadline[1], u)} on {at_deadline[0]} "
                       + ("met the target" if ok else "missed the target"))
        base.reason_key = "deadline_met" if ok else "deadline_missed"
        base.reason_args = {"value": at_deadline[1], "date": at_deadline[0], "unit": u}
        return base
    try:
        base.trend = fit_trend(obs, half_life_days)
    except ValueError as exc:
        base.reason = str(exc)
        return base
    p = base.projection = project(base.trend, target.deadline, level)
    # a rate cannot fall below 0 or rise above 100: neither can its interval
    p.value, p.lower, p.upper = target.clip(p.value), target.clip(p.lower), target.clip(p.upper)
    side = target.interval_side(p.lower, p.upper)
    proj = (
        f"projected {plain(p.value, u)} at the deadline "
        f"({level:.0%} interval {plain(p.lower, u)} to {plain(p.upper, u)})"
    )
    latest_off = base.reason_args.get("latest_off_trend", False)
    base.reason_args = {"current": current[1], "projected": p.value, "level": level,
                        "lo": p.lower, "hi": p.upper, "unit": u,
                        "outliers": len(base.outliers), "latest_off_trend": latest_off}
    left_out = (f"; {len(base.outliers)} outlier(s) left out of the fit"
                if base.outliers else "")
    if latest_off:
        left_out += "; the latest value is far off the trend: check it"
    if met_now:
        base.reason_key = "met_now" if side == "ok" else "met_now_crossing"
        base.status = ACHIEVED if side == "ok" else AT_RISK
        base.reason = f"met now ({plain(current[1], u)}); {proj}" + (
            "" if side == "ok" else " crosses the target"
        ) + left_out
    else:
        base.status = {"ok": ON_TRACK, "bad": OFF_TRACK}.get(side, AT_RISK)
        base.reason_key = "not_met_now"
        base.reason = f"not met now ({plain(current[1], u)}); {proj}{left_out}"
    return base
