"""Bad input on every page form of the module: the page comes back (422) with the message
and the user's input, nothing changes, never a server error. List filters with bad input
still show the list."""

import datetime
import json

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.core.models import AuditEntry, User
from minsheng.safety import models as M
from minsheng.safety.services import accidents as acc
from minsheng.safety.services import emergency as em
from minsheng.safety.services import enterprise as ent_svc
from minsheng.safety.services import hazards as hz
from minsheng.safety.services import inspections as insp
from minsheng.safety.services import iot
from tests import factories

D = datetime.date(2026, 3, 2)
HUGE = "99999999999999999999"


@pytest.fixture
def w(areas):
    sys = system_actor()
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    for i in range(2):
        factories.user(f"insp{i}", "caseworker", areas["district"], department=dept)
    chief = factories.user("chief", "department_admin", areas["district"], department=dept)
    ent = factories.organization(areas["c11"], "滨海化工有限公司")
    ent_svc.profile_save(actor=sys, enterprise=ent, version=None, category="hazchem",
                         risk_level="high")
    general = hz.hazard_report(actor=sys, enterprise=ent, origin="self", grade="general",
                               category="电气安全", location="车间", description="x",
                               found_on=D, today=D)
    major = hz.hazard_report(actor=sys, enterprise=ent, origin="self", grade="major",
                             category="危险化学品", location="罐区", description="y",
                             found_on=D, today=D)
    accepting = hz.hazard_report(actor=sys, enterprise=ent, origin="self", grade="general",
                                 category="消防安全", location="仓库", description="z",
                                 found_on=D, today=D)
    hz.hazard_rectified_on_spot(actor=sys, hazard=accepting, version=accepting.version,
                                today=D)
    accident = acc.accident_report(actor=sys, title="仓库火灾", kind="fire", area=ent.area,
                                   enterprise=ent, place="仓库",
                                   occurred_at=timezone.now() - datetime.timedelta(hours=5))
    acc.accident_investigate(actor=sys, accident=accident, version=accident.version)
    release = acc.release_draft(actor=sys, accident=accident, title="通报", body="……")
    source = iot.source_save(actor=sys, enterprise=ent, code="MHS-1", name="罐区",
                             population_500m=10, substances=[("NH3", 60.0)], today=D)
    iot.sensor_create(actor=sys, source=source, code="GAS-1", kind="combustible", unit="%LEL")
    iot.Pipeline().process([iot.Message("minsheng/safety/v1/sensor/GAS-1", json.dumps(
        {"ts": timezone.now().isoformat(), "value": 60}).encode())])
    plan = insp.plan_create(actor=sys, name="抽查", area=areas["s1"], department=dept,
                            sample_size=1)
    drawn = insp.plan_create(actor=sys, name="已抽", area=areas["s1"], department=dept,
                             sample_size=1)
    insp.plan_draw(actor=sys, plan=drawn, seed=3)
    eplan = em.plan_create(actor=sys, title="预案", plan_type="onsite", owner=ent,
                           area=ent.area, issued_on=D)
    team = em.team_create(actor=sys, name="队", specialty="消防", area=areas["district"])
    supply = em.supply_create(actor=sys, catalogue_code="A01", name="帐篷", unit="顶",
                              area=areas["district"], location="库", required=10, stock=5)
    client = Client()
    client.force_login(chief)
    return {"client": client, "ent": ent, "general": general, "major": major,
            "accepting": accepting, "accident": accident, "release": release,
            "alarm": M.Alarm.objects.get(), "plan": plan, "drawn": drawn,
            "check": drawn.checks.get(), "eplan": eplan, "team": team, "supply": supply,
            "areas": areas, "dept": dept}


def snapshot():
    """Row counts of every safety record, the sum of versions, and the audit log."""
    counts = {m.__name__: m.objects.count() for m in (
        M.Hazard, M.RectificationPlan, M.HazardPhoto, M.Publication, M.Accident,
        M.AccidentRelay, M.CasualtyUpdate, M.Release, M.Alarm, M.SafetyProfile,
        M.Certificate, M.TrainingRecord, M.InspectionPlan, M.InspectionCheck,
        M.InspectorConflict, M.EmergencyPlan, M.Drill, M.RescueTeam, M.Equipment,
        M.SupplyItem)}
    versions = {m.__name__: m.objects.aggregate(v=Sum("version"))["v"] for m in (
        M.Hazard, M.Accident, M.Release, M.Alarm, M.SafetyProfile, M.InspectionPlan,
        M.EmergencyPlan, M.SupplyItem)}
    return counts, versions, AuditEntry.objects.count()


