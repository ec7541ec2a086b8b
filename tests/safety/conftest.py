import datetime

import pytest

from minsheng.safety.services import iot
from tests import factories


@pytest.fixture
def world(areas):
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    ent = factories.organization(areas["c11"], "滨海化工有限公司")
    other = factories.organization(areas["c21"], "乙区物流有限公司")
    inspector = factories.actor("inspector", "caseworker", areas["district"], department=dept)
    chief = factories.actor("chief", "department_admin", areas["district"], department=dept)
    outsider = factories.actor("outsider", "caseworker", areas["s2"])
    return {"areas": areas, "dept": dept, "ent": ent, "other": other, "inspector": inspector,
            "chief": chief, "outsider": outsider}


@pytest.fixture
def source(world):
    src = iot.source_save(actor=factories.SYSTEM(), enterprise=world["ent"], code="MHS-1",
                          name="液氨罐区", population_500m=120,
                          substances=[("NH3", 60.0), ("CH4", 10.0)],
                          today=datetime.date(2026, 3, 2))
    iot.sensor_create(actor=factories.SYSTEM(), source=src, code="GAS-1", kind="combustible",
                      unit="%LEL")
    iot.sensor_create(actor=factories.SYSTEM(), source=src, code="TOX-1", kind="toxic",
                      unit="mg/m3", oel=20.0)
    iot.sensor_create(actor=factories.SYSTEM(), source=src, code="T-1", kind="temperature",
                      unit="°C", level1=60, level2=80, max_rate_per_min=5)
    return src
