"""Facilities and the plan's indicator (facility area per 10,000 residents), and the
module's indicator sources."""

import datetime

import pytest

from minsheng.core.errors import ValidationFailed
from minsheng.culture import selectors, sources
from minsheng.culture.services import facilities as svc
from minsheng.indicators.models import DataElement, DataValue
from tests.culture.conftest import D


def _facility(world, area="c11", **over):
    values = dict(name="甲一社区文化室", kind="station", floor_area_m2="300",
                  opened_on=datetime.date(2020, 1, 1), today=D)
    values.update(over)
    return svc.facility_create(actor=world["officer"], area=world["areas"][area], **values)


def test_area_per_10k_from_register_and_population(world):
    _facility(world)
    _facility(world, area="c12", name="甲二图书室", kind="library", floor_area_m2="700")
    _facility(world, area="c21", name="乙一", floor_area_m2="500",
              closed_on=datetime.date(2024, 6, 1))  # closed before 2025's year end
    element = DataElement.objects.create(code="core.resident_population", name="常住人口",
                                         unit="人", aggregation="last", period="month")
    for key, people in (("district", 40000), ("s1", 20000), ("s2", 20000)):
        DataValue.objects.create(element=element, area=world["areas"][key], value=people,
                                 period_start=datetime.date(2025, 12, 1))
    rows = {r["area"].code: r for r in selectors.facility_area_per_10k(world["officer"],
                                                                       year=2025)}
    assert rows["120199"]["floor_area"] == 1000 and rows["120199"]["per_10k"] == 250.0
    assert rows["120199001"]["per_10k"] == 500.0
    assert rows["120199002"]["per_10k"] == 0.0


@pytest.mark.parametrize("over, field", [
    ({"floor_area_m2": "-1"}, "floor_area_m2"), ({"floor_area_m2": "abc"}, "floor_area_m2"),
    ({"opened_on": D + datetime.timedelta(days=2)}, "opened_on"),
    ({"closed_on": datetime.date(2019, 1, 1)}, "closed_on"), ({"kind": "bar"}, "kind")])
def test_bad_facility_input(world, over, field):
    with pytest.raises(ValidationFailed) as error:
        _facility(world, **over)
    assert error.value.details["field"] == field


def test_sources_count_from_the_records(world):
    import shapely

    from minsheng.culture.geometry import Shape
    from minsheng.culture.services import checks
    from tests.culture.conftest import A

    _facility(world)
    checks.project_check(actor=world["officer"], project_name="p", applicant="a",
                         area=world["areas"]["c11"],
                         shape=Shape(shapely.Point(*A)), today=D)
    start, end = datetime.date(2024, 1, 1), datetime.date(2027, 1, 1)
    sites = {(a, p.year): v for a, p, v in sources.protected_sites(start, end)}
    assert sites[(world["areas"]["c11"].pk, 2024)] == 1
    zoned = {(a, p.year): v for a, p, v in sources.sites_with_zones(start, end)}
    assert zoned[(world["areas"]["c11"].pk, 2026)] == 1
    assert sum(v for _a, _p, v in sources.construction_checks(start, end)) == 1
    area = {(a, p.year): v for a, p, v in sources.facility_area(start, end)}
    assert area[(world["areas"]["c11"].pk, 2025)] == 300
    # designated May 2024, delimited March 2026: overdue at the end of 2025 only
    overdue = {(a, p.year): v for a, p, v in sources.delimitation_overdue(start, end)}
    assert overdue == {(world["areas"]["c11"].pk, 2025): 1, (world["areas"]["c21"].pk, 2025): 1}
