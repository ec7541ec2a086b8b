"""A major hazard through its whole loop in headless Chromium: report, the principal
leader's rectification plan, listed supervision with suspension, acceptance, write-off."""

import datetime

import pytest
from playwright.sync_api import expect

from minsheng.safety.models import Hazard, Publication
from tests import factories
from tests.browser import login


def _state(page, label: str) -> None:
    """Wait until the page shows the hazard in this state (only after the action lands)."""
    page.wait_for_selector(f"#hazard-state:text-is('{label}')")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_major_hazard_loop_in_the_browser(page, live_server, areas):
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    factories.organization(areas["c11"], "滨海化工有限公司")
    factories.user("chief", "department_admin", areas["district"], department=dept)
    base = live_server.url
    login(page, base, "chief")

    page.goto(f"{base}/safety/hazards/new/")
    page.fill("input[name=enterprise]", "滨海化工有限公司")  # typed; suggestions as you type
    page.select_option("select[name=grade]", "major")
    page.fill("input[name=category]", "危险化学品")
    page.fill("input[name=location]", "液氨罐区")
    page.fill("textarea[name=description]", "液氨储罐安全阀失效")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/safety/hazards/*/")
    _state(page, "已排查")
    # a major hazard has no rectification order, only the principal leader's plan
    assert page.locator("#action-order").count() == 0

    limit = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    plan = page.locator("#action-submit_plan")
    plan.locator("textarea[name=goals]").fill("消除安全阀失效隐患")
    plan.locator("textarea[name=methods]").fill("停用储罐，更换安全阀并校验")
    plan.locator("input[name=funds]").fill("专项资金20万元")
    plan.locator("input[name=responsible]").fill("设备部 周磊")
    plan.locator("input[name=time_limit]").fill(limit)
    plan.locator("textarea[name=safety_measures]").fill("罐区警戒、倒罐")
    plan.locator("textarea[name=emergency_plan]").fill("液氨泄漏现场处置方案")
    plan.locator("input[name=principal]").fill("王建国")
    plan.locator("button[type=submit]").click()
    _state(page, "整改中")
    body = page.inner_text("body")
    assert "治理方案" in body and "王建国" in body and "专项资金20万元" in body

    page.fill("input[name=listed_by]", "区安委会")
    page.select_option("select[name=suspension]", "partial")
    page.click("form:has(input[name=listed_by]) button[type=submit]")
    page.wait_for_selector("dd:has-text('区安委会')")
    facts = page.inner_text("dl.facts")
    assert "挂牌督办" in facts and "局部停产停业" in facts
    assert page.locator("input[name=listed_by]").count() == 0  # listed once only

    steps = [("#action-apply_acceptance", "待验收"), ("#action-accept", "验收合格"),
             ("#action-write_off", "已销号")]
    for form, state in steps:
        page.click(f"{form} button[type=submit]")
        _state(page, state)
    assert page.locator("form.card button[type=submit]").count() == 0  # nothing left to do

    hazard = Hazard.objects.get()
    assert hazard.grade == "major" and hazard.listed and hazard.suspension == "partial"
    assert hazard.reported_to_department_at is not None and hazard.written_off_on
    # listing and write-off are both due for publication; publish them from the overview
    assert set(Publication.objects.values_list("kind", flat=True)) == {"listing", "write_off"}
    page.goto(f"{base}/safety/")
    page.locator("form[action*='/publish/'] button").first.click()
    expect(page.locator("form[action*='/publish/']")).to_have_count(1)  # one left to do
    assert Publication.objects.filter(published_at__isnull=False).count() == 1
    page.goto(f"{base}/safety/public/releases/")
    assert hazard.number in page.inner_text("body")
