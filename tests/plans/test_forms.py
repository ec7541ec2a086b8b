"""Bad input on every plan page form: the form comes back (422) with the message where the
user is, what was typed is still there, nothing changed — never a 500."""

import io

import pytest
from django.test import Client

from minsheng.casework.models import FollowUp
from minsheng.core.access import system_actor
from minsheng.plans import services
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft
from tests import factories

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
STALE = "您打开此记录后，其他人已修改了它"


@pytest.fixture
def supervisor(small):
    client = Client()
    client.force_login(factories.user("sup", "plan_supervisor", small["areas"]["district"],
                                      department=small["supervision"]))
    return client


@pytest.fixture
def hrss(small):
    client = Client()
    client.force_login(factories.user("rs", "department_admin", small["areas"]["district"],
                                      department=small["hrss"]))
    return client


def refused(response, *kept: str, message: str = "") -> str:
    assert response.status_code == 422, response.status_code
    html = response.content.decode()
    assert 'class="msg error"' in html
    for text in (*kept, message):
        assert text in html, text
    return html


def target_row(target):
    return Target.objects.filter(pk=target.pk).values().get()


@pytest.mark.parametrize("field,bad,message", [
    ("version", "abc", "请输入整数"),
    ("version", HUGE, "确保该值小于或等于2147483647"),
    ("value", "三点五", "输入一个数字"),
    ("value", "1e400", "输入一个数字"),
    ("value", "-1", "确保该值大于或等于0"),
    ("deadline", "2027-13-45", "请按 年-月-日（YYYY-MM-DD）格式填写日期"),
    ("baseline_date", "2027-02-30", ""),
    ("kind", "bogus", "选择一个有效的选项"),
    ("indicator", "no_such", "选择一个有效的选项"),
    ("lead_department", HUGE, "选择一个有效的选项"),
    ("tolerance", "many", "输入一个数字"),
])
def test_target_edit(small, supervisor, field, bad, message):
    target = small["target"]
    before = target_row(target)
    data = {"version": target.version, "name": "新名字甲乙", "kind": "ceiling", "value": "3.2",
            "deadline": "2027-12-31", "indicator": "registered_unemployment_rate", field: bad}
    response = supervisor.post(f"/plans/targets/{target.pk}/edit/", data)
    refused(response, "新名字甲乙", bad, message=message)
    assert target_row(target) == before


def test_target_edit_stale_version_and_no_change(small, supervisor):
    target = small["target"]
    url = f"/plans/targets/{target.pk}/edit/"
    data = {"version": target.version, "name": target.name, "kind": "ceiling", "value": "3.5",
            "deadline": "2027-12-31", "indicator": "registered_unemployment_rate",
            "lead_department": small["hrss"].pk, "tolerance": "0"}
    # an edit that changes nothing writes nothing (no new version, no audit row)
    assert supervisor.post(url, data).status_code == 302
    assert Target.objects.get(pk=target.pk).version == target.version
    assert supervisor.post(url, {**data, "value": "3.3"}).status_code == 302
    refused(supervisor.post(url, {**data, "value": "3.1"}), "3.1", message=STALE)
    assert Target.objects.get(pk=target.pk).value == 3.3


def test_cascade(small, supervisor):
    target = small["target"]
    s1 = small["areas"]["s1"]
    url = f"/plans/targets/{target.pk}/cascade/"
    refused(supervisor.post(url, {f"sub-{s1.id}": "1e999"}), "1e999", message="不是数字")
    refused(supervisor.post(url, {}), message="请至少为一个街道填写分解目标")
    html = refused(supervisor.post(url, {f"sub-{s1.id}": "9"}), 'value="9"')
    assert "平均为 9" in html
    assert not Target.objects.filter(parent=target).exists()