# (url, data, text the page must show, input that must come back)
def cases(w):
    h, major, acc_ = w["general"], w["major"], w["accident"]
    v = h.version
    return [
        ("/safety/hazards/new/", {"enterprise": "不存在的公司", "origin": "self",
                                  "grade": "general", "category": "消防", "location": "仓库",
                                  "description": "描述"}, "辖区内没有这家企业", "不存在的公司"),
        ("/safety/hazards/new/", {"enterprise": w["ent"].pk, "origin": "self",
                                  "grade": "general", "category": "消防", "location": "仓库",
                                  "description": "描述保留", "found_on": "2026-13-45"},
         "YYYY-MM-DD", "描述保留"),
        ("/safety/hazards/new/", {"enterprise": w["ent"].pk, "origin": "self",
                                  "grade": "general", "category": "消防", "location": "仓库",
                                  "description": "未来", "found_on": "2999-01-01"},
         "不能晚于", "2999-01-01"),
        (f"/safety/hazards/{h.pk}/order/", {"version": "abc", "order_number": "责改1号"},
         "整数", "责改1号"),
        (f"/safety/hazards/{h.pk}/order/", {"version": HUGE, "order_number": "责改2号"},
         "2147483647", "责改2号"),
        (f"/safety/hazards/{h.pk}/order/", {"version": v, "order_number": "责改3号",
                                            "due": "31/12/2026"}, "YYYY-MM-DD", "责改3号"),
        (f"/safety/hazards/{h.pk}/order/", {"version": v + 5, "order_number": "责改4号"},
         "其他人", "责改4号"),
        (f"/safety/hazards/{major.pk}/submit_plan/", {
            "version": major.version, "goals": "目标保留", "methods": "m", "funds": "f",
            "responsible": "r", "time_limit": "soon", "safety_measures": "s",
            "emergency_plan": "e", "principal": "王总"}, "YYYY-MM-DD", "目标保留"),
        (f"/safety/hazards/{w['accepting'].pk}/reject/", {
            "version": w["accepting"].version, "due": "2026-04-01"}, "必填", "2026-04-01"),
        (f"/safety/hazards/{major.pk}/list/", {"version": major.version, "listed_by": "区安委会",
                                               "suspension": "bogus", "note": "保留"},
         "bogus", "区安委会"),
        (f"/safety/alarms/{w['alarm'].pk}/close/", {"version": w["alarm"].version,
                                                     "outcome": ""}, "必填", None),
        (f"/safety/alarms/{w['alarm'].pk}/ack/", {"version": "x", "note": "值班确认"},
         "整数", "值班确认"),
        ("/safety/accidents/new/", {"title": "新事故", "kind": "fire", "place": "仓库",
                                    "area": w["areas"]["c11"].pk, "occurred_at": "昨天"},
         "YYYY-MM-DD HH:MM", "新事故"),
        ("/safety/accidents/new/", {"title": "死亡过多", "kind": "fire", "place": "仓库",
                                    "area": w["areas"]["c11"].pk,
                                    "occurred_at": "2026-03-01T08:00", "deaths": HUGE},
         "2147483647", "死亡过多"),
        ("/safety/accidents/new/", {"title": "损失", "kind": "fire", "place": "仓库",
                                    "area": w["areas"]["c11"].pk,
                                    "occurred_at": "2026-03-01T08:00",
                                    "direct_loss_10k": "abc"}, "数", "损失"),
        ("/safety/accidents/new/", {"title": "未来事故", "kind": "fire", "place": "仓库",
                                    "area": w["areas"]["c11"].pk,
                                    "occurred_at": "2999-03-01T08:00"}, "不能晚于", "未来事故"),
        (f"/safety/accidents/{acc_.pk}/casualties/", {"version": acc_.version, "deaths": "x",
                                                      "serious_injuries": "0",
                                                      "note": "补报说明"}, "整数", "补报说明"),
        (f"/safety/accidents/{acc_.pk}/relay/", {"level": "区应急管理局",
                                                 "received_at": "2026-02-30T10:00"},
         "YYYY-MM-DD HH:MM", "区应急管理局"),
        (f"/safety/accidents/{acc_.pk}/extend/", {"version": acc_.version, "reason": ""},
         "必填", None),
        (f"/safety/accidents/{acc_.pk}/close/", {"version": acc_.version,
                                                 "report_submitted_on": "x",
                                                 "note": "结案说明"}, "YYYY-MM-DD", "结案说明"),
        (f"/safety/releases/{acc_.pk}/draft/", {"title": "只有标题", "body": ""}, "必填",
         "只有标题"),
        (f"/safety/releases/{w['release'].pk}/approve/", {"version": HUGE}, "2147483647",
         None),
        (f"/safety/enterprises/{w['ent'].pk}/edit/", {
            "version": "1", "category": "hazchem", "risk_level": "high",
            "principal": "李四保留", "safety_staff": "abc"}, "整数", "李四保留"),
        (f"/safety/enterprises/{w['ent'].pk}/edit/", {
            "version": "1", "category": "hazchem", "risk_level": "high",
            "principal": "张三保留", "employees": HUGE}, "2147483647", "张三保留"),
        (f"/safety/enterprises/{w['ent'].pk}/certificate/", {
            "kind": "安全生产许可证", "number": "证号保留", "expires_on": "2026-02-30"},
         "YYYY-MM-DD", "证号保留"),
        (f"/safety/enterprises/{w['ent'].pk}/training/", {
            "employee": "员工保留", "course": "三级教育", "hours": "abc",
            "held_on": "2026-03-01", "passed": "1"}, "数", "员工保留"),
        ("/safety/inspections/", {"name": "计划保留", "area": w["areas"]["s1"].pk,
                                  "department": w["dept"].pk, "sample_size": HUGE},
         "2147483647", "计划保留"),
        ("/safety/inspections/", {"name": "计划零", "area": w["areas"]["s1"].pk,
                                  "department": w["dept"].pk, "sample_size": "0"},
         "1", "计划零"),
        ("/safety/inspections/", {"name": "部门错", "area": w["areas"]["s1"].pk,
                                  "department": "abc", "sample_size": "1"}, "abc", "部门错"),
        (f"/safety/inspections/{w['plan'].pk}/draw/", {"version": w["plan"].version,
                                                       "seed": "-5"}, "0", "-5"),
        (f"/safety/inspections/{w['plan'].pk}/conflict/", {"inspector": "abc",
                                                           "enterprise": "滨海化工有限公司",
                                                           "reason": "近亲属保留"},
         "abc", "近亲属保留"),
        (f"/safety/inspections/{w['plan'].pk}/conflict/", {
            "inspector": User.objects.filter(department=w["dept"]).first().pk,
            "enterprise": "无此企业",
            "reason": "亲属"}, "辖区内没有这家企业", "无此企业"),
        (f"/safety/inspections/checks/{w['check'].pk}/", {"checked_on": "someday",
                                                          "result": "结果保留"},
         "YYYY-MM-DD", "结果保留"),
        (f"/safety/inspections/{w['drawn'].pk}/publish/", {"version": "x"}, "整数", None),
        ("/safety/emergency/plans/new/", {"title": "预案保留", "plan_type": "onsite",
                                          "owner": "查无此单位", "issued_on": "2026-01-01"},
         "辖区内没有这家企业", "查无此单位"),
        ("/safety/emergency/plans/new/", {"title": "日期错", "plan_type": "onsite",
                                          "owner": w["ent"].pk, "issued_on": "x"},
         "YYYY-MM-DD", "日期错"),
        (f"/safety/emergency/plans/{w['eplan'].pk}/drill/", {"held_on": "2026-03-05",
                                                             "participants": HUGE,
                                                             "assessment": "评估保留"},
         "2147483647", "评估保留"),
        (f"/safety/emergency/plans/{w['eplan'].pk}/revise/", {
            "version": "x", "title": "修订保留", "plan_type": "onsite"}, "整数", "修订保留"),
        ("/safety/emergency/teams/new/", {"name": "队伍保留", "specialty": "消防",
                                          "area": "x", "members": "-1"}, "0", "队伍保留"),
        (f"/safety/emergency/teams/{w['team'].pk}/equipment/", {"name": "装备保留",
                                                                "quantity": "0"},
         "1", "装备保留"),
        ("/safety/emergency/supplies/new/", {"name": "物资保留", "area": w["areas"][
            "district"].pk, "location": "库", "required": "abc"}, "整数", "物资保留"),
        (f"/safety/emergency/supplies/{w['supply'].pk}/move/", {
            "version": w["supply"].version, "direction": "sideways", "quantity": "2"},
         "sideways", None),
        (f"/safety/emergency/supplies/{w['supply'].pk}/move/", {
            "version": w["supply"].version, "direction": "out", "quantity": "6"},
         "5", None),
    ]


