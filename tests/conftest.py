import os

import pytest

from tests import factories
from tests.browser import CHROMIUM, FLAGS, require_chromium

# Playwright's sync API runs an event loop; Django's async-safety check must allow the
# ORM calls that live_server tests make from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level tests assert on English message ids; pages are checked in Chinese
    through requests, where LocaleMiddleware picks the language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_district_calendar():
    """The confirmed calendar years are cached for a minute per process; a test's database
    is its own, so no test may see the years another test confirmed (or did not)."""
    from minsheng.core import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and one-time codes live in the cache: each test starts with
    none, and with an empty SMS outbox."""
    from django.core.cache import cache

    from minsheng.core.sms import MemoryGateway

    cache.clear()
    MemoryGateway.outbox.clear()
    yield


@pytest.fixture
def areas(db):
    return factories.district()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
