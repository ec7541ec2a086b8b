"""Every list page and list endpoint of social assistance: the number of queries does not
grow with the rows, and a list is paged with its full count (never cut silently)."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minsheng.assistance.models import (
    BenefitMember,
    DibaoBenefit,
    DibaoCase,
    Discrepancy,
    PaymentLine,
    PaymentRoster,
    SpotCheckDraw,
    TekunCase,
    TekunPerson,
    TemporaryGrant,
    VerificationRun,
)
from tests import factories

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def populate(areas, n: int) -> dict:
    """n records of every kind, in both subdistricts (set up directly)."""
    today = timezone.localdate()
    made = {"runs": [], "rosters": [], "draws": [], "cases": []}
    run = VerificationRun.objects.create(area=areas["district"], label="batch")
    roster = PaymentRoster.objects.create(area=areas["s1"], month=datetime.date(
        2000 + next(_n), 1, 1))
    made["runs"].append(run)
    made["rosters"].append(roster)
    tekun_ids = []
    for _ in range(n):
        i = next(_n)
        community = areas["c11"] if i % 2 else areas["c21"]
        head = factories.person(community, f"户主{i}", datetime.date(1950, 1, 1))
        household = factories.household(community, [(head, "head")])
        state = ("file_sent", "accepted", "notice")[i % 3]
        case = DibaoCase.objects.create(
            reference=f"DB{i:010d}", household=household, applicant=head, area=community,
            state=state, channel="office", accepted_on=today, file_received_on=today,
            current_due=today + datetime.timedelta(days=i % 3 - 1), assigned_to=None)
        made["cases"].append(case)
        benefit = DibaoBenefit.objects.create(
            household=household, area=community, case=case, payee=head, members=1,
            monthly_amount=Decimal(500), standard=Decimal(1230),
            start_month=datetime.date(2026, 1, 1),
            next_review_due=today + datetime.timedelta(days=i % 60))
        BenefitMember.objects.create(benefit=benefit, person=head, share=Decimal(500))
        Discrepancy.objects.create(run=run, area=community, case=case, household=household,
                                   person=head, source="tax", kind="undeclared_income",
                                   declared=0, found=100)
        PaymentLine.objects.create(roster=roster, programme="dibao", benefit_id=benefit.pk,
                                   payee=head, account="6222000000000000",
                                   amount=Decimal(500))
        TemporaryGrant.objects.create(
            reference=f"LS{i:010d}", kind="emergency", household=household, applicant=head,
            area=community, state="granted", cause="火灾", amount=Decimal(1000),
            approval_level="subdistrict", obligations=["签字"], accepted_on=today)
        tekun = TekunCase.objects.create(reference=f"TK{i:010d}", person=head, area=community,
                                         state="approved", accepted_on=today,
                                         decided_on=today, current_due=today)
        tekun_ids.append(tekun.pk)
        TekunPerson.objects.create(person=head, area=community, case=tekun,
                                   support_mode="home", monthly_amount=Decimal(1599),
                                   start_month=datetime.date(2026, 1, 1),
                                   next_review_due=today, reassess_due=today)
    draw = SpotCheckDraw.objects.create(area=areas["district"], seed=1, share=0.3,
                                        population=tekun_ids, drawn=tekun_ids,
                                        period_start=today, period_end=today)
    made["draws"].append(draw)
    return made


def pages(made) -> list[str]:
    run, roster, draw, case = (made["runs"][0], made["rosters"][0], made["draws"][0],
                               made["cases"][0])
    return [
        "/assistance/", "/assistance/?tab=overdue", "/assistance/?tab=mine",
        "/assistance/?tab=all&state=", "/assistance/approvals/", "/assistance/verification/",
        f"/assistance/verification/{run.pk}/", "/assistance/reviews/", "/assistance/benefits/",
        "/assistance/benefits/?state=all", "/assistance/payments/",
        f"/assistance/payments/{roster.pk}/", "/assistance/temporary/?state=",
        "/assistance/temporary/?obligations=open", "/assistance/tekun/?state=",
        "/assistance/tekun/?tab=supported", "/assistance/tekun/?tab=reassess",
        "/assistance/tekun/spot-checks/", f"/assistance/tekun/spot-checks/{draw.pk}/",
        "/api/assistance/cases?state=", "/api/assistance/cases?due=overdue",
        "/api/assistance/approvals", "/api/assistance/verification/runs",
        f"/api/assistance/verification/runs/{run.pk}/findings",
        f"/api/assistance/cases/{case.pk}/findings",
        f"/api/assistance/reviews/due?until={timezone.localdate() + datetime.timedelta(90)}",
        "/api/assistance/benefits", "/api/assistance/payments/rosters",
        f"/api/assistance/payments/rosters/{roster.pk}/lines",
    ]


@pytest.fixture
def admin(areas):
    client = Client()
    client.force_login(factories.user("admin", "system_admin", areas["district"]))
    return client


def test_list_query_counts_do_not_grow_with_rows(admin, areas):
    made = populate(areas, 3)
    urls = pages(made)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = admin.get(url)
            assert response.status_code == 200, (url, response.content[:300])
        return len(ctx)

    for url in urls:  # warm caches (session, working-day calendar)
        count(url)
    few = {url: count(url) for url in urls}
    # 20 more of everything, on the same lists (run, roster and draw of the first batch)
    more = populate(areas, 20)
    run, roster, draw = made["runs"][0], made["rosters"][0], made["draws"][0]
    Discrepancy.objects.filter(run__in=more["runs"]).update(run=run)
    PaymentLine.objects.filter(roster__in=more["rosters"]).update(roster=roster)
    SpotCheckDraw.objects.filter(pk=draw.pk).update(drawn=more["draws"][0].drawn)
    assert {url: count(url) for url in urls} == few


def test_lists_are_paged_with_the_full_count(admin, areas):
    populate(areas, 60)
    api = admin.get("/api/assistance/cases", {"state": "", "page_size": 20}).json()
    assert api["count"] == 60 and len(api["items"]) == 20
    last = admin.get("/api/assistance/cases", {"state": "", "page_size": 20, "page": 3}).json()
    assert len(last["items"]) == 20
    assert admin.get("/api/assistance/cases", {"page": 0}).status_code == 422
    assert admin.get("/api/assistance/cases", {"page_size": 10**6}).status_code == 422
    page = admin.get("/assistance/benefits/").content.decode()
    assert "page=2" in page  # 60 households: a second page, not a cut
    assert admin.get("/assistance/benefits/", {"page": "x"}).status_code == 200
    assert admin.get("/assistance/reviews/", {"page": "99999999999999"}).status_code == 200
