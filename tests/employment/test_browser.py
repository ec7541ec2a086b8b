import pytest

from tests.browser import login
from tests.employment.conftest import make_posting, make_seeker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caseworker_opens_seeker_and_sees_reasons(page, live_server, world):
    make_posting(world)
    seeker = make_seeker(world)
    login(page, live_server.url, "cw")
    page.goto(f"{live_server.url}/employment/seekers/{seeker.pk}/")
    reasons = page.locator("#recommendations .reasons").first
    assert "职业相符" in reasons.inner_text()
    assert "通勤" in reasons.inner_text()
    assert page.locator("h2", has_text="推荐岗位").count() == 1
