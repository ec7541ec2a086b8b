"""How alike two petitions' texts are, for finding repeat petitions on the same matter.

Chinese has no spaces, so words are not compared: the texts are cut into overlapping
character pairs (bigrams) after width and case are normalised and punctuation dropped,
and compared with the Dice coefficient. Reworded letters about the same flat, wage or
road share most of their bigrams; different matters of the same person share few."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch.isalnum())


def bigrams(text: str) -> set[str]:
    t = normalise(text)
    if len(t) < 2:
        return {t} if t else set()
    return {t[i:i + 2] for i in range(len(t) - 1)}


def dice(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def similarity(text_a: str, text_b: str) -> float:
    return dice(bigrams(text_a), bigrams(text_b))


def best_match(text: str, candidates: list[tuple[int, str]],
               threshold: float) -> tuple[int, float] | None:
    """The candidate (id, text) most like `text`, if at least `threshold` alike."""
    mine = bigrams(text)
    best = None
    for pk, other in candidates:
        score = dice(mine, bigrams(other))
        if score >= threshold and (best is None or score > best[1]):
            best = (pk, score)
    return best
