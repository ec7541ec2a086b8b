"""In a real browser: a referral goes up, is acknowledged, comes back down and leaves a
follow-up; an uninsured resident is found, reached, enrolled, and the coverage moves."""

import datetime

import pytest

from minsheng.casework.models import FollowUp
from minsheng.core.access import system_actor
from minsheng.primarycare import services
from minsheng.primarycare.models import Outreach, Referral
from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    areas = factories.district()
    d = areas["district"]
    health = factories.department(d, "health", "卫健委")
    hrss = factories.department(d, "hrss", "人社局")
    clinic = factories.organization(areas["s1"], "甲街道社区卫生服务中心", kind="clinic")
    hospital = factories.organization(areas["s2"], "区人民医院", kind="hospital")
    services.alliance_create(actor=system_actor(), name="区医联体", lead=hospital,
                             members=[clinic])
    factories.user("doctor", "caseworker", d, department=health)
    factories.user("insurer", "caseworker", d, department=hrss)
    return {**areas, "clinic": clinic, "hospital": hospital}


def _act(page, name, **fields):
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click(f"#act-{name} button[type=submit]")
    page.wait_for_load_state()


def test_referral_up_acknowledged_down_followup(live_server, page):
    w = _world()
    patient = factories.person(w["c11"], name="王五")
    login(page, live_server.url, "doctor")
    page.goto(f"{live_server.url}/primarycare/referrals/")
    page.click("a[href='/primarycare/referrals/new/']")
    page.fill("input[name=id_number]", patient.id_number)
    page.select_option("select[name=direction]", "up")
    page.select_option("select[name=urgency]", "urgent")
    page.select_option("select[name=from_facility]", str(w["clinic"].pk))
    page.select_option("select[name=to_facility]", str(w["clinic"].pk))
    page.fill("textarea[name=reason]", "血压控制不佳")
    page.click("#referral-form button[type=submit]")
    # refused in place (a facility does not refer to itself), the reason kept
    page.wait_for_selector("#referral-form .error")
    assert page.input_value("textarea[name=reason]") == "血压控制不佳"
    assert not Referral.objects.exists()
    page.select_option("select[name=to_facility]", str(w["hospital"].pk))
    page.click("#referral-form button[type=submit]")
    page.wait_for_selector("#state")
    assert "已发出" in page.inner_text("#state")
    assert "接诊机构确认接收" in page.inner_text("table.clocks")
    _act(page, "acknowledge")
    assert "已接收" in page.inner_text("#state")
    _act(page, "complete", **{"#act-complete textarea[name=outcome]": "已收治"})
    assert "已完成" in page.inner_text("#state")
    up = Referral.objects.get()
    assert up.state == "completed" and up.acknowledged_at is not None
    # back down to the community
    page.goto(f"{live_server.url}/primarycare/referrals/new/")
    page.fill("input[name=id_number]", patient.id_number)
    page.select_option("select[name=direction]", "down")
    page.select_option("select[name=urgency]", "routine")
    page.select_option("select[name=from_facility]", str(w["hospital"].pk))
    page.select_option("select[name=to_facility]", str(w["clinic"].pk))
    page.fill("textarea[name=reason]", "出院康复")
    page.click("#referral-form button[type=submit]")
    page.wait_for_selector("#state")
    _act(page, "acknowledge")
    _act(page, "complete", **{"#act-complete textarea[name=outcome]": "建立随访计划"})
    assert "已为签约家庭医生团队生成随访任务" in page.content()
    down = Referral.objects.get(direction="down")
    item = FollowUp.objects.get(pk=down.followup_id)
    assert item.state == "open" and "王五" in item.title
    page.click("a[href='/casework/followups/']")
    assert "王五" in page.content()


def test_uninsured_found_reached_enrolled_rate_moves(live_server, page):
    w = _world()
    factories.person(w["c11"], name="周五", birth=datetime.date(1990, 2, 2))
    login(page, live_server.url, "insurer")
    page.goto(f"{live_server.url}/primarycare/coverage/")
    row = page.locator("#rates tr", has_text="甲一社区")
    assert row.locator("td").nth(4).inner_text() == "1"
    page.goto(f"{live_server.url}/primarycare/coverage/uninsured/")
    page.locator("#uninsured tr", has_text="周五").locator("button").click()
    page.wait_for_selector("#state")
    assert "已发现" in page.inner_text("#state")
    _act(page, "contact", **{"#act-contact input[name=note]": "电话联系"})
    assert "已联系" in page.inner_text("#state")
    # enrolment date in the future: refused in place
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    page.select_option("#act-enrol select[name=scheme]", "pension_resident")
    page.fill("#act-enrol input[name=start_date]", future)
    page.click("#act-enrol button[type=submit]")
    page.wait_for_selector(".error")
    assert Outreach.objects.get().state == "contacted"
    page.select_option("#act-enrol select[name=scheme]", "pension_resident")
    page.fill("#act-enrol input[name=start_date]", datetime.date.today().isoformat())
    page.click("#act-enrol button[type=submit]")
    page.wait_for_selector("#enrolments")
    page.select_option("#act-enrol select[name=scheme]", "medical_resident") \
        if page.locator("#act-enrol").count() else None
    assert Outreach.objects.get().state == "enrolled"
    assert "城乡居民基本养老保险" in page.inner_text("#enrolments")
    # still uninsured for medical cover, so the pension column moved and the list remains
    page.goto(f"{live_server.url}/primarycare/coverage/")
    row = page.locator("#rates tr", has_text="甲一社区")
    assert row.locator("td").nth(2).inner_text() == "1"
