"""Follow-ups: every role × in/out of scope × read/write on the page, and who may open one
(the service; follow-ups are opened by other modules' services, there is no API). A refused
write changes nothing.

Users hold their role for subdistrict s1 and belong to hrss, the department the follow-ups
are for; "in scope" is an item of s1, "out of scope" one of s2."""

import datetime

import pytest
from django.test import Client

from minsheng.casework import services
from minsheng.casework.models import FollowUp
from minsheng.core.access import actor_for
from minsheng.core.errors import PermissionDenied
from minsheng.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
STAFF = {"system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor"}
VIEW = STAFF | {"auditor"}


@pytest.fixture
def world(areas):
    hrss = factories.department(areas["district"], "hrss", "人社局")
    items = {where: services.followup_open(
        actor=factories.SYSTEM(), kind="test", title=f"核查{where}", area=areas[key],
        department=hrss, source_type="test.x", source_id=key,
        due_date=datetime.date(2026, 12, 1)) for where, key in (("in", "s1"), ("out", "s2"))}
    return {"areas": areas, "hrss": hrss, **items}


def user_for(role, world):
    return factories.user(f"u_{role}", role, world["areas"]["s1"], department=world["hrss"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages_read_and_write(role, where, world):
    client = Client()
    client.force_login(user_for(role, world))
    item = world[where]
    html = client.get("/casework/followups/").content.decode()
    assert ("核查in" in html) == (role in VIEW)
    assert "核查out" not in html
    assert (f"/casework/followups/{item.pk}/close/" in html) == (
        where == "in" and role in STAFF)
    response = client.post(f"/casework/followups/{item.pk}/close/",
                           {"version": item.version, "outcome": "已核实"})
    if where == "out" or role not in VIEW:
        status = 404
    else:
        status = 302 if role in STAFF else 403
    assert response.status_code == status
    item.refresh_from_db()
    assert (item.state, item.version) == (("done", 2) if status == 302 else ("open", 1))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_who_may_open_a_followup(role, where, world):
    """The platform, and staff whose action raises work in their area; never the read-only
    roles (auditor, data entry)."""
    actor = actor_for(user_for(role, world))
    area = world["areas"]["c11" if where == "in" else "c21"]
    allowed = where == "in" and role in STAFF
    if allowed:
        item = services.followup_open(actor=actor, kind="test", title="新开", area=area,
                                      department=None, source_type="test.y", source_id=1,
                                      due_date=datetime.date(2026, 12, 1))
        assert AuditEntry.objects.filter(object_id=str(item.pk), action="create").exists()
    else:
        with pytest.raises(PermissionDenied):
            services.followup_open(actor=actor, kind="test", title="新开", area=area,
                                   department=None, source_type="test.y", source_id=1,
                                   due_date=datetime.date(2026, 12, 1))
    assert FollowUp.objects.filter(source_type="test.y").count() == (1 if allowed else 0)


def test_escalation_is_a_versioned_audited_write(world):
    item = world["in"]
    assert services.followups_escalate(today=datetime.date(2026, 12, 2)) == 2
    item.refresh_from_db()
    assert (item.level, item.version) == ("yellow", 2)
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="update").get()
    assert entry.changes == {"level": ["normal", "yellow"]} and entry.actor_name == "system"
    # a closed item is not escalated; an unchanged level writes nothing
    world["out"].refresh_from_db()
    services.followup_close(actor=factories.SYSTEM(), followup=world["out"], outcome="已办",
                            version=world["out"].version)
    assert services.followups_escalate(today=datetime.date(2026, 12, 3)) == 0
    item.refresh_from_db()
    assert item.version == 2
