"""Every role × in/out of scope × read/write, through the API and the pages; a refused
write changes nothing."""

import pytest
from django.test import Client

from minsheng.core.models import Person
from tests import factories

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
CAN_READ = {"system_admin", "department_admin", "caseworker", "reviewer", "approver",
            "auditor"}
CAN_WRITE = {"system_admin", "department_admin", "caseworker"}


@pytest.fixture
def world(areas):
    return {"in": factories.person(areas["c11"], address="原址"),
            "out": factories.person(areas["c21"], address="原址")}


def client_for(role, areas):
    user = factories.user(f"u_{role}", role, areas["s1"])
    client = Client()
    client.force_login(user)
    return client


def expected_read(role, where):
    return 200 if role in CAN_READ and where == "in" else 404


def expected_write(role, where):
    if where == "out" or role not in CAN_READ:
        return 404
    return 200 if role in CAN_WRITE else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_api_read_and_write(role, where, areas, world):
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
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages_read_and_write(role, where, areas, world):
    client = client_for(role, areas)
    person = world[where]
    assert client.get(f"/people/{person.pk}/").status_code == expected_read(role, where)
    response = client.post(f"/people/{person.pk}/edit/",
                           {"version": person.version, "address": "改址"})
    assert response.status_code == expected_write(role, where)
    person.refresh_from_db()
    assert person.address == ("改址" if expected_write(role, where) == 200 else "原址")


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_scope(role, areas, world):
    client = client_for(role, areas)
    response = client.get("/api/core/people")
    if role not in CAN_READ:
        assert response.json()["count"] == 0
        return
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {world["in"].pk}


def test_audit_log_only_for_auditors(areas, world):
    assert client_for("auditor", areas).get("/audit/").status_code == 200
    assert client_for("caseworker", areas).get("/audit/").status_code == 403
    assert client_for("reviewer", areas).get(
        "/api/core/audit").status_code == 403


def test_anonymous_gets_login_or_401(world):
    client = Client()
    assert client.get("/people/").status_code == 302
    assert client.get("/")["Location"] == "/portal/"
    response = client.get("/api/core/people")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_api_token_authentication(areas, world):
    from minsheng.core import services
    from minsheng.core.access import actor_for

    user = factories.user("tok", "caseworker", areas["s1"])
    key = services.api_token_create(actor=actor_for(user), name="script")
    client = Client()
    ok = client.get(f"/api/core/people/{world['in'].pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    bad = client.get("/api/core/people", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401


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
