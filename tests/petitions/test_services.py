"""The petition case through its statutory steps, on the services."""

import datetime

import pytest

from minsheng.casework.models import CaseEvent, FollowUp
from minsheng.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.petitions import selectors
from minsheng.petitions import services as S
from minsheng.petitions.clocks import petition_clocks
from minsheng.petitions.models import Petition
from tests.petitions.conftest import D, fresh, register, through_reply

pytestmark = pytest.mark.django_db
days = datetime.timedelta


def test_register_links_the_resident_and_starts_the_15_day_clock(world):
    p = register(world)
    assert p.state == "registered" and p.petitioner == world["resident"]
    assert p.accept_due == D + days(15) and p.current_due == p.accept_due
    assert p.reference.startswith("XF2026") and len(p.reference) == 14
    assert AuditEntry.objects.filter(object_type="petitions.petition", action="create").exists()
    assert CaseEvent.objects.filter(case_type="petitions.petition", case_id=p.pk).count() == 1


def test_someone_not_in_the_register_can_petition(world):
    from tests.factories import id_number

    p = register(world, petitioner_name="外地人", petitioner_id_number=id_number(region="110101"))
    assert p.petitioner is None and p.petitioner_name == "外地人"


@pytest.mark.parametrize("field,value,where", [
    ("content", "", "content"), ("content", "短", "content"),
    ("content", "字" * 50_000, "content"), ("subject", " ", "subject"),
    ("petitioner_id_number", "110101198001011234", "petitioner_id_number"),
    ("petitioner_phone", "12345", "petitioner_phone"), ("channel", "fax", "channel"),
    ("category", "other", "category"), ("received_on", D + days(1), "received_on"),
])
def test_bad_registration_is_refused_on_its_field(world, field, value, where):
    with pytest.raises(ValidationFailed) as error:
        register(world, **{field: value})
    assert error.value.details["field"] == where
    assert not Petition.objects.exists()


def test_joint_visit_needs_at_most_five_representatives(world):
    with pytest.raises(ValidationFailed) as error:
        register(world, joint_count=12)
    assert error.value.details["field"] == "representatives"
    with pytest.raises(ValidationFailed):
        register(world, joint_count=12, representatives="甲、乙、丙、丁、戊、己")
    p = register(world, joint_count=12, representatives="甲、乙，丙")
    assert p.representatives == "甲、乙、丙"


def test_traditional_and_mixed_english_text_is_taken_as_written(world):
    p = register(world, content="我家的低保申請被退回了 please help，請求重新核對收入。")
    assert "申請" in fresh(p).content


def test_accept_starts_60_days_and_needs_a_department(world):
    p = register(world, department=None)
    with pytest.raises(ValidationFailed) as error:
        S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D)
    assert error.value.details["field"] == "department"
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D + days(3),
                      department=world["civil"], note="决定受理")
    p = fresh(p)
    assert p.state == "accepted" and p.handle_due == D + days(63)
    assert p.department == world["civil"] and p.current_due == p.handle_due


def test_decline_needs_the_reasons(world):
    p = register(world)
    with pytest.raises(ValidationFailed):
        S.petition_decline(actor=world["clerk"], petition=p, version=p.version, note=" ")
    S.petition_decline(actor=world["clerk"], petition=p, version=p.version, today=D,
                       note="属于诉讼程序处理范围")
    p = fresh(p)
    assert p.state == "not_accepted" and p.closed_at and p.current_due is None
    assert petition_clocks(p)[0].status(D) == "done_on_time"


def test_only_the_handling_department_replies(world):
    p = register(world)
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D)
    p = fresh(p)
    with pytest.raises(PermissionDenied):
        S.petition_reply(actor=world["other_dept"], petition=p, version=p.version, reply="x")
    with pytest.raises(ValidationFailed):
        S.petition_reply(actor=world["handler"], petition=p, version=p.version, reply="")
    S.petition_reply(actor=world["handler"], petition=p, version=p.version, reply="已处理",
                     today=D + days(30))
    p = fresh(p)
    assert p.state == "replied" and p.current_due is None
    assert petition_clocks(p)[1].status() == "done_on_time"


