"""Checklist scoring: the share of applicable points passed; a failed critical item is
a failure whatever the score."""

from __future__ import annotations

from dataclasses import dataclass

ANSWERS = ("pass", "fail", "na")


@dataclass(frozen=True)
class Score:
    score: int  # 0-100 over the applicable items
    failed: list[int]  # item numbers answered "fail"
    critical_failed: bool


def score(items, answers: dict) -> Score:
    """`items`: (number, points, critical) for every item; `answers`: number -> answer.
    Every item must be answered (an unanswered one raises KeyError with its number)."""
    total = got = 0
    failed, critical = [], False
    for number, points, is_critical in items:
        answer = answers.get(str(number), answers.get(number))
        if answer not in ANSWERS:
            raise KeyError(number)
        if answer == "na":
            continue
        total += points
        if answer == "pass":
            got += points
        else:
            failed.append(number)
            critical = critical or is_critical
    return Score(round(100 * got / total) if total else 100, failed, critical)
