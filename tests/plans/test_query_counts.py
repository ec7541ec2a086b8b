"""The number of queries of every plan list page and list endpoint does not grow with the
rows listed (targets, items, drafts, progress reports, supervision items)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minsheng.casework.models import FollowUp
from minsheng.core.dates import add_months, month_start
from minsheng.indicators.models import Indicator
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["/plans/", "/plans/league/", "/plans/report/", "/plans/supervision/",
         "/plans/supervision/?state=", "/plans/{plan}/review/", "/api/plans/",
         "/api/plans/{plan}/items", "/api/plans/{plan}/targets", "/casework/followups/"]


def grow(small, start: int, n: int) -> None:
    """n more measures, each with a target, a draft, last month's report and a supervision
    item, and n more (draft) plans beside the active one (rows created directly: only their
    number matters here)."""
    plan, hrss = small["plan"], small["hrss"]
    Plan.objects.filter(pk=plan.pk).update(state="active")
    section = PlanItem.objects.get(plan=plan, number="二.(一)")
    indicator = Indicator.objects.get(code="registered_unemployment_rate")
    last_month = add_months(month_start(timezone.localdate()), -1)
    for i in range(start, start + n):
        item = PlanItem.objects.create(plan=plan, parent=section, chapter=section.parent,
                                       level="measure", number=f"二.(一).{i + 10}",
                                       title=f"措施{i}", text=f"措施{i}。", position=100 + i,
                                       lead_department=hrss)
        item.co_departments.add(small["supervision"])
        target = Target.objects.create(plan=plan, item=item, name=f"目标{i}",
                                       indicator=indicator, area=plan.area, kind="ceiling",
                                       value=3.5, deadline=datetime.date(2027, 12, 31),
                                       lead_department=hrss)
        TargetDraft.objects.create(plan=plan, item=item, text=f"目标{i}",
                                   indicator_phrase=f"目标{i}")
        ProgressReport.objects.create(item=item, department=hrss, period=last_month,
                                      progress="on_schedule", narrative="按计划推进")
        Plan.objects.create(title=f"另一方案{i}", area=plan.area)
        FollowUp.objects.create(kind="plan_supervision", title=f"目标{i}：有风险",
                                area=plan.area, department=hrss,
                                due_date=datetime.date(2026, 12, 1),
                                source_type="plans.target", source_id=str(target.pk))


@pytest.mark.parametrize("url", PAGES)
def test_list_query_count_does_not_grow_with_rows(small, url):
    url = url.format(plan=small["plan"].pk)
    client = Client()
    client.force_login(factories.user("admin", "system_admin", small["areas"]["district"],
                                      department=small["hrss"]))

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    grow(small, 0, 3)
    count()  # warm-up (session, content types)
    few = count()
    grow(small, 3, 6)
    assert count() == few
