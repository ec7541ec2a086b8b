"""Every role × in/out of scope × read/write, through the pages and the API, for the
module's records (institutions and beds, stays, allowances, payment lists, matches,
recoveries). A refused write changes nothing. Staff of another department see the
figures but no resident (VIEW_PEOPLE and every decision are reserved to civil affairs)."""

import datetime
import json

import pytest
from django.test import Client

from minsheng.core.access import system_actor
from minsheng.eldercare import permissions as P
from minsheng.eldercare.models import Allowance, Bed, DeathMatch, PaymentList, Recovery
from minsheng.eldercare.services import allowances as svc
from minsheng.eldercare.services import payments
from minsheng.eldercare.services import stays as stay_svc
from tests import factories
from tests.eldercare.conftest import add_beds, elder

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
WHERE = ["in", "out"]
D = datetime.date
ACCOUNT = "6228480012345678901"


def holds(role, permission, department=True):
    if not department and permission in P.DEPARTMENT_ONLY and role != "system_admin":
        return False
    return permission in P.ROLES[role]


@pytest.fixture
def records(world):
    sys = system_actor()
    out = {}
    for where, inst, community, sub in (("in", world["inst"], "c11", "s1"),
                                        ("out", world["inst2"], "c21", "s2")):
        beds = add_beds(inst, 2)
        person = elder(world["areas"][community], f"{where}老人", birth=D(1940, 1, 1))
        stay = stay_svc.stay_admit(actor=sys, person=person, bed=beds[0],
                                   admitted_on=D(2025, 1, 1))
        a = svc.allowance_apply(actor=sys, person=person, kind="old_age",
                                bank_account=ACCOUNT, applied_on=D(2025, 1, 1))
        applied = svc.allowance_apply(
            actor=sys, person=elder(world["areas"][community], f"{where}申请人",
                                    birth=D(1939, 1, 1)),
            kind="old_age", bank_account=ACCOUNT, applied_on=D(2025, 1, 1))
        svc.allowance_decide(actor=sys, allowance=a, version=a.version, action="approve")
        plist = payments.payment_list_build(actor=sys, area=world["areas"][sub],
                                            month=D(2025, 1, 1))
        record = elder(world["areas"][community], f"{where}记录", status="deceased",
                       status_date=D(2025, 1, 2))
        match = DeathMatch.objects.create(allowance=a, record=record, area=a.area,
                                          kind="death", event_date=D(2025, 1, 2),
                                          probability=0.93)
        rec = Recovery.objects.create(line=plist.lines.get(), allowance=a, area=a.area,
                                      amount=100)
        out[where] = {"inst": inst, "bed": beds[0], "free": beds[1], "stay": stay,
                      "allowance": a, "applied": applied, "list": plist, "match": match,
                      "recovery": rec, "area": world["areas"][sub]}
    return out


def client_for(role, world, department=True):
    user = factories.user(f"u_{role}", role, world["areas"]["s1"],
                          department=world["dept"] if department else None)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.mark.parametrize("department", [True, False])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_reads(role, where, department, world, records):
    client = client_for(role, world, department)
    r = records[where]
    view = 200 if where == "in" else 404
    people = 200 if where == "in" and holds(role, P.VIEW_PEOPLE, department) else 404
    for url in (f"/eldercare/institutions/{r['inst'].pk}/", f"/eldercare/beds/{r['bed'].pk}/"):
        assert client.get(url).status_code == view, url
    for url in (f"/eldercare/stays/{r['stay'].pk}/", f"/eldercare/allowances/{r['allowance'].pk}/",
                f"/eldercare/payments/{r['list'].pk}/", f"/eldercare/matches/{r['match'].pk}/",
                f"/eldercare/recoveries/{r['recovery'].pk}/"):
        assert client.get(url).status_code == people, url
    export = 200 if where == "in" and holds(role, P.PAY, department) else 404
    assert client.get(f"/eldercare/payments/{r['list'].pk}/export.xlsx").status_code == export
    # the institution page names residents only for those who may see them
    page = client.get(f"/eldercare/institutions/{r['inst'].pk}/").content.decode()
    if where == "in":
        assert ("in老人" in page) == holds(role, P.VIEW_PEOPLE, department)


