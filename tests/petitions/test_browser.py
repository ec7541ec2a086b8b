"""A day in the life, in headless Chromium: a resident petitions online, the department
accepts and replies, the resident reads the reply and rates it unsatisfied, then the
petition goes through review and re-review to its final opinion."""

import pytest

from tests import factories
from tests.browser import login


def _staff_page(browser, base, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, username)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_petition_through_review_and_re_review(browser, page, live_server, areas, tmp_path):
    civil = factories.department(areas["district"], "civil_affairs", "民政局")
    factories.department(areas["district"], "petitions", "信访办公室")
    factories.user("mz", "department_admin", areas["district"], department=civil)
    factories.user("shenhe", "approver", areas["district"], department=civil)
    resident = factories.person(areas["c11"], name="李秀英")
    base = live_server.url

    # the resident, on the portal
    page.goto(f"{base}/petitions/public/submit/")
    page.fill("input[name=petitioner_name]", "李秀英")
    page.fill("input[name=petitioner_id_number]", resident.id_number)
    page.fill("input[name=petitioner_phone]", "13812345678")
    page.select_option("select[name=area]", str(areas["c11"].pk))
    page.select_option("select[name=category]", "claim")
    page.fill("input[name=subject]", "低保申请被退回")
    page.fill("textarea[name=content]",
              "我家申请低保被街道退回，爱人失业半年，请求重新核对家庭收入。")
    page.check("input[name=agree]")
    page.click("#public-petition button[type=submit]")
    page.wait_for_url("**/public/submitted/")
    reference = page.inner_text("#reference")

    # the department accepts and replies
    staff = _staff_page(browser, base, "mz")
    staff.goto(f"{base}/petitions/")
    staff.click(f"text={reference}")
    assert staff.inner_text("#petition-state") == "已登记，待受理"
    staff.select_option("#action-accept select[name=department]", label="民政局")
    staff.fill("#action-accept textarea[name=note]", "决定受理，由民政局办理。")
    staff.click("#action-accept button[type=submit]")
    staff.wait_for_load_state()
    assert staff.inner_text("#petition-state") == "已受理，办理中"
    staff.fill("#action-reply textarea[name=reply]",
               "经核对，您家庭人均收入低于标准，已重新受理低保申请。")
    staff.click("#action-reply button[type=submit]")
    staff.wait_for_load_state()
    assert staff.inner_text("#petition-state") == "已书面答复"

    # the resident reads the reply and rates it
    page.goto(f"{base}/petitions/public/status/")
    page.fill("input[name=reference]", reference)
    page.fill("input[name=id_number]", resident.id_number)
    page.click("#status-form button[type=submit]")
    assert "已重新受理低保申请" in page.inner_text("#reply")
    page.select_option("#rate-form select[name=satisfaction]", "unsatisfied")
    page.click("#rate-form button[type=submit]")
    assert page.inner_text("#rating") == "不满意"

    # review and re-review
    reviewer = _staff_page(browser, base, "shenhe")
    staff.reload()
    staff.click("#action-request_review button[type=submit]")
    staff.wait_for_load_state()
    assert staff.inner_text("#petition-state") == "复查中"
    url = staff.url
    reviewer.goto(url)
    reviewer.fill("#action-decide_review textarea[name=opinion]",
                  "经复查，原处理意见正确，予以维持。")
    reviewer.click("#action-decide_review button[type=submit]")
    reviewer.wait_for_load_state()
    assert reviewer.inner_text("#petition-state") == "已复查"
    staff.reload()
    staff.click("#action-request_re_review button[type=submit]")
    staff.wait_for_load_state()
    reviewer.goto(url)
    reviewer.fill("#action-decide_re_review textarea[name=opinion]", "经复核，维持复查意见。")
    reviewer.click("#action-decide_re_review button[type=submit]")
    reviewer.wait_for_load_state()
    assert reviewer.inner_text("#petition-state") == "已复核（终结）"
    assert reviewer.locator("table.clocks .badge.bad").count() == 0
    reviewer.screenshot(path=str(tmp_path / "petition.png"), full_page=True)
    page.screenshot(path=str(tmp_path / "public.png"), full_page=True)
    import shutil

    shutil.copy(tmp_path / "petition.png", "/tmp/petition/petition.png")
    shutil.copy(tmp_path / "public.png", "/tmp/petition/public.png")
