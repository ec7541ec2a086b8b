"""Every role × in/out of scope × read/write, through the API and the pages, for the plan's
record types: targets (read, edit), target drafts (review), progress reports (submit,
review) and the supervision follow-ups (close). A refused write changes nothing.

"In scope" is a role held for the district the plan belongs to; "out of scope" the same
role for another district. Every user belongs to hrss, the lead department of the target
and of the measures (department rules are tested on their own below)."""

import datetime

import pytest
from django.test import Client

from minsheng.casework import services as followups
from minsheng.casework.models import FollowUp
from minsheng.core.access import system_actor
from minsheng.plans import services
from minsheng.plans.models import ProgressReport, Target, TargetDraft
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
SUPERVISE = {"system_admin", "plan_supervisor"}
REPORT = {"system_admin", "department_admin", "caseworker", "approver"}
HANDLE = {"system_admin", "department_admin", "caseworker", "reviewer", "approver",
          "plan_supervisor"}
VIEW_FOLLOWUPS = HANDLE | {"auditor"}


def client_for(role, small, where):
    at = small["areas"]["district"] if where == "in" else factories.area("120299", "别区")
    user = factories.user(f"u_{role}", role, at, department=small["hrss"])
    client = Client()
    client.force_login(user)
    return client


def expected(role, where, allowed: set, ok: int) -> int:
    if where == "out":
        return 404
    return ok if role in allowed else 403


def target_state(target):
    t = Target.objects.get(pk=target.pk)
    return (t.name, t.value, t.version)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_api_read_and_write(role, where, small):
    client = client_for(role, small, where)
    plan, target = small["plan"], small["target"]
    listed = client.get("/api/plans/").json()
    assert listed["count"] == (1 if where == "in" else 0)
    response = client.get(f"/api/plans/{plan.pk}/targets")
    assert response.status_code == (200 if where == "in" else 404)
    if where == "in":
        assert [t["id"] for t in response.json()["items"]] == [target.pk]
    assert client.get(f"/api/plans/{plan.pk}/items").status_code == response.status_code

    before = target_state(target)
    response = client.patch(f"/api/plans/targets/{target.pk}",
                            data={"version": target.version, "name": "改名", "value": 3.2},
                            content_type="application/json")
    status = expected(role, where, SUPERVISE, 200)
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["name"] == "改名" and response.json()["version"] == 2
        assert target_state(target) == ("改名", 3.2, target.version + 1)
    else:
        assert set(response.json()) == {"code", "message", "details"}
        assert target_state(target) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages_read_and_write_targets_and_drafts(role, where, small):
    client = client_for(role, small, where)
    plan, target, draft = small["plan"], small["target"], small["draft"]
    assert client.get("/plans/").status_code == 200
    assert client.get(f"/plans/targets/{target.pk}/").status_code == (
        200 if where == "in" else 404)
    review = expected(role, where, SUPERVISE, 200)
    assert client.get(f"/plans/{plan.pk}/review/").status_code == review
    assert client.get(f"/plans/targets/{target.pk}/edit/").status_code == review

    before = target_state(target)
    response = client.post(f"/plans/targets/{target.pk}/edit/", {
        "version": target.version, "name": "改名", "kind": "ceiling", "value": "3.2",
        "deadline": "2027-12-31", "indicator": "registered_unemployment_rate"})
    status = expected(role, where, SUPERVISE, 302)
    assert response.status_code == status
    assert target_state(target) == (("改名", 3.2, target.version + 1) if status == 302
                                     else before)

    response = client.post(f"/plans/drafts/{draft.pk}/",
                           {"version": draft.version, "action": "discard"})
    assert response.status_code == status
    assert TargetDraft.objects.get(pk=draft.pk).state == (
        "discarded" if status == 302 else "draft")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages_progress_reports_and_supervision(role, where, small):
    system = system_actor()
    measure = small["measure"]
    report = services.report_submit(actor=system, item=measure,
                                    period=datetime.date(2026, 9, 1), progress="on_schedule",
                                    narrative="按计划推进")
    item = services.supervision_open(actor=system, target=small["target"], status="at_risk",
                                     reason="测试", today=datetime.date(2026, 11, 2))
    client = client_for(role, small, where)
    assert client.get("/plans/supervision/").status_code == 200

    response = client.post(f"/plans/items/{measure.pk}/report/", {
        "period": "2026-10", "progress": "delayed", "narrative": "进度滞后"})
    status = expected(role, where, REPORT, 302)
    assert response.status_code == status
    assert ProgressReport.objects.filter(item=measure).count() == (2 if status == 302 else 1)

    response = client.post(f"/plans/reports/{report.pk}/review/",
                           {"version": report.version, "action": "accept"})
    status = expected(role, where, SUPERVISE, 302)
    assert response.status_code == status
    assert ProgressReport.objects.get(pk=report.pk).state == (
        "accepted" if status == 302 else "submitted")

    html = client.get("/plans/supervision/").content.decode()
    offered = f'action="/plans/supervision/{item.pk}/close/"' in html
    response = client.post(f"/plans/supervision/{item.pk}/close/",
                           {"version": item.version, "outcome": "已开展专项援助"})
    if where == "out" or role not in VIEW_FOLLOWUPS:
        status = 404
    else:
        status = 302 if role in HANDLE else 403
    assert response.status_code == status
    assert offered == (status == 302)
    assert FollowUp.objects.get(pk=item.pk).state == ("done" if status == 302 else "open")


