"""Definition pages: data elements and indicators created and edited in the browser's
forms, formulas checked (syntax with position, unknown codes, cycles), preview of the
district value."""

import datetime

import pytest
from django.test import Client

from minsheng.core.access import system_actor
from minsheng.indicators import services
from minsheng.indicators.models import DataElement, DataValue, Indicator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(areas):
    services.catalogue_ensure()
    services.element_create(actor=system_actor(), code="test.jobs", name="岗位数", unit="人",
                            aggregation="last")
    services.element_create(actor=system_actor(), code="test.people", name="人数", unit="人",
                            aggregation="last")
    for code, value in (("test.jobs", 30), ("test.people", 120)):
        DataValue.objects.create(element=DataElement.objects.get(code=code),
                                 area=areas["district"], period_start=datetime.date(2026, 9, 1),
                                 value=value, source="manual")
    supervisor = factories.user("supervisor", "plan_supervisor", areas["district"])
    c = Client()
    c.force_login(supervisor)
    return {"client": c, "areas": areas}


def test_list_shows_elements_with_origin_and_indicators(setup):
    services.indicator_create(actor=system_actor(), code="jobs_share", name="岗位占比",
                              formula="test.jobs / test.people * 100", unit="%")
    html = setup["client"].get("/indicators/definitions/").content.decode()
    assert "test.jobs" in html and "岗位数" in html
    assert 'id="element-core.resident_population" data-origin="source"' in html
    assert 'id="element-test.jobs" data-origin="manual"' in html
    assert "test.jobs / test.people * 100" in html
    assert "/indicators/elements/new/" in html and "/indicators/indicators/new/" in html


def test_create_element_and_indicator(setup):
    c = setup["client"]
    assert c.get("/indicators/elements/new/").status_code == 200
    r = c.post("/indicators/elements/new/", {
        "code": "test.vacancies", "name": "空缺岗位", "unit": "个", "aggregation": "sum",
        "period": "month", "formula": ""})
    assert r.status_code == 302
    e = DataElement.objects.get(code="test.vacancies")
    assert (e.name, e.unit, e.aggregation, e.formula) == ("空缺岗位", "个", "sum", "")
    r = c.post("/indicators/indicators/new/", {
        "code": "jobs_per_100", "name": "每百人岗位数", "unit": "个", "decimals": "1",
        "formula": "test.jobs / test.people * 100", "published": "1"})
    assert r.status_code == 302
    i = Indicator.objects.get(code="jobs_per_100")
    assert i.formula == "test.jobs / test.people * 100" and i.published
    r = c.post("/indicators/indicators/jobs_per_100/edit/", {
        "name": "每百人岗位", "unit": "个", "decimals": "0",
        "formula": "test.jobs * 100 / test.people"})
    i.refresh_from_db()
    assert r.status_code == 302 and i.name == "每百人岗位" and i.decimals == 0
    assert "每百人岗位" in c.get("/indicators/definitions/").content.decode()


@pytest.mark.parametrize("formula, words", [
    ("test.jobs / (test.people + ) * 100", ["语法错误", "第 28 个字符"]),
    ("test.jobs / test.nobody", ["未知的数据元代码", "test.nobody"]),
])
def test_bad_indicator_formula_is_refused_and_nothing_saved(setup, formula, words):
    r = setup["client"].post("/indicators/indicators/new/", {
        "code": "bad", "name": "坏指标", "decimals": "1", "formula": formula},
        HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    html = r.content.decode()
    for w in words:
        assert w in html
    assert not Indicator.objects.filter(code="bad").exists()


def test_formula_check_points_at_the_error_and_previews_the_district_value(setup):
    c = setup["client"]
    html = c.post("/indicators/formula/check/",
                  {"formula": "test.jobs / (test.people + ) * 100"}).content.decode()
    assert 'data-check="syntax"' in html and "第 28 个字符" in html
    assert "<mark" in html and "test.jobs / (test.people + </code>" not in html
    html = c.post("/indicators/formula/check/",
                  {"formula": "test.jobs / test.people * 100", "decimals": "1"}).content.decode()
    assert 'data-check="ok"' in html and "测试区" in html and "25.0" in html
    assert "2026-09" in html


def test_cycle_among_computed_elements_is_refused_with_the_cycle_named(setup):
    c = setup["client"]
    r = c.post("/indicators/elements/new/", {
        "code": "test.ratio", "name": "比率", "aggregation": "none", "period": "month",
        "formula": "test.jobs / test.people"})
    assert r.status_code == 302
    r = c.post("/indicators/elements/new/", {
        "code": "test.double", "name": "双倍", "aggregation": "none", "period": "month",
        "formula": "test.ratio * 2"})
    assert r.status_code == 302
    r = c.post("/indicators/elements/test.ratio/edit/", {
        "name": "比率", "aggregation": "none", "period": "month",
        "formula": "test.double / 2"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    html = r.content.decode()
    assert "循环定义" in html and "test.double → test.ratio → test.double" in html
    assert DataElement.objects.get(code="test.ratio").formula == "test.jobs / test.people"
    r = c.post("/indicators/elements/new/", {
        "code": "test.self", "name": "自指", "aggregation": "none", "period": "month",
        "formula": "test.self + 1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "test.self → test.self" in r.content.decode()
    assert not DataElement.objects.filter(code="test.self").exists()


def test_duplicate_code_is_refused(setup):
    r = setup["client"].post("/indicators/elements/new/", {
        "code": "test.jobs", "name": "重复", "aggregation": "sum", "period": "month"},
        HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "test.jobs" in r.content.decode()
    assert DataElement.objects.get(code="test.jobs").name == "岗位数"


def test_only_managers_reach_the_forms(setup):
    entry = factories.user("entry", "data_entry", setup["areas"]["s1"])
    c = Client()
    c.force_login(entry)
    assert c.get("/indicators/definitions/").status_code == 200
    assert c.get("/indicators/elements/new/").status_code == 403
    r = c.post("/indicators/indicators/new/", {"code": "x", "name": "x", "formula": "1"})
    assert r.status_code == 403 and not Indicator.objects.filter(code="x").exists()
