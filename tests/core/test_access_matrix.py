"""Every role × in/out of scope × read/write, through the API and the pages, for every core
record type (people, households, organizations, areas, audit log, disability
certificates, API tokens); a refused write changes nothing."""

import datetime

import pytest
from django.test import Client

from minsheng.core import services
from minsheng.core.access import actor_for, system_actor
from minsheng.core.models import (
    ApiToken,
    AuditEntry,
    DisabilityCertificate,
    Household,
    Organization,
    Person,
)
from tests import factories

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
CAN_READ = {"system_admin", "department_admin", "caseworker", "reviewer", "approver",
            "auditor"}
CAN_WRITE = {"system_admin", "department_admin", "caseworker"}
CAN_AUDIT = {"system_admin", "auditor"}
WHERE = ["in", "out"]


@pytest.fixture
def world(areas):
    return {"in": factories.person(areas["c11"], address="原址"),
            "out": factories.person(areas["c21"], address="原址")}


@pytest.fixture
def orgs(areas):
    return {"in": factories.organization(areas["c11"], name="甲公司", address="旧址"),
            "out": factories.organization(areas["c21"], name="乙公司", address="旧址")}


def client_for(role, areas):
    user = factories.user(f"u_{role}", role, areas["s1"])
    client = Client()
    client.force_login(user)
    return client


def expected_read(role, where):
    return 200 if role in CAN_READ and where == "in" else 404


def expected_write(role, where, ok=200):
    if where == "out" or role not in CAN_READ:
        return 404
    return ok if role in CAN_WRITE else 403


# --- people -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_people_api_read_and_write(role, where, areas, world):
    client = client_for(role, areas)
    person = world[where]
    response = client.get(f"/api/core/people/{person.pk}")
    assert response.status_code == expected_read(role, where)
    if response.status_code == 200:
        assert response.json()["id_number_masked"].count("*") == 8
        assert person.id_number not in response.content.decode()
    response = client.patch(f"/api/core/people/{person.pk}",
                            data={"version": person.version, "address": "改址"},
                            content_type="application/json")
    assert response.status_code == expected_write(role, where), response.content
    assert set(response.json()) >= {"id", "name"} if response.status_code == 200 else \
        set(response.json()) == {"code", "message", "details"}
    person.refresh_from_db()
    assert person.address == ("改址" if expected_write(role, where) == 200 else "原址")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_people_pages_read_and_write(role, where, areas, world):
    client = client_for(role, areas)
    person = world[where]
    assert client.get(f"/people/{person.pk}/").status_code == expected_read(role, where)
    response = client.post(f"/people/{person.pk}/edit/",
                           {"version": person.version, "address": "改址"})
    assert response.status_code == expected_write(role, where, ok=302)
    person.refresh_from_db()
    assert person.address == ("改址" if expected_write(role, where) == 200 else "原址")


@pytest.mark.parametrize("role", ROLES)
def test_people_lists_show_only_scope(role, areas, world):
    client = client_for(role, areas)
    response = client.get("/api/core/people")
    page = client.get("/people/")
    if role not in CAN_READ:  # may see the register nowhere: refused, like the page
        assert response.status_code == 403 and page.status_code == 403
        return
    assert {item["id"] for item in response.json()["items"]} == {world["in"].pk}
    assert f"/people/{world['in'].pk}/" in page.content.decode()
    assert f"/people/{world['out'].pk}/" not in page.content.decode()


# --- households -------------------------------------------------------------------------