@pytest.mark.parametrize("department", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_scope(role, department, world, records):
    client = client_for(role, world, department)
    people = holds(role, P.VIEW_PEOPLE, department)
    home = client.get("/eldercare/").content.decode()
    assert "甲街道颐养院" in home and "乙街道敬老院" not in home
    figures = client.get("/api/eldercare/figures?on=2025-02-01").json()
    assert [i["name"] for i in figures["institutions"]] == ["甲街道颐养院"]
    for url in ("/eldercare/allowances/", "/eldercare/payments/", "/eldercare/matches/",
                "/eldercare/recoveries/"):
        page = client.get(url)
        assert page.status_code == (200 if people else 403), url
        if people:
            body = page.content.decode()
            assert not any(f"out{w}" in body for w in ("老人", "申请人", "记录")), url
    api = client.get("/api/eldercare/allowances")
    assert api.status_code == (200 if people else 403)
    if people:
        assert {x["id"] for x in api.json()["items"]} == {
            records["in"]["allowance"].pk, records["in"]["applied"].pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_page_writes(role, where, world, records):
    client = client_for(role, world)
    r = records[where]

    def expected(permission, via_people=True):
        if where == "out":
            return 404
        if via_people and not holds(role, P.VIEW_PEOPLE):
            return 404
        return 302 if holds(role, permission) else 403

    beds = Bed.objects.count()
    status = client.post(f"/eldercare/institutions/{r['inst'].pk}/bed/", {
        "room": "9", "number": "9", "bed_type": "general", "valid_from": "2025-01-01"}
    ).status_code
    assert status == expected(P.INSTITUTIONS, via_people=False)
    assert Bed.objects.count() == beds + (status == 302)

    applied = r["applied"]
    status = client.post(f"/eldercare/allowances/{applied.pk}/approve/",
                         {"version": applied.version}).status_code
    assert status == expected(P.DECIDE)
    applied.refresh_from_db()
    assert (applied.state == "active") == (status == 302)

    stay = r["stay"]
    status = client.post(f"/eldercare/stays/{stay.pk}/", {
        "version": stay.version, "on": "2025-03-01", "reason": "home"}).status_code
    assert status == expected(P.ADMIT)
    stay.refresh_from_db()
    assert (stay.state == "discharged") == (status == 302)

    plist = r["list"]
    status = client.post(f"/eldercare/payments/{plist.pk}/approve/",
                         {"version": plist.version}).status_code
    assert status == expected(P.APPROVE_LIST)
    plist.refresh_from_db()
    assert (plist.state == "approved") == (status == 302)

    rec = r["recovery"]
    status = client.post(f"/eldercare/recoveries/{rec.pk}/", {
        "version": rec.version, "action": "recovered"}).status_code
    assert status == expected(P.RECOVER)
    rec.refresh_from_db()
    assert (rec.state == "recovered") == (status == 302)


@pytest.mark.parametrize("role", ROLES)
def test_api_writes(role, world, records):
    client = client_for(role, world)
    lists = PaymentList.objects.count()
    for where in WHERE:
        r = records[where]
        status = client.post("/api/eldercare/payment-lists", json.dumps({
            "area_id": r["area"].pk, "month": "2025-02-01"}),
            content_type="application/json").status_code
        ok = where == "in" and holds(role, P.PAY)
        assert (status == 201) == ok, (where, status)
    assert PaymentList.objects.count() == lists + (1 if holds(role, P.PAY) else 0)
    person = elder(world["areas"]["c12"], "新申请", birth=D(1935, 5, 5))
    status = client.post("/api/eldercare/allowances", json.dumps({
        "id_number": person.id_number, "kind": "old_age", "bank_account": ACCOUNT}),
        content_type="application/json").status_code
    assert (status == 201) == holds(role, P.APPLY)
    assert Allowance.objects.filter(person=person).exists() == (status == 201)
