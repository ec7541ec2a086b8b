"""Every role × in/out of scope × read/write, through the API and the pages, for the
module's main records (hazards, accidents, alarms, enterprise profiles, inspection plans,
emergency plans, releases). A refused write changes nothing.

Staff are in the supervising department (its decisions are reserved to it, see
`permissions.DEPARTMENT_ONLY`); a civil-affairs approver shows the reservation."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.safety import permissions as P
from minsheng.safety.models import (
    Accident,
    Alarm,
    EmergencyPlan,
    Hazard,
    InspectionPlan,
    Release,
    SafetyProfile,
)
from minsheng.safety.services import accidents as acc
from minsheng.safety.services import emergency as em
from minsheng.safety.services import hazards as hz
from minsheng.safety.services import inspections as insp
from minsheng.safety.services import iot
from tests import factories

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
WHERE = ["in", "out"]
D = datetime.date(2026, 3, 2)


def holds(role: str, permission: str) -> bool:
    return permission in P.ROLES[role]


def expected_read(role, where):
    return 200 if where == "in" and holds(role, P.VIEW) else 404


def expected_write(role, where, permission, ok=302):
    if where == "out" or not holds(role, P.VIEW):
        return 404
    return ok if holds(role, permission) else 403


@pytest.fixture
def world(areas):
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    for i in range(2):  # inspectors a draw can choose from
        factories.user(f"insp{i}", "caseworker", areas["district"], department=dept)
    sys = system_actor()
    w = {"dept": dept}
    for where, area in (("in", areas["c11"]), ("out", areas["c21"])):
        ent = factories.organization(area, f"{where}化工有限公司")
        hazard = hz.hazard_report(actor=sys, enterprise=ent, origin="inspection",
                                  grade="general", category="电气安全", location="车间",
                                  description="配电箱未接地", found_on=D, today=D)
        occurred = timezone.now() - datetime.timedelta(hours=3)
        accident = acc.accident_report(actor=sys, title=f"{where}事故", kind="production",
                                       area=area, occurred_at=occurred, place="车间",
                                       enterprise=ent, deaths=1)
        release = acc.release_draft(actor=sys, accident=accident, title="通报", body="……")
        source = iot.source_save(actor=sys, enterprise=ent, code=f"MHS-{where}", name="罐区",
                                 population_500m=10, substances=[("NH3", 60.0)], today=D)
        iot.sensor_create(actor=sys, source=source, code=f"GAS-{where}", kind="combustible",
                          unit="%LEL")
        iot.Pipeline().process([iot.Message(
            f"minsheng/safety/v1/sensor/GAS-{where}",
            json.dumps({"ts": timezone.now().isoformat(), "value": 60}).encode())])
        subdistrict = area.parent
        plan = insp.plan_create(actor=sys, name=f"{where}抽查", area=subdistrict,
                                department=dept, sample_size=1)
        eplan = em.plan_create(actor=sys, title=f"{where}预案", plan_type="enterprise",
                               owner=ent, area=area, issued_on=D)
        w[where] = {"ent": ent, "hazard": hazard, "accident": accident, "release": release,
                    "alarm": Alarm.objects.get(source=source), "plan": plan, "eplan": eplan}
    return w


def client_for(role, areas, world, department=True):
    user = factories.user(f"u_{role}", role, areas["s1"],
                          department=world["dept"] if department else None)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_reads(role, where, areas, world):
    client = client_for(role, areas, world)
    r = world[where]
    expected = expected_read(role, where)
    for url in (f"/safety/hazards/{r['hazard'].pk}/", f"/safety/accidents/{r['accident'].pk}/",
                f"/safety/alarms/{r['alarm'].pk}/", f"/safety/enterprises/{r['ent'].pk}/",
                f"/safety/inspections/{r['plan'].pk}/",
                f"/safety/emergency/plans/{r['eplan'].pk}/",
                f"/safety/sources/{r['alarm'].source_id}/",
                f"/api/safety/hazards/{r['hazard'].pk}",
                f"/api/safety/accidents/{r['accident'].pk}"):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_scope(role, areas, world):
    client = client_for(role, areas, world)
    for url, key in (("/api/safety/hazards", "hazard"), ("/api/safety/accidents", "accident"),
                     ("/api/safety/alarms", "alarm")):
        body = client.get(url).json()
        assert {item["id"] for item in body["items"]} == {world["in"][key].pk}, url
        assert body["count"] == 1
    for url in ("/safety/hazards/", "/safety/accidents/", "/safety/alarms/",
                "/safety/enterprises/", "/safety/inspections/", "/safety/emergency/",
                "/safety/board/", "/safety/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "out" + "化工有限公司" not in page.content.decode(), url


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_page_writes(role, where, areas, world):
    client = client_for(role, areas, world)
    r = world[where]
    hazard, accident, alarm = r["hazard"], r["accident"], r["alarm"]

    status = client.post(f"/safety/hazards/{hazard.pk}/order/",
                         {"version": hazard.version}).status_code
    assert status == expected_write(role, where, P.RECTIFY)
    hazard.refresh_from_db()
    assert (hazard.state == "rectifying") == (status == 302)

    status = client.post(f"/safety/accidents/{accident.pk}/casualties/", {
        "version": accident.version, "deaths": 2, "serious_injuries": 0}).status_code
    assert status == expected_write(role, where, P.ACCIDENTS)
    accident.refresh_from_db()
    assert accident.deaths == (2 if status == 302 else 1)

    status = client.post(f"/safety/alarms/{alarm.pk}/ack/",
                         {"version": alarm.version}).status_code
    assert status == expected_write(role, where, P.ALARMS)
    alarm.refresh_from_db()
    assert alarm.state == ("acknowledged" if status == 302 else "open")

    status = client.post(f"/safety/enterprises/{r['ent'].pk}/edit/", {
        "category": "hazchem", "risk_level": "high"}).status_code
    assert status == expected_write(role, where, P.INSPECT)
    assert SafetyProfile.objects.filter(enterprise=r["ent"]).exists() == (status == 302)

    plan = r["plan"]
    status = client.post(f"/safety/inspections/{plan.pk}/draw/",
                         {"version": plan.version, "seed": 1}).status_code
    assert status == expected_write(role, where, P.INSPECT)
    assert InspectionPlan.objects.get(pk=plan.pk).state == ("drawn" if status == 302
                                                            else "planned")

    status = client.post(f"/safety/emergency/plans/{r['eplan'].pk}/drill/",
                         {"held_on": "2026-03-05"}).status_code
    assert status == expected_write(role, where, P.EMERGENCY)
    assert EmergencyPlan.objects.get(pk=r["eplan"].pk).drills.exists() == (status == 302)

    release = r["release"]
    status = client.post(f"/safety/releases/{release.pk}/approve/",
                         {"version": release.version}).status_code
    assert status == expected_write(role, where, P.RELEASE_APPROVE)
    assert Release.objects.get(pk=release.pk).state == ("approved" if status == 302
                                                        else "draft")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", WHERE)
def test_api_writes(role, where, areas, world):
    client = client_for(role, areas, world)
    r = world[where]
    hazard, accident, alarm = r["hazard"], r["accident"], r["alarm"]

    response = client.post(f"/api/safety/hazards/{hazard.pk}/order",
                           data={"version": hazard.version}, content_type="application/json")
    assert response.status_code == expected_write(role, where, P.RECTIFY, 200)
    if response.status_code != 200:
        assert set(response.json()) == {"code", "message", "details"}
    assert Hazard.objects.get(pk=hazard.pk).state == ("rectifying"
                                                      if response.status_code == 200
                                                      else "reported")

    response = client.post(f"/api/safety/accidents/{accident.pk}/casualties",
                           data={"version": accident.version, "deaths": 3},
                           content_type="application/json")
    assert response.status_code == expected_write(role, where, P.ACCIDENTS, 200)
    changed = Accident.objects.get(pk=accident.pk)
    assert (changed.deaths, changed.grade) == ((3, "larger") if response.status_code == 200
                                               else (1, "general"))

    response = client.post(f"/api/safety/alarms/{alarm.pk}/close",
                           data={"outcome": "关阀处置"}, content_type="application/json")
    assert response.status_code == expected_write(role, where, P.ALARMS, 200)
    assert Alarm.objects.get(pk=alarm.pk).state == ("closed" if response.status_code == 200
                                                    else "open")


def test_creating_needs_the_permission_in_the_area(areas, world):
    """Creating records: a role without the permission, or an area outside the actor's,
    creates nothing (the enterprise or area is not found among theirs)."""
    reviewer = client_for("reviewer", areas, world)
    caseworker = client_for("caseworker", areas, world)
    form = {"origin": "self", "grade": "general", "category": "消防安全", "location": "仓库",
            "description": "通道堵塞"}
    for client, where in ((reviewer, "in"), (caseworker, "out")):
        r = client.post("/safety/hazards/new/", {**form, "enterprise": world[where]["ent"].pk})
        assert r.status_code == 422 and "辖区内没有这家企业" in r.content.decode()
    assert Hazard.objects.count() == 2
    r = caseworker.post("/safety/hazards/new/", {**form, "enterprise": world["in"]["ent"].pk})
    assert r.status_code == 302 and Hazard.objects.count() == 3
    accident = {"title": "新事故", "kind": "fire", "occurred_at": "2026-03-01T08:00",
                "place": "仓库"}
    r = reviewer.post("/safety/accidents/new/", {**accident, "area": areas["c11"].pk})
    assert r.status_code == 422 and Accident.objects.count() == 2
    r = caseworker.post("/safety/accidents/new/", {**accident, "area": areas["c21"].pk})
    assert r.status_code == 422 and Accident.objects.count() == 2
    r = caseworker.post("/safety/accidents/new/", {**accident, "area": areas["c11"].pk})
    assert r.status_code == 302 and Accident.objects.count() == 3
    r = reviewer.post("/safety/inspections/", {"name": "x", "area": areas["s1"].pk,
                                                "department": world["dept"].pk,
                                                "sample_size": 1})
    assert r.status_code == 404 and InspectionPlan.objects.count() == 2


def test_department_decisions_are_reserved_to_the_department(areas, world):
    """A civil-affairs approver holds the approver role but not the supervising
    department's decisions; the department's own inspector (caseworker) accepts."""
    civil = factories.department(areas["district"], "civil_affairs", "民政局")
    outsider = factories.user("mz_approver", "approver", areas["s1"], department=civil)
    client = Client()
    client.force_login(outsider)
    hazard = world["in"]["hazard"]
    hz.hazard_rectified_on_spot(actor=system_actor(), hazard=hazard, version=hazard.version)
    assert client.get(f"/safety/hazards/{hazard.pk}/").status_code == 200  # may read
    assert client.post(f"/safety/hazards/{hazard.pk}/accept/",
                       {"version": hazard.version}).status_code == 403
    release = world["in"]["release"]
    assert client.post(f"/safety/releases/{release.pk}/approve/",
                       {"version": release.version}).status_code == 403
    assert Hazard.objects.get(pk=hazard.pk).state == "acceptance"
    inspector = client_for("caseworker", areas, world)
    assert inspector.post(f"/safety/hazards/{hazard.pk}/accept/",
                          {"version": hazard.version}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).state == "accepted"


def test_anonymous_gets_login_or_401(world):
    client = Client()
    assert client.get("/safety/hazards/").status_code == 302
    assert client.get(f"/safety/hazards/{world['in']['hazard'].pk}/").status_code == 302
    assert client.get("/api/safety/hazards").status_code == 401
    assert client.get("/safety/public/releases/").status_code == 200