@pytest.mark.parametrize("data,kept,message", [
    ({"version": "x"}, [], "请输入整数"),
    ({"deadline": "2027-02-30", "value": "3.4"}, ["2027-02-30", 'value="3.4"'], ""),
    ({"value": "abc"}, ['value="abc"'], "输入一个数字"),
    ({"lead_department": HUGE}, [], "选择一个有效的选项"),
    ({"action": "bogus"}, [], "选择一个有效的选项"),
    ({"kind": ""}, [], ""),
])
def test_draft_decide(small, supervisor, data, kept, message):
    draft = small["draft"]
    form = {"version": draft.version, "action": "confirm", "indicator": "new_jobs",
            "kind": "annual_flow", "value": "21500", "deadline": "2027-12-31", **data}
    refused(supervisor.post(f"/plans/drafts/{draft.pk}/", form), *kept, message=message)
    assert TargetDraft.objects.get(pk=draft.pk).state == "draft"
    assert Target.objects.count() == 1


@pytest.mark.parametrize("data,kept,message", [
    ({"version": HUGE}, [], "确保该值小于或等于2147483647"),
    ({"deadline": "2027-02-30"}, ["2027-02-30"], ""),
    ({"co_departments": ["abc"]}, [], "选择一个有效的选项"),
    ({"merge_into": "九.九"}, ['value="九.九"'], "九.九"),
    ({"version": "1"}, [], STALE),
])
def test_item_edit(small, supervisor, data, kept, message):
    item = small["measure"]
    before = PlanItem.objects.filter(pk=item.pk).values().get()
    form = {"version": item.version, "lead_department": small["hrss"].pk,
            "deadline": "2027-06-30", **data}
    refused(supervisor.post(f"/plans/items/{item.pk}/", form), *kept, message=message)
    assert PlanItem.objects.filter(pk=item.pk).values().get() == before


def test_activate_and_import(small, supervisor):
    plan = small["plan"]
    refused(supervisor.post(f"/plans/{plan.pk}/activate/", {"version": "abc"}),
            message="请输入整数")
    assert Plan.objects.get(pk=plan.pk).state == "draft"
    refused(supervisor.post("/plans/import/", {}), message="请选择文件")
    upload = io.BytesIO(b"MZ binary")
    upload.name = "plan.exe"
    refused(supervisor.post("/plans/import/", {"file": upload}), message="unsupported")
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("data,kept,message", [
    ({"period": "2026-13"}, ["2026-13", "进展说明甲"], "请按 年-月（YYYY-MM）格式填写月份"),
    ({"period": "x" * 50}, ["进展说明甲"], ""),
    ({"progress": "bogus"}, ["进展说明甲"], "选择一个有效的选项"),
    ({"narrative": ""}, [], "这个字段是必填项"),
])
def test_report_submit(small, hrss, data, kept, message):
    form = {"period": "2026-10", "progress": "delayed", "narrative": "进展说明甲", **data}
    refused(hrss.post(f"/plans/items/{small['measure'].pk}/report/", form), *kept,
            message=message)
    assert not ProgressReport.objects.exists()


def test_report_review_and_followup_close(small, supervisor, hrss):
    import datetime

    report = services.report_submit(actor=system_actor(), item=small["measure"],
                                    period=datetime.date(2026, 10, 1), progress="delayed",
                                    narrative="滞后")
    url = f"/plans/reports/{report.pk}/review/"
    refused(supervisor.post(url, {"version": "abc", "action": "accept", "note": "备注甲"}),
            'value="备注甲"', message="请输入整数")
    refused(supervisor.post(url, {"version": report.version, "action": "return"}),
            message="请说明需要修改的内容")
    assert ProgressReport.objects.get(pk=report.pk).state == "submitted"

    item = services.supervision_open(actor=system_actor(), target=small["target"],
                                     status="at_risk", reason="测试",
                                     today=datetime.date(2026, 11, 2))
    url = f"/plans/supervision/{item.pk}/close/"
    refused(hrss.post(url, {"version": HUGE, "outcome": "处置结果甲"}), "处置结果甲",
            message="确保该值小于或等于2147483647")
    refused(hrss.post(url, {"version": item.version, "outcome": "  "}),
            message="这个字段是必填项")
    assert FollowUp.objects.get(pk=item.pk).state == "open"
