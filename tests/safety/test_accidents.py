"""Accidents through the pages: the report form, the accident page with its clocks (it
answered 500 for every accident: a time format applied to a date), casualty changes,
the one extension, investigation and closing, relays, and the release workflow."""

import datetime

import pytest
from django.utils import timezone

from minsheng.casework.clocks import DAYS, HOURS
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.safety.models import Accident, CasualtyUpdate, Release
from minsheng.safety.services import accidents as acc


@pytest.fixture
def chief(client, world):
    client.force_login(world["chief"].user)
    return client


def _report(chief, world, **overrides):
    occurred = timezone.localtime() - datetime.timedelta(hours=3)
    data = {"title": "仓库火灾", "kind": "fire", "enterprise": world["ent"].name,
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"), "place": "二号仓库",
            "deaths": "1", "serious_injuries": "2", "summary": "起火原因待查"}
    data.update(overrides)
    return chief.post("/safety/accidents/new/", data)


@pytest.mark.django_db
def test_report_an_accident_from_the_page(chief, world):
    assert "报告事故" in chief.get("/safety/accidents/").content.decode()
    assert chief.get("/safety/accidents/new/").status_code == 200
    r = _report(chief, world)
    accident = Accident.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/safety/accidents/{accident.pk}/"
    assert (accident.enterprise, accident.area, accident.deaths, accident.grade) == (
        world["ent"], world["ent"].area, 1, "general")
    assert AuditEntry.objects.filter(object_type="safety.accident", action="create").exists()


@pytest.mark.django_db
def test_an_accident_outside_an_enterprise_needs_its_area(chief, world):
    r = _report(chief, world, enterprise="", kind="road", title="道路交通事故")
    assert r.status_code == 422 and "请选择企业" in r.content.decode()
    assert "道路交通事故" in r.content.decode()  # input kept
    r = _report(chief, world, enterprise="", kind="road", area=world["areas"]["c21"].pk)
    assert r.status_code == 302
    assert Accident.objects.get().area == world["areas"]["c21"]


@pytest.mark.django_db
def test_accident_page_shows_its_clocks(chief, world):
    """Regression: /safety/accidents/<id>/ was a 500 for every accident."""
    occurred = timezone.now() - datetime.timedelta(hours=5)
    a = acc.accident_report(actor=world["chief"], title="仓库火灾", kind="fire",
                            area=world["ent"].area, occurred_at=occurred, place="仓库",
                            enterprise=world["ent"],
                            unit_reported_at=occurred + datetime.timedelta(minutes=90))
    acc.accident_relay(actor=world["chief"], accident=a, level="区应急管理局",
                       received_at=a.unit_reported_at)
    r = chief.get(f"/safety/accidents/{a.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    # labels from the configured limits, in the shared clock table
    assert "事故单位报告（1小时）" in html and "调查报告（60天）" in html
    assert "区应急管理局" in html and 'class="clocks"' in html
    clocks = acc.accident_clocks(a)
    assert [c.unit for c in clocks] == [HOURS, HOURS, DAYS]
    assert clocks[0].status() == "done_late" and clocks[1].status() == "overdue"


@pytest.mark.django_db
def test_casualties_extension_investigation_and_close(chief, world):
    _report(chief, world)
    a = Accident.objects.get()
    url = f"/safety/accidents/{a.pk}/"
    r = chief.post(url + "casualties/", {"version": a.version, "deaths": 3,
                                         "serious_injuries": 2, "note": "一人抢救无效"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.deaths, a.grade) == (3, "larger")
    assert CasualtyUpdate.objects.get().late is False
    # the same figures again are refused in place
    r = chief.post(url + "casualties/", {"version": a.version, "deaths": 3,
                                         "serious_injuries": 2})
    assert r.status_code == 422 and CasualtyUpdate.objects.count() == 1
    due = a.investigation_due
    r = chief.post(url + "extend/", {"version": a.version, "reason": "区政府批准延期"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.investigation_extended and a.investigation_due == due + datetime.timedelta(days=60)
    assert "延长调查期限" not in chief.get(url).content.decode()  # once only
    with pytest.raises(ValidationFailed):
        acc.accident_extend_investigation(actor=world["chief"], accident=a, reason="again",
                                          version=a.version)
    assert chief.post(url + "investigate/", {"version": a.version}).status_code == 302
    a.refresh_from_db()
    assert a.state == "investigating"
    r = chief.post(url + "close/", {"version": a.version,
                                    "report_submitted_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.state == "closed" and a.closed_at and a.report_submitted_on
    html = chief.get(url).content.decode()
    assert "按时完成" in html  # the investigation clock is done on time
    assert AuditEntry.objects.filter(object_type="safety.accident",
                                     action="transition").count() == 2


@pytest.mark.django_db
def test_relay_and_release_workflow_through_the_page(chief, world):
    _report(chief, world)
    a = Accident.objects.get()
    url = f"/safety/accidents/{a.pk}/"
    received = timezone.localtime() - datetime.timedelta(hours=2)
    r = chief.post(url + "relay/", {"level": "区应急管理局",
                                    "received_at": received.strftime("%Y-%m-%dT%H:%M"),
                                    "relayed_at": (received + datetime.timedelta(minutes=30)
                                                   ).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 302 and a.relays.count() == 1
    r = chief.post(f"/safety/releases/{a.pk}/draft/", {"title": "情况通报", "body": "……"})
    assert r.status_code == 302
    release = Release.objects.get()
    for move, state in (("approve", "approved"), ("withdraw", "draft"),
                        ("approve", "approved"), ("publish", "published")):
        release.refresh_from_db()
        r = chief.post(f"/safety/releases/{release.pk}/{move}/", {"version": release.version})
        assert r.status_code == 302, move
        assert Release.objects.get().state == state
    assert "情况通报" in chief.get("/safety/public/releases/").content.decode()
    # a stale approval is refused on the accident page
    r = chief.post(f"/safety/releases/{release.pk}/approve/", {"version": 1})
    assert r.status_code == 422
