"""IoT alarm incidents move only through their workflow: opened by the ingestion service
with an audit row and a timeline event, acknowledged and closed through
`casework.workflow.transition` (permission, state, one conditional update, audit), with
clocks in hours labelled from the configured limits."""

import datetime
import json

import pytest
from django.utils import timezone

from minsheng.casework.models import CaseEvent, FollowUp
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.safety.models import Alarm
from minsheng.safety.services import iot
from minsheng.safety.services.iot import Message, Pipeline


def _alarm(value=60):
    Pipeline().process([Message("minsheng/safety/v1/sensor/GAS-1", json.dumps(
        {"ts": timezone.now().isoformat(), "value": value}).encode())])
    return Alarm.objects.get()


@pytest.mark.django_db
def test_opening_is_audited_with_a_timeline(source):
    alarm = _alarm()
    assert alarm.state == "open" and alarm.version == 1
    assert AuditEntry.objects.filter(object_type="safety.alarm", object_id=str(alarm.pk),
                                     action="create").exists()
    assert CaseEvent.objects.filter(case_type="safety.alarm", case_id=alarm.pk,
                                    to_state="open").exists()


@pytest.mark.django_db
def test_acknowledge_then_close_through_the_workflow(source, world):
    alarm = _alarm()
    with pytest.raises(PermissionDenied):
        iot.alarm_acknowledge(actor=world["outsider"], alarm=alarm)
    iot.alarm_acknowledge(actor=world["inspector"], alarm=alarm, version=alarm.version,
                          note="已通知企业")
    assert (alarm.state, alarm.version) == ("acknowledged", 2)
    assert alarm.acknowledged_by == world["inspector"].user
    with pytest.raises(ValidationFailed):  # not open any more
        iot.alarm_acknowledge(actor=world["inspector"], alarm=alarm, version=alarm.version)
    with pytest.raises(StaleVersion):
        iot.alarm_close(actor=world["inspector"], alarm=alarm, outcome="关阀", version=1)
    iot.alarm_close(actor=world["inspector"], alarm=alarm, outcome="关阀处置，浓度恢复正常",
                    version=alarm.version)
    alarm.refresh_from_db()
    assert alarm.state == "closed" and alarm.closed_at and alarm.outcome.startswith("关阀")
    assert not FollowUp.objects.filter(source_id=str(alarm.pk), state="open").exists()
    moves = list(AuditEntry.objects.filter(object_type="safety.alarm",
                                           action="transition").order_by("id").values_list("changes",
                                                                            flat=True))
    assert [m["action"] for m in moves] == ["acknowledge", "close"]
    # a new trigger on the same sensor opens a new incident
    Pipeline().process([Message("minsheng/safety/v1/sensor/GAS-1", json.dumps(
        {"ts": (timezone.now() + datetime.timedelta(seconds=1)).isoformat(),
         "value": 60}).encode())])
    assert Alarm.objects.filter(state="open").count() == 1


@pytest.mark.django_db
def test_grouping_does_not_make_the_page_stale(source, world):
    """More triggers of the open incident update its count, not its version: the officer
    who opened the page can still acknowledge it."""
    alarm = _alarm()
    Pipeline().process([Message("minsheng/safety/v1/sensor/GAS-1", json.dumps(
        {"ts": (timezone.now() + datetime.timedelta(seconds=2)).isoformat(),
         "value": 61}).encode())])
    fresh = Alarm.objects.get()
    assert fresh.count == 2 and fresh.version == alarm.version
    iot.alarm_acknowledge(actor=world["inspector"], alarm=fresh, version=alarm.version)


@pytest.mark.django_db
def test_clocks_are_labelled_from_the_configured_limits(source, settings):
    settings.MINSHENG_SAFETY = {"ALARM_ACK_MINUTES": 10, "ALARM_HANDLE_HOURS": 12}
    alarm = _alarm()
    ack, handle = iot.alarm_clocks(alarm)
    assert "10" in ack.title and handle.title.startswith("Handling (12 hours")
    assert ack.status(alarm.created_at + datetime.timedelta(minutes=11)) == "overdue"
    assert handle.status(alarm.created_at + datetime.timedelta(hours=1)) == "running"


@pytest.mark.django_db
def test_alarm_page_and_list_rows(client, source, world):
    client.force_login(world["chief"].user)
    alarm = _alarm()
    page = client.get(f"/safety/alarms/{alarm.pk}/").content.decode()
    assert 'class="clocks"' in page and "确认（15分钟）" in page
    assert 'id="action-ack"' in page and 'id="action-close"' in page
    listing = client.get("/safety/alarms/").content.decode()
    assert f'hx-post="/safety/alarms/{alarm.pk}/ack/"' in listing
    r = client.post(f"/safety/alarms/{alarm.pk}/close/", {"version": alarm.version,
                                                          "outcome": "已处置"})
    assert r.status_code == 302 and r["Location"] == f"/safety/alarms/{alarm.pk}/"
    page = client.get(f"/safety/alarms/{alarm.pk}/").content.decode()
    assert 'id="action-close"' not in page and "已处置" in page
    assert client.get("/safety/alarms/?state=closed").content.decode().count(
        f'id="alarm-{alarm.pk}"') == 1
    assert f'id="alarm-{alarm.pk}"' not in client.get("/safety/alarms/").content.decode()


@pytest.mark.django_db
def test_board_says_when_ingestion_is_not_running(client, source, world):
    client.force_login(world["chief"].user)
    board = client.get("/safety/board/").content.decode()
    assert 'id="ingest-down"' in board
    Pipeline().save_status("minsheng-test", timezone.now(), True, 0)
    assert 'id="ingest-down"' not in client.get("/safety/board/").content.decode()
    Pipeline().process([Message("minsheng/safety/v1/sensor/NOPE-1", b'{"ts": 1, "value": 2}')])
    board = client.get("/safety/board/").content.decode()
    assert 'id="rejects"' in board and "unknown_sensor" in board
    client.force_login(world["outsider"].user)  # no `manage_sources`: not shown
    assert 'id="rejects"' not in client.get("/safety/board/").content.decode()
