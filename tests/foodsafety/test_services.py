"""Services end to end: licences and their history, grading, draws on the shared engine,
inspections with findings, rectification closed by a re-inspection, samples."""

import datetime

import pytest

from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.foodsafety import selectors
from minsheng.foodsafety.models import Licence, Rectification, Sample
from minsheng.foodsafety.services import inspections as svc
from minsheng.foodsafety.services import operators as ops
from minsheng.foodsafety.services import samples as smp
from minsheng.inspections import services as engine
from minsheng.inspections.models import DrawLog
from tests.foodsafety.conftest import all_pass

TODAY = datetime.date.today()


def test_licence_with_expiry_before_issue_is_refused(food):
    with pytest.raises(ValidationFailed) as e:
        ops.licence_issue(actor=food["staff"], operator=food["o1"], kind="food_business",
                          number="JY1", scope="热食类", issued_on=TODAY,
                          expires_on=TODAY - datetime.timedelta(days=1))
    assert e.value.details["field"] == "expires_on"
    assert not Licence.objects.exists()


def test_licence_change_keeps_history_and_expiry_sweep(food):
    old = ops.licence_issue(actor=food["staff"], operator=food["o1"], kind="food_business",
                            number="JY1", scope="热食类", issued_on=TODAY - datetime.timedelta(
                                days=400), expires_on=TODAY + datetime.timedelta(days=10))
    assert list(selectors.licences_due(food["staff"])) == [old]
    new = ops.licence_change(actor=food["staff"], licence=old, version=old.version,
                             scope="热食类、冷食类", issued_on=TODAY,
                             expires_on=TODAY + datetime.timedelta(days=5 * 365))
    old.refresh_from_db()
    assert old.state == "superseded" and new.replaces == old and new.state == "valid"
    assert not selectors.licences_due(food["staff"]).exists()
    # a lapsed licence is expired by the sweep, and the operator shows as operating on it
    lapsed = ops.licence_issue(actor=food["staff"], operator=food["o2"], kind="drug_retail",
                               number="YP1", scope="处方药", issued_on=TODAY -
                               datetime.timedelta(days=900),
                               expires_on=TODAY - datetime.timedelta(days=1))
    assert ops.licences_expire() == 1
    lapsed.refresh_from_db()
    assert lapsed.state == "expired"
    assert list(selectors.active_on_expired(food["staff"])) == [food["o2"]]


def test_operator_without_factor_data_gets_category_default_and_says_so(food):
    a = food["o2"].assessments.first()
    assert a.defaulted and a.factors == {"category": "pharmacy"}
    assert food["o2"].grade == "A"  # pharmacy 20 points
    assert not food["o1"].assessments.first().defaulted


def test_draw_is_logged_reproducible_and_cannot_be_rerun_with_another_seed(food):
    plan = svc.plan_create(actor=food["admin"], name="2026年餐饮双随机", year=TODAY.year,
                           area=food["o1"].area.parent.parent, department=food["market"],
                           sample_size=2, checklist=food["checklist"])
    log = svc.plan_draw(actor=food["admin"], plan=plan, seed=4242, version=plan.version)
    plan.refresh_from_db()
    assert plan.state == "drawn" and log.seed == 4242
    assert plan.inspections.count() == 2
    assert all(i.inspectors.count() == 2 for i in plan.inspections.all())
    _log, reproduces = selectors.plan_draw_log(food["admin"], plan)
    assert reproduces
    with pytest.raises(Conflict):
        svc.plan_draw(actor=food["admin"], plan=plan, seed=1)
    assert svc.plan_draw(actor=food["admin"], plan=plan, seed=4242) == log
    assert DrawLog.objects.count() == 1 and plan.inspections.count() == 2


def test_draw_honours_recusal_and_rotation(food):
    o1, ins = food["o1"], food["inspectors"]
    engine.recusal_record(actor=food["admin"], permission="foodsafety.plan",
                          inspector=ins[0], organization=o1.organization, reason="亲属关系")
    svc.inspection_schedule(actor=food["staff"], operator=o1, kind="routine",
                            scheduled_on=TODAY, checklist=food["checklist"],
                            inspectors=ins[1:3])
    plan = svc.plan_create(actor=food["admin"], name="p", year=TODAY.year,
                           area=o1.area, department=food["market"], sample_size=1,
                           checklist=food["checklist"])
    svc.plan_draw(actor=food["admin"], plan=plan, seed=1)
    # inspector 0 is recused, 1 and 2 went last time: only 3 and 4 may go
    assert {i.pk for i in plan.inspections.get().inspectors.all()} == {ins[3].pk, ins[4].pk}
    # 3 and 4 went last now; with 1 recused too only 2 is left: refused, nothing written
    engine.recusal_record(actor=food["admin"], permission="foodsafety.plan",
                          inspector=ins[1], organization=o1.organization, reason="曾任职")
    again = svc.plan_create(actor=food["admin"], name="p2", year=TODAY.year,
                            area=o1.area, department=food["market"], sample_size=1,
                            checklist=food["checklist"])
    with pytest.raises(ValidationFailed):
        svc.plan_draw(actor=food["admin"], plan=again, seed=1)
    again.refresh_from_db()
    assert again.state == "planned" and not again.inspections.exists()


