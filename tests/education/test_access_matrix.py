"""Every role × in/out of scope × read/write, through the pages and the API, for roll
entries, out-of-school cases and aid applications. A refused write changes nothing.

Staff belong to the education bureau (its decisions are reserved to it); a
civil-affairs caseworker shows the reservation on roll keeping."""

import datetime

import pytest
from django.test import Client

from minsheng.core.access import system_actor
from minsheng.core.models import DisabilityCertificate
from minsheng.education import permissions as P
from minsheng.education.models import AidApplication, DropoutCase, Enrolment
from minsheng.education.services import aid, dropout
from tests import factories
from tests.education.conftest import TODAY, child, enrol

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
WHERE = ["in", "out"]


def holds(role, permission):
    return permission in P.ROLES[role]


def expected_read(role, where):
    return 200 if where == "in" and holds(role, P.VIEW) else 404


def expected_write(role, where, permission, ok=302):
    if where == "out" or not holds(role, P.VIEW):
        return 404
    return ok if holds(role, permission) else 403


@pytest.fixture
def matrix(world):
    sys = system_actor()
    out = {}
    for where, area, school in (("in", world["areas"]["c11"], "p1"),
                                ("out", world["areas"]["c21"], "p2")):
        kid = child(area, name=f"{where}生")
        e = enrol(world, kid, school_key=school)
        missing = child(area, name=f"{where}失学", birth=datetime.date(2015, 4, 4))
        kg = child(area, name=f"{where}园", birth=datetime.date(2022, 4, 4))
        DisabilityCertificate.objects.create(person=kg, number=f"D{where}", category=1,
                                             grade=2, issued_on=datetime.date(2024, 1, 1))
        kg_school = "k1" if where == "in" else None
        application = None
        if kg_school:
            ke = enrol(world, kg, school_key="k1", grade=2, intake=2025)
            application = aid.aid_apply(actor=sys, enrolment=ke, today=TODAY)
        out[where] = {"enrolment": e, "missing": missing, "aid": application}
    dropout.rolls_match(actor=sys, area=world["areas"]["district"], on=TODAY)
    for where in WHERE:
        out[where]["case"] = DropoutCase.objects.get(person=out[where]["missing"])
    return out


def client_for(role, world, department=True):
    user = factories.user(f"u_{role}", role, world["areas"]["s1"],
                          department=world["dept"] if department else None)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_reads(role, where, world, matrix):
    client = client_for(role, world)
    r = matrix[where]
    expected = expected_read(role, where)
    for url in (f"/education/rolls/{r['enrolment'].pk}/", f"/education/cases/{r['case'].pk}/",
                f"/api/education/cases/{r['case'].pk}"):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_scope(role, world, matrix):
    client = client_for(role, world)
    body = client.get("/api/education/cases").json()
    assert {item["id"] for item in body["items"]} == {matrix["in"]["case"].pk}
    body = client.get("/api/education/enrolments").json()
    assert matrix["out"]["enrolment"].pk not in {item["id"] for item in body["items"]}
    for url in ("/education/", "/education/cases/", "/education/schools/", "/education/aid/",
                "/education/figures/compulsory_cohort/?year=2026"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "out失学" not in page.content.decode() and "乙小学" not in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_page_writes(role, where, world, matrix):
    client = client_for(role, world)
    r = matrix[where]
    case, e = r["case"], r["enrolment"]
    status = client.post(f"/education/cases/{case.pk}/confirm_out/", {
        "version": case.version, "cause": "truancy", "school_officer": "王",
        "street_officer": "李"}).status_code
    assert status == expected_write(role, where, P.DROPOUT)
    case.refresh_from_db()
    assert (case.state == "visiting") == (status == 302)

    status = client.post(f"/education/rolls/{e.pk}/suspend/",
                         {"version": e.version}).status_code
    assert status == expected_write(role, where, P.ROLLS)
    e.refresh_from_db()
    assert (e.state == "suspended") == (status == 302)


@pytest.mark.parametrize("role", ROLES)
def test_api_writes(role, world, matrix):
    client = client_for(role, world)
    case = matrix["in"]["case"]
    response = client.post(f"/api/education/cases/{case.pk}/confirm_out", {
        "version": case.version, "cause": "economic", "school_officer": "王",
        "street_officer": "李"}, content_type="application/json")
    assert response.status_code == (200 if holds(role, P.DROPOUT) else 403)
    case.refresh_from_db()
    assert (case.state == "visiting") == (response.status_code == 200)
    other = matrix["out"]["case"]
    response = client.post(f"/api/education/cases/{other.pk}/confirm_out", {
        "version": other.version, "cause": "economic", "school_officer": "王",
        "street_officer": "李"}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_aid_decision_is_the_bureaus(role, world, matrix):
    client = client_for(role, world)
    application = matrix["in"]["aid"]
    status = client.post(f"/education/aid/{application.pk}/approve/",
                         {"version": application.version}).status_code
    assert status == expected_write(role, "in", P.AID_DECIDE)
    application.refresh_from_db()
    assert (application.state == "approved") == (status == 302)


def test_roll_keeping_is_reserved_to_the_bureau(world, matrix):
    client = client_for("department_admin", world, department=False)
    e = matrix["in"]["enrolment"]
    assert client.post(f"/education/rolls/{e.pk}/suspend/",
                       {"version": e.version}).status_code == 403
    e.refresh_from_db()
    assert e.state == "enrolled"
    assert Enrolment.objects.filter(state="suspended").count() == 0
    assert AidApplication.objects.count() == 1
