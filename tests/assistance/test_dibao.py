"""Dibao workflow: every step, its clock across National Day 2026, and bad input."""

import datetime

import pytest

from minsheng.assistance import selectors, services
from minsheng.assistance.models import DibaoBenefit, DibaoCase, DibaoMember
from minsheng.assistance.services import clocks as assistance_clocks
from minsheng.casework.workflow import timeline
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from tests import factories
from tests.assistance.conftest import D, members

pytestmark = pytest.mark.django_db
T = D(2026, 9, 29)


def apply(world, **kw):
    args = dict(actor=world["caseworker"], channel="office",
                applicant_id_number=world["head"].id_number, applicant_name="王秀英",
                members=members(world), bank_account="6222000011112222")
    args.update(kw)
    case, _created = services.dibao_apply(**args)
    return case


def run_to_notice(world, case, day=D(2026, 9, 29)):
    cw, rv = world["caseworker"], world["reviewer"]
    services.dibao_accept(actor=cw, case=case, version=case.version, today=day)
    services.dibao_investigate(actor=cw, case=case, version=case.version,
                               investigators=["李明", "赵强"], home_visit_note="家中陈设简陋",
                               today=D(2026, 9, 30))
    services.dibao_request_verification(actor=cw, case=case, version=case.version,
                                        today=D(2026, 9, 30))
    services.dibao_start_verification(actor=cw, case=case, version=case.version,
                                      today=D(2026, 10, 8))
    services.dibao_first_review(actor=rv, case=case, version=case.version,
                                opinion="符合条件", today=D(2026, 10, 9))
    services.dibao_publish_notice(actor=cw, case=case, version=case.version,
                                  today=D(2026, 10, 9))
    return case


def test_end_to_end_with_clocks_across_national_day(world):
    case = apply(world)
    assert case.state == "submitted" and case.reference.startswith("DB")
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          today=D(2026, 9, 29))
    clocks = assistance_clocks.dibao_clocks(case)
    # 3 working days after Tue 29 Sep: 30 Sep, then the holiday 1-7 Oct, then 8 and 9 Oct
    assert clocks[0].due == D(2026, 10, 9)
    assert clocks[0].status(D(2026, 9, 29)) == "running"
    assert clocks[0].remaining(D(2026, 10, 2)) == 2  # the holiday week does not count
    assert clocks[0].status(D(2026, 10, 8)) == "due_soon"
    assert clocks[0].status(D(2026, 10, 12)) == "overdue"
    # whole procedure: 30 working days counting the Saturday 10 Oct make-up day
    assert clocks[-1].due == D(2026, 11, 16)
    case.refresh_from_db()
    cw = world["caseworker"]
    services.dibao_investigate(actor=cw, case=case, version=case.version,
                               investigators=["李明", "赵强"], home_visit_note="入户",
                               today=D(2026, 9, 30))
    services.dibao_request_verification(actor=cw, case=case, version=case.version,
                                        today=D(2026, 9, 30))
    assert assistance_clocks.dibao_clocks(case)[1].due == D(2026, 10, 10)  # make-up Saturday
    services.dibao_start_verification(actor=cw, case=case, version=case.version,
                                      today=D(2026, 10, 8))
    services.dibao_first_review(actor=world["reviewer"], case=case, version=case.version,
                                opinion="符合条件", today=D(2026, 10, 9))
    assert case.eligible and case.per_capita_income == 400
    assert case.proposed_amount == (1230 - 400) * 2
    services.dibao_publish_notice(actor=cw, case=case, version=case.version,
                                  today=D(2026, 10, 9))
    assert case.notice_end == D(2026, 10, 16)
    assert selectors.case_notice(world["caseworker"], case) == {
        "name": "王秀英", "household_size": 2, "amount": case.proposed_amount}
    with pytest.raises(ValidationFailed):  # the notice runs its 7 days
        services.dibao_send_file(actor=cw, case=case, version=case.version,
                                 today=D(2026, 10, 15))
    services.dibao_send_file(actor=cw, case=case, version=case.version, today=D(2026, 10, 16))
    assert [c.due for c in assistance_clocks.dibao_clocks(case)][-2] == D(2026, 10, 30)
    services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                          approve=True, today=D(2026, 10, 20))
    assert case.state == "approved"
    benefit = DibaoBenefit.objects.get(household=world["household"])
    assert benefit.start_month == D(2026, 11, 1)  # from the month after approval
    assert benefit.monthly_amount == 1660
    assert benefit.review_months == 6  # working-age members: half-yearly
    assert not DibaoMember.objects.filter(case=case, active=True).exists()
    steps = [e.transition for e in timeline(case) if e.transition]
    assert steps == ["accept", "start_investigation", "request_verification",
                     "start_verification", "first_review", "publish_notice", "send_file",
                     "approve"]
    assert AuditEntry.objects.filter(action="transition",
                                     object_id=str(case.pk)).count() == 8


