"""Every role × in/out of scope × read/write, through the pages and the API: reading a
site, checking a project, deciding a consent. Staff are in the culture department (whose
register and decisions are reserved to it); a refused write changes nothing."""

import json

import pytest
import shapely
from django.test import Client

from minsheng.culture import permissions as P
from minsheng.culture.geometry import Shape
from minsheng.culture.models import ConsentCase, ConstructionCheck
from minsheng.culture.services import checks
from tests import factories
from tests.culture.conftest import A, B, D, east

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
WHERE = ["in", "out"]


def holds(role, permission):
    return permission in P.ROLES[role]


@pytest.fixture
def cases(world):
    out = {}
    for where, (at, area) in {"in": (A, "c11"), "out": (B, "c21")}.items():
        check = checks.project_check(
            actor=world["sys"], project_name=f"{where}项目", applicant="x",
            area=world["areas"][area], shape=Shape(shapely.Point(east(*at, 250), at[1])), today=D)
        out[where] = ConsentCase.objects.get(construction_check=check)
    return out


def client_for(world, role):
    user = factories.user(f"u_{role}", role, world["areas"]["s1"], department=world["dept"])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_read_site_page_and_api(world, role, where):
    client = client_for(world, role)
    site = world["site_a"] if where == "in" else world["site_b"]
    expected = 200 if where == "in" and holds(role, P.VIEW) else 404
    assert client.get(f"/culture/sites/{site.pk}/").status_code == expected
    assert client.get(f"/api/culture/sites/{site.pk}").status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_check_a_project(world, role, where):
    client = client_for(world, role)
    area = "120199001001" if where == "in" else "120199002001"
    before = ConstructionCheck.objects.count()
    response = client.post("/culture/checks/new/", {
        "project_name": "p", "applicant": "a", "area": area, "lon": A[0], "lat": A[1]})
    if not holds(role, P.CHECK):
        assert response.status_code == 403
    elif where == "out":  # not among the choices: refused on the form, nothing recorded
        assert response.status_code == 422
    else:
        assert response.status_code == 302
    assert ConstructionCheck.objects.count() == before + (response.status_code == 302)
    api = client.post("/api/culture/checks", json.dumps({
        "project_name": "p", "applicant": "a", "area_code": area,
        "geometry": {"type": "Point", "coordinates": list(A)}}),
        content_type="application/json")
    # an area where the actor may not check is "not found" to the API (no existence leak)
    expected = 201 if holds(role, P.CHECK) and where == "in" else 404
    assert api.status_code == expected, api.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_decide_a_consent(world, cases, role, where):
    client = client_for(world, role)
    case = cases[where]
    response = client.post(f"/culture/consents/{case.pk}/", {
        "version": case.version, "decision": "approve", "reason": "可以"})
    if where == "out":
        expected = 404
    else:
        expected = 302 if holds(role, P.DECIDE) else 403
    assert response.status_code == expected
    case.refresh_from_db()
    assert case.state == ("approved" if expected == 302 else "open")


def test_an_approver_of_another_department_cannot_decide(world, cases):
    other = factories.department(world["areas"]["district"], "civil_affairs", "民政局")
    user = factories.user("mz_approver", "approver", world["areas"]["district"],
                          department=other)
    client = Client()
    client.force_login(user)
    case = cases["in"]
    response = client.post(f"/culture/consents/{case.pk}/", {
        "version": case.version, "decision": "approve", "reason": "可以"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == "open"
