"""The health module's work done through the pages (and the API where it has one): filing a
case report, notes on an alert, the detection configuration, beds and the supplies reserve.
Given/when/then in words a user would use."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from minsheng.casework.models import CaseEvent
from minsheng.core.models import AuditEntry
from minsheng.health import services
from minsheng.health.models import Alert, BedCount, CaseReport, Disease, SupplyItem, SupplyLot
from tests import factories
from tests.health.conftest import fake_detect, report


@pytest.fixture
def doctor_client(health):
    client = Client()
    client.force_login(health["doctor"].user)
    return client


@pytest.fixture
def admin_client(health):
    client = Client()
    client.force_login(factories.user("hadmin", "department_admin", health["district"],
                                      department=health["department"]))
    return client


def test_doctor_files_a_case_report_through_the_page(health, doctor_client):
    # given a resident of the doctor's district and the report form
    patient = factories.person(health["c12"], name="李四")
    form = doctor_client.get("/health/cases/new/").content.decode()
    assert 'name="id_number"' in form and health["clinic"].name in form
    # when the doctor files a cholera case diagnosed three hours ago
    now = timezone.localtime() - datetime.timedelta(minutes=10)
    response = doctor_client.post("/health/cases/new/", {
        "id_number": patient.id_number.lower(), "disease": "cholera", "status": "confirmed",
        "facility": health["clinic"].pk,
        "onset_date": (now.date() - datetime.timedelta(days=1)).isoformat(),
        "diagnosed_at": (now - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "reported_at": "", "note": "输入性病例"})
    # then the report is on file, late (class A: 2 hours), and its page says so in words
    report = CaseReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/health/cases/{report.pk}/"
    assert report.person == patient and report.area == health["c12"] and report.late
    page = doctor_client.get(response["Location"]).content.decode()
    assert "李*" in page and patient.id_number not in page
    assert "诊断后报告病例（2小时）" in page and "逾期完成" in page
    assert "病例报告已提交" in page
    # and the list shows it, masked, with the read audited
    listing = doctor_client.get("/health/cases/").content.decode()
    assert "李*" in listing and "李四" not in listing
    assert AuditEntry.objects.filter(action="read", object_type="health.casereport").exists()


def test_menus_offer_case_reports_only_to_health_staff(health, doctor_client):
    other = Client()
    other.force_login(health["other"].user)
    assert 'href="/health/cases/new/"' in doctor_client.get("/health/").content.decode()
    board = other.get("/health/").content.decode()
    assert 'href="/health/cases/' not in board and "立即运行预警检测" not in board
    assert other.get("/health/cases/new/").status_code == 403


def test_alert_page_shows_the_verification_clock_and_takes_notes(health, doctor_client):
    for _ in range(3):
        report(health)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    alert = Alert.objects.get()
    page = doctor_client.get(f"/health/alerts/{alert.pk}/").content.decode()
    assert "核实预警信号（24小时）" in page and "疾控值班人员" in page
    assert "检测发出预警信号" in page  # the detection's event in words, not "signal"
    response = doctor_client.post(f"/health/alerts/{alert.pk}/note/",
                                  {"note": "已致电报告单位"})
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case_id=alert.pk, transition="note",
                                    note="已致电报告单位").exists()
    assert "已致电报告单位" in doctor_client.get(f"/health/alerts/{alert.pk}/").content.decode()
    # and through the API
    r = doctor_client.post(f"/api/health/alerts/{alert.pk}/notes", {"note": "采样送检"},
                           content_type="application/json")
    assert r.status_code == 201 and r.json()["timeline"][-1]["note"] == "采样送检"
    other = Client()
    other.force_login(health["other"].user)
    assert other.post(f"/api/health/alerts/{alert.pk}/notes", {"note": "x"},
                      content_type="application/json").status_code == 403


def test_detection_configuration_page_and_api(health, admin_client, doctor_client):
    hfmd = Disease.objects.get(code="hfmd")
    assert "预警配置" not in doctor_client.get("/health/diseases/hfmd/").content.decode()
    page = admin_client.get("/health/diseases/hfmd/").content.decode()
    assert 'id="configure-form"' in page
    response = admin_client.post("/health/diseases/hfmd/", {
        "version": hfmd.version, "method": "ears_c2", "params": "{}",
        "detection_enabled": ""})
    assert response.status_code == 302
    hfmd.refresh_from_db()
    assert (hfmd.method, hfmd.detection_enabled, hfmd.version) == ("ears_c2", False, 2)
    r = admin_client.patch("/api/health/diseases/hfmd", {
        "version": 1, "method": "ears_c3", "params": {}, "detection_enabled": True},
        content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    r = admin_client.patch("/api/health/diseases/hfmd", {
        "version": 2, "method": "ears_c3", "params": {}, "detection_enabled": True},
        content_type="application/json")
    assert r.status_code == 200 and r.json()["version"] == 3
    assert doctor_client.patch("/api/health/diseases/hfmd", {
        "version": 3, "method": "ears_c1"}, content_type="application/json").status_code == 403


def test_beds_recorded_and_corrected_through_the_page(health, doctor_client):
    url = "/health/records/beds/"
    data = {"hospital": health["hospital"].pk, "year": 2024, "actual_beds": 120,
            "newborn_cots": 8, "observation_beds": "", "companion_beds": ""}
    assert doctor_client.post(url, data).status_code == 302
    assert doctor_client.post(url, {**data, "actual_beds": 125}).status_code == 302
    beds = BedCount.objects.get()
    assert (beds.actual_beds, beds.newborn_cots, beds.observation_beds) == (125, 8, 0)
    page = doctor_client.get("/health/records/").content.decode()
    assert health["hospital"].name in page and "125" in page


def test_supplies_reserve_through_the_pages_and_api(health, doctor_client):
    today = timezone.localdate()
    # add an item, receive a lot, issue from it
    r = doctor_client.post("/health/supplies/new/", {
        "name": "隔离衣", "category": "防护用品", "unit": "件", "required_quantity": 50,
        "area": health["district"].code})
    item = SupplyItem.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/health/supplies/{item.pk}/"
    r = doctor_client.post(f"/health/supplies/{item.pk}/lots/", {
        "batch": "G1", "quantity": 40, "received_on": today.isoformat(),
        "expiry_date": (today + datetime.timedelta(days=30)).isoformat()})
    assert r.status_code == 302
    lot = SupplyLot.objects.get()
    r = doctor_client.post(f"/health/supplies/lots/{lot.pk}/issue/",
                           {"quantity": 15, "reason": "应急演练"})
    assert r.status_code == 302
    lot.refresh_from_db()
    assert lot.quantity == 25
    assert AuditEntry.objects.filter(object_type="health.supplylot", action="update",
                                     changes__reason="应急演练").exists()
    page = doctor_client.get(f"/health/supplies/{item.pk}/").content.decode()
    assert "25 件" in page and "储备不足" in page
    supplies = doctor_client.get("/health/supplies/").content.decode()
    assert "应急物资储备不足：隔离衣 缺 25件" in supplies
    assert "应急物资临近效期：隔离衣 批号 G1" in supplies
    # the API: the same item, an issue, and a refusal for more than the lot holds
    r = doctor_client.get(f"/api/health/supplies/items/{item.pk}").json()
    assert (r["stock"], r["shortfall"]) == (25, 25)
    r = doctor_client.post(f"/api/health/supplies/lots/{lot.pk}/issue", {"quantity": 30},
                           content_type="application/json")
    assert r.status_code == 422 and r.json()["details"]["field"] == "quantity"
    r = doctor_client.post(f"/api/health/supplies/lots/{lot.pk}/issue", {"quantity": 5},
                           content_type="application/json")
    assert r.status_code == 200 and r.json()["quantity"] == 20


def test_expired_lot_is_called_expired(health, doctor_client):
    today = timezone.localdate()
    item = services.supply_item_create(actor=health["doctor"], name="试剂", unit="人份",
                                       required_quantity=0, area=health["district"])
    services.supply_lot_add(actor=health["doctor"], item=item, batch="X1", quantity=5,
                            received_on=today - datetime.timedelta(days=400),
                            expiry_date=today - datetime.timedelta(days=3))
    page = doctor_client.get("/health/supplies/").content.decode()
    assert "应急物资已过期：试剂 批号 X1" in page and "临近效期" not in page


def test_case_report_api_reads_one_report_audited(health, doctor_client):
    r = report(health)
    response = doctor_client.get(f"/api/health/case-reports/{r.pk}")
    assert response.status_code == 200 and response.json()["patient_name_masked"] == "张*"
    assert AuditEntry.objects.filter(action="read", object_type="health.casereport",
                                     object_id=str(r.pk)).count() == 1


def test_data_entry_clerk_of_health_files_through_the_api(health):
    """The role that holds the report permission can now use it: the patient is looked up
    among the residents of the areas where the clerk may report."""
    clerk = factories.user("clerk", "data_entry", health["s1"], department=health["department"])
    client = Client()
    client.force_login(clerk)
    patient = factories.person(health["c11"])
    now = timezone.now() - datetime.timedelta(hours=1)
    r = client.post("/api/health/case-reports", {
        "person_id": patient.pk, "disease": "hfmd", "facility_id": health["clinic"].pk,
        "onset_date": str(now.date()), "diagnosed_at": (now - datetime.timedelta(hours=1))
        .isoformat(), "reported_at": now.isoformat(), "status": "clinical"},
        content_type="application/json")
    assert r.status_code == 201