def test_no_step_skipped(world):
    case = apply(world)
    with pytest.raises(ValidationFailed):
        services.dibao_investigate(actor=world["caseworker"], case=case, version=case.version,
                                   investigators=["a", "b"], home_visit_note="x", today=T)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          today=D(2026, 9, 29))
    with pytest.raises(ValidationFailed):
        services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                              approve=True, today=D(2026, 9, 29))
    with pytest.raises(ValidationFailed, match="at least 2"):
        services.dibao_investigate(actor=world["caseworker"], case=case, version=case.version,
                                   investigators=["李明"], home_visit_note="入户", today=T)


def test_missing_materials_one_notice_then_accept(world):
    case = apply(world)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          missing_materials=["收入证明", "残疾证"], today=D(2026, 9, 29))
    assert case.state == "submitted"
    notes = [e.note for e in timeline(case)]
    assert any("收入证明、残疾证" in n for n in notes)
    with pytest.raises(ValidationFailed):
        services.dibao_accept(actor=world["caseworker"], case=case, version=case.version, today=T)
    services.dibao_materials_supplied(actor=world["caseworker"], case=case,
                                      version=case.version)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          today=D(2026, 9, 29))
    assert case.state == "accepted"


def test_unauthorised_member_blocks_acceptance(world):
    case = apply(world, members=members(world, authorised=False))
    with pytest.raises(ValidationFailed, match="authorise"):
        services.dibao_accept(actor=world["caseworker"], case=case, version=case.version, today=T)
    for m in case.members.all():
        services.dibao_authorise(actor=world["caseworker"], case=case, person_id=m.person_id)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          today=D(2026, 9, 29))


def test_staff_relative_needs_approver_visit(world):
    case = apply(world)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          related_to_staff=True, related_note="社区主任之妹",
                          today=D(2026, 9, 29))
    cw = world["caseworker"]
    services.dibao_investigate(actor=cw, case=case, version=case.version,
                               investigators=["李明", "赵强"], home_visit_note="入户",
                               today=D(2026, 9, 30))
    services.dibao_request_verification(actor=cw, case=case, version=case.version,
                                        today=D(2026, 9, 30))
    services.dibao_start_verification(actor=cw, case=case, version=case.version,
                                      today=D(2026, 10, 8))
    services.dibao_first_review(actor=world["reviewer"], case=case, version=case.version,
                                opinion="符合", today=D(2026, 10, 9))
    services.dibao_publish_notice(actor=cw, case=case, version=case.version,
                                  today=D(2026, 10, 9))
    services.dibao_send_file(actor=cw, case=case, version=case.version, today=D(2026, 10, 16))
    with pytest.raises(ValidationFailed, match="visit"):
        services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                              approve=True, today=D(2026, 10, 19))
    services.dibao_approver_visit(actor=world["approver"], case=case, note="核实属实",
                                  today=D(2026, 10, 19))
    services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                          approve=True, today=D(2026, 10, 19))


def test_objection_reinvestigates_and_new_notice(world):
    case = run_to_notice(world, apply(world))
    services.dibao_objection(actor=world["caseworker"], case=case, version=case.version,
                             objection="邻居反映有经营收入", today=D(2026, 10, 12))
    assert case.state == "investigating"
    cw = world["caseworker"]
    services.dibao_request_verification(actor=cw, case=case, version=case.version,
                                        today=D(2026, 10, 12))
    services.dibao_start_verification(actor=cw, case=case, version=case.version,
                                      today=D(2026, 10, 12))
    services.dibao_first_review(actor=world["reviewer"], case=case, version=case.version,
                                opinion="复核符合", today=D(2026, 10, 13))
    services.dibao_publish_notice(actor=cw, case=case, version=case.version,
                                  today=D(2026, 10, 13))
    assert case.notice_round == 2 and case.notice_end == D(2026, 10, 20)


def test_refusal_needs_reasons_and_starts_clock(world):
    case = run_to_notice(world, apply(world))
    services.dibao_send_file(actor=world["caseworker"], case=case, version=case.version,
                             today=D(2026, 10, 16))
    with pytest.raises(ValidationFailed, match="reasons"):
        services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                              approve=False, reasons="", today=D(2026, 9, 29))
    services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                          approve=False, reasons="有未申报的车辆", today=D(2026, 10, 16))
    assert case.current_due == D(2026, 10, 21)
    services.dibao_refusal_notified(actor=world["approver"], case=case, today=D(2026, 10, 19))
    assert assistance_clocks.dibao_clocks(case)[-2].status(D(2026, 10, 19)) == "done_on_time"


