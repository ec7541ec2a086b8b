"""Dropout control: the registry comparison on the linkage engine, the case steps with
their clocks, write-off only on a roll entry, escalation."""

import datetime

import pytest

from minsheng.casework.models import FollowUp
from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import id_check_digit
from minsheng.education.models import DropoutCase, Enrolment
from minsheng.education.services import dropout
from tests.education.conftest import TODAY, child, enrol

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵浩然欣怡梓轩雨桐宇航诗琪俊杰佳怡博文"


def _class(world, n=60):
    kids = []
    for i in range(n):
        birth = datetime.date(2014 + i % 4, 1 + i % 12, 1 + i % 27)
        kid = child(world["areas"]["c11" if i % 2 else "c12"],
                    name=SURNAMES[i % 20] + GIVEN[i % 16] + GIVEN[(i * 7) % 16],
                    birth=birth, male=bool(i % 2))
        kids.append(kid)
    return kids


def _mistyped(number):
    body = number[:14] + str((int(number[14]) + 3) % 10) + number[15:17]
    return body + id_check_digit(body)


def test_children_off_every_roll_become_cases_once(world):
    kids = _class(world, 12)
    for kid in kids[:10]:
        enrol(world, kid, grade=4, intake=2023)
    run = dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    assert run.children == 12 and run.exact == 10
    assert set(DropoutCase.objects.values_list("person_id", flat=True)) == {
        kids[10].pk, kids[11].pk}
    case = DropoutCase.objects.get(person=kids[10])
    assert case.state == "verifying" and case.origin == "registry" and case.number.startswith(
        "KC2026")
    again = dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    assert again.opened == 0 and DropoutCase.objects.count() == 2


def test_a_mistyped_roll_entry_is_suggested_for_a_person_to_confirm(world):
    kids = _class(world, 60)
    for kid in kids[1:]:
        enrol(world, kid, grade=4, intake=2023)
    from minsheng.education.services import rolls

    typo = rolls.enrolment_create(actor=world["a"], school=world["p2"], today=TODAY,
                                  id_number=_mistyped(kids[0].id_number), name=kids[0].name,
                                  grade=4, intake_year=2023,
                                  entry_date=datetime.date(2023, 9, 1))
    assert typo.person is None
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    case = DropoutCase.objects.get(person=kids[0])
    assert case.suggested == typo and case.match_probability >= 0.9
    assert "ID" in case.explanation
    dropout.case_act(actor=world["a"], case=case, action="confirm_on_roll",
                     version=case.version, note="同一人", today=TODAY)
    typo.refresh_from_db()
    assert case.state == "on_roll" and case.closed_at is not None
    assert typo.person == kids[0]


def test_the_steps_to_a_write_off(world):
    kid = child(world["areas"]["c11"])
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    case = DropoutCase.objects.get(person=kid)
    a = world["a"]
    with pytest.raises(ValidationFailed) as err:
        dropout.case_act(actor=a, case=case, action="confirm_out", version=case.version,
                         cause="unknown", school_officer="王", street_officer="李", today=TODAY)
    assert err.value.details["field"] == "cause"
    with pytest.raises(ValidationFailed) as err:
        dropout.case_act(actor=a, case=case, action="confirm_out", version=case.version,
                         cause="truancy", school_officer="", street_officer="李", today=TODAY)
    assert err.value.details["field"] == "school_officer"
    dropout.case_act(actor=a, case=case, action="confirm_out", version=case.version,
                     cause="truancy", school_officer="王校长", street_officer="李社工",
                     today=TODAY)
    assert case.state == "visiting" and case.cause == "truancy"
    clock = dropout.case_clock(case)
    assert clock.start == TODAY and clock.limit == 10
    dropout.case_act(actor=a, case=case, action="visit", version=case.version,
                     note="家访", today=TODAY)
    with pytest.raises(ValidationFailed) as err:  # not back on any roll yet
        dropout.case_act(actor=a, case=case, action="return", version=case.version,
                         today=TODAY)
    assert err.value.details["field"] == "enrolment"
    assert case.state == "persuading"
    back = enrol(world, kid, grade=5, intake=2022, entry_date=TODAY)
    dropout.case_act(actor=a, case=case, action="return", version=case.version, today=TODAY)
    assert case.state == "observing" and case.returned_on == TODAY
    assert case.returned_to == back
    with pytest.raises(ValidationFailed):  # still under observation
        dropout.case_act(actor=a, case=case, action="write_off", version=case.version,
                         today=TODAY + datetime.timedelta(days=30))
    later = TODAY + datetime.timedelta(days=95)
    dropout.case_act(actor=a, case=case, action="write_off", version=case.version,
                     today=later)
    assert case.state == "written_off" and case.closed_at is not None


def test_no_write_off_without_a_roll_entry(world):
    kid = child(world["areas"]["c11"])
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    case = DropoutCase.objects.get(person=kid)
    a = world["a"]
    dropout.case_act(actor=a, case=case, action="confirm_out", version=case.version,
                     cause="economic", school_officer="王", street_officer="李", today=TODAY)
    e = enrol(world, kid, entry_date=TODAY)
    dropout.case_act(actor=a, case=case, action="return", version=case.version, today=TODAY)
    from minsheng.education.services import rolls

    rolls.enrolment_move(actor=a, enrolment=e, action="drop_out", version=e.version,
                         today=TODAY + datetime.timedelta(days=20))
    later = TODAY + datetime.timedelta(days=100)
    with pytest.raises(ValidationFailed) as err:
        dropout.case_act(actor=a, case=case, action="write_off", version=case.version,
                         today=later)
    assert err.value.details["field"] == "enrolment"
    case.refresh_from_db()
    assert case.state == "observing"


def test_late_steps_are_escalated_once(world):
    child(world["areas"]["c11"])
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    assert dropout.cases_escalate(today=TODAY + datetime.timedelta(days=3)) == 0
    assert dropout.cases_escalate(today=TODAY + datetime.timedelta(days=20)) == 1
    assert dropout.cases_escalate(today=TODAY + datetime.timedelta(days=21)) == 0
    item = FollowUp.objects.get(kind="education_dropout")
    assert item.department == world["dept"] and item.area == world["areas"]["c11"]
    assert DropoutCase.objects.get().escalated


def test_compulsory_age_follows_the_cutoff(world):
    too_young = child(world["areas"]["c11"], name="小一", birth=datetime.date(2020, 9, 1))
    six = child(world["areas"]["c11"], name="小二", birth=datetime.date(2020, 8, 31))
    too_old = child(world["areas"]["c11"], name="小三", birth=datetime.date(2011, 8, 31))
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    people = set(DropoutCase.objects.values_list("person_id", flat=True))
    assert six.pk in people and too_young.pk not in people and too_old.pk not in people
    assert Enrolment.objects.count() == 0
