"""Emergency temporary help in the browser: the amount shows its approval level as it is
typed, the grant is paid at once, the paperwork is completed, the case closes."""

import datetime

import pytest

from tests import factories
from tests.browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_emergency_grant_help_first_then_paperwork(page, live_server):
    a = factories.district()
    head = factories.person(a["c11"], "王秀英", datetime.date(1968, 3, 2), male=False)
    factories.household(a["c11"], [(head, "head")])
    factories.user("cw", "caseworker", a["s1"])
    base = live_server.url

    login(page, base, "cw")
    page.goto(f"{base}/assistance/")
    page.click("#other-programmes >> text=临时救助")
    page.wait_for_selector("#temporary-grants")
    page.click("text=新临时救助")
    page.wait_for_selector("#temporary-form")
    page.check("input[name=kind][value=emergency]")
    page.fill("input[name=applicant_id_number]", head.id_number)
    page.fill("input[name=cause]", "火灾")
    page.fill("input[name=amount]", "20000")
    page.wait_for_selector("#level-result.bad")  # above 12 x the standard
    page.fill("input[name=amount]", "3000")
    page.wait_for_selector("#level-result.ok")
    assert "街道" in page.inner_text("#level")
    page.click("#temporary-form button[type=submit]")
    page.wait_for_selector("#grant-state")
    assert page.inner_text("#grant-state") == "已先行救助"
    assert "3000" in page.inner_text("#grant-amount")

    while page.locator("form[data-obligation]").count():
        before = page.locator("form[data-obligation]").count()
        page.locator("form[data-obligation] button").first.click()
        page.wait_for_function(
            f"document.querySelectorAll('form[data-obligation]').length < {before}")
    page.wait_for_selector("#paperwork-done")
    page.click("form[data-action=complete] button[name=go]")
    page.wait_for_selector("#grant-state:has-text('已完成')")
    assert "手续已补齐" in page.inner_text("#timeline")
    assert page.locator("form[data-action]").count() == 0
