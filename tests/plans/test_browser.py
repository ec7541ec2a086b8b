"""Supervision flow end to end in headless Chromium: the supervisor sees an at-risk target,
its supervision item is open, and the lead department closes it with an outcome."""

import pytest

from minsheng.casework.models import FollowUp
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervision_flow(world, live_server, page):
    login(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/plans/")
    row = page.locator("tr[data-status=at_risk]").filter(has_text="登记失业率")
    assert row.count() == 1
    page.goto(f"{live_server.url}/plans/supervision/")
    item = page.locator("#supervision-items tr").filter(has_text="登记失业率")
    assert item.count() == 1
    page.context.clear_cookies()  # log out; the department takes over
    login(page, live_server.url, "hrss_admin")
    page.goto(f"{live_server.url}/plans/supervision/")
    item = page.locator("#supervision-items tr").filter(has_text="登记失业率")
    item.locator("textarea[name=outcome]").fill("已开展失业人员专项援助，新增公益岗位120个")
    item.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/plans/supervision/")
    closed = FollowUp.objects.get(kind="plan_supervision", title__contains="登记失业率")
    assert closed.state == "done" and "专项援助" in closed.outcome
