"""The pages, in Chinese, for the culture department's staff: every list and record page
renders, and a check, a consent decision, a zone and a nomination go through the forms."""

import json

import pytest
from django.test import Client

from minsheng.culture.models import ConsentCase, ConstructionCheck, Inheritor, ProtectionZone
from minsheng.culture.services import facilities, intangible
from tests.culture.conftest import A, D, east, square


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def chief(world):
    return login(world["chief"].user)


@pytest.fixture
def item(world):
    return intangible.item_create(actor=world["sys"], code="FY001", name="汉沽飞镲",
                                  category="dance", level="municipal",
                                  area=world["areas"]["c11"], protection_unit="文化站",
                                  listed_on=D, today=D)


def test_every_page_renders_in_chinese(world, chief, item):
    facilities.facility_create(actor=world["sys"], area=world["areas"]["c11"], name="文化室",
                               kind="station", floor_area_m2="300", opened_on=D, today=D)
    site = world["site_a"]
    for url in ["/culture/", "/culture/sites/", "/culture/sites/new/",
                f"/culture/sites/{site.pk}/", f"/culture/sites/{site.pk}/edit/",
                "/culture/zones/import/", "/culture/checks/", "/culture/checks/new/",
                "/culture/consents/", "/culture/intangible/", "/culture/intangible/new/",
                f"/culture/intangible/{item.pk}/", "/culture/facilities/",
                "/culture/facilities/new/"]:
        response = chief.get(url)
        assert response.status_code == 200, url
        assert "文物" in response.content.decode() or "非遗" in response.content.decode() \
            or "文化" in response.content.decode(), url


def test_check_through_the_page_opens_a_consent_that_is_decided(world, chief):
    response = chief.post("/culture/checks/new/", {
        "project_name": "海港小区二期", "applicant": "滨海置业", "area": "120199001001",
        "geometry": json.dumps(square(east(*A, 250), A[1], 30)), "buffer_m": "50"})
    assert response.status_code == 302
    check = ConstructionCheck.objects.get()
    page = chief.get(response["Location"]).content.decode()
    assert "建设控制地带" in page and check.number in page and "check-map" in page
    case = ConsentCase.objects.get()
    approver = login(world["approver"].user)
    detail = approver.get(f"/culture/consents/{case.pk}/").content.decode()
    assert "decide-form" in detail and "20个工作日" in detail
    response = approver.post(f"/culture/consents/{case.pk}/", {
        "version": case.version, "decision": "approve", "reason": "不影响历史风貌"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "approved"


def test_point_check_and_refusal_kept_in_place(world, chief):
    response = chief.post("/culture/checks/new/", {
        "project_name": "管网", "applicant": "水务", "area": "120199001001",
        "lon": A[1], "lat": A[0]})  # swapped
    assert response.status_code == 422
    page = response.content.decode()
    assert "管网" in page and "写反" in page
    assert not ConstructionCheck.objects.exists()


def test_zone_pasted_on_the_site_page(world, chief):
    site = world["site_a"]
    response = chief.post(f"/culture/sites/{site.pk}/zones/", {
        "kind": "protection", "geometry": json.dumps(square(*A, 120)),
        "delimited_on": "2026-03-01"})
    assert response.status_code == 302
    assert ProtectionZone.objects.filter(site=site, superseded_at__isnull=True,
                                         kind="protection").get().area_m2 > 50_000


def test_nomination_and_duplicate_on_the_item_page(world, chief, item):
    import datetime

    from tests import factories

    number = factories.id_number(datetime.date(1958, 8, 8))
    data = {"name": "王秀兰", "id_number": number, "subsidy": "5000"}
    assert chief.post(f"/culture/intangible/{item.pk}/nominate/", data).status_code == 302
    again = chief.post(f"/culture/intangible/{item.pk}/nominate/", data)
    assert again.status_code == 422 and "王秀兰" in again.content.decode()
    assert Inheritor.objects.count() == 1


def test_exports_are_xlsx_and_audited(world, chief):
    from minsheng.core.models import AuditEntry

    for url in ("/culture/sites/?format=xlsx", "/culture/checks/?format=xlsx",
                "/culture/facilities/?format=xlsx"):
        response = chief.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="export", object_type__startswith="culture.")\
        .count() == 3


def test_api_check_and_decide(world):
    client = login(world["chief"].user)
    response = client.post("/api/culture/checks", json.dumps({
        "project_name": "学校", "applicant": "教育局", "area_code": "120199001001",
        "geometry": {"type": "Point", "coordinates": [east(*A, 250), A[1]]}}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["result"] == "control" and body["consent_id"]
    bad = client.post("/api/culture/checks", json.dumps({
        "project_name": "学校", "applicant": "教育局", "area_code": "120199001001",
        "geometry": square(116.4, 39.9, 50)}), content_type="application/json")
    assert bad.status_code == 422 and "不在本区范围内" in bad.json()["message"]
    listed = client.get("/api/culture/checks").json()
    assert listed["count"] == 1
    case = ConsentCase.objects.get()
    decided = client.post(f"/api/culture/consents/{case.pk}/decide", json.dumps({
        "decision": "refuse", "reason": "高度超限", "version": case.version}),
        content_type="application/json")
    assert decided.status_code == 200 and decided.json()["state"] == "refused"
