"""The number of queries of every list page and list endpoint does not grow with rows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minsheng.employment.models import UnemploymentWarning
from tests import factories
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

URLS = ["/employment/", "/employment/?difficulty=1", "/employment/postings/",
        "/employment/review/", "/employment/employers/", "/employment/warnings/",
        "/employment/public/posts/",
        "/api/employment/seekers", "/api/employment/postings",
        "/api/employment/review-queue", "/api/employment/warnings",
        "/api/employment/public/postings"]


def add_rows(world, n: int, start: int) -> None:
    areas = world["areas"]
    for i in range(start, start + n):
        employer = factories.organization(areas["c11" if i % 2 else "c21"], f"企业{i}")
        make_posting(world, employer=employer, title=f"岗位{i}")
        make_posting(world, employer=employer, title=f"待审{i}", publish=False,
                     description="入职交押金")
        make_seeker(world, area_key="c12" if i % 2 else "c22")
        UnemploymentWarning.objects.create(
            kind="layoff", level="yellow", month=TODAY.replace(day=1) - datetime.timedelta(
                days=31 * i), area=employer.area, enterprise=employer,
            subject=f"org:{employer.pk}", title=f"预警{i}", details={})


@pytest.mark.parametrize("url", URLS)
def test_list_query_count_does_not_grow_with_rows(world, url):
    client = Client()
    client.force_login(world["admin"].user)

    def count() -> int:
        cache.clear()  # the public search's rate limit
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
        return len(ctx)

    add_rows(world, 3, 0)
    count()  # warm the per-process caches (district name, occupation table)
    few = count()
    add_rows(world, 6, 3)
    assert count() == few


def test_detail_pages_with_lists_do_not_grow_with_rows(world):
    """The seeker page (contacts, registrations, benefits, history, recommendations), the
    posting page (recommended seekers, timeline) and the employer page."""
    from minsheng.core.access import system_actor
    from minsheng.employment import services

    client = Client()
    client.force_login(world["admin"].user)
    seeker = make_seeker(world)
    posting = make_posting(world)

    def add(n: int) -> None:
        for _ in range(n):
            services.contact_record(actor=system_actor(), seeker=seeker, contacted_on=TODAY,
                                    channel="phone", note="回访")
            reg = services.registration_open(actor=system_actor(), seeker=seeker,
                                             registered_on=TODAY, separation_reason="layoff",
                                             contribution_years=3)
            services.benefit_grant(actor=system_actor(), registration=reg, start_date=TODAY)
            services.registration_close(actor=system_actor(), registration=reg,
                                        closed_on=TODAY, reason="other")
            other = make_seeker(world, area_key="c11")
            services.recommendation_override(actor=system_actor(), seeker=other,
                                             posting=posting, action="pin", note="合适")
            services.headcount_report_submit(
                actor=system_actor(), enterprise=world["employer"],
                month=TODAY.replace(day=1) - datetime.timedelta(days=40 * (len(
                    seeker.contacts.all()))), baseline=50)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [f"/employment/seekers/{seeker.pk}/", f"/employment/postings/{posting.pk}/",
            f"/employment/employers/{world['employer'].pk}/"]
    add(2)
    for url in urls:
        count(url)
    few = [count(url) for url in urls]
    add(4)
    assert [count(url) for url in urls] == few
