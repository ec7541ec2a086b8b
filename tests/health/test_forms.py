"""Bad input on every page form: the form comes back (422) with the message beside the
field and what was typed still there, never a 500, and nothing changes. Pages are in
Chinese (the test client sends no language: the default applies)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from minsheng.core.models import AuditEntry
from minsheng.health import services
from minsheng.health.models import Alert, BedCount, CaseReport, Disease, SupplyItem, SupplyLot
from tests import factories
from tests.health.conftest import fake_detect, report

HUGE = "99999999999999999999"


@pytest.fixture
def doctor_client(health):
    client = Client()
    client.force_login(health["doctor"].user)
    return client


@pytest.fixture
def alert(health):
    for _ in range(3):
        report(health)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    return Alert.objects.get(area=health["s1"])


@pytest.fixture
def lot(health):
    item = services.supply_item_create(actor=health["doctor"], name="N95", unit="只",
                                       required_quantity=10, area=health["district"])
    return services.supply_lot_add(actor=health["doctor"], item=item, batch="B1",
                                   quantity=20, received_on=timezone.localdate(),
                                   expiry_date=None)


def state(alert=None):
    return {"cases": CaseReport.objects.count(), "beds": BedCount.objects.count(),
            "items": SupplyItem.objects.count(),
            "lots": sorted(SupplyLot.objects.values_list("pk", "quantity")),
            "alerts": sorted(Alert.objects.values_list("pk", "state", "version")),
            "diseases": sorted(Disease.objects.values_list("code", "method", "version")),
            "audit": AuditEntry.objects.exclude(action="read").count()}


def refused(response, message: str, kept: str):
    body = response.content.decode()
    assert response.status_code == 422, body[-3000:]
    assert message in body, body[-3000:]
    assert kept in body
    return body


def case_form(health, **overrides):
    now = timezone.localtime() - datetime.timedelta(hours=1)
    data = {"id_number": factories.person(health["c11"]).id_number, "disease": "hfmd",
            "status": "clinical", "facility": health["clinic"].pk,
            "onset_date": (now.date() - datetime.timedelta(days=1)).isoformat(),
            "diagnosed_at": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reported_at": "", "note": "发热三天"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides, message", [
    ({"id_number": "12019919800517001"}, "身份证号"),            # 17 characters
    ({"id_number": "120199198005170010"}, "校验"),               # wrong check digit
    ({"facility": "abc"}, "请输入整数"),
    ({"facility": HUGE}, "2147483647"),
    ({"onset_date": "2026-13-45"}, "YYYY-MM-DD"),
    ({"diagnosed_at": "yesterday"}, "YYYY-MM-DD HH:MM"),
    ({"disease": "nope"}, "选择一个有效的选项"),
    ({"status": "probable"}, "选择一个有效的选项"),
])
def test_case_report_form_bad_input(health, doctor_client, overrides, message):
    before = state()
    response = doctor_client.post("/health/cases/new/", case_form(health, **overrides))
    refused(response, message, "发热三天")
    assert state() == before


def test_case_report_refused_by_the_service_keeps_the_input(health, doctor_client):
    before = state()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    body = refused(doctor_client.post("/health/cases/new/",
                                      case_form(health, onset_date=tomorrow)),
                   "发病日期", "发热三天")
    assert f'value="{tomorrow}"' in body
    # a resident of no area of the doctor: the same words as for nobody at all
    stranger = factories.person(factories.area("120299001001", "外区社区", None))
    refused(doctor_client.post("/health/cases/new/",
                               case_form(health, id_number=stranger.id_number)),
            "您的辖区内没有该身份证号的居民", stranger.id_number)
    assert state() == before


def test_case_report_form_over_htmx_answers_in_messages(health, doctor_client):
    response = doctor_client.post("/health/cases/new/", case_form(health, facility="x"),
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and response["HX-Retarget"] == "#messages"


@pytest.mark.parametrize("action, data, message, kept", [
    ("verify", {"version": "abc", "finding": "电话核实"}, "请刷新页面", "电话核实"),
    ("verify", {"version": HUGE, "finding": "电话核实"}, "请刷新页面", "电话核实"),
    ("verify", {"version": "1", "finding": "   "}, "这个字段是必填项", "verify"),
    ("investigate", {"version": "1", "started_on": "2026-02-30", "setting": "school",
                     "findings": "班级聚集"}, "YYYY-MM-DD", "班级聚集"),
    ("investigate", {"version": "1", "started_on": "", "setting": "school",
                     "findings": "班级聚集", "cases_found": HUGE}, "2147483647", "班级聚集"),
    ("investigate", {"version": "1", "setting": "moon", "findings": "班级聚集",
                     "started_on": "2026-01-01", "samples_taken": "-1"}, "选择一个有效的选项",
     "班级聚集"),
    ("close_no_outbreak", {"outcome": "散发"}, "请刷新页面", "散发"),
    ("note", {"note": ""}, "这个字段是必填项", "note"),
])
def test_alert_forms_bad_input(health, doctor_client, alert, action, data, message, kept):
    if action == "investigate":
        services.alert_verify(actor=health["doctor"], alert=alert, finding="属实")
    before = state()
    refused(doctor_client.post(f"/health/alerts/{alert.pk}/{action}/", data), message, kept)
    assert state() == before


def test_alert_refusals_of_the_workflow_come_back_in_place(health, doctor_client, alert):
    services.alert_verify(actor=health["doctor"], alert=alert, finding="属实")
    before = state()
    # stale version
    refused(doctor_client.post(f"/health/alerts/{alert.pk}/investigate/", {
        "version": alert.version + 5, "started_on": timezone.localdate().isoformat(),
        "setting": "school", "findings": "班级聚集"}), "其他人", "班级聚集")
    # investigation dated before the signal
    refused(doctor_client.post(f"/health/alerts/{alert.pk}/investigate/", {
        "version": alert.version, "started_on": "2020-01-01", "setting": "school",
        "findings": "班级聚集"}), "不能早于", "班级聚集")
    # a move the state does not allow (closing as an outbreak before investigating)
    refused(doctor_client.post(f"/health/alerts/{alert.pk}/close_outbreak/", {
        "version": alert.version, "outcome": "聚集性疫情"}), "不能执行此操作", "聚集性疫情")
    assert state() == before
    assert doctor_client.post(f"/health/alerts/{alert.pk}/nonsense/", {}).status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"hospital": "abc", "year": "2024", "actual_beds": "10"}, "请输入整数"),
    ({"hospital": "{h}", "year": "twenty", "actual_beds": "10"}, "请输入整数"),
    ({"hospital": "{h}", "year": "2024", "actual_beds": HUGE}, "2147483647"),
    ({"hospital": "{h}", "year": "2024", "actual_beds": "-3"}, "0"),
    ({"hospital": "{h}", "year": "1800", "actual_beds": "3"}, "1949"),
])
def test_bed_form_bad_input(health, doctor_client, data, message):
    data = {k: v.replace("{h}", str(health["hospital"].pk)) for k, v in data.items()}
    before = state()
    refused(doctor_client.post("/health/records/beds/", data), message, data["year"])
    assert state() == before


def test_bed_form_refused_by_the_service(health, doctor_client):
    before = state()
    refused(doctor_client.post("/health/records/beds/", {
        "hospital": health["clinic"].pk, "year": "2024", "actual_beds": "12"}), "只针对医院", "12")
    assert state() == before


@pytest.mark.parametrize("data, message", [
    ({"name": "", "unit": "件", "required_quantity": "1", "area": "{d}"}, "这个字段是必填项"),
    ({"name": "口罩", "unit": "件", "required_quantity": "x", "area": "{d}"}, "请输入整数"),
    ({"name": "口罩", "unit": "件", "required_quantity": HUGE, "area": "{d}"}, "2147483647"),
])
def test_supply_item_form_bad_input(health, doctor_client, data, message):
    data = {k: v.replace("{d}", health["district"].code) for k, v in data.items()}
    before = state()
    refused(doctor_client.post("/health/supplies/new/", data), message, data["unit"])
    assert state() == before


def test_supply_item_duplicate_is_refused_on_the_name(health, doctor_client, lot):
    before = state()
    refused(doctor_client.post("/health/supplies/new/", {
        "name": "N95", "unit": "只", "required_quantity": "5",
        "area": health["district"].code}), "已在", "N95")
    assert state() == before


@pytest.mark.parametrize("data, message", [
    ({"batch": "B2", "quantity": "0", "received_on": "2026-01-01"}, "1"),
    ({"batch": "B2", "quantity": HUGE, "received_on": "2026-01-01"}, "2147483647"),
    ({"batch": "B2", "quantity": "5", "received_on": "01/02/2026"}, "YYYY-MM-DD"),
    ({"batch": "B2", "quantity": "5", "received_on": "2026-01-01",
      "expiry_date": "2025-01-01"}, "早于"),
])
def test_lot_form_bad_input(health, doctor_client, lot, data, message):
    before = state()
    refused(doctor_client.post(f"/health/supplies/{lot.item_id}/lots/", data), message, "B2")
    assert state() == before


@pytest.mark.parametrize("data, message", [
    ({"quantity": "abc", "reason": "演练"}, "请输入整数"),
    ({"quantity": HUGE, "reason": "演练"}, "2147483647"),
    ({"quantity": "21", "reason": "演练"}, "之间"),  # more than the lot holds
])
def test_issue_form_bad_input(health, doctor_client, lot, data, message):
    before = state()
    refused(doctor_client.post(f"/health/supplies/lots/{lot.pk}/issue/", data), message,
            "演练")
    assert state() == before


@pytest.mark.parametrize("data, message", [
    ({"version": "abc", "method": "ears_c3", "params": "{}"}, "请刷新页面"),
    ({"version": "1", "method": "crystal_ball", "params": "{}"}, "选择一个有效的选项"),
    ({"version": "1", "method": "ears_c3", "params": "{alpha: 0.1"}, "JSON"),
    ({"version": "1", "method": "ears_c3", "params": "[1, 2]"}, "对象"),
    ({"version": "1", "method": "ears_c3", "params": '{"nonsense": 1}'}, "nonsense"),
    ({"version": "7", "method": "ears_c3", "params": "{}"}, "其他人"),
])
def test_disease_configuration_form_bad_input(health, data, message):
    admin = factories.user("hadmin", "department_admin", health["district"],
                           department=health["department"])
    client = Client()
    client.force_login(admin)
    before = state()
    refused(client.post("/health/diseases/hfmd/", {**data, "detection_enabled": "on"}),
            message, data["params"].replace('"', "&quot;"))
    assert state() == before


@pytest.mark.parametrize("url, message", [
    ("/health/?state=bogus", "选择一个有效的选项"),
    ("/health/?disease=nope&area=x", "选择一个有效的选项"),
    ("/health/cases/?late=maybe", "选择一个有效的选项"),
    (f"/health/epicurve/?disease=hfmd&weeks={HUGE}", "520"),
    ("/health/epicurve/?disease=hfmd&weeks=abc", "请输入整数"),
    ("/health/life-table/?year=abc", "请输入整数"),
    ("/health/life-table/?year=0", "1900"),
])
def test_filters_bad_input_show_the_page_with_the_message(health, doctor_client, url,
                                                          message):
    response = doctor_client.get(url)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_api_rejects_bad_numbers_with_the_error_format(health, doctor_client, alert):
    for method, url, body in [
        ("get", f"/api/health/alerts/{HUGE}", None),
        ("get", "/api/health/alerts?page=0", None),
        ("get", "/api/health/case-reports?page_size=100000", None),
        ("get", "/api/health/life-tables/0", None),
        ("post", f"/api/health/alerts/{alert.pk}/verify", {"version": HUGE, "finding": "x"}),
        ("post", "/api/health/beds", {"hospital_id": health["hospital"].pk, "year": 2024,
                                      "actual_beds": int(HUGE)}),
    ]:
        if method == "get":
            response = doctor_client.get(url)
        else:
            response = doctor_client.post(url, body, content_type="application/json")
        assert response.status_code == 422, (url, response.content)
        assert set(response.json()) == {"code", "message", "details"}
