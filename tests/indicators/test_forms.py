"""Bad input on every indicator page form: the form comes back (422) with the message where
the user is, what was typed is still there, nothing changed — never a 500."""

import datetime
import io

import pandas as pd
import pytest
from django.test import Client

from minsheng.core.access import system_actor
from minsheng.core.models import AuditEntry
from minsheng.indicators import services
from minsheng.indicators.models import DataElement, DataValue, Indicator
from tests import factories

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def world(areas):
    hrss = factories.department(areas["district"], "hrss", "人社局")
    services.catalogue_ensure()
    DataElement.objects.filter(code__startswith="employment.").update(department=hrss)
    admin = factories.user("admin", "department_admin", areas["district"], department=hrss)
    supervisor = factories.user("sup", "plan_supervisor", areas["district"])
    clients = {}
    for name, user in (("admin", admin), ("supervisor", supervisor)):
        clients[name] = Client()
        clients[name].force_login(user)
    return {"areas": areas, "hrss": hrss, **clients}


def refused(response, *kept: str, message: str = "") -> str:
    assert response.status_code == 422, response.status_code
    html = response.content.decode()
    assert 'class="msg error"' in html
    for text in (*kept, message):
        assert text in html, text
    return html


@pytest.mark.parametrize("data,kept,message", [
    ({"value": "abc"}, ['value="abc"'], "输入一个数字"),
    ({"value": "1e400"}, ['value="1e400"'], "输入一个数字"),
    ({"period": "2026-13"}, ['value="2026-13"'], "13"),
    ({"period": "2026-10-05-extra"}, [], ""),
    ({"version": "v1"}, ['value="v1"'], "请输入整数"),
    ({"version": HUGE}, [], "确保该值小于或等于2147483647"),
    ({"version": "1"}, [], ""),  # nothing to revise yet: refused as stale
    ({"element": "core.resident_population"}, [], "选择一个有效的选项"),
    ({"area": "999999"}, [], "选择一个有效的选项"),
    ({"value": "-5"}, ['value="-5"'], ""),
])
def test_value_enter(world, data, kept, message):
    form = {"element": "employment.new_jobs", "area": world["areas"]["s1"].code,
            "period": "2026-10", "value": "12", "note": "备注甲", **data}
    refused(world["admin"].post("/indicators/values/enter/", form), 'value="备注甲"', *kept,
            message=message)
    assert not DataValue.objects.exists()


def test_value_decide(world):
    element = DataElement.objects.get(code="employment.new_jobs")
    history = pd.DataFrame({"area": [world["areas"]["s1"].id] * 12,
                            "period": [datetime.date(2025, m, 1) for m in range(1, 13)],
                            "value": [100.0, 104, 98, 101, 99, 103, 97, 100, 102, 96, 101, 99]})
    services.values_store(element, history, actor=system_actor(), source="test")
    value = services.value_enter(actor=system_actor(), element=element,
                                 area=world["areas"]["s1"], period=datetime.date(2026, 1, 1),
                                 value=900)
    assert value.flag
    url = f"/indicators/values/{value.pk}/decide/"
    client = world["admin"]
    refused(client.post(url, {"version": "abc", "action": "approve"}), message="请输入整数")
    refused(client.post(url, {"version": value.version, "action": "maybe"}),
            message="选择一个有效的选项")
    # a flagged value is approved only when confirmed (the workflow's guard)
    refused(client.post(url, {"version": value.version, "action": "approve"}),
            message="请明确确认")
    assert DataValue.objects.get(pk=value.pk).state == "pending"
    response = client.post(url, {"version": value.version, "action": "approve",
                                 "accept_flag": "1"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.state, value.flag) == ("approved", "")
    assert "[confirmed:" in value.note
    # the review is on the value's timeline and in the audit log
    html = client.get(f"/indicators/values/{value.pk}/").content.decode()
    assert "通过" in html
    assert AuditEntry.objects.filter(action="transition", object_id=str(value.pk)).exists()
    refused(client.post(url, {"version": value.version, "action": "reject"}),
            message="此数值已审核")


def test_values_import(world):
    client = world["admin"]
    refused(client.post("/indicators/values/import/", {}), message="请选择文件")
    upload = io.BytesIO("数据元代码,区划代码,期间,数值\nnope.code,120199001,2026-10,5\n"
                        .encode())
    upload.name = "values.csv"
    refused(client.post("/indicators/values/import/", {"file": upload}), message="nope.code")
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("data,kept,message", [
    ({"code": "BAD CODE"}, ['value="BAD CODE"'], ""),
    ({"aggregation": "bogus"}, [], "选择一个有效的选项"),
    ({"period": "decade"}, [], "选择一个有效的选项"),
    ({"department": "x"}, [], "选择一个有效的选项"),
    ({"department": HUGE}, [], "选择一个有效的选项"),
    ({"name": ""}, [], "这个字段是必填项"),
    ({"formula": "test.x +"}, [], "语法错误"),
])
def test_element_new(world, data, kept, message):
    form = {"code": "test.vacancies", "name": "空缺岗位甲", "aggregation": "sum",
            "period": "month", **data}
    refused(world["supervisor"].post("/indicators/elements/new/", form), *kept,
            message=message)
    assert not DataElement.objects.filter(code__in=["test.vacancies", "BAD CODE"]).exists()


@pytest.mark.parametrize("data,message", [
    ({"decimals": "7"}, "小数位必须是 0 到 6 之间的整数"),
    ({"decimals": "abc"}, "小数位必须是 0 到 6 之间的整数"),
    ({"decimals": HUGE}, "小数位必须是 0 到 6 之间的整数"),
    ({"formula": ""}, "这个字段是必填项"),
])
def test_indicator_forms(world, data, message):
    form = {"code": "jobs_x", "name": "指标甲", "formula": "employment.new_jobs", **data}
    refused(world["supervisor"].post("/indicators/indicators/new/", form), 'value="指标甲"',
            message=message)
    assert not Indicator.objects.filter(code="jobs_x").exists()
    before = Indicator.objects.filter(code="new_jobs").values().get()
    refused(world["supervisor"].post("/indicators/indicators/new_jobs/edit/", form),
            'value="指标甲"', message=message)
    assert Indicator.objects.filter(code="new_jobs").values().get() == before


def test_element_edit_and_formula_check(world):
    client = world["supervisor"]
    services.element_create(actor=system_actor(), code="test.jobs", name="岗位数")
    refused(client.post("/indicators/elements/test.jobs/edit/", {
        "name": "岗位数乙", "aggregation": "sum", "period": "decade"}), 'value="岗位数乙"',
        message="选择一个有效的选项")
    assert DataElement.objects.get(code="test.jobs").name == "岗位数"
    # the htmx check of a formula being typed: bad numbers are ignored, never an error
    response = client.post("/indicators/formula/check/",
                           {"formula": "test.jobs * 2", "decimals": HUGE})
    assert response.status_code == 200 and 'data-check="ok"' in response.content.decode()
