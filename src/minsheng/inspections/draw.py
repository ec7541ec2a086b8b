"""The "double random" draw (双随机): random entities x random inspectors, as a pure
function of its inputs and a seed, so that anyone holding the log can re-derive it.

No Django here: the caller freezes the candidate lists (sorted ids), the recusals and the
previous teams, and stores them with the seed and the result (`DrawLog`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

METHOD = "numpy PCG64 default_rng(seed): permutation of entities; per entity the first " \
         "`team` inspectors of a fresh permutation who are neither recused nor on the " \
         "entity's previous team (v1)"


class DrawImpossible(ValueError):
    """Not enough eligible inspectors (after recusal and rotation) for an entity."""

    def __init__(self, entity: int, eligible: int, team: int):
        self.entity, self.eligible, self.team = entity, eligible, team
        super().__init__(f"entity {entity}: {eligible} eligible inspectors, team of {team}")


def draw(*, entities: Sequence[int], inspectors: Sequence[int], sample: int, team: int,
         seed: int, recused: Iterable[tuple[int, int]] = (),
         previous: Mapping[int, Iterable[int]] | None = None) -> list[tuple[int, list[int]]]:
    """`sample` entities and, for each, a team of `team` inspectors.

    `recused` holds (inspector, entity) pairs that must never meet; `previous` maps an
    entity to its last team (rotation: none of them inspects it twice running). Taking the
    first eligible inspectors of a uniform permutation gives a uniform random team among
    the eligible ones."""
    if team < 1 or sample < 0:
        raise ValueError("team must be >= 1 and sample >= 0")
    entity_arr = np.asarray(sorted(entities), dtype=np.int64)
    inspector_arr = np.asarray(sorted(inspectors), dtype=np.int64)
    rng = np.random.default_rng(seed)
    chosen = entity_arr[rng.permutation(len(entity_arr))[:sample]]
    excluded: dict[int, set[int]] = {}
    for inspector, entity in recused:
        excluded.setdefault(int(entity), set()).add(int(inspector))
    for entity, members in (previous or {}).items():
        excluded.setdefault(int(entity), set()).update(int(m) for m in members)
    n = len(inspector_arr)
    result = []
    for entity in chosen.tolist():
        out = excluded.get(entity, ())
        order = inspector_arr[rng.permutation(n)]
        if out:
            order = order[~np.isin(order, list(out))]
        if len(order) < team:
            raise DrawImpossible(entity, len(order), team)
        result.append((entity, sorted(order[:team].tolist())))
    return result


def canonical(entities, inspectors, recused, previous, sample: int, team: int,
              seed: int) -> dict:
    """The draw's inputs in one canonical, JSON-ready form (what the log stores)."""
    return {"method": METHOD, "seed": int(seed), "sample": int(sample), "team": int(team),
            "entities": sorted(int(e) for e in entities),
            "inspectors": sorted(int(i) for i in inspectors),
            "recused": sorted([int(i), int(e)] for i, e in recused),
            "previous": {str(k): sorted(int(m) for m in v)
                         for k, v in sorted((previous or {}).items())}}


def digest(inputs: dict, assignment: list) -> str:
    """SHA-256 over the canonical inputs and the result: the number a notice publishes."""
    text = json.dumps({"inputs": inputs, "assignment": assignment}, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def rederive(inputs: dict) -> list[tuple[int, list[int]]]:
    """Run the draw again from logged inputs."""
    return [(e, list(t)) for e, t in draw(
        entities=inputs["entities"], inspectors=inputs["inspectors"], sample=inputs["sample"],
        team=inputs["team"], seed=inputs["seed"],
        recused=[tuple(p) for p in inputs["recused"]],
        previous={int(k): v for k, v in inputs["previous"].items()})]
