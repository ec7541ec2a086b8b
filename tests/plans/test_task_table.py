"""A .docx task breakdown table (任务/牵头单位/配合单位/完成时限) is read as lead units and
deadlines of the measures, not appended to a measure's text (issue 12)."""

import datetime

import docx
import pytest

from minsheng.core.access import system_actor
from minsheng.plans import services
from minsheng.plans.documents import read_plan_document
from minsheng.plans.models import PlanItem
from minsheng.plans.textparse import apply_tasks, deadline_date, parse_plan
from tests import factories

PLAN = [
    "一、重点任务",
    "（一）稳定就业",
    "1.开展职业技能培训。全年开展职业技能培训1.2万人次。",
    "2.强化就业援助。各街道每季度开展就业援助专项活动不少于2场。",
    "（二）养老服务",
    "1.建设社区养老服务设施。",
]
TABLE = [
    ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "开展职业技能培训", "区人社局", "区教育局、区民政局", "2025年12月底前"],
    ["2", "强化就业援助", "区人社局", "", "长期坚持"],
    ["3", "建设社区养老服务设施", "区民政局", "各街道", "2026年6月"],
    ["4", "推进智慧社区建设", "区政数局", "", "2025年底"],
]


def _docx(tmp_path, table=TABLE):
    document = docx.Document()
    for line in PLAN:
        document.add_paragraph(line)
    document.add_paragraph("附件：任务分解表")
    t = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def test_task_table_rows_are_read_not_appended(tmp_path):
    document = read_plan_document(_docx(tmp_path))
    assert "区人社局" not in document.text and "完成时限" not in document.text
    assert [(r.row, r.task, r.lead, r.co, r.deadline) for r in document.tasks][:2] == [
        (2, "开展职业技能培训", "区人社局", "区教育局、区民政局", "2025年12月底前"),
        (3, "强化就业援助", "区人社局", "", "长期坚持")]
    parsed = apply_tasks(parse_plan(document.text), document.tasks)
    training = next(i for i in parsed.walk() if i.path == "一.(一).1")
    assert training.text == "开展职业技能培训。全年开展职业技能培训1.2万人次。"
    assert (training.lead_units, training.co_units, training.deadline) == (
        ["区人社局"], ["区教育局", "区民政局"], "2025-12-31")
    aid = next(i for i in parsed.walk() if i.path == "一.(一).2")
    assert (aid.deadline, aid.deadline_text) == (None, "长期坚持")
    care = next(i for i in parsed.walk() if i.path == "一.(二).1")
    assert care.deadline == "2026-06-30"
    (unmatched,) = [s for s in parsed.skipped if "task table" in s.reason]
    assert unmatched.reason == "task table row 5 matches no item of the plan"
    assert unmatched.text.startswith("推进智慧社区建设 | 区政数局")


def test_tables_without_task_headers_stay_text(tmp_path):
    table = [["指标", "目标值"], ["城镇登记失业率", "3.5%以内"]]
    document = read_plan_document(_docx(tmp_path, table))
    assert document.tasks == [] and "城镇登记失业率" in document.text


@pytest.mark.parametrize(("text", "iso"), [
    ("2025年12月底前", "2025-12-31"), ("2025年底", "2025-12-31"), ("2026年6月", "2026-06-30"),
    ("2024年3月15日", "2024-03-15"), ("2024年—2025年", "2025-12-31"), ("长期坚持", None),
    ("2025年13月", None), ("", None),
])
def test_deadline_cells(text, iso):
    assert deadline_date(text) == iso


def test_import_assigns_departments_by_name_or_abbreviation(areas, tmp_path):
    hrss = factories.department(areas["district"], "hrss", "滨海区人力资源和社会保障局")
    civil = factories.department(areas["district"], "civil_affairs", "滨海区民政局")
    education = factories.department(areas["district"], "education", "滨海区教育局")
    plan = services.plan_import(actor=system_actor(), path=str(_docx(tmp_path)))
    items = {i.number: i for i in PlanItem.objects.filter(plan=plan)}
    training = items["一.(一).1"]
    assert training.lead_department == hrss
    assert set(training.co_departments.all()) == {education, civil}
    assert training.deadline == datetime.date(2025, 12, 31)
    assert training.assigned_text == ("牵头单位：区人社局; 配合单位：区教育局、区民政局; "
                                      "完成时限：2025年12月底前")
    care = items["一.(二).1"]
    # "各街道" is no department: kept in words for the reviewer, not guessed
    assert care.lead_department == civil and not care.co_departments.exists()
    assert "各街道" in care.assigned_text
    assert items["一.(一).2"].deadline is None
    assert any("task table row 5" in s["reason"] for s in plan.skipped)
