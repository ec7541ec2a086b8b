"""Every role × in/out of scope × read/write × health department or not, through the API
and the pages, for each record type of the module (case reports, alerts, bed counts,
supplies); a refused write changes nothing.

Aggregate figures (alerts, beds, supplies) are for every role in its area. Personal health
data (case reports) and every write belong to the health department (system
administrators excepted): a caseworker of civil affairs holds the same role but cannot
read a case report or respond to an alert."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from minsheng.core.models import AuditEntry
from minsheng.health import services
from minsheng.health.models import Alert, BedCount, CaseReport, SupplyLot
from tests import factories
from tests.health.conftest import fake_detect, report

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
REPORTERS = {"system_admin", "department_admin", "caseworker", "data_entry"}  # REPORT, RECORDS
RESPONDERS = {"system_admin", "department_admin", "caseworker"}  # RESPOND


@pytest.fixture
def world(health):
    """Records in s1 (the user's scope) and in s2 (outside it)."""
    for community in ("c11", "c21"):
        for _ in range(3):
            report(health, community=community)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    hospital_in = factories.organization(health["s1"], "甲街道医院", kind="hospital")
    clinic_in = factories.organization(health["s1"], "甲社区卫生站", kind="clinic")
    today = timezone.localdate()
    w = {**health, "clinic_in": clinic_in}
    for where, area, hospital in (("in", "s1", hospital_in), ("out", "s2", health["hospital"])):
        w[f"case_{where}"] = CaseReport.objects.filter(area__parent=health[area]).first()
        w[f"alert_{where}"] = Alert.objects.get(area=health[area])
        w[f"hospital_{where}"] = hospital
        w[f"beds_{where}"] = services.bed_count_record(actor=health["doctor"],
                                                       hospital=hospital, year=2024,
                                                       actual_beds=100)
        item = services.supply_item_create(actor=health["doctor"], name="N95", unit="只",
                                           required_quantity=10, area=health[area])
        w[f"lot_{where}"] = services.supply_lot_add(actor=health["doctor"], item=item,
                                                    batch="B1", quantity=20,
                                                    received_on=today, expiry_date=None)
        w[f"patient_{where}"] = factories.person(health["c11" if where == "in" else "c21"])
    return w


def client_for(role, department, w):
    dept = w["department"] if department == "health" else factories.department(
        w["district"], "civil_affairs_2", "民政")
    user = factories.user(f"u_{role}", role, w["s1"], department=dept)
    client = Client()
    client.force_login(user)
    return client


def holds(role, department, granted) -> bool:
    """The permission, reserved to the health department (system administrators excepted)."""
    return role in granted and (department == "health" or role == "system_admin")


def reads_cases(role, department) -> bool:
    return department == "health" or role == "system_admin"


def snapshot(w):
    return {"cases": CaseReport.objects.count(),
            "alerts": sorted(Alert.objects.values_list("pk", "state", "version")),
            "beds": sorted(BedCount.objects.values_list("pk", "actual_beds")),
            "lots": sorted(SupplyLot.objects.values_list("pk", "quantity"))}


def case_payload(w, where):
    now = timezone.now() - datetime.timedelta(hours=1)
    return {"person_id": w[f"patient_{where}"].pk, "disease": "hfmd",
            "facility_id": w["clinic_in"].pk,
            "onset_date": str(now.date() - datetime.timedelta(days=1)),
            "diagnosed_at": (now - datetime.timedelta(hours=2)).isoformat(),
            "reported_at": now.isoformat(), "status": "clinical"}


def case_form(w, where):
    now = timezone.localtime() - datetime.timedelta(hours=1)
    return {"id_number": w[f"patient_{where}"].id_number, "disease": "hfmd",
            "status": "clinical", "facility": w["clinic_in"].pk,
            "onset_date": (now.date() - datetime.timedelta(days=1)).isoformat(),
            "diagnosed_at": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reported_at": now.strftime("%Y-%m-%dT%H:%M"), "note": ""}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("department", ["health", "civil"])
@pytest.mark.parametrize("where", ["in", "out"])
def test_api(role, department, where, world):
    w = world
    client = client_for(role, department, w)
    # reads: aggregate records by area; case reports only for the health department
    alert = w[f"alert_{where}"]
    assert client.get(f"/api/health/alerts/{alert.pk}").status_code == \
        (200 if where == "in" else 404)
    lot = w[f"lot_{where}"]
    assert client.get(f"/api/health/supplies/items/{lot.item_id}").status_code == \
        (200 if where == "in" else 404)
    beds = client.get("/api/health/beds").json()
    assert {b["id"] for b in beds["items"]} == {w["beds_in"].pk}
    case = w[f"case_{where}"]
    response = client.get(f"/api/health/case-reports/{case.pk}")
    if not reads_cases(role, department):
        assert response.status_code == 403
        assert client.get("/api/health/case-reports").status_code == 403
    else:
        assert response.status_code == (200 if where == "in" else 404)
        if where == "in":
            assert case.person.id_number not in response.content.decode()
            assert AuditEntry.objects.filter(action="read", object_type="health.casereport",
                                             object_id=str(case.pk)).exists()
        listed = client.get("/api/health/case-reports").json()["items"]
        assert {c["id"] for c in listed} == set(
            CaseReport.objects.filter(area__parent=w["s1"]).values_list("pk", flat=True))

    # writes
    before = snapshot(w)
    reporter = holds(role, department, REPORTERS)
    responder = holds(role, department, RESPONDERS)
    expected = {
        "case": (201 if where == "in" else 404) if reporter else 403,
        "verify": 404 if where == "out" else (200 if responder else 403),
        "beds": 404 if where == "out" else (200 if reporter else 403),
        "issue": 404 if where == "out" else (200 if reporter else 403),
    }
    got = {
        "case": client.post("/api/health/case-reports", case_payload(w, where),
                            content_type="application/json"),
        "verify": client.post(f"/api/health/alerts/{alert.pk}/verify",
                              {"version": alert.version, "finding": "属实"},
                              content_type="application/json"),
        "beds": client.post("/api/health/beds", {"hospital_id": w[f"hospital_{where}"].pk,
                                                 "year": 2024, "actual_beds": 120},
                            content_type="application/json"),
        "issue": client.post(f"/api/health/supplies/lots/{lot.pk}/issue", {"quantity": 5},
                             content_type="application/json"),
    }
    for name, response in got.items():
        assert response.status_code == expected[name], (name, response.content)
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "details"}
    after = snapshot(w)
    assert (after["cases"] - before["cases"]) == (expected["case"] == 201)
    assert (after["alerts"] != before["alerts"]) == (expected["verify"] == 200)
    assert (after["beds"] != before["beds"]) == (expected["beds"] == 200)
    assert (after["lots"] != before["lots"]) == (expected["issue"] == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("department", ["health", "civil"])
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages(role, department, where, world):
    w = world
    client = client_for(role, department, w)
    alert, lot, case = w[f"alert_{where}"], w[f"lot_{where}"], w[f"case_{where}"]
    # reads
    assert client.get(f"/health/alerts/{alert.pk}/").status_code == \
        (200 if where == "in" else 404)
    assert client.get(f"/health/supplies/{lot.item_id}/").status_code == \
        (200 if where == "in" else 404)
    beds = client.get("/health/records/")
    assert beds.status_code == 200
    assert w["hospital_in"].name in beds.content.decode()
    assert w["hospital_out"].name not in beds.content.decode()
    board = client.get("/health/").content.decode()
    assert (f"/health/alerts/{w['alert_in'].pk}/" in board
            and f"/health/alerts/{w['alert_out'].pk}/" not in board)
    # the case-report links are offered exactly to those who may follow them
    assert ('href="/health/cases/"' in board) == reads_cases(role, department)
    response = client.get(f"/health/cases/{case.pk}/")
    if not reads_cases(role, department):
        assert response.status_code == 403
        assert client.get("/health/cases/").status_code == 403
    else:
        assert response.status_code == (200 if where == "in" else 404)
        listing = client.get("/health/cases/")
        assert listing.status_code == 200
        assert case.person.id_number not in listing.content.decode()

    # writes
    before = snapshot(w)
    reporter = holds(role, department, REPORTERS)
    responder = holds(role, department, RESPONDERS)
    expected = {
        # an ID number outside the reporter's area is refused on the form, in words that
        # say nothing about whether such a person exists
        "case": (302 if where == "in" else 422) if reporter else 403,
        "verify": 404 if where == "out" else (302 if responder else 403),
        "beds": 404 if where == "out" else (302 if reporter else 403),
        "issue": 404 if where == "out" else (302 if reporter else 403),
    }
    got = {
        "case": client.post("/health/cases/new/", case_form(w, where)),
        "verify": client.post(f"/health/alerts/{alert.pk}/verify/",
                              {"version": alert.version, "finding": "属实"}),
        "beds": client.post("/health/records/beds/", {
            "hospital": w[f"hospital_{where}"].pk, "year": 2024, "actual_beds": 120}),
        "issue": client.post(f"/health/supplies/lots/{lot.pk}/issue/", {"quantity": 5}),
    }
    for name, response in got.items():
        assert response.status_code == expected[name], (name, response.content[-2000:])
    after = snapshot(w)
    assert (after["cases"] - before["cases"]) == (expected["case"] == 302)
    assert (after["alerts"] != before["alerts"]) == (expected["verify"] == 302)
    assert (after["beds"] != before["beds"]) == (expected["beds"] == 302)
    assert (after["lots"] != before["lots"]) == (expected["issue"] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_detection_and_configuration_need_the_whole_district(role, health):
    """A detection run and the detection configuration act on every area: a health
    caseworker of one subdistrict may respond to its alerts but not run them."""
    from minsheng.core.errors import PermissionDenied
    from minsheng.health.models import Disease

    dept = health["department"]
    local = factories.actor(f"s1_{role}", role, health["s1"], department=dept)
    district = factories.actor(f"d_{role}", role, health["district"], department=dept)
    with pytest.raises(PermissionDenied):
        services.detection_run(actor=local, detect=fake_detect)
    hfmd = Disease.objects.get(code="hfmd")
    with pytest.raises(PermissionDenied):
        services.disease_configure(actor=local, disease=hfmd, method="ears_c3",
                                   version=hfmd.version)
    if role in RESPONDERS:
        services.detection_run(actor=district, detect=fake_detect)
    else:
        with pytest.raises(PermissionDenied):
            services.detection_run(actor=district, detect=fake_detect)
    if role in {"system_admin", "department_admin"}:
        services.disease_configure(actor=district, disease=hfmd, method="ears_c3",
                                   version=hfmd.version)
        assert Disease.objects.get(code="hfmd").method == "ears_c3"
    else:
        with pytest.raises(PermissionDenied):
            services.disease_configure(actor=district, disease=hfmd, method="ears_c3",
                                       version=hfmd.version)
