import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.petitions import demo
from minsheng.petitions.models import Petition
from tests import factories


class Ctx:
    def __init__(self, areas, departments, people):
        import numpy as np

        self.seed, self.today, self.actor = 7, datetime.date(2026, 11, 27), system_actor()
        self.district, self.departments, self.notes = areas["district"], departments, []
        self.people = people
        self._np = np

    def rng(self, salt):
        return self._np.random.default_rng([self.seed, salt])


def _build(areas):
    departments = {code: factories.department(areas["district"], code, code)
                   for code in ("civil_affairs", "hrss", "education", "market", "health",
                                "emergency", "petitions")}
    for i in range(80):
        factories.person(areas["c11" if i % 2 else "c21"], name=f"居民{i}",
                         birth=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 27))
    demo.build(Ctx(areas, departments, 20_000))


@pytest.mark.django_db
def test_demo_puts_petitions_at_every_step_some_late(areas):
    _build(areas)
    states = set(Petition.objects.values_list("state", flat=True))
    assert {"registered", "accepted", "not_accepted", "replied", "review", "reviewed",
            "re_review", "re_reviewed", "concluded"} <= states
    today = datetime.date(2026, 11, 27)
    assert Petition.objects.filter(current_due__lt=today).exists()
    assert Petition.objects.filter(escalated_on__isnull=False).exists()
    assert Petition.objects.filter(extension_days=30).exists()
    assert Petition.objects.filter(repeat_of__isnull=False).exists()

