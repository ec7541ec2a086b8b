"""The two plan targets computed from the rolls, as of any past date, and the children
behind each figure."""

import datetime

from minsheng.core.models import Person
from minsheng.education import figures, sources
from minsheng.education.models import Enrolment
from minsheng.education.services import rolls
from tests.education.conftest import TODAY, child, enrol

Y = datetime.date


def _by_area(rows):
    return {(a, p.year): v for a, p, v in rows}


def test_preschool_gross_enrolment_counts_kindergarten_children_over_residents_3_to_5(world):
    c11, c12 = world["areas"]["c11"], world["areas"]["c12"]
    kids = [child(c11, name=f"园{i}", birth=Y(2021, 1 + i, 5)) for i in range(4)]
    child(c12, name="园外", birth=Y(2022, 2, 2))
    for kid in kids[:3]:
        enrol(world, kid, school_key="k1", grade=2, intake=2024)
    # a six-year-old still in kindergarten counts above (gross rate), not below
    old = child(c11, name="大班", birth=Y(2019, 12, 1))
    enrol(world, old, school_key="k1", grade=3, intake=2023)
    top = _by_area(sources.preschool_enrolled(Y(2026, 1, 1), Y(2027, 1, 1)))
    bottom = _by_area(sources.preschool_age_population(Y(2026, 1, 1), Y(2027, 1, 1)))
    assert top[(c11.id, 2026)] == 4
    assert bottom[(c11.id, 2026)] == 4 and bottom[(c12.id, 2026)] == 1
    # as of a past year: only the child who entered in September 2023 was on a roll
    assert _by_area(sources.preschool_enrolled(Y(2023, 1, 1), Y(2024, 1, 1))) == {
        (c11.id, 2023): 1}


def test_retention_follows_the_cohort_with_transfers_deaths_and_dropouts(world):
    c11 = world["areas"]["c11"]
    a = world["a"]
    cohort = [child(c11, name=f"生{i}", birth=Y(2010, 1 + i, 3)) for i in range(5)]
    entries = [enrol(world, k, school_key="j1", grade=9, intake=2017,
                     entry_date=Y(2023, 9, 1)) for k in cohort]
    for e in entries[:2]:
        rolls.enrolment_move(actor=a, enrolment=e, action="graduate", version=e.version,
                             on=Y(2026, 6, 30), today=TODAY)
    rolls.enrolment_move(actor=a, enrolment=entries[2], action="drop_out",
                         version=entries[2].version, on=Y(2026, 3, 1), today=TODAY)
    rolls.enrolment_move(actor=a, enrolment=entries[3], action="move_away",
                         version=entries[3].version, on=Y(2026, 3, 1), today=TODAY)
    # entries[4] repeats grade 9: still at school, retained
    size = _by_area(sources.compulsory_cohort(Y(2026, 1, 1), Y(2027, 1, 1)))
    kept = _by_area(sources.compulsory_retained(Y(2026, 1, 1), Y(2027, 1, 1)))
    assert size[(c11.id, 2026)] == 4  # the one who left the district is not counted
    assert kept[(c11.id, 2026)] == 3  # two graduates and the repeater; not the dropout
    gone = set(figures.compulsory_cohort(2026, Y(2026, 12, 31)).exclude(
        pk__in=figures.compulsory_retained(2026, Y(2026, 12, 31)).values("pk"))
        .values_list("pk", flat=True))
    assert gone == {cohort[2].pk}
    # as of the end of 2025 nobody had left yet
    assert figures.compulsory_cohort(2026, Y(2025, 12, 31)).count() == 5


def test_the_demo_values_for_education_are_gone():
    from minsheng.indicators import registry
    from minsheng.plans import demo

    for code in ("education.preschool_enrolled", "education.preschool_age_population",
                 "education.compulsory_cohort", "education.compulsory_retained"):
        assert code in registry.SOURCES
        assert code not in open(demo.__file__, encoding="utf-8").read()


def test_sources_do_not_count_people_without_a_registry_link(world):
    assert Person.objects.count() == 0 and Enrolment.objects.count() == 0
    assert sources.compulsory_cohort(Y(2026, 1, 1), Y(2027, 1, 1)) == []
