import pytest

from tests.browser import login
from tests.employment.conftest import make_posting, make_seeker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caseworker_opens_seeker_sees_filters_and_scores_and_confirms_occupations(
        page, live_server, world):
    make_posting(world)
    make_posting(world, title="电工", occupation_code="6-31-01-03", skills=["电路检修"],
                 requirements="须持电工证")
    seeker = make_seeker(world, occupation_codes=[], wanted_text="送快递，也能修电路")
    login(page, live_server.url, "cw")
    page.goto(f"{live_server.url}/employment/seekers/{seeker.pk}/")
    assert "未确认" in page.locator("#occupations").inner_text()
    checks = page.locator("#recommendations .checks").first.inner_text()
    assert "通勤约" in checks
    assert "职业相符" in page.locator("#recommendations .reasons").first.inner_text()
    rules = page.locator("#match-rules").inner_text()
    assert "不满足即不推荐" in rules and "排序" in rules and "公里/小时" in rules
    assert page.locator("#recommendations tr.recommendation").count() == 1  # no 电工证
    page.locator("#form-occupations input[value='4-02-07-02']").check()
    page.locator("#form-occupations button").click()
    page.wait_for_url("**/seekers/*/**")
    assert "已确认" in page.locator("#occupations").inner_text()
    page.screenshot(path="/tmp/employment-seeker-matching.png", full_page=True)