def test_inspection_assigned_to_a_recused_inspector_is_refused(food):
    engine.recusal_record(actor=food["admin"], permission="foodsafety.plan",
                          inspector=food["inspectors"][0],
                          organization=food["o1"].organization, reason="曾任职")
    with pytest.raises(ValidationFailed) as e:
        svc.inspection_schedule(actor=food["staff"], operator=food["o1"], kind="complaint",
                                scheduled_on=TODAY, checklist=food["checklist"],
                                inspectors=food["inspectors"][:2])
    assert e.value.details["field"] == "inspectors"
    assert not food["o1"].inspections.exists()


def test_finding_orders_rectification_and_reinspection_closes_it(food):
    o1, checklist = food["o1"], food["checklist"]
    first = svc.inspection_schedule(actor=food["staff"], operator=o1, kind="routine",
                                    scheduled_on=TODAY, checklist=checklist,
                                    inspectors=food["inspectors"][:2])
    svc.inspection_record(actor=food["staff"], inspection=first, version=first.version,
                          done_on=TODAY, answers=all_pass(checklist, **{"2": "fail"}),
                          remarks={2: "消毒柜未开启"})
    first.refresh_from_db()
    assert first.score == 83 and first.rating == "good" and not first.critical_failed
    rect = Rectification.objects.get(inspection=first)
    assert rect.state == "ordered" and rect.due_on == TODAY + datetime.timedelta(days=15)
    follow = svc.rectification_reinspect(actor=food["staff"], rectification=rect,
                                         version=rect.version, scheduled_on=TODAY,
                                         inspectors=food["inspectors"][2:4])
    page = selectors.inspection_page(food["staff"], follow)
    assert [f.description for f in page["earlier"]] == ["消毒柜未开启"]
    svc.inspection_record(actor=food["staff"], inspection=follow, version=follow.version,
                          done_on=TODAY, answers=all_pass(checklist))
    rect.refresh_from_db()
    assert rect.state == "passed" and rect.passed_on == TODAY and rect.closed_at
    assert Rectification.objects.count() == 1


def test_critical_failure_raises_the_grade(food):
    o1 = food["o1"]
    before = o1.grade
    i = svc.inspection_schedule(actor=food["staff"], operator=o1, kind="routine",
                                scheduled_on=TODAY, checklist=food["checklist"],
                                inspectors=food["inspectors"][:2])
    svc.inspection_record(actor=food["staff"], inspection=i, version=i.version,
                          done_on=TODAY, answers=all_pass(food["checklist"], **{"1": "fail"}))
    o1.refresh_from_db()
    assert before == "A" and o1.grade == "B"
    assert o1.assessments.first().factors["critical_failure"] == 1


def test_unanswered_item_is_refused_and_nothing_changes(food):
    i = svc.inspection_schedule(actor=food["staff"], operator=food["o1"], kind="routine",
                                scheduled_on=TODAY, checklist=food["checklist"],
                                inspectors=food["inspectors"][:2])
    with pytest.raises(ValidationFailed):
        svc.inspection_record(actor=food["staff"], inspection=i, version=i.version,
                              done_on=TODAY, answers={"1": "pass"})
    i.refresh_from_db()
    assert i.state == "scheduled" and not i.findings.exists()


def test_coverage_guarantees_grade_minimum(food):
    rows = {r["grade"]: r for r in selectors.coverage(food["staff"], TODAY.year)}
    assert rows["A"]["operators"] == 2 and rows["A"]["short"] == 2
    assert set(selectors.coming_due(food["staff"], TODAY.year)) == {food["o1"], food["o2"]}


def test_sample_results_import_refuses_unknown_sample(food, tmp_path):
    s = smp.sample_take(actor=food["staff"], operator=food["o1"], number="CJ001",
                        product="散装大米", sampled_on=TODAY)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"样品编号,结果,日期,项目,检测值,标准\nCJ001,合格,{TODAY},,,\n"
                   f"NOPE,不合格,{TODAY},镉,0.3,0.2\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as e:
        smp.results_import(actor=food["staff"], path=bad)
    assert any("NOPE" in line and "line 3" in line for line in e.value.details["lines"])
    s.refresh_from_db()
    assert s.state == "pending"  # nothing imported
    good = tmp_path / "good.csv"
    good.write_text(f"样品编号,结果,日期,项目,检测值,标准\nCJ001,不合格,{TODAY},镉,0.3,0.2\n",
                    encoding="utf-8")
    assert smp.results_import(actor=food["staff"], path=good) == 1
    s.refresh_from_db()
    assert s.state == "unqualified" and s.handle_due == TODAY + datetime.timedelta(days=90)
    smp.sample_handle(actor=food["staff"], sample=s, version=s.version, measure="recall",
                      handled_on=TODAY)
    assert Sample.objects.get().state == "handled"


def test_staff_outside_the_department_cannot_inspect(food, areas):
    from tests import factories as f

    other = f.actor("mz", "caseworker", areas["district"], department=food["civil"])
    with pytest.raises(PermissionDenied):
        svc.inspection_schedule(actor=other, operator=food["o1"], kind="routine",
                                scheduled_on=TODAY, checklist=food["checklist"],
                                inspectors=food["inspectors"][:2])
