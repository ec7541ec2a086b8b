"""The detector catalogue: names, descriptions, parameters with defaults, and batch runners.

Every runner takes a 2-D array (series x time) plus the period ('D', 'W' or 'M') and returns a
DetectionResult with arrays of the same shape, so many series are evaluated in one call.
Parameters counted in periods (baselines, windows, guard bands) keep their meaning at every
period; a few defaults differ for monthly data (``_Spec.by_freq``) because a year has only 12
months: the same-season windows are +/-1 month instead of +/-2 or +/-3 weeks, and the recent
periods left out of a seasonal baseline are 6 months instead of 26 weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import cusum, ears, farrington, percentile, scan, seasonal_glm, threshold
from .errors import DetectionInputError
from .result import DetectionResult
from .series import ADJECTIVE, DAILY, MONTHLY, PERIODS_PER_YEAR, WEEKLY, normalise_freq


@dataclass(frozen=True)
class _Spec:
    description: str
    parameters: dict
    run: Callable[..., DetectionResult]
    history: Callable[[dict, str], int]  # earlier periods needed before the first evaluation
    frequencies: dict[str, str]  # period -> what the method does with it (plain English)
    by_freq: dict[str, dict] = field(default_factory=dict)  # default overrides per period


def _percentile_shape(p: dict, freq: str) -> tuple[int, int]:
    # CIDARS works on 7-day moving totals for daily data, with neighbours one week apart.
    window = p["window"] if p["window"] is not None else (7 if freq == DAILY else 1)
    step = 7 if freq == DAILY else 1
    return int(window), step


def _run_percentile(y, freq, start, **p):
    window, step = _percentile_shape(p, freq)
    return percentile.moving_percentile(
        y, PERIODS_PER_YEAR[freq], p["years"], p["half_window"], p["percentile"], window, step,
        start)


def _run_cusum(fn):
    def run(y, freq, start, **p):
        # The sum runs over the whole series (its state at `start` depends on the past); the
        # points before `start` are blanked by run_batch.
        return fn(y, p["h"], p["shift"], p["reference"], p["years"], p["half_window"],
                  p["baseline"], p["guard"], PERIODS_PER_YEAR[freq])
    return run


def _cusum_history(p, freq):
    if p["reference"] == "recent":
        return p["baseline"] + p["guard"]
    return p["years"] * PERIODS_PER_YEAR[freq] + p["half_window"]


def _farrington_history(p, freq):
    return p["b"] * PERIODS_PER_YEAR[freq] + p["w"]


def _run_farrington(y, freq, start, **p):
    return farrington.farrington(y, p["b"], p["w"], p["alpha"], p["min_cases"],
                                 p["reweight_threshold"], PERIODS_PER_YEAR[freq], start)


def _run_flexible(y, freq, start, **p):
    return farrington.farrington_flexible(
        y, p["b"], p["w"], p["alpha"], p["min_cases"], p["n_periods"], p["exclude_recent"],
        p["reweight_threshold"], PERIODS_PER_YEAR[freq], start)


def _run_scan(y, freq, start, **p):
    return scan.farrington_scan(
        y, p["b"], p["w"], p["alpha"], p["window"], p["min_cases"], p["n_periods"],
        p["exclude_recent"], p["reweight_threshold"], PERIODS_PER_YEAR[freq], start,
        current_excess=p["current_excess"], long_share=p["long_share"])


def _run_glm(y, freq, start, **p):
    return seasonal_glm.seasonal_glm(
        y, p["years"], p["harmonics"], p["alpha"], p["exclude_recent"], p["trend"],
        p["reweight_threshold"], PERIODS_PER_YEAR[freq], start)


def _run_ears(fn):
    def run(y, freq, start, **p):
        return fn(y, p["baseline"], p["k"], p["min_sd"], p["alpha"], guard=p["guard"])
    return run


_EARS = {"baseline": 7, "k": 3.0, "min_sd": 0.5, "alpha": None}
_FARR = {"b": 5, "w": 3, "alpha": 0.01, "min_cases": 5}
_FLEX = {**_FARR, "n_periods": 10, "exclude_recent": 26, "reweight_threshold": 2.58}
_CUSUM = {"h": 5.0, "shift": 2.0, "reference": "seasonal", "years": 3, "half_window": 3,
          "baseline": 28, "guard": 2}
# A year of 12 months: same-month windows +/-1 month (3 months a year, as +/-3 weeks is 7
# weeks); the last 6 months left out of the improved Farrington's baseline (26 weeks).
_FARR_MONTHLY = {"w": 1}
_FLEX_MONTHLY = {"w": 1, "exclude_recent": 6}

_EARS_FREQS = {
    DAILY: "baseline = the `baseline` days before the guard band; no seasonality or weekday "
           "effect",
    WEEKLY: "baseline = the `baseline` weeks before the guard band; no seasonality",
    MONTHLY: "baseline = the `baseline` months before the guard band (7 months ending 2 months "
             "back); no seasonality, so a regular seasonal peak can alarm",
}
_SEASONAL_FREQS = {
    DAILY: "seasonal reference: the same day +/-3 days in the last 3 364-day years; recent "
           "reference: 28 days ending 2 days back",
    WEEKLY: "seasonal reference: the same week +/-3 weeks in the last 3 52-week years; recent "
            "reference: 28 weeks ending 2 weeks back",
}

_SPECS: dict[str, _Spec] = {
    "ears_c1": _Spec(
        "EARS C1: alarm when (count - mean) / sd of the 7 previous periods exceeds k "
        "(sd floored at min_sd; alpha, if given, sets k to the normal quantile).",
        dict(_EARS),
        lambda y, f, s, **p: ears.ears_c1(y, p["baseline"], p["k"], p["min_sd"], p["alpha"]),
        lambda p, f: p["baseline"],
        {DAILY: _EARS_FREQS[DAILY].replace("before the guard band", "before the current one"),
         WEEKLY: _EARS_FREQS[WEEKLY].replace("before the guard band", "before the current one"),
         MONTHLY: "baseline = the `baseline` months before the current one; no seasonality, so "
                  "a regular seasonal peak can alarm"}),
    "ears_c2": _Spec(
        "EARS C2: as C1 but the 7-period baseline ends 2 periods before the current one "
        "(guard band).",
        {**_EARS, "guard": 2}, _run_ears(ears.ears_c2),
        lambda p, f: p["baseline"] + p["guard"], dict(_EARS_FREQS)),
    "ears_c3": _Spec(
        "EARS C3: alarm when the sum over the current and 2 previous periods of "
        "max(0, C2 - 1) exceeds h.",
        {"baseline": 7, "h": 2.0, "min_sd": 0.5, "guard": 2},
        lambda y, f, s, **p: ears.ears_c3(y, p["baseline"], p["h"], p["min_sd"], p["guard"]),
        lambda p, f: p["baseline"] + p["guard"] + 2, dict(_EARS_FREQS)),
    "moving_percentile": _Spec(
        "CIDARS moving percentile: alarm when the current period's count exceeds the given "
        "percentile of the same and +/- half_window neighbouring periods in the previous "
        "`years` years (daily data: 7-day moving totals, neighbours a week apart).",
        {"years": 3, "half_window": 2, "percentile": 80.0, "window": None},
        _run_percentile,
        lambda p, f: (p["years"] * PERIODS_PER_YEAR[f] + p["half_window"]
                      * _percentile_shape(p, f)[1] + _percentile_shape(p, f)[0] - 1),
        {DAILY: "7-day moving totals compared with 7-day totals of the same and neighbouring "
                "weeks (a week apart) in previous 364-day years",
         WEEKLY: "the week compared with the same and +/-2 neighbouring weeks of previous years",
         MONTHLY: "the month compared with the same and +/-1 neighbouring months of previous "
                  "years (half_window defaults to 1: 9 reference months over 3 years)"},
        {MONTHLY: {"half_window": 1}}),
    "farrington": _Spec(
        "Farrington et al. (1996): quasi-Poisson regression on periods t-P*j+/-w of the past b "
        "years (P = 52 weeks or 12 months) with optional trend, residual reweighting, "
        "2/3-power threshold (weekly or monthly data).",
        {**_FARR, "reweight_threshold": 1.0}, _run_farrington, _farrington_history,
        {WEEKLY: "reference weeks t-52j+/-3, j = 1..5",
         MONTHLY: "reference months t-12j+/-1, j = 1..5 (w defaults to 1: the same calendar "
                  "month and its neighbours, 15 months)"},
        {MONTHLY: dict(_FARR_MONTHLY)}),
    "farrington_flexible": _Spec(
        "Improved Farrington (Noufaily et al. 2013): all periods of the past b years except the "
        "most recent half year, 10-level seasonal factor, reweighting at 2.58, "
        "negative-binomial quantile threshold (weekly or monthly data).",
        dict(_FLEX), _run_flexible, _farrington_history,
        {WEEKLY: "every week from t-52*5-3 to t-26; 10-level seasonal factor",
         MONTHLY: "every month from t-12*5-1 to t-6 (w = 1, exclude_recent = 6); the seasonal "
                  "factor is the +/-1 month window plus one level per other calendar month"},
        {MONTHLY: dict(_FLEX_MONTHLY)}),
    "farrington_scan": _Spec(
        "Improved-Farrington baseline with a scan over the last 1..window periods: each window "
        "total is tested against the summed negative binomial; alpha is split between the "
        "single period and longer windows (long_share). Combined method, weekly or monthly "
        "data.",
        {**_FLEX, "window": 2, "long_share": 0.8, "current_excess": True}, _run_scan,
        lambda p, f: _farrington_history(p, f) + p["window"] - 1,
        {WEEKLY: "improved-Farrington weekly baseline; this week and the last 2 weeks tested",
         MONTHLY: "improved-Farrington monthly baseline (w = 1, exclude_recent = 6); this month "
                  "and the last 2 months tested"},
        {MONTHLY: dict(_FLEX_MONTHLY)}),
    "seasonal_glm": _Spec(
        "Quasi-Poisson regression on every period of the past `years` years except the last "
        "exclude_recent: linear trend (kept if significant) and `harmonics` yearly sine/cosine "
        "pairs, past excesses down-weighted; threshold = negative-binomial quantile including "
        "the prediction's own uncertainty (weekly or monthly data).",
        {"years": 3, "harmonics": 2, "alpha": 0.01, "exclude_recent": 26, "trend": True,
         "reweight_threshold": 2.58}, _run_glm,
        lambda p, f: p["years"] * PERIODS_PER_YEAR[f],
        {WEEKLY: "weeks t-156 .. t-26; harmonics of a 52-week year",
         MONTHLY: "months t-36 .. t-3 (exclude_recent defaults to 3); harmonics of a 12-month "
                  "year"},
        {MONTHLY: {"exclude_recent": 3}}),
    "cusum_poisson": _Spec(
        "Poisson CUSUM for a shift of `shift` SDs above the in-control mean (same season in "
        "past years, or the recent past); alarm and reset when the sum exceeds h.",
        dict(_CUSUM), _run_cusum(cusum.cusum_poisson), _cusum_history,
        {**_SEASONAL_FREQS,
         MONTHLY: "seasonal reference: the same and +/-1 neighbouring months of the last 3 "
                  "years; recent reference: 12 months ending 2 months back"},
        {MONTHLY: {"half_window": 1, "baseline": 12}}),
    "cusum_negbin": _Spec(
        "Negative-binomial CUSUM (size estimated from the reference window); alarm and reset "
        "when the sum exceeds h.",
        dict(_CUSUM), _run_cusum(cusum.cusum_negbin), _cusum_history,
        {**_SEASONAL_FREQS,
         MONTHLY: "seasonal reference: the same and +/-1 neighbouring months of the last 3 "
                  "years; recent reference: 12 months ending 2 months back"},
        {MONTHLY: {"half_window": 1, "baseline": 12}}),
    "threshold": _Spec(
        "Fixed threshold: alarm as soon as the count reaches `threshold` (default 1: a single "
        "case alerts at once).",
        {"threshold": 1.0}, lambda y, f, s, **p: threshold.fixed_threshold(y, p["threshold"]),
        lambda p, f: 0,
        {DAILY: "count per day", WEEKLY: "count per week", MONTHLY: "count per month"}),
}


def _defaults(spec: _Spec, freq: str | None) -> dict:
    out = dict(spec.parameters)
    if freq is not None:
        out.update(spec.by_freq.get(freq, {}))
    return out


METHODS: dict[str, dict] = {
    name: {"description": spec.description, "parameters": dict(spec.parameters),
           "frequencies": dict(spec.frequencies),
           "parameters_by_frequency": {f: _defaults(spec, f) for f in spec.frequencies}}
    for name, spec in _SPECS.items()
}


def _coerce(name: str, key: str, value, default):
    """Typed parameter value; strings (from the CLI/CSV) are parsed by the default's type."""
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                low = value.strip().lower()
                if low not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(value)
                return low in ("true", "1", "yes")
            return bool(value)
        if isinstance(default, int):
            number = float(value)
            if number != int(number):
                raise ValueError(value)
            return int(number)
        if isinstance(default, float) or default is None:
            return None if value is None else float(value)
        return str(value)
    except (TypeError, ValueError):
        kind = "true/false" if isinstance(default, bool) else type(default or 0.0).__name__
        raise DetectionInputError(
            f"parameter {key}={value!r} for {name} must be {kind}") from None