@pytest.mark.django_db
def test_bad_input_on_every_page_form(w):
    client = w["client"]
    before = snapshot()
    for url, data, message, kept in cases(w):
        response = client.post(url, data)
        assert response.status_code == 422, (url, data, response.status_code)
        html = response.content.decode()
        assert message in html, (url, message)
        if kept is not None:
            assert kept in html, (url, kept)
        assert snapshot() == before, url


@pytest.mark.django_db
def test_htmx_refusal_goes_to_messages_with_the_page_kept(w):
    alarm = w["alarm"]
    response = w["client"].post(f"/safety/alarms/{alarm.pk}/close/",
                                {"version": alarm.version, "outcome": ""},
                                HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and response["HX-Retarget"] == "#messages"
    assert "必填" in response.content.decode()
    alarm.refresh_from_db()
    assert alarm.state == "open"


@pytest.mark.django_db
def test_publishing_twice_is_refused_in_place(w):
    client = w["client"]
    hz.hazard_list_supervision(actor=system_actor(), hazard=w["major"], listed_by="区安委会")
    publication = M.Publication.objects.get()
    assert client.post(f"/safety/publications/{publication.pk}/publish/").status_code == 302
    again = client.post(f"/safety/publications/{publication.pk}/publish/")
    assert again.status_code == 422 and "已公开" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/safety/hazards/?enterprise=abc&state=zzz&grade=9&overdue=maybe",
    f"/safety/hazards/?enterprise={HUGE}", "/safety/hazards/?page=99999999999999999999",
    "/safety/alarms/?state=weird&source=abc", f"/safety/alarms/?source={HUGE}",
    "/safety/board/?level=ZZ", "/safety/enterprises/?risk=x&category=y&q=" + "长" * 80,
    "/safety/public/releases/?page=-3&notices=abc"])
