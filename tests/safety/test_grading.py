import pytest

from minsheng.safety import grading


def test_substance_reference_has_a_source():
    assert "GB 18218-2018" in grading.reference()["source"]
    assert grading.substances()["NH3"].q_t == 10
    assert grading.substances()["CL2"].beta == 4


@pytest.mark.parametrize(("population", "alpha"), [(0, 0.5), (10, 1.0), (30, 1.2), (99, 1.5),
                                                    (100, 2.0)])
def test_alpha_by_population(population, alpha):
    assert grading.alpha(population) == alpha


def test_below_critical_is_not_a_major_source():
    g = grading.grade([(4.0, 10.0, 2.0), (2.0, 5.0, 4.0)], 50)
    assert g.s == pytest.approx(0.8) and not g.is_major and g.level == ""


@pytest.mark.parametrize(("q", "population", "level"), [
    (260, 100, "I"),  # R = 2.0 * 2 * 26 = 104
    (150, 100, "II"),  # R = 2.0 * 2 * 15 = 60
    (80, 10, "III"),  # R = 1.0 * 2 * 8 = 16
    (30, 50, "IV"),  # R = 1.5 * 2 * 3 = 9
])
def test_levels(q, population, level):
    g = grading.grade([(q, 10.0, 2.0)], population)
    assert g.is_major and g.level == level


def test_level_boundaries():
    assert grading.level_for(100) == "I"
    assert grading.level_for(99.99) == "II"
    assert grading.level_for(50) == "II"
    assert grading.level_for(10) == "III"
    assert grading.level_for(9.99) == "IV"