def test_extension_needs_approval_once_at_most_30_days_before_the_limit(world):
    p = register(world)
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D)
    p = fresh(p)
    with pytest.raises(PermissionDenied):  # a caseworker cannot approve it
        S.petition_extend(actor=world["handler"], petition=p, version=p.version, days=30,
                          reason="情况复杂", today=D + days(50))
    with pytest.raises(ValidationFailed) as error:
        S.petition_extend(actor=world["head"], petition=p, version=p.version, days=31,
                          reason="情况复杂", today=D + days(50))
    assert error.value.details["field"] == "days"
    with pytest.raises(ValidationFailed):
        S.petition_extend(actor=world["head"], petition=p, version=p.version, days=30,
                          reason="", today=D + days(50))
    with pytest.raises(ValidationFailed):  # after the limit ended
        S.petition_extend(actor=world["head"], petition=p, version=p.version, days=30,
                          reason="情况复杂", today=D + days(61))
    S.petition_extend(actor=world["head"], petition=p, version=p.version, days=30,
                      reason="情况复杂", today=D + days(50))
    p = fresh(p)
    assert p.handle_due == D + days(90) and p.extension_days == 30
    assert p.extension_approved_by == "head"
    with pytest.raises(ValidationFailed):
        S.petition_extend(actor=world["head"], petition=p, version=p.version, days=5,
                          reason="再延", today=D + days(55))
    assert "extended by 30 days" in petition_clocks(p)[1].title


def test_review_and_re_review_within_their_limits(world):
    p, replied = through_reply(world)
    with pytest.raises(ValidationFailed) as error:  # day 31 after the reply
        S.petition_request_review(actor=world["clerk"], petition=p, version=p.version,
                                  requested_on=replied + days(31), today=replied + days(31))
    assert "Out of time" in str(error.value.message)
    S.petition_request_review(actor=world["clerk"], petition=p, version=p.version,
                              requested_on=replied + days(30), today=replied + days(31))
    p = fresh(p)
    assert p.state == "review" and p.review_due == replied + days(60)
    with pytest.raises(PermissionDenied):
        S.petition_decide_review(actor=world["handler"], petition=p, version=p.version,
                                 opinion="维持")
    S.petition_decide_review(actor=world["reviewer"], petition=p, version=p.version,
                             opinion="维持原处理意见", today=replied + days(40))
    p = fresh(p)
    S.petition_request_re_review(actor=world["clerk"], petition=p, version=p.version,
                                 requested_on=replied + days(45), today=replied + days(45))
    p = fresh(p)
    S.petition_decide_re_review(actor=world["reviewer"], petition=p, version=p.version,
                                opinion="维持复查意见", today=replied + days(60))
    p = fresh(p)
    assert p.state == "re_reviewed" and p.closed_at is not None
    assert [c.status() for c in petition_clocks(p)] == ["done_on_time"] * 6


def test_same_matter_after_re_review_is_linked_and_not_accepted_again(world):
    p, replied = through_reply(world)
    for name, kw in (("request_review", {"requested_on": replied}),
                     ("decide_review", {"opinion": "维持"}),
                     ("request_re_review", {"requested_on": replied}),
                     ("decide_re_review", {"opinion": "维持"})):
        p = fresh(p)
        who = world["reviewer"] if name.startswith("decide") else world["clerk"]
        getattr(S, f"petition_{name}")(actor=who, petition=p, version=p.version,
                                       today=replied, **kw)
    again = register(world, subject="再次反映低保申请被退回", today=replied + days(5),
                     content="关于我家低保申请被退回的问题，我爱人失业半年多了，收入核对有误，再次请求重新核对。")
    assert again.repeat_of_id == p.pk and again.repeat_similarity >= 0.45
    with pytest.raises(ValidationFailed) as error:
        S.petition_accept(actor=world["clerk"], petition=again, version=again.version,
                          today=replied + days(5))
    assert p.reference in str(error.value.message)
    assert fresh(again).state == "registered"
    S.petition_decline(actor=world["clerk"], petition=again, version=again.version,
                       note="同一事实和理由已复核终结，不再受理", today=replied + days(5))


def test_a_different_matter_of_the_same_person_is_not_a_repeat(world):
    register(world)
    other = register(world, subject="楼下烧烤店油烟扰民",
                     content="楼下新开的烧烤店每天营业到凌晨两点，油烟和噪音很大，请求查处。")
    assert other.repeat_of_id is None


