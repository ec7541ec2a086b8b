"""In a real browser: the doctor files a case report through the page, sees the signal on
the alert board, verifies it and closes it."""

import datetime

import pytest
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.health import services
from minsheng.health.models import Alert, CaseReport
from tests import factories
from tests.browser import login
from tests.health.conftest import fake_detect, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    # transactional tests flush the data migration's rows
    services.diseases_sync(actor=system_actor())
    areas = factories.district()
    d = areas["district"]
    dept = factories.department(d, "health", "卫健委")
    return {**areas, "doctor": factories.actor("doctor", "caseworker", d, department=dept),
            "clinic": factories.organization(areas["s1"], "卫生服务中心", kind="clinic")}


def test_doctor_files_a_case_report(live_server, page):
    h = _world()
    patient = factories.person(h["c11"], name="王五")
    login(page, live_server.url, "doctor")
    page.goto(f"{live_server.url}/health/")
    page.click("a[href='/health/cases/new/']")
    now = timezone.localtime() - datetime.timedelta(minutes=30)
    page.fill("input[name=id_number]", patient.id_number)
    page.select_option("select[name=disease]", "hfmd")
    page.select_option("select[name=status]", "clinical")
    page.fill("input[name=onset_date]", now.date().isoformat())  # after the diagnosis
    page.fill("input[name=diagnosed_at]",
              (now - datetime.timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=note]", "托幼机构")
    page.click("#case-form button[type=submit]")
    # refused in place, the input kept: the onset date is after the diagnosis
    page.wait_for_selector("#case-form .field-error")
    assert page.input_value("textarea[name=note]") == "托幼机构"
    assert not CaseReport.objects.exists()
    page.fill("input[name=onset_date]", (now.date() - datetime.timedelta(days=3)).isoformat())
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#case-facts")
    report_ = CaseReport.objects.get()
    assert report_.person == patient and report_.late  # 30 hours after diagnosis
    assert "王*" in page.locator("#case-facts").inner_text()
    assert "逾期完成" in page.locator("#clocks").inner_text()


def test_alert_board_verify_and_close(live_server, page):
    h = _world()
    areas = h
    for _ in range(3):
        report(h, disease="hfmd", community="c11")
    services.detection_run(actor=h["doctor"], detect=fake_detect, lookback=0)
    alert = Alert.objects.get(area=areas["s1"])
    login(page, live_server.url, "doctor")
    page.goto(f"{live_server.url}/health/")
    page.wait_for_selector("#alert-board .alert-row")
    assert "手足口病" in page.locator("#alert-board").inner_text()
    page.click(f"#alert-board a[href='/health/alerts/{alert.pk}/']")
    page.fill("#form-verify textarea[name=finding]", "已电话核实报告单位，病例属实")
    page.click("#form-verify button[type=submit]")
    # the close form is there from the start; wait until the verification has landed
    page.wait_for_selector("#form-verify", state="detached")
    page.wait_for_selector("#form-close")
    alert.refresh_from_db()
    assert alert.state == "verified" and alert.response_hours is not None
    page.fill("#form-close textarea[name=outcome]", "散发病例，无流行病学关联")
    page.click("#form-close button.secondary")
    page.wait_for_function("!document.querySelector('#form-close')")
    alert.refresh_from_db()
    assert alert.state == "closed_no_outbreak"
    assert "散发病例" in page.locator("#timeline").inner_text()
    page.goto(f"{live_server.url}/health/")
    assert page.locator(f"#alert-board a[href='/health/alerts/{alert.pk}/']").count() == 0
