"""Odd ids and query strings on the plan, indicator and follow-up pages and endpoints: a
clear 404 or 422 (or the filter is ignored), never a 500."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db
HUGE = "9" * 25


@pytest.fixture
def client(small):
    c = Client()
    c.force_login(factories.user("admin", "system_admin", small["areas"]["district"]))
    return c


@pytest.mark.parametrize("url,status", [
    (f"/plans/targets/{HUGE}/", 404), (f"/plans/targets/{HUGE}/edit/", 404),
    (f"/plans/{HUGE}/review/", 404), (f"/api/plans/{HUGE}/targets", 404),
    (f"/api/plans/{HUGE}/items", 404), (f"/indicators/values/{HUGE}/", 404),
    (f"/plans/?chapter={HUGE}&department=-1", 200), (f"/plans/league/?plan={HUGE}", 200),
    ("/plans/league/?plan=999999", 404), ("/plans/report/?plan=abc", 200),
    ("/plans/supervision/?state=zzz", 200),
    (f"/indicators/values/?page={HUGE}&pending_page=abc&state=zzz&element={'x' * 200}", 200),
    (f"/api/indicators/values?area_code={'1' * 20}", 422),
    ("/api/indicators/values?state=zzz", 422), ("/api/plans/?page=0", 422),
    (f"/api/plans/?page_size={HUGE}", 422), (f"/api/plans/1/targets?chapter={HUGE}", 422),
    (f"/casework/followups/?state=zzz&kind={'k' * 100}&page=-3", 200),
])
def test_odd_reads(client, url, status):
    assert client.get(url).status_code == status


def test_odd_writes(client):
    assert client.post(f"/plans/drafts/{HUGE}/", {}).status_code == 404
    assert client.post(f"/casework/followups/{HUGE}/close/", {}).status_code == 404
    response = client.post(f"/api/indicators/values/{HUGE}/decide",
                           data={"version": 1, "action": "approve"},
                           content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.patch(f"/api/plans/targets/{HUGE}", data={"version": 1},
                            content_type="application/json")
    assert response.status_code == 404
    response = client.post("/api/indicators/values", data={
        "element": "employment.new_jobs", "area_code": "120199001", "period": "2026-10",
        "value": "NaN"}, content_type="application/json")
    assert response.status_code == 422
