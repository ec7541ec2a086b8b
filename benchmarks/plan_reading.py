"""Plan reading (``minsheng plans import``): recall and precision of the target drafts the
importer reads from plan excerpts, against targets written by hand for each excerpt.

    .venv/bin/python benchmarks/plan_reading.py [--corpus tests/plans/corpus/targets.json]
                                                [--show-misses]

The corpus (38 excerpts, 70 targets, 6 excerpts with no target at all) was written before the
importer was changed for issue 12; its ``about`` field defines each expected field. A read
target counts as correct only when every field matches: indicator (full-width characters
folded to half-width on both sides), comparator, value (base units, to 1e-9), upper end of a
range, unit, deadline year, periodicity, population denominator, base year and change
direction. Fields the importer does not produce count as empty, so a target it cannot
express (a range, a relative change) counts as a miss, not as half right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from minsheng.plans.textparse import extract_targets  # noqa: E402

FIELDS = ("indicator", "comparator", "value", "value_high", "unit", "year", "periodicity",
          "per", "base_year", "change")
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _key(t: dict) -> tuple:
    out = []
    for f in FIELDS:
        v = t.get(f)
        if f == "indicator" and v is not None:
            v = v.translate(_FOLD)
        if f in ("value", "value_high") and v is not None:
            v = round(float(v), 9)
        out.append(v)
    return tuple(out)


def evaluate(corpus: dict) -> dict:
    tp = fp = fn = 0
    misses: list[tuple[str, str, tuple]] = []
    for ex in corpus["excerpts"]:
        expected = [_key(t) for t in ex["targets"]]
        got = [_key({f: getattr(t, f, None) for f in FIELDS})
               for t in extract_targets(ex["text"], ex["id"])]
        remaining = list(expected)
        for g in got:
            if g in remaining:
                remaining.remove(g)
                tp += 1
            else:
                fp += 1
                misses.append((ex["id"], "extra", g))
        fn += len(remaining)
        misses.extend((ex["id"], "missed", r) for r in remaining)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"excerpts": len(corpus["excerpts"]), "expected": tp + fn, "read": tp + fp,
            "correct": tp, "precision": precision, "recall": recall, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "tests/plans/corpus/targets.json"))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    corpus = json.loads(Path(args.corpus).read_text(encoding="utf-8"))
    r = evaluate(corpus)
    print(f"excerpts {r['excerpts']}, expected targets {r['expected']}, read {r['read']}, "
          f"correct {r['correct']}")
    print(f"precision {r['precision']:.3f}  recall {r['recall']:.3f}")
    if args.show_misses:
        for ex_id, kind, key in r["misses"]:
            print(f"  {ex_id} {kind}: " + ", ".join(
                f"{f}={v}" for f, v in zip(FIELDS, key, strict=True) if v is not None))


if __name__ == "__main__":
    main()
