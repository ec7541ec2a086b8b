import datetime

import pytest
from django.test import Client
from django.utils import timezone

from minsheng.health import services
from minsheng.health.models import Alert
from tests import factories
from tests.health.conftest import fake_detect, report


@pytest.fixture
def doctor_client(health):
    c = Client()
    c.force_login(health["doctor"].user)
    return c


def test_pages_render(health, doctor_client):
    for _ in range(3):
        report(health)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    alert = Alert.objects.first()
    for url in ["/health/", f"/health/alerts/{alert.pk}/", "/health/epicurve/?disease=hfmd",
                f"/health/epicurve/?disease=hfmd&area={health['s1'].code}", "/health/cases/",
                "/health/life-table/", "/health/records/"]:
        response = doctor_client.get(url)
        assert response.status_code == 200, url
    cases = doctor_client.get("/health/cases/").content.decode()
    assert "张*" in cases and "张三" not in cases  # masked


def test_api_case_report_and_alert_flow(health, doctor_client, django_capture_on_commit_callbacks):
    person = factories.person(health["c21"])
    now = timezone.now() - datetime.timedelta(hours=1)
    payload = {"person_id": person.pk, "disease": "cholera", "facility_id": health["clinic"].pk,
               "onset_date": str(now.date() - datetime.timedelta(days=1)),
               "diagnosed_at": (now - datetime.timedelta(hours=3)).isoformat(),
               "reported_at": now.isoformat(), "status": "confirmed"}
    r = doctor_client.post("/api/health/case-reports", payload, content_type="application/json")
    assert r.status_code == 201 and r.json()["late"] is True
    assert r.json()["patient_name_masked"] == "张*"
    bad = doctor_client.post("/api/health/case-reports", {**payload, "disease": "nope"},
                             content_type="application/json")
    assert bad.status_code == 422 and bad.json()["details"]["field"] == "disease"
    with django_capture_on_commit_callbacks(execute=True):
        r = doctor_client.post("/api/health/detection-runs", {},
                               content_type="application/json")
    assert r.status_code == 202  # immediate backend in tests: already ran
    alerts = doctor_client.get("/api/health/alerts").json()["items"]
    assert {a["disease"] for a in alerts} == {"cholera"} and alerts[0]["urgency"] == 3
    pk, version = alerts[0]["id"], alerts[0]["version"]
    r = doctor_client.post(f"/api/health/alerts/{pk}/verify",
                           {"version": version, "finding": "属实"},
                           content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "verified"
    stale = doctor_client.post(f"/api/health/alerts/{pk}/close",
                               {"version": version, "outbreak": False, "outcome": "x"},
                               content_type="application/json")
    assert stale.status_code == 409
    other = Client()
    other.force_login(health["other"].user)
    assert other.get("/api/health/case-reports").status_code == 403
