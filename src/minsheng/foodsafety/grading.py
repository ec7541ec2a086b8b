"""Risk grade A-D from static and dynamic factors (pure; the service gathers the counts).

Static: the category's points, scale and people served. Dynamic: events of the last 12
months (critical failures, failed inspections, unqualified samples, enforcement cases).
An operator with no factor data beyond its category gets the category default grade, and
the assessment says so."""

from __future__ import annotations

from dataclasses import dataclass, field

from minsheng.foodsafety.config import setting


@dataclass
class Grading:
    grade: str
    static_points: int
    dynamic_points: int
    factors: dict = field(default_factory=dict)
    defaulted: bool = False


def band(points: int) -> str:
    for upper, grade in setting("GRADE_BANDS"):
        if points <= upper:
            return grade
    return "D"


def grade(*, category: str, scale: str = "", population_served: int | None = None,
          events: dict | None = None) -> Grading:
    events = {k: int(v) for k, v in (events or {}).items() if v}
    static = setting("CATEGORY_POINTS")[category]
    factors = {"category": category}
    defaulted = not scale and population_served is None and not events
    if scale:
        static += setting("SCALE_POINTS")[scale]
        factors["scale"] = scale
    if population_served is not None:
        factors["population_served"] = population_served
        for at_least, points in setting("POPULATION_POINTS"):
            if population_served >= at_least:
                static += points
                break
    dynamic = sum(setting("DYNAMIC_POINTS")[k] * n for k, n in events.items())
    factors.update(events)
    return Grading(band(static + dynamic), static, dynamic, factors, defaulted)


def rating(score: int) -> str:
    """Catering quantified grading from an inspection score."""
    for at_least, name in setting("RATING_BANDS"):
        if score >= at_least:
            return name
    return "poor"
