"""School rolls: enrolment checks, moves with history, transfers, import."""

import datetime

import pytest
from openpyxl import Workbook

from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.education.models import DropoutCase, Enrolment
from minsheng.education.services import rolls
from tests import factories
from tests.education.conftest import TODAY, child, enrol


def test_enrol_ties_the_registry_person_and_audits(world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    assert e.person == kid and e.state == "enrolled" and e.sex == "M"
    assert e.birth_date == kid.birth_date
    assert AuditEntry.objects.filter(object_type="education.enrolment",
                                     object_id=str(e.pk), action="create").exists()


def test_invalid_id_or_disagreeing_birth_date_is_refused(world):
    kid = child(world["areas"]["c11"])
    bad = kid.id_number[:-1] + ("0" if kid.id_number[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as err:
        enrol(world, kid, id_number=bad)
    assert err.value.details["field"] == "id_number"
    with pytest.raises(ValidationFailed) as err:
        enrol(world, kid, birth_date=datetime.date(2016, 3, 11))
    assert err.value.details["field"] == "birth_date"
    assert Enrolment.objects.count() == 0


def test_a_child_cannot_be_on_two_rolls(world):
    kid = child(world["areas"]["c11"])
    enrol(world, kid)
    with pytest.raises(Conflict):
        enrol(world, kid, school_key="p2")
    assert Enrolment.objects.count() == 1


def test_grade_outside_the_school_and_full_school_are_refused(world):
    kid = child(world["areas"]["c11"])
    with pytest.raises(ValidationFailed) as err:
        enrol(world, kid, school_key="j1", grade=5)
    assert err.value.details["field"] == "grade"
    world["p1"].places = 1
    world["p1"].save()
    enrol(world, kid)
    other = child(world["areas"]["c11"], name="王小红", male=False)
    with pytest.raises(ValidationFailed) as err:
        enrol(world, other)
    assert err.value.details["field"] == "school"


def test_transfer_ends_one_entry_and_opens_the_next(world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    new = rolls.enrolment_transfer(actor=world["a"], enrolment=e, version=e.version,
                                   to_school=world["p2"], on=TODAY, today=TODAY)
    e.refresh_from_db()
    assert e.state == "transferred" and e.left_on == TODAY and e.transfer_to == world["p2"]
    assert new.school == world["p2"] and new.state == "enrolled" and new.intake_year == 2022


def test_transfer_to_no_school_or_a_full_one_changes_nothing(world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    with pytest.raises(ValidationFailed):
        rolls.enrolment_transfer(actor=world["a"], enrolment=e, version=e.version,
                                 to_school=None, today=TODAY)
    world["p2"].places = 1
    world["p2"].save()
    enrol(world, child(world["areas"]["c21"], name="赵一"), school_key="p2")
    with pytest.raises(ValidationFailed):
        rolls.enrolment_transfer(actor=world["a"], enrolment=e, version=e.version,
                                 to_school=world["p2"], today=TODAY)
    e.refresh_from_db()
    assert e.state == "enrolled" and Enrolment.objects.count() == 2


def test_moves_keep_dated_history(world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    rolls.enrolment_move(actor=world["a"], enrolment=e, action="suspend", version=e.version,
                         on=TODAY, note="病休", today=TODAY)
    rolls.enrolment_move(actor=world["a"], enrolment=e, action="resume", version=e.version,
                         today=TODAY)
    from minsheng.casework.workflow import timeline

    assert [ev.transition for ev in timeline(e)] == ["", "suspend", "resume"]
    assert e.state == "enrolled" and e.left_on is None


def test_reported_dropout_opens_a_case(world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    rolls.enrolment_move(actor=world["a"], enrolment=e, action="drop_out", version=e.version,
                         on=TODAY, today=TODAY)
    e.refresh_from_db()
    assert e.state == "dropped_out" and e.exit_reason == "dropped_out"
    case = DropoutCase.objects.get(person=kid)
    assert case.origin == "school" and case.state == "verifying"
    assert case.area == world["areas"]["c11"] and case.reported_enrolment == e


def _sheet(path, header, rows, merge=False):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells("A1:B1")
    wb.save(path)
    return path


HEADER = ["身份证号", "姓名", "性别", "年级", "班级", "入学年份", "入校日期"]


def test_import_reports_every_bad_row_and_imports_nothing(world, tmp_path):
    a, b = child(world["areas"]["c11"]), child(world["areas"]["c12"], name="周小")
    rows = [[a.id_number, a.name, "男", 5, "1班", 2022, "2022-09-01"],
            ["120199201603100000", "错号", "男", 5, "1班", 2022, "2022-09-01"],
            [b.id_number, b.name, "男", 15, "1班", 2022, "2022-09-01"]]
    with pytest.raises(rolls.RollImportRefused) as err:
        rolls.roll_import(actor=world["a"], school=world["p1"],
                          path=_sheet(tmp_path / "r.xlsx", HEADER, rows), today=TODAY)
    assert [r["line"] for r in err.value.details["rows"]] == [3, 4]
    assert Enrolment.objects.count() == 0


def test_import_refuses_merged_headers(world, tmp_path):
    with pytest.raises(ValidationFailed):
        rolls.roll_import(actor=world["a"], school=world["p1"], today=TODAY,
                          path=_sheet(tmp_path / "m.xlsx", HEADER, [], merge=True))
    assert Enrolment.objects.count() == 0


def test_import_of_a_good_roll(world, tmp_path):
    kids = [child(world["areas"]["c11"], name=f"孩{i}") for i in range(3)]
    stranger = factories.id_number(datetime.date(2016, 1, 2))  # valid, not in the registry
    rows = [[k.id_number, k.name, "男", 5, "2班", 2022, "2022-09-01"] for k in kids]
    rows.append([stranger, "外地生", "男", 5, "2班", 2022, "2022-09-01"])
    n = rolls.roll_import(actor=world["a"], school=world["p1"], today=TODAY,
                          path=_sheet(tmp_path / "ok.xlsx", HEADER, rows))
    assert n == 4
    assert Enrolment.objects.filter(person__isnull=True).count() == 1
