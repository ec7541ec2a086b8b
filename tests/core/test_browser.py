"""A staff member logs in with a real browser and opens the people list."""

import pytest

from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_people_list(live_server, page, tmp_path):
    areas = factories.district()
    factories.user("jiedao", "caseworker", areas["s1"])
    factories.person(areas["c11"], name="欧阳明月")
    factories.person(areas["c21"], name="不可见者")
    login(page, live_server.url, "jiedao")
    assert "您好" in page.content()
    page.click("text=人员")
    page.wait_for_selector("text=欧阳明月")
    assert "不可见者" not in page.content()
    # search as you type (htmx) narrows the table
    page.fill("input[name=q]", "欧阳")
    page.wait_for_timeout(600)
    assert page.locator("#person-results tbody tr").count() == 1
    page.screenshot(path=str(tmp_path / "people.png"), full_page=True)
    page.click("text=欧阳明月")
    page.wait_for_selector("text=查看明文（记入审计）")
    page.click("#id-number + button")
    page.wait_for_selector(".revealed")
