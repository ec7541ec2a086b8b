"""A general hazard through the whole loop in headless Chromium, and the live board."""

import pytest

from tests import factories
from tests.browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_general_hazard_loop_in_the_browser(page, live_server, areas):
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    factories.organization(areas["c11"], "滨海化工有限公司")
    factories.user("chief", "department_admin", areas["district"], department=dept)
    base = live_server.url
    login(page, base, "chief")
    page.goto(f"{base}/safety/hazards/new/")
    page.fill("input[name=enterprise]", "滨海化工有限公司")  # typed; suggestions as you type
    page.select_option("select[name=grade]", "general")
    page.fill("input[name=category]", "消防安全")
    page.fill("input[name=location]", "二号仓库")
    page.fill("textarea[name=description]", "灭火器压力不足")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/safety/hazards/*/")
    assert page.inner_text("#hazard-state") == "已排查"
    steps = [("#action-order", "整改中"), ("#action-apply_acceptance", "待验收"),
             ("#action-accept", "验收合格"), ("#action-write_off", "已销号")]
    for form, state in steps:
        page.click(f"{form} button[type=submit]")
        page.wait_for_load_state()
        assert page.inner_text("#hazard-state") == state
    assert page.locator("form.card button[type=submit]").count() == 0  # nothing left to do
    page.goto(f"{base}/safety/board/")
    assert "重大危险源实时监测" in page.inner_text("h1")
