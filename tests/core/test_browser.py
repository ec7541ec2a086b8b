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


def test_stale_edit_shows_a_clear_message(live_server, page):
    from minsheng.core import services
    from minsheng.core.access import system_actor

    areas = factories.district()
    factories.user("jiedao", "caseworker", areas["s1"])
    person = factories.person(areas["c11"], name="上官云", address="旧址")
    login(page, live_server.url, "jiedao")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    # someone else saves the record after the page was opened
    services.person_update(actor=system_actor(), person=person, version=1, address="别人改的")
    page.fill("input[name=address]", "我改的")
    page.click("form[hx-post] button[type=submit]")
    page.wait_for_selector("#messages .msg.error")
    assert "其他人" in page.inner_text("#messages")
    person.refresh_from_db()
    assert person.address == "别人改的"


def test_contact_edit_certificate_and_organization_address_through_pages(live_server, page):
    areas = factories.district()
    factories.user("jiedao", "caseworker", areas["s1"])
    person = factories.person(areas["c11"], name="司马青", address="旧址")
    org = factories.organization(areas["c11"], name="海通物流有限公司", address="旧厂址")
    login(page, live_server.url, "jiedao")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    assert "未登记残疾人证" in page.content()
    page.fill("input[name=address]", "新址 8 号")
    page.click("form[hx-post] button[type=submit]")
    page.wait_for_selector("#messages .msg.success")  # the page reloads with a message
    assert page.input_value("input[name=address]") == "新址 8 号"
    # a wrong date is refused in place, with what was typed kept
    page.select_option("select[name=category]", "4")
    page.select_option("select[name=grade]", "2")
    page.fill("input[name=issued_on]", "2999-01-01")
    page.click("#disability button[type=submit]")
    page.wait_for_selector("#disability .msg.error")
    assert page.input_value("select[name=category]") == "4"
    page.fill("input[name=issued_on]", "2021-06-01")
    page.click("#disability button[type=submit]")
    page.wait_for_selector("text=肢体残疾")
    assert "当前有效" in page.inner_text("#disability")
    page.goto(f"{live_server.url}/organizations/{org.pk}/")
    page.click("text=修改")
    page.fill("input[name=address]", "临港工业园 3 号")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=临港工业园 3 号")
    org.refresh_from_db()
    assert org.address == "临港工业园 3 号" and org.version == 2
