import re

import pytest

from minsheng.employment.models import BenefitClaim, JobSeeker, Placement
from tests import factories
from tests.browser import login
from tests.employment.conftest import make_posting


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caseworker_registers_seeker_unemployment_benefit_and_placement(page, live_server,
                                                                         world):
    posting = make_posting(world)
    person = factories.person(world["areas"]["c12"], "周九")
    login(page, live_server.url, "cw")
    page.goto(f"{live_server.url}/employment/seekers/new/")
    page.fill("#id_number", person.id_number)
    page.click("button:has-text('查找居民')")
    page.wait_for_selector("#person-ok")
    assert "周九" in page.inner_text("#person-ok")
    page.fill("input[name=occupation_0]", "4-02-07-02 快递员")
    page.fill("input[name=skills]", "驾驶、扫码出入库、客户沟通")
    page.fill("input[name=salary_min]", "4500")
    page.fill("input[name=salary_max]", "7000")
    page.check("input[name=key_groups][value=g4050]")
    page.click("#seeker-form button[type=submit]")
    page.wait_for_url(re.compile(r"/employment/seekers/\d+/$"))
    page.wait_for_selector("#form-register")
    seeker = JobSeeker.objects.get(person=person)
    assert seeker.difficulty and "求职者已登记" in page.inner_text("#messages")

    page.select_option("#form-register select[name=separation_reason]", "layoff")
    page.fill("#form-register input[name=contribution_years]", "6")
    page.click("#form-register button[type=submit]")
    page.wait_for_selector("#benefit-terms")
    assert "18 个月" in page.inner_text("#benefit-terms")

    page.click("#form-benefit button[type=submit]")
    page.wait_for_selector("#registrations .benefit")
    assert "2088.00" in page.inner_text("#registrations")
    assert BenefitClaim.objects.filter(seeker=seeker, months=18).exists()

    # a bad placement (no post, no employer) shows the message in place and saves nothing
    page.click("#form-placement button[type=submit]")
    page.wait_for_selector("#messages .msg.error")
    assert "统一社会信用代码" in page.inner_text("#messages")
    assert not Placement.objects.exists()

    page.select_option("#form-placement select[name=posting]", str(posting.pk))
    page.click("#form-placement button[type=submit]")
    page.wait_for_selector("#placements li:has-text('港城物流有限公司')")
    assert Placement.objects.get(seeker=seeker).posting_id == posting.pk
