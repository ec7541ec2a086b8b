"""Emergency preparedness pages: plans created and revised, a drill clears the overdue
flag, rescue teams and equipment, supplies stock movement with shortfall and expiry."""

import datetime

import pytest

from minsheng.safety.models import EmergencyPlan, RescueTeam, SupplyItem


@pytest.fixture
def chief(client, world):
    client.force_login(world["chief"].user)
    return client


@pytest.mark.django_db
def test_drill_clears_overdue_flag_and_plan_is_revised(chief, world):
    today = datetime.date.today()
    issued = today - datetime.timedelta(days=400)
    r = chief.post("/safety/emergency/plans/new/", {
        "title": "液氨泄漏现场处置方案", "plan_type": "onsite", "owner": world["ent"].pk,
        "issued_on": issued.isoformat()})
    assert r.status_code == 302
    plan = EmergencyPlan.objects.get()
    url = f"/safety/emergency/plans/{plan.pk}/"
    page = chief.get(url).content.decode()
    assert 'id="drill-overdue"' in page and "每6个月" in page
    assert "逾期" in chief.get("/safety/emergency/").content.decode()
    r = chief.post(url + "drill/", {"held_on": today.isoformat(), "form": "field",
                                    "participants": "30", "assessment": "响应及时"})
    assert r.status_code == 302
    page = chief.get(url).content.decode()
    assert 'id="drill-overdue"' not in page and "响应及时" in page
    r = chief.post(url + "revise/", {"version": plan.version,
                                     "title": "液氨泄漏现场处置方案（2026修订）",
                                     "plan_type": "onsite",
                                     "last_revised_on": today.isoformat(),
                                     "last_evaluated_on": today.isoformat()})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.last_revised_on == today and "2026修订" in plan.title
    # a stale form is refused in place, with the input kept
    r = chief.post(url + "revise/", {"version": 1, "title": "x", "plan_type": "onsite"})
    assert r.status_code == 422 and "其他人" in r.content.decode()
    assert 'value="x"' in r.content.decode()
    plan.refresh_from_db()
    assert plan.title != "x"
    # a drill before the plan was issued is refused
    assert chief.post(url + "drill/", {"held_on": "2000-01-01"}).status_code == 422


@pytest.mark.django_db
def test_supplies_movement_shortfall_expiry_and_teams(chief, world):
    district = world["areas"]["district"]
    soon = datetime.date.today() + datetime.timedelta(days=20)
    r = chief.post("/safety/emergency/supplies/new/", {
        "catalogue_code": "A01", "name": "帐篷", "unit": "顶", "area": district.pk,
        "location": "区应急物资储备库", "required": "100", "stock": "80",
        "expires_on": soon.isoformat()})
    assert r.status_code == 302
    item = SupplyItem.objects.get()
    page = chief.get("/safety/emergency/").content.decode()
    assert "缺口 20" in page and f'id="supply-{item.pk}" class="row-bad"' in page
    assert "即将过期" in page
    url = f"/safety/emergency/supplies/{item.pk}/move/"
    assert chief.post(url, {"version": item.version, "direction": "out",
                            "quantity": "81"}).status_code == 422
    assert chief.post(url, {"version": item.version, "direction": "in",
                            "quantity": "20"}).status_code == 302
    item.refresh_from_db()
    assert item.stock == 100 and item.shortfall == 0
    r = chief.post(url, {"version": 1, "direction": "out", "quantity": "1"})
    assert r.status_code == 422 and "其他人" in r.content.decode()
    item.refresh_from_db()
    assert item.stock == 100
    r = chief.post("/safety/emergency/teams/new/", {
        "name": "区危化品救援队", "specialty": "危险化学品", "area": district.pk,
        "members": "25", "contact": "022-12345678"})
    assert r.status_code == 302
    team = RescueTeam.objects.get()
    r = chief.post(f"/safety/emergency/teams/{team.pk}/equipment/",
                   {"name": "侦检仪", "quantity": "4"})
    assert r.status_code == 302
    page = chief.get("/safety/emergency/").content.decode()
    assert "区危化品救援队" in page and "侦检仪×4" in page


@pytest.mark.django_db
def test_out_of_scope_emergency_plan_is_404(client, world):
    client.force_login(world["chief"].user)
    client.post("/safety/emergency/plans/new/", {
        "title": "甲街道企业预案", "plan_type": "enterprise", "owner": world["ent"].pk,
        "issued_on": "2026-01-05"})
    plan = EmergencyPlan.objects.get()
    client.force_login(world["outsider"].user)
    assert client.get(f"/safety/emergency/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/safety/emergency/plans/{plan.pk}/drill/",
                       {"held_on": "2026-02-01"}).status_code == 404
    assert not plan.drills.exists()
