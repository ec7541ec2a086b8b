"""Every list page and list endpoint of the module runs the same number of queries for
a few rows as for many (no query per row)."""

import datetime
import itertools
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.safety.models import Sensor
from minsheng.safety.services import accidents as acc
from minsheng.safety.services import emergency as em
from minsheng.safety.services import enterprise as ent_svc
from minsheng.safety.services import hazards as hz
from minsheng.safety.services import inspections as insp
from minsheng.safety.services import iot
from tests import factories

D = datetime.date(2026, 3, 2)
_n = itertools.count(1)

PAGES = ["/safety/", "/safety/hazards/", "/safety/hazards/?state=reported&grade=major",
         "/safety/alarms/", "/safety/alarms/?state=", "/safety/accidents/",
         "/safety/enterprises/", "/safety/enterprises/?risk=high", "/safety/inspections/",
         "/safety/emergency/", "/safety/board/", "/safety/public/releases/",
         "/api/safety/hazards", "/api/safety/alarms?state=", "/api/safety/accidents",
         "/api/safety/sources"]


def populate(areas, dept, n: int) -> None:
    sys = system_actor()
    for _ in range(n):
        i = next(_n)
        area = areas["c11"] if i % 2 else areas["c12"]
        ent = factories.organization(area, f"企业{i:03d}")
        ent_svc.profile_save(actor=sys, enterprise=ent, version=None, category="hazchem",
                             risk_level="high", principal="王", safety_staff=1, employees=9)
        hazard = hz.hazard_report(actor=sys, enterprise=ent, origin="self", grade="major",
                                  category="电气安全", location="车间", description="x",
                                  found_on=D, today=D)
        hz.hazard_list_supervision(actor=sys, hazard=hazard, listed_by="区安委会", today=D)
        accident = acc.accident_report(
            actor=sys, title=f"事故{i}", kind="fire", area=area, enterprise=ent, place="仓库",
            occurred_at=timezone.now() - datetime.timedelta(days=1))
        release = acc.release_draft(actor=sys, accident=accident, title="通报", body="……")
        acc.release_approve(actor=sys, release=release, version=release.version)
        acc.release_publish(actor=sys, release=release, version=release.version)
        source = iot.source_save(actor=sys, enterprise=ent, code=f"MHS-{i}", name="罐区",
                                 population_500m=10, substances=[("NH3", 60.0)], today=D)
        iot.sensor_create(actor=sys, source=source, code=f"GAS-{i}", kind="combustible",
                          unit="%LEL")
        iot.sensor_create(actor=sys, source=source, code=f"T-{i}", kind="temperature",
                          unit="°C", level1=60, level2=80)
        insp.plan_create(actor=sys, name=f"抽查{i}", area=area.parent, department=dept,
                         sample_size=1)
        plan = em.plan_create(actor=sys, title=f"预案{i}", plan_type="onsite", owner=ent,
                              area=area, issued_on=D)
        em.drill_record(actor=sys, plan=plan, held_on=D)
        team = em.team_create(actor=sys, name=f"队{i}", specialty="消防", area=area)
        em.equipment_add(actor=sys, team=team, name="水枪", quantity=2)
        em.supply_create(actor=sys, catalogue_code="A01", name="帐篷", unit="顶", area=area,
                         location="库", required=10, stock=5)
    iot.Pipeline().process([iot.Message(
        f"minsheng/safety/v1/sensor/{code}",
        json.dumps({"ts": timezone.now().isoformat(), "value": 60}).encode())
        for code in Sensor.objects.filter(kind="combustible").values_list("code", flat=True)])


@pytest.fixture
def staff(areas, settings):
    # the district's name is otherwise looked up once a minute: not a per-row query, but
    # a slow run would count it in one of the two rounds
    settings.MINSHENG_DISTRICT_NAME = "滨海民生示范区"
    dept = factories.department(areas["district"], "emergency", "应急管理局")
    client = Client()
    client.force_login(factories.user("chief", "department_admin", areas["district"],
                                      department=dept))
    return client, dept


@pytest.mark.django_db
def test_list_query_counts_do_not_grow_with_rows(staff, areas):
    client, dept = staff

    def counts():
        result = {}
        for url in PAGES:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
                assert response.status_code == 200, url
            result[url] = len(ctx)
        return result

    client.get("/safety/")  # warm the per-process caches
    populate(areas, dept, 2)
    few = counts()
    populate(areas, dept, 4)
    assert counts() == few


@pytest.mark.django_db
def test_source_sensors_endpoint_and_detail_pages(staff, areas):
    """A source's sensors, and the pages of one record, do not query per related row."""
    client, dept = staff
    populate(areas, dept, 1)
    source = iot.MajorHazardSource.objects.get()

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        return len(ctx)

    few = count(f"/api/safety/sources/{source.pk}/sensors")
    for k in range(4):
        iot.sensor_create(actor=system_actor(), source=source, code=f"P-{k}", kind="pressure",
                          unit="MPa", level1=1.2, level2=1.5)
    assert count(f"/api/safety/sources/{source.pk}/sensors") == few
