import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.foodsafety.services import operators as ops
from minsheng.inspections import services as engine
from tests import factories as f

ITEMS = [("持有效许可证", 5, True), ("从业人员健康证明", 5, False),
         ("原料进货查验记录", 10, False), ("餐具清洗消毒", 10, False)]


@pytest.fixture
def food(areas):
    """The market regulation department, its staff and inspectors, a checklist and two
    operators (one per subdistrict)."""
    market = f.department(areas["district"], "market", "市场监督管理局")
    civil = f.department(areas["district"], "civil_affairs", "民政局")
    staff = f.actor("food", "caseworker", areas["district"], department=market)
    admin = f.actor("food_admin", "department_admin", areas["district"], department=market)
    checklist = engine.checklist_create(actor=system_actor(), permission="foodsafety.plan",
                                        area=areas["district"], domain="foodsafety",
                                        code="FS-CATERING", title="餐饮服务检查表",
                                        items=ITEMS)
    inspectors = [engine.inspector_register(actor=system_actor(), permission="foodsafety.plan",
                                            department=market, name=f"执法员{i}",
                                            badge=f"SC{i:04d}") for i in range(5)]
    o1 = ops.operator_register(actor=system_actor(), organization=f.organization(
        areas["c11"], "甲一餐馆"), category="catering", scale="small", population_served=100)
    o2 = ops.operator_register(actor=system_actor(), organization=f.organization(
        areas["c21"], "乙一药房"), category="pharmacy")
    return {"market": market, "civil": civil, "staff": staff, "admin": admin,
            "checklist": checklist, "inspectors": inspectors, "o1": o1, "o2": o2,
            "today": datetime.date.today()}


def all_pass(checklist, **overrides):
    answers = {str(i.number): "pass" for i in checklist.items.all()}
    answers.update({str(k): v for k, v in overrides.items()})
    return answers
