"""A day in the life, in headless Chromium: a planner's project lies in a construction-
control zone; the check opens a consent case with its clock; the culture department's
approver decides it. The map draws the zones and the project."""

import json

import pytest

from tests import factories
from tests.browser import login
from tests.culture.conftest import A, east, square, zoned_site


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_project_in_control_zone_to_consent_decision(page, live_server, areas):
    dept = factories.department(areas["district"], "culture", "文化和旅游局")
    factories.user("wenwu", "caseworker", areas["district"], department=dept)
    factories.user("shenpi", "approver", areas["district"], department=dept)
    zoned_site(factories.SYSTEM(), areas["c11"], "WB0001", A)
    base = live_server.url

    login(page, base, "wenwu")
    page.goto(f"{base}/culture/checks/new/")
    page.fill("input[name=project_name]", "海港小区二期")
    page.fill("input[name=applicant]", "滨海置业有限公司")
    page.select_option("select[name=area]", "120199001001")
    page.fill("textarea[name=geometry]", json.dumps(square(east(*A, 250), A[1], 30)))
    page.click("#check-form button[type=submit]")
    page.wait_for_url("**/culture/checks/*/")
    assert "建设控制地带" in page.inner_text("#check-result")
    assert "WB0001" in page.inner_text("#explanation")
    page.wait_for_selector("#map-check-map[data-drawn]")
    assert int(page.get_attribute("#map-check-map", "data-drawn")) >= 3  # 2 zones + project
    page.screenshot(path="/tmp/culture_check.png", full_page=True)
    consent_url = page.get_attribute("#consent-link", "href")

    page.context.clear_cookies()
    login(page, base, "shenpi")
    page.goto(f"{base}{consent_url}")
    assert page.inner_text("#consent-state") == "审查中"
    assert "20个工作日" in page.inner_text("table.clocks")
    page.select_option("select[name=decision]", "approve")
    page.fill("textarea[name=reason]", "方案不影响历史风貌")
    page.fill("textarea[name=conditions]", "建筑限高12米")
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#consent-state") == "已同意"
    assert page.locator("#decide-form").count() == 0
    page.screenshot(path="/tmp/culture_consent.png", full_page=True)
