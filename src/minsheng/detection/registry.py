"""The detector catalogue: names, descriptions, parameters with defaults, and batch runners.

Every runner takes a 2-D array (series x time) plus the period ('W' or 'D') and returns a
DetectionResult with arrays of the same shape, so many series are evaluated in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import cusum, ears, farrington, percentile, scan, threshold
from .errors import DetectionInputError
from .result import DetectionResult
from .series import DAILY, PERIODS_PER_YEAR, WEEKLY


@dataclass(frozen=True)
class _Spec:
    description: str
    parameters: dict
    run: Callable[..., DetectionResult]
    history: Callable[[dict, str], int]  # earlier periods needed before the first evaluation
    freqs: tuple[str, ...] = (WEEKLY, DAILY)


def _weekly_only(name: str, freq: str) -> None:
    if freq != WEEKLY:
        raise DetectionInputError(
            f"{name} models weekly counts with yearly seasonality; aggregate daily data to "
            "weeks first")


def _percentile_shape(p: dict, freq: str) -> tuple[int, int]:
    # CIDARS works on 7-day moving totals for daily data, with neighbours one week apart.
    window = p["window"] if p["window"] is not None else (7 if freq == DAILY else 1)
    step = 7 if freq == DAILY else 1
    return int(window), step


def _run_percentile(y, freq, **p):
    window, step = _percentile_shape(p, freq)
    return percentile.moving_percentile(
        y, PERIODS_PER_YEAR[freq], p["years"], p["half_window"], p["percentile"], window, step)


def _run_cusum(fn):
    def run(y, freq, **p):
        return fn(y, p["h"], p["shift"], p["reference"], p["years"], p["half_window"],
                  p["baseline"], p["guard"], PERIODS_PER_YEAR[freq])
    return run


def _cusum_history(p, freq):
    if p["reference"] == "recent":
        return p["baseline"] + p["guard"]
    return p["years"] * PERIODS_PER_YEAR[freq] + p["half_window"]


def _run_farrington(y, freq, **p):
    _weekly_only("farrington", freq)
    return farrington.farrington(y, p["b"], p["w"], p["alpha"], p["min_cases"],
                                 p["reweight_threshold"])


def _run_flexible(y, freq, **p):
    _weekly_only("farrington_flexible", freq)
    return farrington.farrington_flexible(
        y, p["b"], p["w"], p["alpha"], p["min_cases"], p["n_periods"], p["exclude_recent"],
        p["reweight_threshold"])


def _run_scan(y, freq, **p):
    _weekly_only("farrington_scan", freq)
    return scan.farrington_scan(
        y, p["b"], p["w"], p["alpha"], p["window"], p["min_cases"], p["n_periods"],
        p["exclude_recent"], p["reweight_threshold"], current_excess=p["current_excess"],
        long_share=p["long_share"])


_EARS = {"baseline": 7, "k": 3.0, "min_sd": 0.5, "alpha": None}
_FARR = {"b": 5, "w": 3, "alpha": 0.01, "min_cases": 5}
_FLEX = {**_FARR, "n_periods": 10, "exclude_recent": 26, "reweight_threshold": 2.58}
_CUSUM = {"h": 5.0, "shift": 2.0, "reference": "seasonal", "years": 3, "half_window": 3,
          "baseline": 28, "guard": 2}

_SPECS: dict[str, _Spec] = {
    "ears_c1": _Spec(
        "EARS C1: alarm when (count - mean) / sd of the 7 previous periods exceeds k "
        "(sd floored at min_sd; alpha, if given, sets k to the normal quantile).",
        dict(_EARS), lambda y, f, **p: ears.ears_c1(y, p["baseline"], p["k"], p["min_sd"],
                                                       p["alpha"]),
        lambda p, f: p["baseline"]),
    "ears_c2": _Spec(
        "EARS C2: as C1 but the 7-period baseline ends 2 periods before the current one "
        "(guard band).",
        dict(_EARS), lambda y, f, **p: ears.ears_c2(y, p["baseline"], p["k"], p["min_sd"],
                                                       p["alpha"]),
        lambda p, f: p["baseline"] + 2),
    "ears_c3": _Spec(
        "EARS C3: alarm when the sum over the current and 2 previous periods of "
        "max(0, C2 - 1) exceeds h.",
        {"baseline": 7, "h": 2.0, "min_sd": 0.5},
        lambda y, f, **p: ears.ears_c3(y, p["baseline"], p["h"], p["min_sd"]),
        lambda p, f: p["baseline"] + 4),
    "moving_percentile": _Spec(
        "CIDARS moving percentile: alarm when the current period's count exceeds the given "
        "percentile of the same and +/- half_window neighbouring periods in the previous "
        "`years` years (daily data: 7-day moving totals, neighbours a week apart).",
        {"years": 3, "half_window": 2, "percentile": 80.0, "window": None},
        _run_percentile,
        lambda p, f: (p["years"] * PERIODS_PER_YEAR[f] + p["half_window"]
                      * _percentile_shape(p, f)[1] + _percentile_shape(p, f)[0] - 1)),
    "farrington": _Spec(
        "Farrington et al. (1996): quasi-Poisson regression on weeks t-52j+/-w of the past b "
        "years with optional trend, residual reweighting, 2/3-power threshold (weekly data).",
        {**_FARR, "reweight_threshold": 1.0}, _run_farrington,
        lambda p, f: p["b"] * 52 + p["w"], (WEEKLY,)),
    "farrington_flexible": _Spec(
        "Improved Farrington (Noufaily et al. 2013): all weeks of the past b years except the "
        "last 26, 10-level seasonal factor, reweighting at 2.58, negative-binomial quantile "
        "threshold (weekly data).",
        dict(_FLEX), _run_flexible, lambda p, f: p["b"] * 52 + p["w"], (WEEKLY,)),
    "farrington_scan": _Spec(
        "Improved-Farrington baseline with a scan over the last 1..window weeks: each window "
        "total is tested against the summed negative binomial; alpha is split between the "
        "single week and longer windows (long_share). Combined method, weekly data.",
        {**_FLEX, "window": 2, "long_share": 0.8, "current_excess": True}, _run_scan,
        lambda p, f: p["b"] * 52 + p["w"] + p["window"] - 1, (WEEKLY,)),
    "cusum_poisson": _Spec(
        "Poisson CUSUM for a shift of `shift` SDs above the in-control mean (same season in "
        "past years, or the recent past); alarm and reset when the sum exceeds h.",
        dict(_CUSUM), _run_cusum(cusum.cusum_poisson), _cusum_history),
    "cusum_negbin": _Spec(
        "Negative-binomial CUSUM (size estimated from the reference window); alarm and reset "
        "when the sum exceeds h.",
        dict(_CUSUM), _run_cusum(cusum.cusum_negbin), _cusum_history),
    "threshold": _Spec(
        "Fixed threshold: alarm as soon as the count reaches `threshold` (default 1: a single "
        "case alerts at once).",
        {"threshold": 1.0}, lambda y, f, **p: threshold.fixed_threshold(y, p["threshold"]),
        lambda p, f: 0),
}

METHODS: dict[str, dict] = {
    name: {"description": spec.description, "parameters": dict(spec.parameters),
           "frequencies": list(spec.freqs)}
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


def resolve_params(method: str, params: dict | None) -> dict:
    if method not in _SPECS:
        raise DetectionInputError(
            f"unknown method {method!r}; choose one of: {', '.join(sorted(_SPECS))}")
    spec = _SPECS[method]
    out = dict(spec.parameters)
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
    names = {WEEKLY: "weekly", DAILY: "daily"}
    if freq not in _SPECS[method].freqs:
        allowed = " or ".join(names[f] for f in _SPECS[method].freqs)
        raise DetectionInputError(
            f"{method} works on {allowed} counts only, got {names.get(freq, freq)} data")


def required_history(method: str, params: dict, freq: str) -> int:
    return int(_SPECS[method].history(params, freq))


def run_batch(method: str, counts, freq: str = WEEKLY, params: dict | None = None
              ) -> DetectionResult:
    """Run a detector on a 2-D array (series x time) of counts; returns 2-D arrays."""
    p = resolve_params(method, params)
    spec = _SPECS[method]
    check_freq(method, freq)
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    try:
        return spec.run(y, freq, **p)
    except ValueError as exc:
        if isinstance(exc, DetectionInputError):
            raise
        raise DetectionInputError(f"{method}: {exc}") from None