def test_conclude_early_only_when_satisfied_and_sweep_concludes_after_the_window(world):
    p, replied = through_reply(world)
    with pytest.raises(ValidationFailed):
        S.petition_conclude(actor=world["handler"], petition=p, version=p.version,
                            today=replied + days(1))
    S.petition_rate(actor=world["handler"], petition=p, version=p.version,
                    satisfaction="unsatisfied", today=replied + days(1))
    other, _ = through_reply(world)
    S.petition_rate(actor=world["handler"], petition=other, version=other.version,
                    satisfaction="satisfied", today=replied + days(1))
    other = fresh(other)
    S.petition_conclude(actor=world["handler"], petition=other, version=other.version,
                        today=replied + days(1))
    assert fresh(other).state == "concluded"
    assert S.petitions_sweep(today=replied + days(30))["concluded"] == 0
    assert S.petitions_sweep(today=replied + days(31))["concluded"] == 1
    assert fresh(p).state == "concluded"


def test_sweep_escalates_each_overdue_limit_once_and_closes_it_when_acted_on(world):
    p = register(world)
    assert S.petitions_sweep(today=D + days(15))["escalated"] == 0
    assert S.petitions_sweep(today=D + days(16))["escalated"] == 1
    assert S.petitions_sweep(today=D + days(17))["escalated"] == 0
    item = FollowUp.objects.get(kind=S.FOLLOWUP_KIND, source_id=str(p.pk))
    assert item.department == world["civil"] and item.state == "open"
    p = fresh(p)
    assert p.escalated_on == D + days(16)
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D + days(17))
    item.refresh_from_db()
    assert item.state == "done" and fresh(p).escalated_on is None
    assert S.petitions_sweep(today=D + days(17 + 61))["escalated"] == 1


def test_stale_version_is_refused(world):
    p = register(world)
    seen_by_other = Petition.objects.get(pk=p.pk)
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D)
    with pytest.raises(StaleVersion):
        S.petition_decline(actor=world["clerk"], petition=seen_by_other,
                           version=seen_by_other.version, note="x")
    assert fresh(p).state == "accepted"


def test_outsider_cannot_see_or_act(world):
    p = register(world)
    with pytest.raises(NotFound):
        selectors.petition_get(world["outsider"], pk=p.pk)
    with pytest.raises(PermissionDenied):
        S.petition_accept(actor=world["outsider"], petition=p, version=p.version)
    assert fresh(p).state == "registered"


def test_reading_a_petition_and_revealing_the_id_are_audited(world):
    p = register(world)
    selectors.petition_detail(world["handler"], pk=p.pk)
    assert AuditEntry.objects.filter(action="read", object_id=str(p.pk)).count() == 1
    assert S.petition_reveal(actor=world["handler"], petition=p, field="id_number") == \
        world["resident"].id_number
    assert AuditEntry.objects.filter(action="reveal", object_id=str(p.pk)).count() == 1


def test_public_submission_status_and_rating(world, client):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    with pytest.raises(ValidationFailed):  # the public gives a phone
        register(world, actor=anon, channel="online", petitioner_phone="")
    p = register(world, actor=anon, channel="online", received_on=None, today=D)
    assert p.channel == "online" and p.received_on == D
    with pytest.raises(NotFound):
        selectors.public_petition(reference=p.reference, id_number="110101198001011237")
    with pytest.raises(ValidationFailed):  # nothing to rate before the reply
        S.petition_rate_public(actor=anon, reference=p.reference,
                               id_number=world["resident"].id_number, satisfaction="satisfied")
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=D)
    p = fresh(p)
    S.petition_reply(actor=world["handler"], petition=p, version=p.version, reply="已处理",
                     today=D + days(3))
    S.petition_rate_public(actor=anon, reference=p.reference.lower(),
                           id_number=world["resident"].id_number, satisfaction="basic")
    assert fresh(p).satisfaction == "basic"
    with pytest.raises(ValidationFailed):
        S.petition_rate_public(actor=anon, reference=p.reference,
                               id_number=world["resident"].id_number, satisfaction="satisfied")


def test_staff_who_stepped_aside_cannot_decide(world):
    p = register(world)
    with pytest.raises(ValidationFailed):
        S.petition_recuse(actor=world["clerk"], petition=p, version=p.version, reason=" ")
    S.petition_recuse(actor=world["clerk"], petition=p, version=p.version,
                      reason="信访人是我的邻居")
    p = fresh(p)
    with pytest.raises(ValidationFailed) as error:
        S.petition_accept(actor=world["clerk"], petition=p, version=p.version)
    assert "stepped aside" in str(error.value.message)
    with pytest.raises(ValidationFailed):
        S.petition_assign(actor=world["clerk"], petition=p, version=p.version,
                          department=world["hrss"])
    S.petition_accept(actor=world["handler"], petition=p, version=p.version)
    assert fresh(p).state == "accepted"
    assert AuditEntry.objects.filter(object_id=str(p.pk), changes__recused__1="clerk").exists()
