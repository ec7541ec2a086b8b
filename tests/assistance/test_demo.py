import pytest

from minsheng.assistance import demo
from minsheng.assistance.models import DibaoCase
from minsheng.core.access import system_actor
from minsheng.core.models import CalendarYear
from minsheng.demo.build import DemoContext
from tests.assistance.conftest import D

pytestmark = pytest.mark.django_db


def test_demo_builder_is_deterministic_and_confirms_2027(world):
    ctx = DemoContext(seed=3, people=20000, today=D(2026, 11, 29), actor=system_actor(),
                      district=world["district"], subdistricts=[world["s1"], world["s2"]],
                      communities=[world["c11"], world["c12"]], departments={})
    demo.build(ctx)
    assert CalendarYear.objects.filter(year=2027).exists()
    assert DibaoCase.objects.count() == 1
    assert any("2027" in n for n in ctx.notes)
