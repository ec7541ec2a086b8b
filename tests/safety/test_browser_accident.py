"""A day in the life, through pages only: the department reports an accident (the
enterprise found by typing part of its name), reads its clocks, records the unit's
casualty change, drafts, approves and publishes the information release, and the public
page shows it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from minsheng.safety.models import Accident, Release
from tests import factories
from tests.browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_accident_reported_and_released_in_the_browser(page, live_server, areas):
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    factories.organization(areas["c11"], "滨海化工有限公司")
    factories.organization(areas["c12"], "滨海物流有限公司")
    factories.user("chief", "department_admin", areas["district"], department=dept)
    base = live_server.url
    login(page, base, "chief")

    page.goto(f"{base}/safety/accidents/")
    page.click("#report-accident")
    page.fill("input[name=title]", "仓库火灾事故")
    page.select_option("select[name=kind]", "fire")
    field = page.locator("input[name=enterprise]")
    field.press_sequentially("滨海", delay=50)
    expect(page.locator("#enterprise-options option")).to_have_count(2)  # suggestions
    field.fill("滨海化工有限公司")
    occurred = timezone.localtime() - datetime.timedelta(hours=2)
    page.fill("input[name=occurred_at]", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "二号仓库")
    page.fill("input[name=deaths]", "1")
    page.click("#accident-form button[type=submit]")
    page.wait_for_url("**/safety/accidents/*/")
    expect(page.locator("table.clocks")).to_contain_text("事故单位报告")
    assert Accident.objects.get().enterprise.name == "滨海化工有限公司"

    page.click("#action-casualties summary")
    page.fill("#action-casualties input[name=deaths]", "3")
    page.click("#action-casualties button[type=submit]")
    expect(page.locator("#casualties")).to_contain_text("3")
    assert Accident.objects.get().grade == "larger"

    page.fill("#release-draft input[name=title]", "关于仓库火灾事故的情况通报")
    page.fill("#release-draft textarea[name=body]", "事故原因正在调查中。")
    page.click("#release-draft button[type=submit]")
    page.wait_for_load_state()
    for label in ("通过", "发布"):
        page.locator("tr[id^=release-] button", has_text=label).click()
        page.wait_for_load_state()
    expect(page.locator("tr[id^=release-]")).to_contain_text("已发布")
    assert Release.objects.get().state == "published"
    page.goto(f"{base}/safety/public/releases/")
    expect(page.locator("main")).to_contain_text("关于仓库火灾事故的情况通报")
