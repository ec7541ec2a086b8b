"""In headless Chromium: a supervisor defines an indicator (the formula is checked as it is
typed, with a preview of the district value) and cascades a district target to subdistricts."""

import pytest

from minsheng.indicators.models import Indicator
from minsheng.plans.models import Target
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_define_indicator_and_cascade_target(world, live_server, page):
    base = live_server.url
    login(page, base, "supervisor")
    page.click("nav.mainnav >> text=指标定义")
    page.wait_for_selector("#element-list")
    page.click("text=新建指标")
    page.wait_for_selector("#indicator-form")
    page.fill("input[name=code]", "unemployed_per_employed")
    page.fill("input[name=name]", "失业就业比")
    page.fill("textarea[name=formula]", "employment.registered_unemployed / employment.nobody")
    page.wait_for_selector("#formula-check [data-check=unknown]")
    assert "employment.nobody" in page.inner_text("#formula-check")
    page.fill("textarea[name=formula]",
              "employment.registered_unemployed / employment.employed * 100")
    page.wait_for_selector("#formula-check [data-check=ok]")
    page.wait_for_selector("#formula-preview")
    assert "测试区" in page.inner_text("#formula-preview")
    page.click("#indicator-form button[type=submit]")
    page.wait_for_selector("#indicator-unemployed_per_employed")
    assert Indicator.objects.filter(code="unemployed_per_employed").exists()

    target = Target.objects.get(indicator__code="registered_unemployment_rate", parent=None)
    s1, s2 = world["areas"]["s1"], world["areas"]["s2"]
    page.goto(f"{base}/plans/targets/{target.pk}/")
    page.click("#cascade-link")
    page.wait_for_selector("#cascade-form")
    page.fill(f"#sub-{s1.id}", "1")
    page.fill(f"#sub-{s2.id}", "2")
    page.click("#cascade-form button[type=submit]")
    page.wait_for_selector("#messages .msg.error")
    assert "平均为 1.5" in page.inner_text("#messages")
    assert not Target.objects.filter(parent=target).exists()
    page.fill(f"#sub-{s1.id}", f"{target.value - 0.3:g}")
    page.fill(f"#sub-{s2.id}", f"{target.value + 0.3:g}")
    page.click("#cascade-form button[type=submit]")
    page.wait_for_selector("#by-subdistrict")
    page.wait_for_selector("[data-derived=sub-target]")
    assert page.locator("[data-derived=sub-target]").count() == 2
    assert Target.objects.filter(parent=target).count() == 2
