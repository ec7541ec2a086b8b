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


def test_cli_dry_run_prints_ranges_relative_targets_and_tasks(tmp_path):
    from typer.testing import CliRunner

    from minsheng.plans.commands import app

    document = docx.Document()
    for line in [*PLAN, "2.提升质量。到2025年，事故起数和死亡人数比2023年分别下降15%和10%，"
                 "居民消费价格涨幅控制在3%—4%。"]:
        document.add_paragraph(line)
    t = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["任务", "牵头单位", "完成时限"]):
        t.cell(0, c).text = text
    for c, text in enumerate(["开展职业技能培训", "区人社局", "2025年12月底前"]):
        t.cell(1, c).text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    result = CliRunner().invoke(app, ["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "事故起数 <= 15% from the 2023 level" in result.output
    assert "死亡人数 <= 10% from the 2023 level" in result.output
    assert "居民消费价格涨幅 in 3–4%" in result.output
    assert "task 一.(一).1: lead 区人社局, due 2025-12-31" in result.output


def test_review_page_shows_task_table_words_ranges_and_base_years(areas, tmp_path):
    from django.test import Client

    hrss = factories.department(areas["district"], "hrss", "滨海区人力资源和社会保障局")
    document = docx.Document()
    for line in [*PLAN, "2.提升质量。到2025年，事故起数比2023年下降15%，"
                 "居民消费价格涨幅控制在3%—4%，每季度开展活动不少于2场。"]:
        document.add_paragraph(line)
    t = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["任务", "牵头单位", "完成时限"]):
        t.cell(0, c).text = text
    for c, text in enumerate(["开展职业技能培训", "区人社局、各街道", "长期坚持"]):
        t.cell(1, c).text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    plan = services.plan_import(actor=system_actor(), path=str(path))
    client = Client()
    client.force_login(factories.user("sup", "plan_supervisor", areas["district"],
                                      department=hrss))
    page = client.get(f"/plans/{plan.pk}/review/").content.decode()
    assert "牵头单位：区人社局、各街道; 完成时限：长期坚持" in page
    assert "in 3.0–4.0 %" in page and "区间 3–4：请选择跟踪方式" in page
    assert '<span class="small">相对 2023 年水平的变化</span>' in page
    assert "数值为相对 2023 年水平的变化（下降）；请录入该年数值作为基期值" in page
    assert "&gt;= 2.0 场 (每季度)" in page
