"""The importer's output for the seed plan is pinned: corpus/seed_plan.json was written from
the importer before issue 12's changes. Fields added since must stay empty for the seed."""

import json
from pathlib import Path

import pytest

from minsheng.plans.textparse import parse_plan, to_json

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "src" / "minsheng" / "plans" / "seed" / "plan.txt"
PINNED = HERE / "corpus" / "seed_plan.json"
EMPTY = (None, [], "", False)


def _compare(pinned, now, path="$"):
    if isinstance(pinned, dict):
        assert isinstance(now, dict), path
        for key, value in pinned.items():
            assert key in now, f"{path}.{key} disappeared"
            _compare(value, now[key], f"{path}.{key}")
        for key in set(now) - set(pinned):
            assert now[key] in EMPTY, f"new field {path}.{key} = {now[key]!r} for the seed"
    elif isinstance(pinned, list):
        assert isinstance(now, list) and len(now) == len(pinned), path
        for i, (a, b) in enumerate(zip(pinned, now, strict=True)):
            _compare(a, b, f"{path}[{i}]")
    else:
        assert now == pinned, f"{path}: {pinned!r} became {now!r}"


def test_seed_output_unchanged():
    if not SEED.exists():
        pytest.skip("seed plan not available")
    now = json.loads(json.dumps(to_json(parse_plan(SEED.read_text(encoding="utf-8"))),
                                ensure_ascii=False))
    _compare(json.loads(PINNED.read_text(encoding="utf-8")), now)


def test_the_pin_catches_a_change():
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    changed = json.loads(json.dumps(pinned))
    changed["targets"][0]["value"] = 21000
    with pytest.raises(AssertionError, match="value"):
        _compare(pinned, changed)
    changed = json.loads(json.dumps(pinned))
    changed["targets"][0]["base_year"] = 2020
    with pytest.raises(AssertionError, match="base_year"):
        _compare(pinned, changed)