@pytest.fixture
def households(areas, world):
    return {"in": factories.household(areas["c11"], [(world["in"], "head")], number="H-IN"),
            "out": factories.household(areas["c21"], [(world["out"], "head")],
                                       number="H-OUT")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_households_read(role, where, areas, households):
    client = client_for(role, areas)
    household = households[where]
    assert client.get(f"/households/{household.pk}/").status_code == expected_read(role, where)
    response = client.get(f"/api/core/households/{household.pk}")
    assert response.status_code == expected_read(role, where)
    if response.status_code == 200:
        assert response.json()["members"][0]["relationship"] == "head"
    listed = client.get("/api/core/households")
    if role in CAN_READ:
        assert [h["number"] for h in listed.json()["items"]] == ["H-IN"]
    else:
        assert listed.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_households_create_on_the_page(role, where, areas):
    client = client_for(role, areas)
    community = areas["c11" if where == "in" else "c21"]
    head = factories.person(community)
    response = client.post("/households/new/", {
        "number": "H-NEW", "area": community.code, "address": "新址",
        "id_number_1": head.id_number, "relationship_1": "head"})
    if role not in CAN_WRITE:
        expected = 403  # no form at all: they may change the register nowhere
    else:
        expected = 302 if where == "in" else 422  # the foreign area is not offered
    assert response.status_code == expected
    assert Household.objects.filter(number="H-NEW").exists() == (expected == 302)


# --- organizations ----------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_organizations_read_and_write(role, where, areas, orgs):
    client = client_for(role, areas)
    org = orgs[where]
    read = 200 if where == "in" else 404  # every role sees organizations in its area
    assert client.get(f"/organizations/{org.pk}/").status_code == read
    assert client.get(f"/api/core/organizations/{org.pk}").status_code == read
    response = client.post(f"/organizations/{org.pk}/edit/", {
        "version": org.version, "name": org.name, "uscc": org.uscc, "area": org.area.code,
        "address": "新址", "industry_code": ""})
    if where == "out":
        expected = 404
    else:
        expected = 302 if role in CAN_WRITE else 403
    assert response.status_code == expected
    org.refresh_from_db()
    assert org.address == ("新址" if expected == 302 else "旧址")
    changed = AuditEntry.objects.filter(object_type="core.organization", action="update")
    assert changed.exists() == (expected == 302)


# --- areas ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_areas_show_only_scope(role, areas):
    client = client_for(role, areas)
    codes = {a["code"] for a in client.get("/api/core/areas").json()}
    assert codes == {"120199001", "120199001001", "120199001002"}
    html = client.get("/areas/").content.decode()
    assert "甲一社区" in html and "乙一社区" not in html


def test_areas_have_no_write_path_but_the_service(areas):
    client = client_for("system_admin", areas)
    before = list(areas["s1"].children.values_list("code", flat=True))
    assert client.post("/api/core/areas", {"code": "120199001009"},
                       content_type="application/json").status_code == 405
    assert list(areas["s1"].children.values_list("code", flat=True)) == before


# --- audit log --------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_audit_log_only_for_auditors(role, areas, world):
    services.person_update(actor=system_actor(), person=world["in"], version=1, address="甲")
    client = client_for(role, areas)
    expected = 200 if role in CAN_AUDIT else 403
    assert client.get("/audit/").status_code == expected
    response = client.get("/api/core/audit")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] == AuditEntry.objects.count()
    # nobody changes the log: there is no write endpoint, and the model refuses
    assert client.post("/api/core/audit", {}, content_type="application/json"
                       ).status_code == 405


# --- disability certificates ------------------------------------------------------------

def certificate_payload():
    return {"category": 4, "grade": 2, "issued_on": "2024-03-01", "valid_until": "2034-02-28"}


