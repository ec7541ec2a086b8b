"""The disability certificate register: the service, the all-or-nothing import, and the
fact `core.disabled` other modules read."""

import datetime

import pytest

from minsheng.core import facts, services
from minsheng.core.access import system_actor
from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.core.models import AuditEntry, DisabilityCertificate, Person
from minsheng.core.services.imports import import_disabilities
from minsheng.core.tabular import csv_bytes
from tests import factories

D = datetime.date
HEADER = ["身份证号", "残疾人证号", "残疾类别", "残疾等级", "发证日期", "有效期至"]


@pytest.fixture
def caseworker(areas):
    return factories.actor("cw", "caseworker", areas["s1"])


def test_certificate_is_recorded_with_the_national_number_and_audited(areas, caseworker):
    person = factories.person(areas["c11"])
    certificate = services.disability_certificate_create(
        actor=caseworker, person=person, category=4, grade=2, issued_on=D(2022, 5, 1),
        valid_until=D(2032, 4, 30))
    assert certificate.number == person.id_number + "42"
    entry = AuditEntry.objects.get(object_type="core.disabilitycertificate")
    assert entry.action == "create" and entry.actor_name == "cw"
    assert person.id_number not in str(entry.changes)  # the number holds the ID: not logged


def test_certificate_number_must_match_holder_category_and_grade(areas, caseworker):
    person = factories.person(areas["c11"])
    with pytest.raises(ValidationFailed, match="ID number followed by"):
        services.disability_certificate_create(
            actor=caseworker, person=person, category=4, grade=2, issued_on=D(2022, 5, 1),
            number=person.id_number + "41")
    services.disability_certificate_create(
        actor=caseworker, person=person, category=4, grade=2, issued_on=D(2022, 5, 1),
        number=(person.id_number + "42").lower())
    with pytest.raises(Conflict):  # the same certificate twice
        services.disability_certificate_create(
            actor=caseworker, person=person, category=4, grade=2, issued_on=D(2022, 5, 1))
    # a renewal: same number, new issue date
    services.disability_certificate_create(
        actor=caseworker, person=person, category=4, grade=2, issued_on=D(2023, 4, 1))
    assert DisabilityCertificate.objects.count() == 2


def test_certificates_outside_scope_or_without_permission_are_refused(areas, caseworker):
    outside = factories.person(areas["c21"])
    with pytest.raises(PermissionDenied):
        services.disability_certificate_create(actor=caseworker, person=outside, category=1,
                                               grade=1, issued_on=D(2022, 1, 1))
    reviewer = factories.actor("rv", "reviewer", areas["s1"])
    with pytest.raises(PermissionDenied):
        services.disability_certificate_create(
            actor=reviewer, person=factories.person(areas["c11"]), category=1, grade=1,
            issued_on=D(2022, 1, 1))
    assert not DisabilityCertificate.objects.exists()


def test_disabled_fact_holds_while_a_certificate_is_valid(areas, caseworker):
    person = factories.person(areas["c11"])
    services.disability_certificate_create(actor=caseworker, person=person, category=6,
                                           grade=3, issued_on=D(2015, 3, 1),
                                           valid_until=D(2025, 2, 28))
    assert "core.disabled" in facts.FACTS
    assert facts.of(caseworker, person, ["core.disabled"], on=D(2020, 1, 1))[
        "core.disabled"].holds
    value = facts.of(caseworker, person, ["core.disabled"], on=D(2025, 3, 1))["core.disabled"]
    assert not value.holds
    assert not facts.of(caseworker, person, ["core.disabled"], on=D(2015, 2, 28))[
        "core.disabled"].holds
    # renewed without an end date: holds from then on
    services.disability_certificate_create(actor=caseworker, person=person, category=6,
                                           grade=3, issued_on=D(2025, 3, 1))
    value = facts.of(caseworker, person, ["core.disabled"], on=D(2040, 1, 1))["core.disabled"]
    assert value.holds and value.since == D(2025, 3, 1) and value.until is None
    other = factories.person(areas["c11"])
    found = facts.filter_people(caseworker, Person.objects.all(), "core.disabled",
                                on=D(2026, 1, 1))
    assert list(found) == [person] and other not in found
    assert set(Person.objects.filter(pk__in=facts.holder_ids("core.disabled", D(2024, 1, 1)))
               ) == {person}


def write(tmp_path, rows):
    path = tmp_path / "disabilities.csv"
    path.write_bytes(csv_bytes(HEADER, rows))
    return path


def test_import_is_all_or_nothing_and_reports_every_bad_row(areas, tmp_path):
    a = factories.person(areas["c11"])
    b = factories.person(areas["c21"])
    stranger = factories.id_number()
    rows = [
        [a.id_number, "", "肢体", "二级", "2020-01-02", "2030-01-01"],         # line 2 ok
        [b.id_number, b.id_number + "11", "视力残疾", "1", "2019/05/06", "长期"],  # line 3 ok
        [a.id_number, "", "飞行", "二级", "2020-01-02", ""],                    # 4 category
        [a.id_number, "", "听力", "五级", "2020-01-02", ""],                    # 5 grade
        [a.id_number, "", "听力", "一级", "2020-13-02", ""],                    # 6 date
        [stranger, "", "听力", "一级", "2020-01-02", ""],                       # 7 unknown
        [a.id_number, a.id_number + "99", "听力", "一级", "2020-01-02", ""],   # 8 number
        [a.id_number, "", "肢体", "二级", "2020-01-02", ""],                    # 9 twice
        [a.id_number, "", "言语", "3", "2020-01-02", "2019-01-01"],             # 10 ends early
    ]
    report = import_disabilities(actor=system_actor(), path=write(tmp_path, rows))
    assert not report.ok and report.imported == 0
    lines = {e.line for e in report.errors}
    assert lines == {4, 5, 6, 7, 8, 9, 10}, report.as_dict()
    assert not DisabilityCertificate.objects.exists()
    good = write(tmp_path, rows[:2])
    report = import_disabilities(actor=system_actor(), path=good)
    assert report.ok and report.imported == 2, report.as_dict()
    assert DisabilityCertificate.objects.get(person=b).valid_until is None
    assert AuditEntry.objects.filter(action="import",
                                     object_type="core.disabilities").count() == 1
    again = import_disabilities(actor=system_actor(), path=good)
    assert [e.reason for e in again.errors] == ["already registered in the database"] * 2


def test_import_only_reaches_people_in_the_importers_area(areas, tmp_path):
    admin = factories.actor("da", "department_admin", areas["s1"])
    outside = factories.person(areas["c21"])
    report = import_disabilities(actor=admin, path=write(
        tmp_path, [[outside.id_number, "", "肢体", "二级", "2020-01-02", ""]]))
    assert [e.reason for e in report.errors] == [
        "no person with this ID is registered in your area"]
    assert not DisabilityCertificate.objects.exists()


def test_import_refuses_a_missing_column(areas, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes(["身份证号", "残疾类别"], [["x", "肢体"]]))
    report = import_disabilities(actor=system_actor(), path=path)
    assert "残疾等级" in report.message and report.imported == 0