def resolve_params(method: str, params: dict | None, freq: str | None = None) -> dict:
    """Defaults for the period (``freq``), overridden by the given parameters (typed)."""
    if method not in _SPECS:
        raise DetectionInputError(
            f"unknown method {method!r}; choose one of: {', '.join(sorted(_SPECS))}")
    spec = _SPECS[method]
    out = _defaults(spec, normalise_freq(freq))
    for key, value in (params or {}).items():
        if key not in out:
            valid = ", ".join(sorted(out)) or "none"
            raise DetectionInputError(
                f"{method} has no parameter {key!r} (valid parameters: {valid})")
        out[key] = _coerce(method, key, value, spec.parameters[key])
    if out.get("alpha") is not None and not 0 < out["alpha"] < 0.5:
        raise DetectionInputError("alpha must be between 0 and 0.5")
    return out


def check_freq(method: str, freq: str) -> None:
    allowed = _SPECS[method].frequencies
    if freq not in allowed:
        names = " or ".join(ADJECTIVE[f] for f in allowed)
        hint = {DAILY: "aggregate daily data to weeks or months first"}.get(freq, "")
        raise DetectionInputError(
            f"{method} works on {names} counts only (its seasonal model needs a year of "
            f"{' or '.join(str(PERIODS_PER_YEAR[f]) for f in allowed)} periods), got "
            f"{ADJECTIVE.get(freq, freq)} data" + (f"; {hint}" if hint else ""))