@pytest.fixture
def certificates(world):
    return {where: services.disability_certificate_create(
        actor=system_actor(), person=person, category=1, grade=3,
        issued_on=datetime.date(2020, 5, 6)) for where, person in world.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_disability_certificates_api(role, where, areas, world, certificates):
    client = client_for(role, areas)
    person = world[where]
    response = client.get(f"/api/core/people/{person.pk}/disabilities")
    assert response.status_code == expected_read(role, where)
    if response.status_code == 200:
        item = response.json()[0]
        assert item["category"] == 1 and person.id_number not in item["number_masked"]
        assert AuditEntry.objects.filter(action="read", object_id=str(person.pk)).exists()
    response = client.post(f"/api/core/people/{person.pk}/disabilities",
                           data=certificate_payload(), content_type="application/json")
    assert response.status_code == expected_write(role, where, ok=201), response.content
    created = DisabilityCertificate.objects.filter(person=person, category=4)
    assert created.exists() == (response.status_code == 201)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_disability_certificates_pages(role, where, areas, world, certificates):
    client = client_for(role, areas)
    person = world[where]
    page = client.get(f"/people/{person.pk}/")
    assert page.status_code == expected_read(role, where)
    if page.status_code == 200:
        html = page.content.decode()
        assert "视力" in html and certificates[where].number not in html
        assert ("disabilities/new/" in html) == (role in CAN_WRITE)
    response = client.post(f"/people/{person.pk}/disabilities/new/", certificate_payload())
    assert response.status_code == expected_write(role, where, ok=302)
    created = DisabilityCertificate.objects.filter(person=person, category=4)
    assert created.exists() == (response.status_code == 302)


# --- API tokens -------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_api_tokens_are_each_users_own(role, areas):
    other = factories.user("other", "caseworker", areas["s1"])
    services.api_token_create(actor=actor_for(other), name="theirs")
    foreign = ApiToken.objects.get(name="theirs")
    client = client_for(role, areas)
    response = client.post("/account/tokens/", {"name": "我的脚本"})
    assert response.status_code == 200
    mine = ApiToken.objects.get(name="我的脚本")
    assert mine.user.username == f"u_{role}" and mine.prefix in response.content.decode()
    html = client.get("/account/tokens/").content.decode()
    assert "我的脚本" in html and "theirs" not in html
    assert client.post(f"/account/tokens/{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert not foreign.revoked
    assert client.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    assert mine.revoked
    assert AuditEntry.objects.filter(object_type="core.apitoken", action="update").count() == 1


# --- authentication ---------------------------------------------------------------------

def test_anonymous_gets_login_or_401(world):
    client = Client()
    for url in ("/people/", "/households/", "/organizations/", "/audit/", "/account/tokens/",
                f"/people/{world['in'].pk}/", "/households/new/", "/import/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert client.get("/")["Location"] == "/portal/"
    response = client.get("/api/core/people")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_api_token_authentication(areas, world):
    user = factories.user("tok", "caseworker", areas["s1"])
    key = services.api_token_create(actor=actor_for(user), name="script")
    token = ApiToken.objects.get(user=user)
    client = Client()
    ok = client.get(f"/api/core/people/{world['in'].pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    bad = client.get("/api/core/people", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
    services.api_token_revoke(actor=actor_for(user), token=token)
    revoked = client.get(f"/api/core/people/{world['in'].pk}",
                         HTTP_AUTHORIZATION=f"Bearer {key}")
    assert revoked.status_code == 401


def test_stale_api_write_is_409_with_clear_message(areas, world):
    client = client_for("caseworker", areas)
    person = world["in"]
    url = f"/api/core/people/{person.pk}"
    first = client.patch(url, data={"version": 1, "address": "甲"},
                         content_type="application/json")
    assert first.status_code == 200
    second = client.patch(url, data={"version": 1, "address": "乙"},
                          content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "stale_version"
    assert Person.objects.get(pk=person.pk).address == "甲"


def test_saving_unchanged_values_keeps_the_version(areas, world):
    client = client_for("caseworker", areas)
    person = world["in"]
    response = client.patch(f"/api/core/people/{person.pk}",
                            data={"version": 1, "address": "原址"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 1
    assert not AuditEntry.objects.filter(action="update").exists()


def test_organization_of_another_area_is_not_offered(areas, orgs):
    """A writer in one subdistrict cannot move an organization into another."""
    client = client_for("caseworker", areas)
    org = orgs["in"]
    response = client.post(f"/organizations/{org.pk}/edit/", {
        "version": org.version, "name": org.name, "uscc": org.uscc,
        "area": areas["c21"].code, "address": "x"})
    assert response.status_code == 422
    assert Organization.objects.get(pk=org.pk).area == areas["c11"]


CAN_EXPORT = {"system_admin", "department_admin", "approver"}  # and who may read people


@pytest.mark.parametrize("role", ROLES)
def test_people_export(role, areas, world):
    client = client_for(role, areas)
    response = client.get("/people/export.xlsx")
    if role in CAN_EXPORT:
        assert response.status_code == 200
        assert AuditEntry.objects.filter(action="export").count() == 1
    else:
        assert response.status_code == 403
        assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("role", ROLES)
def test_menu_links_lead_somewhere(role, areas, world):
    """The top navigation and the home page offer only core pages the role may open."""
    import re

    client = client_for(role, areas)
    html = client.get("/").content.decode()
    core_links = {"/people/", "/households/", "/organizations/", "/areas/", "/audit/",
                  "/import/", "/account/tokens/"}
    for link in sorted(set(re.findall(r'href="(/[^"?]*)"', html)) & core_links):
        assert client.get(link).status_code == 200, link
