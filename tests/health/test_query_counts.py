"""The number of queries of every list page and list endpoint does not grow with its rows."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minsheng.health import services
from minsheng.health.models import Alert, Disease
from tests import factories
from tests.health.conftest import report


@pytest.fixture
def doctor_client(health):
    client = Client()
    client.force_login(health["doctor"].user)
    return client


def queries(client, url) -> int:
    client.get(url)  # warm caches (calendar, district name)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[-2000:])
    return len(ctx)


def add_rows(h, n: int, offset: int) -> None:
    """n more of every record type: case reports, alerts, bed counts, supply items and lots."""
    today = timezone.localdate()
    diseases = list(Disease.objects.order_by("id"))
    now = timezone.now()
    for i in range(offset, offset + n):
        report(h, community="c11" if i % 2 else "c21",
               person=factories.person(h["c11" if i % 2 else "c21"]))
        Alert.objects.create(
            disease=diseases[i % len(diseases)], area=h["s1" if i % 2 else "s2"],
            period_start=today - datetime.timedelta(weeks=i), state="new", opened_at=now,
            method="ears_c3", count=3, upper=2.0, verify_due_at=now + datetime.timedelta(hours=24))
        hospital = factories.organization(h["s1"], f"医院{i}", kind="hospital")
        services.bed_count_record(actor=h["doctor"], hospital=hospital, year=2024,
                                  actual_beds=10 + i)
        item = services.supply_item_create(actor=h["doctor"], name=f"物资{i}", unit="件",
                                           required_quantity=100, area=h["district"])
        services.supply_lot_add(actor=h["doctor"], item=item, batch=f"B{i}", quantity=5,
                                received_on=today,
                                expiry_date=today + datetime.timedelta(days=30))


PAGES = ["/health/", "/health/?state=closed", "/health/cases/", "/health/cases/?late=0",
         "/health/records/", "/health/supplies/", "/health/diseases/"]
ENDPOINTS = ["/api/health/alerts", "/api/health/case-reports", "/api/health/beds",
             "/api/health/supplies/items", "/api/health/supplies/alerts",
             "/api/health/diseases"]


@pytest.mark.parametrize("url", PAGES + ENDPOINTS)
def test_list_queries_do_not_grow_with_rows(url, health, doctor_client):
    add_rows(health, 3, 0)
    few = queries(doctor_client, url)
    add_rows(health, 6, 3)
    assert queries(doctor_client, url) == few


def test_lots_of_an_item_page_and_endpoint(health, doctor_client):
    today = timezone.localdate()
    item = services.supply_item_create(actor=health["doctor"], name="N95", unit="只",
                                       required_quantity=10, area=health["district"])

    def lots(n):
        for _ in range(n):
            services.supply_lot_add(actor=health["doctor"], item=item, batch="B",
                                    quantity=5, received_on=today, expiry_date=None)

    lots(2)
    urls = [f"/health/supplies/{item.pk}/", f"/api/health/supplies/items/{item.pk}/lots"]
    few = [queries(doctor_client, u) for u in urls]
    lots(8)
    assert [queries(doctor_client, u) for u in urls] == few
