"""The pure draw: reproducible, recusal and rotation honoured, teams of the right size."""

import pytest

from minsheng.inspections import draw as d


def run(seed=7, **kw):
    args = {"entities": range(100, 200), "inspectors": range(1, 11), "sample": 30,
            "team": 2, "seed": seed}
    args.update(kw)
    return d.draw(**args)


def test_same_seed_same_draw_other_seed_other_draw():
    assert run() == run()
    assert run() != run(seed=8)


def test_sample_and_team_sizes_and_distinct_entities():
    result = run()
    assert len(result) == 30 and len({e for e, _ in result}) == 30
    assert all(len(team) == 2 == len(set(team)) for _, team in result)


def test_recusal_and_rotation_never_broken():
    recused = [(i, e) for e in range(100, 200) for i in (1, 2)]
    previous = {e: [3, 4] for e in range(100, 200)}
    for seed in range(20):
        for _e, team in run(seed=seed, recused=recused, previous=previous):
            assert not {1, 2, 3, 4} & set(team)


def test_not_enough_eligible_inspectors_is_refused():
    with pytest.raises(d.DrawImpossible):
        run(inspectors=[1, 2, 3], recused=[(1, e) for e in range(100, 200)] +
            [(2, e) for e in range(100, 200)])


def test_log_rederives_and_digest_changes_with_any_input():
    inputs = d.canonical(range(100, 200), range(1, 11), [(1, 150)], {120: [2, 3]}, 30, 2, 99)
    first = [[e, t] for e, t in d.rederive(inputs)]
    assert first == [[e, t] for e, t in d.rederive(inputs)]
    digest = d.digest(inputs, first)
    assert digest == d.digest(inputs, first)
    other = dict(inputs, seed=100)
    assert d.digest(other, first) != digest