def test_bad_filters_still_show_the_list(w, url):
    assert w["client"].get(url).status_code == 200


@pytest.mark.django_db
def test_bad_hours_on_a_source_page(w):
    source = M.MajorHazardSource.objects.get()
    for hours in ("abc", "-1", "1e400", "nan"):
        assert w["client"].get(f"/safety/sources/{source.pk}/?hours={hours}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/safety/hazards?page=0",
                                 "/api/safety/hazards?page_size=100000",
                                 "/api/safety/alarms?page=-1",
                                 "/api/safety/accidents?page=abc"])
def test_api_paging_is_validated(w, url):
    response = w["client"].get(url)
    assert response.status_code == 422 and "code" in response.json()


@pytest.mark.django_db
def test_api_inputs_are_validated(w):
    client = w["client"]
    before = snapshot()
    for url, body in (
            ("/api/safety/accidents", {"title": "x", "kind": "fire", "place": "p",
                                       "occurred_at": "2026-03-01T08:00:00+08:00",
                                       "deaths": -1, "area_id": w["areas"]["c11"].pk}),
            ("/api/safety/accidents", {"title": "x", "kind": "fire", "place": "p",
                                       "occurred_at": "2026-03-01T08:00:00+08:00",
                                       "deaths": int(HUGE)}),
            (f"/api/safety/accidents/{w['accident'].pk}/casualties", {"version": "x"}),
            (f"/api/safety/hazards/{w['general'].pk}/order", {"version": int(HUGE)}),
            (f"/api/safety/hazards/{w['major'].pk}/suspension",
             {"version": w["major"].version, "suspension": "bogus"})):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 422, (url, response.content)
        assert set(response.json()) == {"code", "message", "details"}
    assert snapshot() == before
