import datetime
import math

import pytest
import shapely

from minsheng.culture.geometry import Shape
from minsheng.culture.services import register
from tests import factories

D = datetime.date(2026, 3, 2)
A = (117.70, 39.00)  # site in c11 (甲街道)
B = (117.80, 39.10)  # site in c21 (乙街道)


def square(lon: float, lat: float, metres: float) -> dict:
    """A square of `metres` half-side around a point, as GeoJSON (WGS-84)."""
    dlat = metres / 111_320
    dlon = metres / (111_320 * math.cos(math.radians(lat)))
    return {"type": "Polygon", "coordinates": [[
        [lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat],
        [lon - dlon, lat + dlat], [lon - dlon, lat - dlat]]]}


def east(lon: float, lat: float, metres: float) -> float:
    return lon + metres / (111_320 * math.cos(math.radians(lat)))


def zoned_site(actor, area, code, at, *, level="municipal", designated=datetime.date(2024, 5, 1),
               today=D):
    site = register.site_create(
        actor=actor, code=code, area=area, name=f"{code}遗址", level=level, category="site",
        era="明", address="海河路1号", lon=at[0], lat=at[1], responsible_person="王建国",
        designated_on=designated, today=today)
    register.zone_set(actor=actor, site=site, kind="protection",
                      shape=Shape(shapely.geometry.shape(square(*at, 100))), source="test",
                      today=today)
    register.zone_set(actor=actor, site=site, kind="control",
                      shape=Shape(shapely.geometry.shape(square(*at, 400))), source="test",
                      today=today)
    return site


@pytest.fixture
def world(areas):
    dept = factories.department(areas["district"], "culture", "文化和旅游局")
    sys = factories.SYSTEM()
    w = {"areas": areas, "dept": dept, "sys": sys,
         "officer": factories.actor("officer", "caseworker", areas["district"], department=dept),
         "chief": factories.actor("chief", "department_admin", areas["district"],
                                  department=dept),
         "approver": factories.actor("approver", "approver", areas["district"],
                                     department=dept),
         "planner": factories.actor("planner", "caseworker", areas["s1"]),
         "outsider": factories.actor("outsider", "caseworker", areas["s2"])}
    w["site_a"] = zoned_site(sys, areas["c11"], "WB0001", A)
    w["site_b"] = zoned_site(sys, areas["c21"], "WB0002", B)
    return w