def supports(method: str, freq: str) -> bool:
    return normalise_freq(freq) in _SPECS[method].frequencies


def required_history(method: str, params: dict, freq: str) -> int:
    """Earlier periods the method needs before the first period it can evaluate."""
    return int(_SPECS[method].history(params, freq))


def run_batch(method: str, counts, freq: str = WEEKLY, params: dict | None = None,
              start: int = 0) -> DetectionResult:
    """Run a detector on a 2-D array (series x time) of counts; returns 2-D arrays.

    ``freq`` is 'D', 'W' or 'M'; the method's defaults for that period apply to every
    parameter not given in ``params``. ``start`` > 0 evaluates only the periods from that
    index on (for evaluations of recent periods; the results there are the same as a full run,
    earlier points are left empty with status NO_HISTORY).
    """
    freq = normalise_freq(freq)
    p = resolve_params(method, params, freq)
    spec = _SPECS[method]
    check_freq(method, freq)
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    try:
        res = spec.run(y, freq, int(start), **p)
    except ValueError as exc:
        if isinstance(exc, DetectionInputError):
            raise
        raise DetectionInputError(f"{method}: {exc}") from None
    if start > 0:
        early = DetectionResult.empty((y.shape[0], min(int(start), y.shape[1])), res.method)
        for name in ("expected", "upper", "alarm", "score", "status"):
            getattr(res, name)[:, :early.alarm.shape[1]] = getattr(early, name)
    return res
