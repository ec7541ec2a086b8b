import datetime

import pytest
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.employment import services
from tests import factories


@pytest.fixture
def world(areas):
    hrss = factories.department(areas["district"], "hrss", "人社局")
    employer = factories.organization(areas["c11"], "港城物流有限公司", industry_code="G5431")
    far = factories.organization(areas["c22"], "远方制造有限公司", industry_code="C3011")
    caseworker = factories.actor("cw", "caseworker", areas["s1"])
    reviewer = factories.actor("rv", "reviewer", areas["district"])
    admin = factories.actor("adm", "department_admin", areas["district"], department=hrss)
    return {"areas": areas, "hrss": hrss, "employer": employer, "far": far,
            "caseworker": caseworker, "reviewer": reviewer, "admin": admin}


def make_posting(world, *, employer=None, publish=True, **overrides):
    today = timezone.localdate()
    data = dict(occupation_code="4-02-07-02", title="快递员",
                description="负责片区快递派送，电动车",
                requirements="会骑电动车", skills=["驾驶", "扫码出入库", "客户沟通"],
                salary_min=5000, salary_max=8000, openings=3, shift="day",
                valid_until=today + datetime.timedelta(days=30))
    data.update(overrides)
    posting = services.posting_create(actor=system_actor(), employer=employer or world["employer"],
                                      **data)
    if publish:
        services.posting_review(actor=system_actor(), posting=posting, approve=True,
                                note="ok", version=posting.version)
    return posting


def make_seeker(world, area_key="c12", **overrides):
    person = factories.person(world["areas"][area_key], "李四")
    data = dict(status="unemployed", education=2, occupation_codes=["4-02-07-02"],
                skills=["驾驶", "扫码出入库", "客户沟通"], salary_min=4500, salary_max=7000,
                experience_years=2, max_commute_minutes=45, key_groups=["g4050"])
    data.update(overrides)
    return services.seeker_create(actor=system_actor(), person=person, **data)
