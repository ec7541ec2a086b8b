import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.safety import demo
from minsheng.safety.models import Alarm, Hazard, MajorHazardSource, Release, SupplyItem
from tests import factories


class Ctx:
    def __init__(self, areas, departments):
        import numpy as np

        self.seed, self.today, self.actor = 7, datetime.date(2026, 11, 27), system_actor()
        self.district, self.departments, self.notes = areas["district"], departments, []
        self._np = np

    def rng(self, salt):
        return self._np.random.default_rng([self.seed, salt])


@pytest.mark.django_db
def test_demo_builds_every_stage(areas):
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    for i in range(12):
        factories.organization(areas["c11" if i % 2 else "c21"], f"企业{i:02d}")
    demo.build(Ctx(areas, {"emergency": dept}))
    states = set(Hazard.objects.values_list("state", flat=True))
    assert states == {"reported", "rectifying", "acceptance", "accepted", "closed"}
    assert MajorHazardSource.objects.exclude(level="").count() == 8
    assert Alarm.objects.exists() and Release.objects.filter(state="published").exists()
    assert any(s.shortfall for s in SupplyItem.objects.all())
