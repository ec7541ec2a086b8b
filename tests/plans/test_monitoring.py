"""Plan import into drafts, confirmed targets, status, early warning and supervision."""

import datetime
import json

import pytest

from minsheng.casework import services as followups
from minsheng.casework.models import FollowUp
from minsheng.core.access import actor_for, system_actor
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.plans import selectors, services
from minsheng.plans.demo import seed_plan_path
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft
from tests import factories
from tests.plans.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_seed_plan_import_gives_tree_drafts_and_skipped_lines(areas):
    plan = services.plan_import(actor=system_actor(), path=str(seed_plan_path()))
    items = PlanItem.objects.filter(plan=plan)
    assert items.count() == 51
    assert list(items.filter(parent=None).values_list("number", flat=True)) == [
        "一", "二", "三", "四", "五", "六", "七"]
    section = items.get(number="二.(一)")
    measures = list(section.children.values_list("number", "implicit_number"))
    assert measures == [("二.(一).1", True), ("二.(一).2", False), ("二.(一).3", False)]
    drafts = TargetDraft.objects.filter(plan=plan)
    assert drafts.count() == 10
    jobs = drafts.get(indicator_phrase="新增就业")
    assert (jobs.comparator, jobs.value, jobs.unit, jobs.suggested_indicator) == (
        ">=", 21500, "人", "new_jobs")
    beds = drafts.get(suggested_indicator="eldercare_beds")
    assert beds.value is None and beds.needs_review  # "20xx" is never turned into a number
    assert [s["reason"][:14] for s in plan.skipped] == ["advertisement "] * 2
    assert plan.state == Plan.State.DRAFT


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"   \n\n", "no text")])
def test_empty_plan_files_are_refused_clearly(areas, tmp_path, content, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    with pytest.raises(ValidationFailed) as err:
        services.plan_import(actor=system_actor(), path=str(path))
    assert message in str(err.value.message)
    assert not Plan.objects.exists()


def test_scanned_pdf_without_text_layer_is_refused(areas, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(ValidationFailed) as err:
        services.plan_import(actor=system_actor(), path=str(path))
    assert "OCR" in str(err.value.message)


def test_docx_with_a_table_of_targets_is_imported(areas, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("为做好民生工作，制定本实施方案。")
    document.add_paragraph("一、总体要求")
    document.add_paragraph("（一）主要目标")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "到2027年，登记失业率控制在3.5%以内。"
    document.add_paragraph("二、保障措施")
    document.add_paragraph("（一）加强组织领导")
    document.add_paragraph("压实责任。")
    path = tmp_path / "plan.docx"
    document.save(path)
    plan = services.plan_import(actor=system_actor(), path=str(path))
    draft = TargetDraft.objects.get(plan=plan)
    assert (draft.comparator, draft.value, draft.year) == ("<=", 3.5, 2027)


def test_plan_supervisor_is_needed_to_import(areas, tmp_path):
    entry = factories.actor("entry", "data_entry", areas["district"])
    with pytest.raises(PermissionDenied):
        services.plan_import(actor=entry, text="一、总体要求\n（一）目标\n做好工作。")


def test_demo_targets_have_the_intended_statuses(world):
    targets = {t.indicator.code: t for t in Target.objects.filter(parent=None)
               .select_related("indicator")}
    assert len(targets) == 8
    status = {code: t.status for code, t in targets.items()}
    # rising unemployment still inside its 3.5% ceiling: at risk, not achieved
    assert status["registered_unemployment_rate"] == "at_risk"
    assert status["hospital_beds_per_1000"] == "off_track"
    assert status["insurance_participation_rate"] == "achieved"
    assert status["new_jobs"] in ("on_track", "achieved")
    assert status["eldercare_beds"] == "insufficient_data"  # no number was invented
    assert len(set(status.values())) >= 4


def test_demo_values_say_demo_and_core_values_are_computed(world):
    from minsheng.indicators.models import DataValue

    assert set(DataValue.objects.filter(element__code="employment.new_jobs")
               .values_list("source", flat=True)) == {"demo"}
    population = DataValue.objects.get(element__code="core.resident_population",
                                       area=world["areas"]["district"],
                                       period_start=datetime.date(2026, 11, 1))
    assert population.source == "source:core.resident_population"
    assert population.value == 120


def test_at_risk_target_opens_one_supervision_item_for_the_lead_department(world):
    target = Target.objects.get(indicator__code="registered_unemployment_rate", parent=None)
    items = FollowUp.objects.filter(kind="plan_supervision", source_id=str(target.pk))
    assert items.count() == 1
    item = items.get()
    assert item.department.department_code == "hrss"
    assert item.due_date > TODAY
    # reviewing again does not pile up duplicates
    services.targets_review(actor=system_actor(), today=TODAY)
    assert items.count() == 1


def test_overdue_supervision_escalates_yellow_then_red(world):
    item = FollowUp.objects.filter(kind="plan_supervision").first()
    followups.followups_escalate(today=item.due_date + datetime.timedelta(days=1))
    item.refresh_from_db()
    assert item.level == "yellow"
    followups.followups_escalate(today=item.due_date + datetime.timedelta(days=14))
    item.refresh_from_db()
    assert item.level == "red"


def test_department_closes_supervision_item_with_outcome(world):
    hrss = actor_for(world["users"]["hrss"])
    item = FollowUp.objects.get(kind="plan_supervision", department__department_code="hrss",
                                title__contains="失业率")
    followups.followup_close(actor=hrss, followup=item, outcome="开展专项援助",
                             version=item.version)
    item.refresh_from_db()
    assert item.state == "done" and item.outcome == "开展专项援助"


def test_cascade_must_add_up_for_flows(world):
    target = Target.objects.get(indicator__code="new_jobs", parent=None)
    assert sum(target.children.values_list("value", flat=True)) == target.value
    s1, s2 = world["areas"]["s1"], world["areas"]["s2"]
    with pytest.raises(ValidationFailed):
        services.target_cascade(actor=system_actor(), target=target, values={s1: 1, s2: 2})
    rate = Target.objects.get(indicator__code="registered_unemployment_rate", parent=None)
    services.target_cascade(actor=system_actor(), target=rate, values={s1: 3.3, s2: 3.7})
    with pytest.raises(ValidationFailed):
        services.target_cascade(actor=system_actor(), target=rate, values={s1: 3.3, s2: 3.3})


def test_confirming_a_draft_twice_is_refused_and_stale_versions_lose(world):
    draft = TargetDraft.objects.filter(state="draft").first()
    supervisor = actor_for(world["users"]["supervisor"])
    services.draft_confirm(actor=supervisor, draft=draft, version=draft.version, indicator=None,
                           kind="floor", value=None, deadline=datetime.date(2027, 12, 31))
    with pytest.raises(ValidationFailed):
        services.draft_confirm(actor=supervisor, draft=draft, version=draft.version,
                               indicator=None, kind="floor", value=1,
                               deadline=datetime.date(2027, 12, 31))
    item = PlanItem.objects.filter(plan=world["plan"]).first()
    services.item_update(actor=supervisor, item=item, version=item.version, title="新标题")
    with pytest.raises(StaleVersion):
        services.item_update(actor=supervisor, item=item, version=item.version - 1, title="旧")


def test_merge_moves_text_and_drafts(world):
    supervisor = actor_for(world["users"]["supervisor"])
    a = PlanItem.objects.get(plan=world["plan"], number="二.(一).2")
    b = PlanItem.objects.get(plan=world["plan"], number="二.(一).3")
    merged = services.item_merge(actor=supervisor, item=b, into=a, version=b.version)
    assert "劳动关系" in merged.text
    assert not selectors.item_list(supervisor, plan=world["plan"]).filter(pk=b.pk).exists()


def test_progress_reports_by_the_right_department_and_overdue_flags(world):
    item = PlanItem.objects.filter(plan=world["plan"], level="measure",
                                   lead_department__department_code="hrss").first()
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=actor_for(world["users"]["health"]), item=item,
                               period=datetime.date(2026, 10, 1), progress="on_schedule",
                               narrative="x")
    ProgressReport.objects.filter(item=item).delete()
    overdue = selectors.overdue_reports(system_actor(), plan=world["plan"],
                                        today=datetime.date(2026, 11, 29))
    assert item.pk in {o["item"].pk for o in overdue}
    report = services.report_submit(actor=actor_for(world["users"]["hrss"]), item=item,
                                    period=datetime.date(2026, 10, 1), progress="delayed",
                                    narrative="进度滞后，已调整计划")
    overdue = selectors.overdue_reports(system_actor(), plan=world["plan"],
                                        today=datetime.date(2026, 11, 29))
    assert item.pk not in {o["item"].pk for o in overdue}
    # before the working-day due date nothing is overdue yet (5 working days after Oct 31)
    assert selectors.overdue_reports(system_actor(), plan=world["plan"],
                                     today=datetime.date(2026, 11, 3)) == []
    services.report_review(actor=actor_for(world["users"]["supervisor"]), report=report,
                           version=report.version, accept=True)
    report.refresh_from_db()
    assert report.state == "accepted"


def test_task_breakdown_export(world, tmp_path):
    import openpyxl

    from minsheng.plans import exports

    path = tmp_path / "tasks.xlsx"
    exports.task_breakdown_xlsx(system_actor(), world["plan"], str(path))
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.values)
    assert rows[0] == ("序号", "任务措施", "牵头单位", "配合单位", "完成时限", "关联指标",
                       "进展状态")
    assert any(r[0] == "一.(二)" and "城镇登记失业率" in (r[5] or "") for r in rows)


def test_cli_import_json_shape(areas):
    from typer.testing import CliRunner

    from minsheng.plans.commands import app

    result = CliRunner().invoke(app, ["import", str(seed_plan_path()), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"plan", "items", "targets", "skipped"}
    assert {"number", "level", "title", "text", "children"} <= set(data["items"][0])
    assert {"text", "indicator", "comparator", "value", "unit", "per", "year", "needs_review",
            "item_number"} <= set(data["targets"][0])
    assert not Plan.objects.exists()  # --json only previews


def test_cli_import_of_a_missing_file_fails_cleanly(areas, tmp_path):
    from typer.testing import CliRunner

    from minsheng.plans.commands import app

    result = CliRunner().invoke(app, ["import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
