"""Status and projection of many targets for many areas at once.

All values are read in one query (indicators.frames.indicator_frames), whatever the
number of targets or areas; each (target, area) series is then assessed in memory with
indicators.projection (weighted trend + interval, progress ratio, annual-flow pacing).
Results are plain dicts, cached until a data value or a target changes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import math

from django.core.cache import cache
from django.db.models import Count, Max

from minsheng.indicators import frames, projection
from minsheng.plans.explain import explain
from minsheng.plans.models import Target

CACHE_SECONDS = 3600
SPARK_POINTS = 24


def _stamp(targets_qs) -> tuple:
    agg = targets_qs.aggregate(n=Count("id"), m=Max("updated_at"))
    return (frames.generation(), agg["n"], agg["m"].isoformat() if agg["m"] else "")


def sparkline(values: list[float], width: int = 120, height: int = 28) -> str:
    """SVG polyline points for the last values (drawn server-side: no script needed)."""
    vals = [v for v in values[-SPARK_POINTS:] if v is not None and not math.isnan(v)]
    if len(vals) < 2:
        return ""
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or 1.0
    step = width / (len(vals) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
                    for i, v in enumerate(vals))


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        return {k: _plain(v) for k, v in dataclasses.asdict(obj).items()
                if k not in ("x_years", "weights", "cov", "target")}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items() if k not in ("x_years", "weights", "cov",
                                                                   "target")}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, datetime.date):
        return obj.isoformat()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj


# Indicators whose unit is a share: their values and intervals stay within 0..100 (0..1000).
# Changes written in % (增长率, 涨幅) can be negative and are not bounded.
_SHARE_BOUNDS = {"%": (0.0, 100.0), "‰": (0.0, 1000.0)}
_SIGNED_WORDS = ("增长", "增速", "涨幅", "变化", "变动", "growth", "change")


def bounds(indicator) -> tuple[float | None, float | None]:
    """The range an indicator's values can take: shares 0..100, counts and amounts >= 0."""
    if indicator is None:
        return (None, None)
    name = f"{indicator.name} {indicator.code}"
    if any(w in name for w in _SIGNED_WORDS):
        return (None, None)
    return _SHARE_BOUNDS.get(indicator.unit, (0.0, None))


def _spec(target: Target, value: float | None) -> projection.TargetSpec:
    return projection.TargetSpec(kind=target.kind, value=value, deadline=target.deadline,
                                 baseline_value=target.baseline_value
                                 if target.parent_id is None else None,
                                 baseline_date=target.baseline_date
                                 if target.parent_id is None else None,
                                 tolerance=target.tolerance,
                                 unit=target.indicator.unit if target.indicator else "",
                                 bounds=bounds(target.indicator))


def _additive(target: Target) -> bool:
    return target.kind == Target.Kind.ANNUAL_FLOW or (
        target.indicator is not None and target.indicator.unit in ("人", "张")
        and "/" not in target.indicator.formula)


def compute(targets: list[Target], areas: list, *, as_of: datetime.date | None = None
            ) -> dict[tuple[int, int], dict]:
    """{(target id, area id): result} for each target in each area (district targets are
    cascaded: an explicit sub-target for the area if there is one, otherwise the same value
    for rates and a share of the total for additive quantities)."""
    indicators = {t.indicator.code: t.indicator for t in targets if t.indicator}
    area_ids = [a.id for a in areas]
    by_code = frames.indicator_frames(list(indicators.values()), area_ids=area_ids, end=as_of)
    children = {}
    for child in Target.objects.filter(parent__in=[t.id for t in targets]).only(
            "id", "parent_id", "area_id", "value"):
        children[(child.parent_id, child.area_id)] = child.value
    by_area = {}
    for code, (frame, kind) in by_code.items():
        groups = {}
        if not frame.empty:
            for area_id, part in frame.groupby("area"):
                groups[int(area_id)] = (part["period"].tolist(), part["value"].tolist(),
                                        part["div_by_zero"].tolist())
        by_area[code] = (groups, kind)
    results = {}
    for t in targets:
        groups, kind = by_area.get(t.indicator.code, ({}, "month")) if t.indicator else ({},
                                                                                       "month")
        own_total = None
        for area in areas:
            periods, values, zero = groups.get(area.id, ([], [], []))
            obs = [(p, v) for p, v, z in zip(periods, values, zero, strict=True)
                   if not z and v == v]
            value = t.value
            derived = ""
            if area.id != t.area_id:
                if (t.id, area.id) in children:
                    value, derived = children[(t.id, area.id)], "sub-target"
                elif value is not None and _additive(t):
                    if own_total is None:
                        own_total = _recent_total(groups.get(t.area_id, ([], [], [])))
                    share = _recent_total(groups.get(area.id, ([], [], []))) / own_total \
                        if own_total else None
                    value = value * share if share is not None else None
                    derived = "share" if share is not None else ""
            spec = _spec(t, value)
            a = projection.assess(obs, spec, as_of=as_of)
            results[(t.id, area.id)] = {
                "target_id": t.id, "area_id": area.id, "status": a.status, "reason": explain(a),
                "current_value": a.current_value,
                "current_date": a.current_date.isoformat() if a.current_date else None,
                "target_value": value, "derived": derived, "period": kind,
                "projection": _plain(a.projection) if a.projection else None,
                "progress": _plain(a.progress) if a.progress else None,
                "pacing": _plain(a.pacing) if a.pacing else None,
                "trend": _plain(a.trend) if a.trend else None,
                "notes": a.notes,
                "outliers": [(d.isoformat(), v) for d, v in a.outliers],
                "spark": sparkline(values),
                "series": [(p.isoformat(), v) for p, v in obs],
            }
    return results


def _recent_total(group) -> float:
    periods, values, _ = group
    if not values:
        return 0.0
    return float(sum(v for v in values[-12:] if v == v))


def cached_compute(targets_qs, areas: list, *, as_of: datetime.date | None = None):
    key = ("plans.status", tuple(a.id for a in areas), as_of.isoformat() if as_of else "",
           _stamp(targets_qs), str(targets_qs.query))
    key = "plans:status:" + hashlib.sha1(repr(key).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    targets = list(targets_qs.select_related("indicator", "area", "lead_department", "item"))
    results = compute(targets, areas, as_of=as_of)
    cache.set(key, results, CACHE_SECONDS)
    return results
