"""The role crawler (issue 11): every demo user logs in and follows the links their pages
show them (depth 2, a bounded number of pages); nothing behind a shown link may be refused
(403) or missing (404), nothing may crash (500), and no Chinese page may show an
untranslated English message or a raw snake_case code.

The demo district is built once for the module inside the test database (a transaction
rolled back at the end), so each user's crawl sees the same data."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from minsheng.demo import district as shape
from minsheng.demo.build import build_demo
from tests.crawler import CrawlResult, crawl, text_problems

USERS = [row[0] for row in shape.STAFF]
DEPTH = 2
PAGES_PER_USER = 100


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(people=600, seed=3)
        yield
        transaction.set_rollback(True)


def test_every_demo_user_is_crawled(demo, db):
    from minsheng.core.models import User

    assert set(User.objects.values_list("username", flat=True)) == set(USERS)


@pytest.mark.parametrize("username", USERS)
def test_role_crawl_finds_nothing_to_trip_over(demo, db, username):
    from minsheng.core.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    names = frozenset(User.objects.values_list("username", flat=True))
    result = crawl(client, username, depth=DEPTH, limit=PAGES_PER_USER, result=CrawlResult(),
                   names=names)
    # the crawl really went somewhere: the home page and the pages its menu links to
    assert result.visited.get("/") == 200
    assert sum(1 for status in result.visited.values() if status == 200) >= 5
    problems = [f"{p.kind} {p.url} {p.detail!r} <- {p.came_from}" for p in result.problems]
    assert not problems, "\n".join(problems)


def test_crawler_catches_what_it_is_for():
    """The heuristics flag an English message id and a raw code, not names or numbers."""
    assert text_problems(["Households receiving dibao at month end"])
    assert text_problems(["来源 core.resident_population"])
    assert not text_problems(["张三 海港街道 2026-11-29 91310000MA1K3Y4X2B 3,200.00 元"])
    # a staff login name is a name; the same word as a code elsewhere is still caught
    assert not text_problems(["mz_admin"], names=frozenset({"mz_admin"}))
    assert text_problems(["mz_admin done_on_time"], names=frozenset({"mz_admin"}))
