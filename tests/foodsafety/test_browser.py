"""A day in the life in headless Chromium: draw -> inspection on a phone-sized screen ->
finding -> rectification -> re-inspection -> published."""

import datetime

import pytest

from minsheng.foodsafety.models import Inspection, Rectification
from tests.browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_draw_to_published_in_the_browser(page, live_server, food, tmp_path):
    base = live_server.url
    login(page, base, "food_admin")
    page.goto(f"{base}/foodsafety/plans/")
    page.click("summary")
    page.fill("#plan-form input[name=name]", "本年度餐饮双随机抽查")
    page.select_option("#plan-form select[name=category]", "catering")
    page.fill("#plan-form input[name=sample_size]", "1")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/foodsafety/plans/*/")
    page.fill("#draw-form input[name=seed]", "2026")
    page.click("#draw-form button[type=submit]")
    page.wait_for_load_state()
    assert "2026" in page.inner_text("#draw-log") and "结果一致" in page.inner_text("#draw-log")
    page.click("table a[href*='/foodsafety/inspections/']")
    page.wait_for_url("**/foodsafety/inspections/*/")
    # the checklist on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    for n in (1, 2, 4):
        page.check(f"#record-form input[name=item_{n}][value=pass]")
    page.check("#record-form input[name=item_3][value=fail]")
    page.fill("#record-form input[name=remark_3]", "无进货查验记录")
    page.screenshot(path=str(tmp_path / "checklist-phone.png"), full_page=True)
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state()
    page.set_viewport_size({"width": 1280, "height": 900})
    rect = Rectification.objects.get()
    page.goto(f"{base}/foodsafety/rectifications/{rect.pk}/")
    assert page.inner_text("#rect-state") == "责令整改中"
    team = set(Inspection.objects.get(pk=rect.inspection_id).inspectors
               .values_list("pk", flat=True))
    others = [i.pk for i in food["inspectors"] if i.pk not in team][:2]
    for pk in others:
        page.check(f"#reinspect-form input[name=inspectors][value='{pk}']")
    page.click("#reinspect-form button[type=submit]")
    page.wait_for_url("**/foodsafety/inspections/*/")
    assert "无进货查验记录" in page.content()  # the earlier violation is on the re-inspection
    for n in (1, 2, 3, 4):
        page.check(f"#record-form input[name=item_{n}][value=pass]")
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state()
    rect.refresh_from_db()
    assert rect.state == "passed" and rect.passed_on == datetime.date.today()
    page.goto(f"{base}/foodsafety/plans/{rect.inspection.plan_id}/")
    page.click("#publish-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/foodsafety/public/")
    assert food["o1"].organization.name in page.content()