def test_another_departments_supervisor_is_not_offered_nor_allowed_to_close(small):
    """Issue 11, item 5: follow-ups are closed by the responsible department's staff."""
    item = services.supervision_open(actor=system_actor(), target=small["target"],
                                     status="at_risk", reason="测试",
                                     today=datetime.date(2026, 11, 2))
    supervisor = factories.user("sup", "plan_supervisor", small["areas"]["district"],
                                department=small["supervision"])
    client = Client()
    client.force_login(supervisor)
    html = client.get("/plans/supervision/").content.decode()
    assert item.title in html and f"/plans/supervision/{item.pk}/close/" not in html
    response = client.post(f"/plans/supervision/{item.pk}/close/",
                           {"version": item.version, "outcome": "代为关闭"})
    assert response.status_code == 403
    assert FollowUp.objects.get(pk=item.pk).state == "open"
    # the system administrator may close any department's item
    admin = factories.actor("admin", "system_admin", small["areas"]["district"])
    followups.followup_close(actor=admin, followup=item, outcome="已办", version=item.version)


def test_only_the_measures_departments_report(small):
    other = factories.department(small["areas"]["district"], "health", "卫健委")
    user = factories.user("doc", "department_admin", small["areas"]["district"],
                          department=other)
    client = Client()
    client.force_login(user)
    html = client.get("/plans/supervision/").content.decode()
    assert 'id="report-form"' not in html  # no measure of theirs to report on
    response = client.post(f"/plans/items/{small['measure'].pk}/report/", {
        "period": "2026-10", "progress": "delayed", "narrative": "进度滞后"})
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_subdistrict_supervisor_reviews_only_targets_of_their_subdistrict(small):
    """Issue 10: `targets_review` checked SUPERVISE anywhere and wrote every target."""
    sub = factories.actor("sub", "plan_supervisor", small["areas"]["s1"])
    target = small["target"]
    Target.objects.filter(pk=target.pk).update(status="on_track", status_reason="")
    counts = services.targets_review(actor=sub, today=datetime.date(2026, 11, 2))
    assert counts["assessed"] == 0
    assert Target.objects.get(pk=target.pk).status == "on_track"
    assert not FollowUp.objects.exists()
    district = factories.actor("dist", "plan_supervisor", small["areas"]["district"])
    counts = services.targets_review(actor=district, today=datetime.date(2026, 11, 2))
    assert counts["assessed"] == 1 and counts["changed"] == 1
    assert Target.objects.get(pk=target.pk).status == "insufficient_data"
    from minsheng.core.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type="plans.target",
                                      object_id=str(target.pk)).latest("id")
    assert entry.changes["status"] == ["on_track", "insufficient_data"]
