"""Plans, target drafts and progress reports move through the workflow engine; a target is
edited on its page and through the API (wired `target_update`)."""

import datetime
import io

import pytest
from django.test import Client

from minsheng.casework.workflow import timeline
from minsheng.core.access import actor_for, system_actor
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.plans import services
from minsheng.plans.models import Plan, ProgressReport, Target, TargetDraft
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(small):
    return factories.user("sup", "plan_supervisor", small["areas"]["district"],
                          department=small["supervision"])


def test_plan_draft_and_report_move_through_the_workflow(small, supervisor):
    actor = actor_for(supervisor)
    plan, draft = small["plan"], small["draft"]
    services.draft_discard(actor=actor, draft=draft, version=draft.version)
    assert [(e.transition, e.to_state) for e in timeline(TargetDraft.objects.get(pk=draft.pk))
            ] == [("discard", "discarded")]
    with pytest.raises(ValidationFailed):
        services.draft_discard(actor=actor, draft=draft, version=draft.version)
    services.plan_activate(actor=actor, plan=plan, version=plan.version)
    assert Plan.objects.get(pk=plan.pk).state == "active"
    assert [e.transition for e in timeline(plan)] == ["activate"]

    report = services.report_submit(actor=system_actor(), item=small["measure"],
                                    period=datetime.date(2026, 10, 15), progress="delayed",
                                    narrative="滞后")
    assert report.period == datetime.date(2026, 10, 1)
    with pytest.raises(ValidationFailed):
        services.report_review(actor=actor, report=report, version=report.version,
                               accept=False)
    services.report_review(actor=actor, report=report, version=report.version, accept=False,
                           note="补充佐证")
    report = ProgressReport.objects.get(pk=report.pk)
    assert (report.state, report.review_note, report.reviewed_by) == (
        "returned", "补充佐证", supervisor)
    assert [(e.transition, e.note) for e in timeline(report)] == [("return", "补充佐证")]


def test_target_edit_page_and_api(small, supervisor):
    target = small["target"]
    client = Client()
    client.force_login(supervisor)
    html = client.get(f"/plans/targets/{target.pk}/").content.decode()
    assert f"/plans/targets/{target.pk}/edit/" in html
    response = client.post(f"/plans/targets/{target.pk}/edit/", {
        "version": target.version, "name": "登记失业率", "kind": "ceiling", "value": "3.4",
        "deadline": "2027-12-31", "indicator": "registered_unemployment_rate",
        "lead_department": small["hrss"].pk, "tolerance": "0.1"})
    assert response.status_code == 302 and response["Location"] == f"/plans/targets/{target.pk}/"
    target.refresh_from_db()
    assert (target.name, target.value, target.tolerance, target.version) == (
        "登记失业率", 3.4, 0.1, 2)
    entry = AuditEntry.objects.filter(object_type="plans.target", action="update").latest("id")
    assert entry.changes["value"] == [3.5, 3.4]

    url = f"/api/plans/targets/{target.pk}"
    same = client.patch(url, data={"version": 2, "value": 3.4}, content_type="application/json")
    assert same.status_code == 200 and same.json()["version"] == 2  # nothing changed
    stale = client.patch(url, data={"version": 1, "value": 3.0},
                         content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    bad = client.patch(url, data={"version": 2, "kind": "sideways"},
                       content_type="application/json")
    assert bad.status_code == 422 and bad.json()["details"]["field"] == "kind"
    for payload in ({"version": 0}, {"version": 2, "value": -1}, {"version": 2 ** 40},
                    {"version": 2, "deadline": "2027-02-30"}):
        assert client.patch(url, data=payload,
                            content_type="application/json").status_code == 422
    assert client.patch(url, data={"version": 2, "lead_department": "nope"},
                        content_type="application/json").status_code == 404
    ok = client.patch(url, data={"version": 2, "deadline": "2028-06-30",
                                 "lead_department": "supervision"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["lead_department"] == "supervision"


def test_changing_the_value_removes_the_sub_targets(small):
    target = small["target"]
    s1, s2 = small["areas"]["s1"], small["areas"]["s2"]
    services.target_cascade(actor=system_actor(), target=target, values={s1.id: 3.4, s2: 3.6})
    assert Target.objects.filter(parent=target).count() == 2
    target.refresh_from_db()
    services.target_update(actor=system_actor(), target=target, version=target.version,
                           deadline=datetime.date(2028, 12, 31))
    assert Target.objects.filter(parent=target).count() == 2  # still fit
    services.target_update(actor=system_actor(), target=target, version=target.version,
                           value=3.0)
    assert not Target.objects.filter(parent=target).exists()
    entry = AuditEntry.objects.filter(object_type="plans.target", action="update").latest("id")
    assert entry.changes["cascade"] == [2, None]
    with pytest.raises(ValidationFailed):
        services.target_cascade(actor=system_actor(), target=target, values={})


def test_import_page(small, supervisor):
    client = Client()
    client.force_login(supervisor)
    assert client.get("/plans/import/").status_code == 200
    upload = io.BytesIO("一、总体要求\n（一）目标\n到2027年，新增就业2000人。\n".encode())
    upload.name = "方案.txt"
    response = client.post("/plans/import/", {"file": upload})
    plan = Plan.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/review/"
    assert plan.source_name == "方案.txt" and plan.drafts.count() == 1
    hrss = Client()
    hrss.force_login(factories.user("rs", "department_admin", small["areas"]["district"],
                                    department=small["hrss"]))
    assert hrss.get("/plans/import/").status_code == 403
