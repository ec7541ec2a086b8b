"""The doctor sees a signal on the alert board, verifies it and closes it in a real browser."""

import pytest

from minsheng.health import services
from minsheng.health.models import Alert, Disease
from minsheng.health.reference import sync_diseases
from tests import factories
from tests.browser import login
from tests.health.conftest import fake_detect, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alert_board_verify_and_close(live_server, page):
    sync_diseases(Disease)  # transactional tests flush the data migration's rows
    areas = factories.district()
    d = areas["district"]
    dept = factories.department(d, "health", "卫健委")
    h = {**areas, "doctor": factories.actor("doctor", "caseworker", d, department=dept),
         "clinic": factories.organization(areas["s1"], "卫生服务中心", kind="clinic")}
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
