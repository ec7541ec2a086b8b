"""GB 18218-2018 major hazard source identification and grading (pure functions).

S = sum(q_i / Q_i); the unit is a major hazard source when S >= 1.
R = alpha * sum(beta_i * q_i / Q_i); level I (R >= 100), II (50 <= R < 100),
III (10 <= R < 50), IV (R < 10). alpha comes from the people exposed within 500 m.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from minsheng.safety.config import setting


@dataclass(frozen=True)
class Substance:
    code: str
    name: str
    q_t: float  # critical quantity Q, tonnes
    beta: float
    hazard_class: str
    cas: str = ""


@cache
def reference() -> dict:
    text = resources.files("minsheng.safety").joinpath("data/gb18218_substances.json")
    return json.loads(text.read_text(encoding="utf-8"))


@cache
def substances() -> dict[str, Substance]:
    data = reference()
    found = {s["code"]: Substance(s["code"], s["name"], float(s["q_t"]), float(s["beta"]),
                                  s["class"], s.get("cas", "")) for s in data["named"]}
    for c in data["classes"]:  # unnamed substances are identified by their class
        code = "CLASS:" + c["class"]
        found[code] = Substance(code, c["name"], float(c["q_t"]), float(c["beta"]),
                                c["class"])
    return found


def alpha(population_500m: int) -> float:
    for at_least, value in setting("ALPHA_BY_POPULATION"):
        if population_500m >= at_least:
            return float(value)
    return 0.5


def level_for(r: float) -> str:
    for at_least, level in setting("GRADE_THRESHOLDS"):
        if r >= at_least:
            return level
    return "IV"


@dataclass(frozen=True)
class Grading:
    s: float
    r: float
    alpha: float
    is_major: bool
    level: str  # "" when not a major hazard source


def grade(items: list[tuple[float, float, float]], population_500m: int) -> Grading:
    """items: (quantity q in tonnes, critical quantity Q in tonnes, beta)."""
    s = sum(q / big_q for q, big_q, _ in items if big_q > 0)
    a = alpha(population_500m)
    r = a * sum(beta * q / big_q for q, big_q, beta in items if big_q > 0)
    major = s >= 1
    return Grading(s=round(s, 4), r=round(r, 2), alpha=a, is_major=major,
                   level=level_for(r) if major else "")