def test_ineligible_goes_to_refusal_not_notice(world):
    case = apply(world, members=members(world, wages_head="3000"))
    cw = world["caseworker"]
    services.dibao_accept(actor=cw, case=case, version=case.version, today=D(2026, 9, 29))
    services.dibao_investigate(actor=cw, case=case, version=case.version,
                               investigators=["李明", "赵强"], home_visit_note="入户", today=T)
    services.dibao_request_verification(actor=cw, case=case, version=case.version, today=T)
    services.dibao_start_verification(actor=cw, case=case, version=case.version, today=T)
    services.dibao_first_review(actor=world["reviewer"], case=case, version=case.version,
                                opinion="收入超标", today=D(2026, 9, 29))
    assert case.eligible is False
    with pytest.raises(ValidationFailed):
        services.dibao_publish_notice(actor=cw, case=case, version=case.version, today=T)
    services.dibao_send_file(actor=cw, case=case, version=case.version, today=D(2026, 9, 29))
    with pytest.raises(ValidationFailed):
        services.dibao_decide(actor=world["approver"], case=case, version=case.version,
                              approve=True, today=D(2026, 9, 29))


def test_extension_and_delegation_change_the_limit(world):
    case = apply(world)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          today=D(2026, 9, 29))
    assert assistance_clocks.overall_due(case) == D(2026, 11, 16)
    with pytest.raises(ValidationFailed):
        services.dibao_extend(actor=world["caseworker"], case=case, reason=" ")
    services.dibao_extend(actor=world["caseworker"], case=case, reason="需补充异地核对")
    assert assistance_clocks.overall_limit(case) == 45
    assert assistance_clocks.overall_due(case) == D(2026, 12, 7)


def test_permissions_and_scope(world):
    # a resident of another subdistrict gets the same answer as an unknown one (no oracle)
    with pytest.raises(ValidationFailed, match="No resident") as outside:
        apply(world, actor=world["other_cw"])
    with pytest.raises(ValidationFailed, match="No resident") as unknown:
        apply(world, applicant_name="不存在")
    assert outside.value.message == unknown.value.message
    assert outside.value.details == unknown.value.details
    with pytest.raises(PermissionDenied):  # a reviewer takes no applications
        apply(world, actor=world["reviewer"])
    case = apply(world)
    with pytest.raises(PermissionDenied):  # reviewer cannot accept
        services.dibao_accept(actor=world["reviewer"], case=case, version=case.version, today=T)
    assert case.state == "submitted"


def test_bad_input(world):
    stranger = factories.person(world["c12"], "陈某", datetime.date(1970, 1, 1))
    factories.household(world["c12"], [(stranger, "head")])
    bad = members(world) + [{"id_number": stranger.id_number, "income": {}}]
    with pytest.raises(ValidationFailed, match="another household"):
        apply(world, members=bad)
    with pytest.raises(ValidationFailed, match="negative"):
        apply(world, members=members(world, wages_head="-5"))
    with pytest.raises(ValidationFailed, match="Every household member"):
        apply(world, members=members(world)[:1])
    apply(world)
    with pytest.raises(ValidationFailed, match="open application"):
        apply(world)
    assert DibaoCase.objects.count() == 1


def test_single_person_exception(world):
    case = apply(world, members=members(world)[:1], single_person="severe_disability")
    assert case.members.count() == 1


def test_idempotent_replay(world):
    first = apply(world, idempotency_key="form-123")
    again, created = services.dibao_apply(
        actor=world["caseworker"], channel="office", applicant_id_number=world[
            "head"].id_number, applicant_name="王秀英", members=members(world),
        idempotency_key="form-123")
    assert again.pk == first.pk and created is False
    assert DibaoCase.objects.count() == 1


def test_two_approvers_exactly_one_wins(world):
    case = run_to_notice(world, apply(world))
    services.dibao_send_file(actor=world["caseworker"], case=case, version=case.version,
                             today=D(2026, 10, 16))
    copy_a = DibaoCase.objects.get(pk=case.pk)
    copy_b = DibaoCase.objects.get(pk=case.pk)
    services.dibao_decide(actor=world["approver"], case=copy_a, version=copy_a.version,
                          approve=True, today=D(2026, 10, 19))
    with pytest.raises(StaleVersion):
        services.dibao_decide(actor=world["approver2"], case=copy_b, version=copy_b.version,
                              approve=False, reasons="x", today=D(2026, 10, 19))
    case.refresh_from_db()
    assert case.state == "approved"
    assert DibaoBenefit.objects.count() == 1


def test_reminders_and_escalation(world):
    from minsheng.casework.models import FollowUp

    case = apply(world)
    services.dibao_accept(actor=world["caseworker"], case=case, version=case.version,
                          today=D(2026, 9, 29))
    assert services.dibao_clock_sweep(today=D(2026, 10, 8)) == {"reminders": 1, "overdue": 0}
    assert services.dibao_clock_sweep(today=D(2026, 10, 8))["reminders"] == 0  # once
    assert services.dibao_clock_sweep(today=D(2026, 10, 12))["overdue"] == 1
    assert FollowUp.objects.filter(kind="assistance.overdue", state="open").count() == 1
