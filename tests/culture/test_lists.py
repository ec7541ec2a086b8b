"""Query counts of the list pages and endpoints do not grow with the rows shown."""

import datetime

import pytest
import shapely
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.culture.geometry import Shape
from minsheng.culture.services import checks, facilities, intangible
from tests.culture.conftest import D, east, zoned_site

URLS = ["/culture/", "/culture/sites/", "/culture/checks/", "/culture/consents/",
        "/culture/intangible/", "/culture/facilities/", "/api/culture/sites",
        "/api/culture/checks", "/api/culture/consents", "/api/culture/items",
        "/api/culture/facilities"]


def _add(world, n, offset):
    for i in range(n):
        k = offset + i
        at = (117.40 + 0.02 * k, 38.70 + 0.01 * k)
        site = zoned_site(world["sys"], world["areas"]["c12"], f"WX{k:04d}", at)
        checks.project_check(actor=world["sys"], project_name=f"p{k}", applicant="a",
                             area=site.area, shape=Shape(shapely.Point(east(*at, 250), at[1])),
                             today=D)
        intangible.item_create(actor=world["sys"], code=f"FX{k:03d}", name=f"项目{k}",
                               category="craft", level="county", area=site.area,
                               protection_unit="站", listed_on=D, today=D)
        facilities.facility_create(actor=world["sys"], area=site.area, name=f"室{k}",
                                   kind="station", floor_area_m2="100",
                                   opened_on=datetime.date(2020, 1, 1), today=D)


def _counts(client):
    counts = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_rows(world):
    client = Client()
    client.force_login(world["chief"].user)
    _add(world, 2, 0)
    few = _counts(client)
    _add(world, 6, 10)
    assert _counts(client) == few
