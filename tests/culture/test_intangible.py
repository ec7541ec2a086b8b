"""Intangible heritage: items, and inheritors through notice, recognition, evaluation and
revocation; one person is recognised once per item."""

import datetime

import pytest

from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.culture.models import Inheritor
from minsheng.culture.services import intangible as svc
from tests import factories
from tests.culture.conftest import D


@pytest.fixture
def item(world):
    return svc.item_create(actor=world["officer"], code="FY001", name="汉沽飞镲",
                           category="dance", level="municipal", area=world["areas"]["c11"],
                           protection_unit="甲一社区文化站", listed_on=datetime.date(2020, 6, 1),
                           today=D)


def nominate(world, item, number=None, today=D):
    return svc.inheritor_nominate(actor=world["officer"], item=item, name="王秀兰",
                                  id_number=number or factories.id_number(
                                      datetime.date(1956, 3, 4), male=False),
                                  subsidy=5000, today=today)


def test_the_full_course_from_nomination_to_revocation(world, item):
    person = nominate(world, item)
    assert person.birth_year == 1956
    svc.inheritor_act(actor=world["officer"], person=person, version=person.version,
                      action="publish_notice", today=D)
    assert person.notice_ends_on == D + datetime.timedelta(days=20)
    with pytest.raises(ValidationFailed, match="notice period"):
        svc.inheritor_act(actor=world["approver"], person=person, version=person.version,
                          action="recognise", today=D + datetime.timedelta(days=10))
    after = D + datetime.timedelta(days=21)
    svc.inheritor_act(actor=world["approver"], person=person, version=person.version,
                      action="recognise", today=after)
    assert person.state == "recognised" and person.recognised_on == after
    svc.evaluation_record(actor=world["officer"], person=person, year=2026, apprentices=3,
                          shows=5, grade="fail", today=datetime.date(2026, 12, 30))
    with pytest.raises(ValidationFailed):
        svc.evaluation_record(actor=world["officer"], person=person, year=2026, apprentices=1,
                              shows=1, grade="pass", today=datetime.date(2026, 12, 30))
    with pytest.raises(ValidationFailed):  # a reason is needed
        svc.inheritor_act(actor=world["approver"], person=person, version=person.version,
                          action="revoke", reason="")
    svc.inheritor_act(actor=world["approver"], person=person, version=person.version,
                      action="revoke", reason="无正当理由不履行传承义务", today=after)
    assert person.state == "revoked"


def test_an_inheritor_recognised_twice_for_one_item_is_refused(world, item):
    number = factories.id_number(datetime.date(1960, 1, 1))
    person = nominate(world, item, number)
    with pytest.raises(ValidationFailed) as error:
        nominate(world, item, number)
    assert error.value.details["field"] == "id_number"
    assert Inheritor.objects.filter(item=item).count() == 1
    # after a rejection the person may be nominated again
    svc.inheritor_act(actor=world["approver"], person=person, version=person.version,
                      action="reject", reason="材料不全")
    assert nominate(world, item, number).state == "nominated"


def test_the_database_also_refuses_a_second_live_nomination(world, item):
    from django.db import IntegrityError, transaction

    person = nominate(world, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inheritor.objects.create(item=item, name="x", id_number=person.id_number,
                                 birth_year=1956, nominated_on=D)


def test_bad_id_number_and_permissions(world, item):
    with pytest.raises(ValidationFailed) as error:
        nominate(world, item, "120101195613041234")
    assert error.value.details["field"] == "id_number"
    with pytest.raises(PermissionDenied):
        svc.inheritor_nominate(actor=world["planner"], item=item, name="x",
                               id_number=factories.id_number(), today=D)
    person = nominate(world, item)
    with pytest.raises(PermissionDenied):  # caseworkers do not recognise
        svc.inheritor_act(actor=world["officer"], person=person, version=person.version,
                          action="reject", reason="x")
