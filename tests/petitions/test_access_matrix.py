"""Every role × in/out of scope × read/write, through the pages and the API. A refused
write changes nothing. Staff are in the handling department (民政局) at the subdistrict."""

import pytest
from django.test import Client

from minsheng.core.models import AuditEntry
from minsheng.petitions import permissions as P
from minsheng.petitions import services as S
from minsheng.petitions.models import Petition
from tests import factories
from tests.petitions.conftest import D, register

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
WHERE = ["in", "out"]


def holds(role, permission):
    return permission in P.ROLES.get(role, set())


@pytest.fixture
def cases(world):
    areas = world["areas"]
    out_person = factories.person(areas["c21"], name="王五")
    made = {}
    for where, area, person in (("in", areas["c11"], world["resident"]),
                                ("out", areas["c21"], out_person)):
        made[where] = register(world, actor=world["clerk"], area=area,
                               petitioner_name=person.name,
                               petitioner_id_number=person.id_number)
    return made


def client_for(role, world):
    user = factories.user(f"u_{role}", role, world["areas"]["s1"], department=world["civil"])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_reads(role, where, world, cases):
    client = client_for(role, world)
    p = cases[where]
    expected = 200 if where == "in" and holds(role, P.VIEW) else 404
    for url in (f"/petitions/{p.pk}/", f"/api/petitions/{p.pk}"):
        assert client.get(url).status_code == expected, url
    # the petitioner's full ID number never appears on a page or in the API
    assert world["resident"].id_number not in client.get(f"/petitions/{p.pk}/").content.decode()
    assert p.petitioner_id_number not in client.get(f"/api/petitions/{p.pk}").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_scope(role, world, cases):
    client = client_for(role, world)
    if not holds(role, P.VIEW):
        assert client.get("/petitions/").status_code == 403
        assert client.get("/api/petitions/").status_code == 403
        return
    body = client.get("/api/petitions/").json()
    assert [item["id"] for item in body["items"]] == [cases["in"].pk]
    page = client.get("/petitions/").content.decode()
    assert cases["in"].reference in page and cases["out"].reference not in page


def _expected(role, where, permission, ok):
    if where == "out" or not holds(role, P.VIEW):
        return 404
    return ok if holds(role, permission) else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_accept(role, where, world, cases):
    client = client_for(role, world)
    p = cases[where]
    r = client.post(f"/petitions/{p.pk}/accept/", {"version": p.version, "note": "受理",
                                                   "department": world["civil"].pk})
    expected = _expected(role, where, P.ACCEPT, 302)
    assert r.status_code == expected
    p.refresh_from_db()
    assert p.state == ("accepted" if expected == 302 else "registered")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_api_accept(role, where, world, cases):
    client = client_for(role, world)
    p = cases[where]
    r = client.post(f"/api/petitions/{p.pk}/accept", {"version": p.version},
                    content_type="application/json")
    expected = _expected(role, where, P.ACCEPT, 200)
    assert r.status_code == expected
    p.refresh_from_db()
    assert p.state == ("accepted" if expected == 200 else "registered")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_reply_extend_review(role, where, world, cases):
    client = client_for(role, world)
    p = cases[where]
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version)
    p.refresh_from_db()
    r = client.post(f"/petitions/{p.pk}/extend/", {"version": p.version, "days": 30,
                                                   "reason": "情况复杂"})
    expected = _expected(role, where, P.APPROVE, 302)
    assert r.status_code == expected
    p.refresh_from_db()
    assert p.extension_days == (30 if expected == 302 else 0)
    r = client.post(f"/petitions/{p.pk}/reply/", {"version": p.version, "reply": "已处理"})
    expected = _expected(role, where, P.HANDLE, 302)
    assert r.status_code == expected
    p.refresh_from_db()
    assert p.state == ("replied" if expected == 302 else "accepted")
    if p.state != "replied":
        S.petition_reply(actor=world["handler"] if where == "in" else _sys(), petition=p,
                         version=p.version, reply="已处理")
        p.refresh_from_db()
    S.petition_request_review(actor=_sys(), petition=p, version=p.version)
    p.refresh_from_db()
    r = client.post(f"/petitions/{p.pk}/decide_review/", {"version": p.version,
                                                          "opinion": "维持"})
    expected = _expected(role, where, P.REVIEW, 302)
    assert r.status_code == expected
    p.refresh_from_db()
    assert p.state == ("reviewed" if expected == 302 else "review")


def _sys():
    from minsheng.core.access import system_actor

    return system_actor()


@pytest.mark.parametrize("role", ROLES)
def test_register_in_and_out_of_scope(role, world):
    client = client_for(role, world)
    areas = world["areas"]
    for where, area in (("in", areas["c12"]), ("out", areas["c22"])):
        r = client.post("/petitions/new/", {
            "channel": "visit", "category": "claim", "petitioner_name": "赵六",
            "petitioner_id_number": factories.id_number(), "area": area.pk,
            "subject": "路灯不亮", "content": "小区门口的路灯坏了三个月，晚上出行很不安全。",
            "joint_count": 1, "received_on": D.isoformat()})
        ok = where == "in" and holds(role, P.REGISTER)
        assert r.status_code == (302 if ok else 404), where
        assert Petition.objects.filter(area=area).exists() == ok


@pytest.mark.parametrize("role", ROLES)
def test_reveal(role, world, cases):
    client = client_for(role, world)
    p = cases["in"]
    r = client.post(f"/petitions/{p.pk}/reveal/", {"field": "id_number"})
    if not holds(role, P.VIEW):
        assert r.status_code == 404
        return
    from minsheng.core.access import ROLE_PERMISSIONS

    may = "core.reveal_personal" in ROLE_PERMISSIONS[role]
    assert r.status_code == (200 if may else 403)
    assert (p.petitioner_id_number in r.content.decode()) == may
    assert AuditEntry.objects.filter(action="reveal", object_id=str(p.pk)).exists() == may


def test_export_needs_the_permission_and_masks_ids(world, cases):
    client = client_for("approver", world)
    r = client.get("/petitions/?format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(r.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert cases["in"].reference in values and cases["out"].reference not in values
    assert world["resident"].id_number not in values
    assert client_for("caseworker", world).get("/petitions/?format=xlsx").status_code == 403
