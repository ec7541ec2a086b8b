import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.core.models import Person
from minsheng.demo.build import DemoContext
from minsheng.indicators import registry
from tests import factories

TODAY = datetime.date(2026, 11, 29)
DEPARTMENTS = ["hrss", "education", "health", "civil_affairs", "supervision", "culture",
               "emergency", "market", "petitions"]


@pytest.fixture
def core_sources_only(monkeypatch):
    """Other modules may register sources; these tests pin the demo's generated data."""
    monkeypatch.setattr(registry, "SOURCES",
                        {k: v for k, v in registry.SOURCES.items() if k.startswith("core.")})


def people(areas, per_community=30):
    rows = []
    for key in ("c11", "c12", "c21", "c22"):
        for i in range(per_community):
            birth = datetime.date(1950 + (i * 7) % 70, 1 + i % 12, 1 + i % 27)
            rows.append(Person(id_number=factories.id_number(birth), name=f"居民{i}", sex="M",
                               birth_date=birth, residence_area=areas[key]))
    Person.objects.bulk_create(rows)


@pytest.fixture
def world(areas, core_sources_only):
    """The test district with departments, staff, residents and the demo plan built."""
    from minsheng.plans.demo import build

    departments = {code: factories.department(areas["district"], code, f"{code}局")
                   for code in DEPARTMENTS}
    people(areas)
    ctx = DemoContext(seed=7, people=120, today=TODAY, actor=system_actor(),
                      district=areas["district"], subdistricts=[areas["s1"], areas["s2"]],
                      communities=[areas[k] for k in ("c11", "c12", "c21", "c22")],
                      departments=departments)
    build(ctx)
    users = {
        "supervisor": factories.user("supervisor", "plan_supervisor", areas["district"],
                                     department=departments["supervision"]),
        "hrss": factories.user("hrss_admin", "department_admin", areas["district"],
                               department=departments["hrss"]),
        "entry": factories.user("entry", "data_entry", areas["s1"],
                                department=departments["hrss"]),
        "health": factories.user("health_admin", "department_admin", areas["district"],
                                 department=departments["health"]),
    }
    from minsheng.plans.models import Plan

    return {"areas": areas, "departments": departments, "users": users, "ctx": ctx,
            "plan": Plan.objects.get()}


SMALL_PLAN = """某区民生实施方案
一、总体要求
（一）主要目标
到2027年，城镇登记失业率控制在3.5%以内，新增就业21500人。
二、保障措施
（一）加强组织领导
1.压实责任。
2.强化督查。
"""


@pytest.fixture
def small(areas):
    """A small plan without values (fast): one confirmed target (unemployment rate, lead
    department hrss), one draft left for review (new jobs), two measures led by hrss."""
    from minsheng.indicators import services as indicator_services
    from minsheng.indicators.models import Indicator
    from minsheng.plans import services
    from minsheng.plans.models import PlanItem, TargetDraft

    system = system_actor()
    indicator_services.catalogue_ensure()
    hrss = factories.department(areas["district"], "hrss", "人社局")
    supervision = factories.department(areas["district"], "supervision", "督查室")
    plan = services.plan_import(actor=system, text=SMALL_PLAN, area=areas["district"],
                                name="small.txt")
    for item in PlanItem.objects.filter(plan=plan, level="measure"):
        services.item_update(actor=system, item=item, version=item.version, lead_department=hrss)
    draft = TargetDraft.objects.get(plan=plan, suggested_indicator="registered_unemployment_rate")
    target = services.draft_confirm(
        actor=system, draft=draft, version=draft.version,
        indicator=Indicator.objects.get(code="registered_unemployment_rate"), kind="ceiling",
        value=3.5, deadline=datetime.date(2027, 12, 31), lead_department=hrss)
    plan.refresh_from_db()
    return {"areas": areas, "plan": plan, "target": target, "hrss": hrss,
            "supervision": supervision,
            "draft": TargetDraft.objects.get(plan=plan, state="draft"),
            "measure": PlanItem.objects.filter(plan=plan, level="measure").order_by("position")
            .first()}
