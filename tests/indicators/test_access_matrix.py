"""Every role × in/out of scope × read/write, through the API and the pages, for data values
(read, enter, review) and the definitions (read, edit). A refused write changes nothing.

Users hold their role for subdistrict s1 and belong to hrss, the department that approves
the employment elements; "in scope" is a value of s1, "out of scope" one of s2."""

import datetime

import pytest
from django.test import Client

from minsheng.core.access import system_actor
from minsheng.indicators import services
from minsheng.indicators.models import DataElement, DataValue, Indicator
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
ENTER = {"system_admin", "department_admin", "data_entry"}
APPROVE = {"system_admin", "department_admin", "approver"}
MANAGE = {"system_admin", "plan_supervisor"}
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def world(areas):
    hrss = factories.department(areas["district"], "hrss", "人社局")
    services.catalogue_ensure()
    DataElement.objects.filter(code__startswith="employment.").update(department=hrss)
    element = DataElement.objects.get(code="employment.new_jobs")
    system = system_actor()
    values = {where: services.value_enter(actor=system, element=element, area=areas[key],
                                          period=OCTOBER, value=10)
              for where, key in (("in", "s1"), ("out", "s2"))}
    return {"areas": areas, "hrss": hrss, "element": element, **values}


def client_for(role, world):
    user = factories.user(f"u_{role}", role, world["areas"]["s1"], department=world["hrss"])
    client = Client()
    client.force_login(user)
    return client


def state(value):
    v = DataValue.objects.get(pk=value.pk)
    return (v.state, v.version, v.current)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_api_read_and_write(role, where, world):
    client = client_for(role, world)
    value = world[where]
    listed = client.get("/api/indicators/values").json()
    assert {v["id"] for v in listed["items"]} == {world["in"].pk}
    assert client.get("/api/indicators/").json()["count"] == Indicator.objects.count()

    area = world["areas"]["s1" if where == "in" else "s2"]
    response = client.post("/api/indicators/values", data={
        "element": "employment.workers_total", "area_code": area.code, "period": "2026-10",
        "value": 100}, content_type="application/json")
    status = 201 if where == "in" and role in ENTER else 403
    assert response.status_code == status, response.content
    assert DataValue.objects.filter(element__code="employment.workers_total").count() == (
        1 if status == 201 else 0)

    before = state(value)
    response = client.post(f"/api/indicators/values/{value.pk}/decide",
                           data={"version": value.version, "action": "approve"},
                           content_type="application/json")
    status = 404 if where == "out" else (200 if role in APPROVE else 403)
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["state"] == "approved"
        assert state(value) == ("approved", value.version + 1, True)
    else:
        assert set(response.json()) == {"code", "message", "details"}
        assert state(value) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages_read_and_write(role, where, world):
    client = client_for(role, world)
    value = world[where]
    html = client.get("/indicators/values/").content.decode()
    assert f'/indicators/values/{world["in"].pk}/"' in html
    assert f'/indicators/values/{world["out"].pk}/"' not in html
    assert client.get(f"/indicators/values/{value.pk}/").status_code == (
        200 if where == "in" else 404)
    assert client.get("/indicators/definitions/").status_code == 200

    area = world["areas"]["s1" if where == "in" else "s2"]
    response = client.post("/indicators/values/enter/", {
        "element": "employment.workers_total", "area": area.code, "period": "2026-10",
        "value": "100"})
    if role not in ENTER:
        status = 403
    else:  # an area outside one's scope is not among the form's choices
        status = 302 if where == "in" else 422
    assert response.status_code == status
    assert DataValue.objects.filter(element__code="employment.workers_total").count() == (
        1 if status == 302 else 0)

    before = state(value)
    response = client.post(f"/indicators/values/{value.pk}/decide/",
                           {"version": value.version, "action": "reject"})
    status = 404 if where == "out" else (302 if role in APPROVE else 403)
    assert response.status_code == status
    assert state(value) == (("rejected", value.version + 1, True) if status == 302
                            else before)


@pytest.mark.parametrize("role", ROLES)
def test_definitions_are_edited_by_managers_only(role, world):
    client = client_for(role, world)
    status = 200 if role in MANAGE else 403
    assert client.get("/indicators/elements/new/").status_code == status
    assert client.get("/indicators/indicators/new_jobs/edit/").status_code == status
    response = client.post("/indicators/indicators/new_jobs/edit/", {
        "name": "改名", "decimals": "0", "formula": "employment.new_jobs"})
    assert response.status_code == (302 if role in MANAGE else 403)
    assert (Indicator.objects.get(code="new_jobs").name == "改名") == (role in MANAGE)


def test_another_departments_approver_is_not_offered_nor_allowed(world):
    """Approvals by the element's department (core.access.require_department)."""
    other = factories.department(world["areas"]["district"], "ca", "民政局")
    user = factories.user("mz", "approver", world["areas"]["district"], department=other)
    client = Client()
    client.force_login(user)
    value = world["in"]
    html = client.get("/indicators/values/").content.decode()
    assert f"/indicators/values/{value.pk}/decide/" not in html
    response = client.post(f"/indicators/values/{value.pk}/decide/",
                           {"version": value.version, "action": "approve"})
    assert response.status_code == 403 and "人社局" in response.content.decode()
    assert state(value) == ("pending", value.version, True)
