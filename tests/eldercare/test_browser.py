"""A day in the life, in headless Chromium: a caseworker admits an old lady to a nursing
bed and the bed figures move; a recipient dies, the check stops the allowance and the
next month's list leaves her out."""

import datetime

import pytest
from django.utils import timezone

from minsheng.core import dates
from minsheng.core.models import Person
from minsheng.eldercare.services import allowances as svc
from minsheng.eldercare.services import institutions as inst_svc
from minsheng.eldercare.services import payments
from tests import factories
from tests.browser import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admission_moves_the_figures_and_a_death_leaves_the_list(page, live_server, areas):
    sys = factories.SYSTEM()
    today = timezone.localdate()
    dept = factories.department(areas["district"], "civil_affairs", "民政局")
    factories.user("mz", "system_admin", areas["district"], department=dept)
    org = factories.organization(areas["s1"], "海港颐养院", kind="eldercare")
    inst = inst_svc.institution_register(actor=sys, organization=org, ownership="public")
    for n in (1, 2):
        inst_svc.bed_add(actor=sys, institution=inst, room="301", number=str(n),
                         bed_type="nursing", valid_from=today - datetime.timedelta(days=400))
    lady = factories.person(areas["c11"], name="孙桂兰", birth=datetime.date(1936, 5, 1),
                            male=False)
    base = live_server.url
    login(page, base, "mz")

    page.goto(f"{base}/eldercare/")
    assert page.inner_text("#fig-occupied").startswith("0")
    page.goto(f"{base}/eldercare/institutions/{inst.pk}/")
    page.click("summary:has-text('办理入住')")
    page.fill("#admit-form input[name=id_number]", lady.id_number)
    page.fill("#admit-form input[name=admitted_on]", today.isoformat())
    page.click("#admit-form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#inst-occupied") == "1"
    page.goto(f"{base}/eldercare/")
    assert page.inner_text("#fig-occupied").startswith("1")
    assert "50.0%" in page.inner_text("#fig-occupied")

    # the allowance: applied and approved on the pages, paid last month
    page.goto(f"{base}/eldercare/allowances/new/")
    page.fill("input[name=id_number]", lady.id_number)
    page.select_option("select[name=kind]", "old_age")
    page.fill("input[name=bank_account]", "6228480012345678901")
    page.fill("input[name=applied_on]", dates.add_months(today, -2).isoformat())
    page.click("#apply-form button[type=submit]")
    page.wait_for_url("**/eldercare/allowances/*/")
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#allowance-state") == "发放中"
    this_month = dates.month_start(today)
    last_month = dates.add_months(this_month, -1)
    allowance = svc.Allowance.objects.get(person=lady)
    payments.payment_list_build(actor=sys, area=areas["s1"], month=last_month)

    # she dies this month: the check on the death records stops the allowance
    Person.objects.filter(pk=lady.pk).update(status="deceased", status_date=this_month)
    page.goto(f"{base}/eldercare/matches/")
    page.click("#check-button")
    page.wait_for_load_state()
    page.goto(f"{base}/eldercare/allowances/{allowance.pk}/")
    assert page.inner_text("#allowance-state") == "已停发"
    # next month's list leaves her out
    next_month = dates.add_months(this_month, 1)
    page.goto(f"{base}/eldercare/payments/")
    page.select_option("select[name=area]", str(areas["s1"].pk))
    page.fill("input[name=month]", next_month.strftime("%Y-%m"))
    page.click("#build-form button[type=submit]")
    page.wait_for_url("**/eldercare/payments/*/")
    assert page.inner_text("#list-lines") == "0"
    assert "孙桂兰" not in page.inner_text("#lines")
    page.screenshot(path="/tmp/elder_list.png")
