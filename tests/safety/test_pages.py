"""Pages, API and accidents end to end through the test client."""

import datetime
import json

import pytest
from django.utils import timezone

from minsheng.safety.models import Hazard, Release
from minsheng.safety.services import accidents as acc
from minsheng.safety.services import emergency as em
from minsheng.safety.services.iot import Message, Pipeline
from tests import factories


@pytest.fixture
def client_chief(client, world):
    client.force_login(world["chief"].user)
    return client


@pytest.mark.django_db
def test_hazard_loop_through_pages(client_chief, world):
    c = client_chief
    r = c.post("/safety/hazards/new/", {"enterprise": world["ent"].pk, "origin": "inspection",
                                         "grade": "general", "category": "消防",
                                         "location": "仓库", "description": "灭火器过期"})
    assert r.status_code == 302
    h = Hazard.objects.get()
    for action in ("order", "apply_acceptance", "accept", "write_off"):
        h.refresh_from_db()
        r = c.post(f"/safety/hazards/{h.pk}/{action}/", {"version": h.version})
        assert r.status_code == 302, (action, r.content[:300])
    h.refresh_from_db()
    assert h.state == "closed"
    assert "已销号" in c.get(f"/safety/hazards/{h.pk}/").content.decode()
    assert c.get("/safety/hazards/?format=xlsx")["Content-Type"].startswith("application/vnd")
    assert c.get("/safety/").status_code == 200


@pytest.mark.django_db
def test_board_source_and_alarm_pages(client_chief, source):
    now = timezone.now()
    p = Pipeline()
    p.process([Message("minsheng/safety/v1/sensor/GAS-1",
                       json.dumps({"ts": now.isoformat(), "value": 60}).encode())])
    p.flush_state()
    board = client_chief.get("/safety/board/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-alarm-level="2"' in board and "60.00" in board
    detail = client_chief.get(f"/safety/sources/{source.pk}/").content.decode()
    assert 'id="sensor-series"' in detail and "<script>" not in detail
    alarm = source.alarms.get()
    r = client_chief.post(f"/safety/alarms/{alarm.pk}/ack/", {"version": alarm.version},
                          HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == "/safety/alarms/"
    alarm.refresh_from_db()
    assert alarm.state == "acknowledged"
    api = client_chief.get("/api/safety/alarms?state=acknowledged").json()
    assert api["count"] == 1 and api["items"][0]["id"] == alarm.pk


@pytest.mark.django_db
def test_outsider_cannot_see_or_act(client, world):
    client.force_login(world["outsider"].user)
    h = Hazard.objects.create(number="YH1", enterprise=world["ent"], area=world["ent"].area,
                              state="reported", origin="self", grade="general", category="x",
                              location="y", description="z", found_on=datetime.date(2026, 1, 5))
    assert client.get(f"/safety/hazards/{h.pk}/").status_code == 404
    assert client.post(f"/safety/hazards/{h.pk}/order/", {"version": 1}).status_code == 404
    assert client.get(f"/api/safety/hazards/{h.pk}").status_code == 404
    h.refresh_from_db()
    assert h.state == "reported"


@pytest.mark.django_db
def test_accident_grade_clocks_and_public_release(client_chief, world):
    assert acc.accident_grade(2) == "general" and acc.accident_grade(3) == "larger"
    assert acc.accident_grade(10) == "major" and acc.accident_grade(30) == "extraordinary"
    assert acc.accident_grade(0, serious_injuries=50) == "major"
    occurred = timezone.now() - datetime.timedelta(hours=5)
    a = acc.accident_report(actor=world["chief"], title="仓库火灾", kind="fire",
                            area=world["ent"].area, occurred_at=occurred, place="仓库",
                            enterprise=world["ent"], deaths=1,
                            unit_reported_at=occurred + datetime.timedelta(minutes=90))
    clocks = acc.accident_clocks(a)
    assert clocks[0].status() == "done_late"  # reported after 1 hour
    assert acc.casualty_deadline(a) == occurred + datetime.timedelta(days=7)
    acc.accident_update_casualties(actor=world["chief"], accident=a, deaths=3,
                                   serious_injuries=0)
    assert a.grade == "larger"
    assert a.investigation_due == (occurred + datetime.timedelta(days=60)).astimezone(
        timezone.get_current_timezone()).date()
    r = acc.release_draft(actor=world["chief"], accident=a, title="情况通报", body="……")
    acc.release_approve(actor=world["chief"], release=r, version=r.version)
    acc.release_publish(actor=world["chief"], release=r, version=r.version)
    r = Release.objects.get()
    assert r.state == "published" and 299 <= r.minutes_to_release <= 301
    client_chief.logout()
    assert "情况通报" in client_chief.get("/safety/public/releases/").content.decode()


@pytest.mark.django_db
def test_drills_overdue_and_supply_shortfall(world):
    from minsheng.safety import selectors
    from minsheng.safety.models import SupplyItem

    plan = em.plan_create(actor=world["chief"], title="现场处置方案", plan_type="onsite",
                          owner=world["ent"], area=world["ent"].area,
                          issued_on=datetime.date(2025, 1, 1))
    em.drill_record(actor=world["chief"], plan=plan, held_on=datetime.date(2025, 3, 1))
    [p] = selectors.plan_list(world["chief"], today=datetime.date(2025, 10, 1))
    assert p.drill_due == datetime.date(2025, 9, 1) and p.drill_overdue
    item = SupplyItem.objects.create(catalogue_code="A01", name="帐篷", unit="顶",
                                     area=world["areas"]["district"], location="一号库",
                                     required=100, stock=60,
                                     expires_on=datetime.date(2025, 11, 1))
    [s] = selectors.supply_list(world["chief"], today=datetime.date(2025, 10, 1))
    assert s.shortfall == 40 and s.expiring
    em.supply_set_stock(actor=world["chief"], item=item, version=item.version, stock=100)
    assert SupplyItem.objects.get().shortfall == 0


@pytest.mark.django_db
def test_indicator_sources_compute(world, source):
    from minsheng.indicators.registry import SOURCES

    factories.SYSTEM()
    codes = [c for c in SOURCES if c.startswith("safety.")]
    assert len(codes) == 11
    for code in codes:
        list(SOURCES[code].compute(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)))
    rows = SOURCES["safety.major_sources"].compute(datetime.date(2026, 1, 1),
                                                  datetime.date(2027, 1, 1))
    assert rows == [(world["ent"].area_id, datetime.date(2026, 1, 1), 1.0)]
