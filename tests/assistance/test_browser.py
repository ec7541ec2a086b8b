"""A dibao application in the browser: portal form to payment roster, clocks visible."""

import datetime
import re

import pytest
from django.utils import timezone

from minsheng.assistance.models import DibaoCase
from minsheng.core.services import calendar_day_set, calendar_year_confirm
from tests import factories
from tests.assistance.conftest import sent_code
from tests.browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dibao_portal_to_roster(page, live_server):
    a = factories.district()
    head = factories.person(a["c11"], "王秀英", datetime.date(1958, 3, 2), male=False,
                            phone="13800001111")
    factories.household(a["c11"], [(head, "head")])
    factories.user("cw", "caseworker", a["s1"])
    factories.user("rv", "reviewer", a["s1"])
    factories.user("ap", "approver", a["district"])
    admin = factories.actor("admin", "system_admin", a["district"])
    # the 30-working-day clock runs into 2027: the district enters New Year's Day and
    # confirms the year (chinese-calendar does not know 2027 yet)
    calendar_day_set(actor=admin, date=datetime.date(2027, 1, 1), is_working_day=False,
                     note="元旦")
    calendar_year_confirm(actor=admin, year=2027, source="test calendar")
    base = live_server.url

    page.goto(f"{base}/assistance/apply/")
    page.fill("input[name=applicant_name]", "王秀英")
    page.fill("input[name=applicant_id_number]", head.id_number)
    page.click("main button[type=submit]")  # a code goes to the registered phone
    page.fill("input[name=code]", sent_code())
    page.fill("input[name=bank_account]", "6222000011112222")
    page.fill("input[name=m0_id]", head.id_number)
    page.fill("input[name=m0_wages]", "200")
    page.check("input[name=m0_authorised]")
    page.click("main button[type=submit]")
    page.wait_for_selector("#reference", timeout=10000)
    reference = page.inner_text("#reference")
    page.click("text=查询进度")  # the reference comes along; the ID number is posted
    page.fill("#status-form input[name=id_number]", head.id_number)
    page.click("#status-form button[type=submit]")
    assert page.inner_text("#state") == "已提交"

    case = DibaoCase.objects.get(reference=reference)
    url = f"{base}/assistance/cases/{case.pk}/"

    def act(name, **fields):
        form = page.locator(f"form[data-action={name}]")
        for field, value in fields.items():
            form.locator(f"[name={field}]").fill(value)
        form.locator("button[name=go]").click()
        page.wait_for_url(url)

    login(page, base, "cw")
    page.goto(url)
    act("accept")
    today = timezone.localdate()
    from minsheng.core.workdays import add_working_days
    due = add_working_days(today, 30)
    clocks = page.inner_text("table.clocks")
    assert add_working_days(today, 3).isoformat() in clocks
    assert due.isoformat() in clocks
    if today == datetime.date(2026, 11, 29):  # the holiday pushes the limit to Monday
        assert due == datetime.date(2027, 1, 11)
    act("start_investigation", investigators="李明,赵强", home_visit_note="入户核实")
    act("request_verification")
    act("start_verification")
    page.context.clear_cookies()
    login(page, base, "rv")
    page.goto(url)
    act("first_review", opinion="符合低保条件")
    page.context.clear_cookies()
    login(page, base, "cw")
    page.goto(url)
    act("publish_notice")
    assert "王秀英" in page.inner_text("main")
    DibaoCase.objects.filter(pk=case.pk).update(notice_end=today)  # 7 days pass
    page.goto(url)
    act("send_file")
    page.context.clear_cookies()
    login(page, base, "ap")
    page.goto(f"{base}/assistance/approvals/")
    page.click(f"text={reference}")
    page.wait_for_url(url)
    assert re.search(r"District decision|区级审批|审批", page.inner_text("table.clocks"))
    act("approve")
    assert page.inner_text("#case-state") in ("已批准", "Approved by the district")
    page.goto(f"{base}/assistance/payments/")
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    page.fill("input[name=month]", next_month.strftime("%Y-%m"))
    page.click("form.filters button[type=submit]")
    assert "6222000011112222" in page.inner_text("main")
    assert "1030" in page.inner_text("main")
