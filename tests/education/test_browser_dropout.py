"""A day in the life of dropout control, in headless Chromium: a school-age child who left
school is on no roll; the bureau compares the registry with the rolls; the case is
verified, the family visited, the child persuaded and enrolled again; the case is written
off on the new roll entry — and the child moves from "not retained" to "retained" in the
nine-year retention figure."""

import datetime

import pytest

from minsheng.education.models import DropoutCase
from minsheng.education.services import rolls, schools
from tests import factories
from tests.browser import login


def _state(page, label):
    page.wait_for_selector(f"#case-state:text-is('{label}')")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_out_of_school_child_back_to_school(page, live_server, areas, settings):
    settings.MINSHENG_EDUCATION = {"OBSERVE_MONTHS": 0}  # observation over at once
    dept = factories.department(areas["district"], "education", "教育局")
    factories.user("chief", "department_admin", areas["district"], department=dept)
    from minsheng.core.access import system_actor

    sys = system_actor()
    org = factories.organization(areas["s1"], "甲中学", "school")
    school = schools.school_register(actor=sys, organization=org, stage="junior",
                                     sponsorship="public", places=50, classes=2, teachers=6,
                                     qualified_teachers=6, catchment=[areas["c11"]])
    today = datetime.date.today()
    kid = factories.person(areas["c11"], name="刘小军", birth=datetime.date(2011, 10, 5))
    old = rolls.enrolment_create(actor=sys, school=school, id_number=kid.id_number,
                                 name=kid.name, grade=8, intake_year=2018,
                                 entry_date=datetime.date(2024, 9, 1), today=today)
    rolls.enrolment_move(actor=sys, enrolment=old, action="drop_out", version=old.version,
                         on=today, today=today)
    DropoutCase.objects.all().delete()  # start from the registry comparison, not the report
    base = live_server.url
    login(page, base, "chief")

    page.goto(f"{base}/education/figures/compulsory_not_retained/?year=2027")
    assert "刘小军" in page.inner_text("#people")

    page.goto(f"{base}/education/match/")
    page.select_option("select[name=area]", areas["district"].code)
    page.click("#match-form button[type=submit]")
    page.wait_for_selector("#runs td.num")
    page.goto(f"{base}/education/cases/")
    page.click("#cases a")
    _state(page, "核实中")

    form = page.locator("#action-confirm_out")
    form.locator("select[name=cause]").select_option("truancy")
    form.locator("input[name=school_officer]").fill("王校长")
    form.locator("input[name=street_officer]").fill("李社工")
    form.locator("button[type=submit]").click()
    _state(page, "入户走访")
    page.locator("#action-visit textarea[name=note]").fill("家长同意配合劝返")
    page.click("#action-visit button[type=submit]")
    _state(page, "劝返中")
    case_url = page.url

    page.goto(f"{base}/education/schools/{school.pk}/")
    enrol = page.locator("#enrol-form")
    enrol.locator("input[name=id_number]").fill(kid.id_number)
    enrol.locator("input[name=name]").fill(kid.name)
    enrol.locator("input[name=grade]").fill("9")
    enrol.locator("input[name=intake_year]").fill("2018")
    enrol.locator("button[type=submit]").click()
    page.wait_for_selector("#roll-state:text-is('在读')")

    page.goto(case_url)
    page.click("#action-return button[type=submit]")
    _state(page, "已返校，观察中")
    page.click("#action-write_off button[type=submit]")
    _state(page, "已销号")

    page.goto(f"{base}/education/figures/compulsory_retained/?year=2027")
    assert "刘小军" in page.inner_text("#people")
    page.goto(f"{base}/education/figures/compulsory_not_retained/?year=2027")
    assert "刘小军" not in page.inner_text("#people")
    case = DropoutCase.objects.get()
    assert case.state == "written_off" and case.cause == "truancy"
    assert case.returned_to.grade == 9
