"""Enforcement cases: clue -> filed within 15 working days -> decided within 90 days;
a decision counts in the grade; bad dates refused; the page shows both clocks."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.foodsafety.services import enforcement as enf

TODAY = datetime.date.today()


def test_case_from_clue_to_decision_raises_the_grade(food):
    o1 = food["o1"]
    case = enf.case_open(actor=food["staff"], operator=o1, clue="超范围经营冷食类",
                         found_on=TODAY - datetime.timedelta(days=3))
    assert case.number.startswith("ZF") and case.state == "clue"
    with pytest.raises(ValidationFailed):  # filed before the clue was found
        enf.case_file(actor=food["staff"], case=case, version=case.version,
                      filed_on=TODAY - datetime.timedelta(days=10))
    enf.case_file(actor=food["staff"], case=case, version=case.version, filed_on=TODAY)
    case.refresh_from_db()
    assert case.state == "filed"
    grade_before = o1.assessments.first().dynamic_points
    enf.case_decide(actor=food["staff"], case=case, version=case.version, decided_on=TODAY,
                    decision="警告并罚款", fine=Decimal("5000"))
    case.refresh_from_db()
    assert case.state == "decided" and case.closed_at is not None
    assert o1.assessments.first().dynamic_points == grade_before + 10


def test_dismissal_needs_a_reason_and_other_departments_cannot_act(food, areas):
    from tests import factories as f

    case = enf.case_open(actor=food["staff"], operator=food["o1"], clue="举报", found_on=TODAY)
    with pytest.raises(ValidationFailed):
        enf.case_dismiss(actor=food["staff"], case=case, version=case.version, note=" ")
    other = f.actor("mz", "caseworker", areas["district"], department=food["civil"])
    with pytest.raises(PermissionDenied):
        enf.case_dismiss(actor=other, case=case, version=case.version, note="无违法事实")
    case.refresh_from_db()
    assert case.state == "clue"


def test_case_page_files_and_shows_the_clocks(food):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(food["staff"].user)
    r = c.post(reverse("foodsafety:case_open", args=[food["o1"].pk]),
               {"clue": "现场发现过期食品", "found_on": TODAY.isoformat()})
    assert r.status_code == 302
    url = r["Location"]
    page = c.get(url).content.decode()
    assert "决定是否立案（15个工作日）" in page
    case_pk = int(url.rstrip("/").split("/")[-1])
    r = c.post(reverse("foodsafety:case_action", args=[case_pk, "file"]),
               {"version": 1, "filed_on": "不是日期"})
    assert r.status_code == 422
    r = c.post(reverse("foodsafety:case_action", args=[case_pk, "file"]),
               {"version": 1, "filed_on": TODAY.isoformat()})
    assert r.status_code == 302
    page = c.get(url).content.decode()
    assert "处罚决定" in page and "已立案" in page
