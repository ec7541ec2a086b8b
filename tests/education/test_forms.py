"""Bad input on every form: a clear message where the user is (422), the input kept,
nothing changed."""

import datetime

import pytest
from django.test import Client

from minsheng.education.models import DropoutCase, Enrolment, School
from minsheng.education.services import dropout
from tests import factories
from tests.education.conftest import TODAY, child, enrol


@pytest.fixture
def client(world):
    c = Client()
    c.force_login(world["bureau"])
    return c


def test_enrol_with_a_bad_id_keeps_the_input(client, world):
    r = client.post(f"/education/schools/{world['p1'].pk}/enrol/", {
        "id_number": "120199201603100001", "name": "错号生", "grade": 5, "intake_year": 2022})
    assert r.status_code == 422
    body = r.content.decode()
    assert "校验位" in body and 'value="错号生"' in body
    assert Enrolment.objects.count() == 0


def test_enrol_with_a_disagreeing_birth_date(client, world):
    kid = child(world["areas"]["c11"])
    r = client.post(f"/education/schools/{world['p1'].pk}/enrol/", {
        "id_number": kid.id_number, "name": kid.name, "birth_date": "2016-03-11", "grade": 5,
        "intake_year": 2022})
    assert r.status_code == 422 and "不符" in r.content.decode()
    assert Enrolment.objects.count() == 0


def test_enrol_with_nonsense_numbers(client, world):
    r = client.post(f"/education/schools/{world['p1'].pk}/enrol/", {
        "id_number": "x", "name": "", "grade": "ninety", "intake_year": -1})
    assert r.status_code == 422 and Enrolment.objects.count() == 0


def test_a_second_enrolment_is_refused_in_place(client, world):
    kid = child(world["areas"]["c11"])
    enrol(world, kid)
    r = client.post(f"/education/schools/{world['p2'].pk}/enrol/", {
        "id_number": kid.id_number, "name": kid.name, "grade": 5, "intake_year": 2022})
    assert r.status_code == 422 and "转学" in r.content.decode()
    assert Enrolment.objects.count() == 1


def test_transfer_to_a_school_that_does_not_exist(client, world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    r = client.post(f"/education/rolls/{e.pk}/transfer/", {"version": e.version,
                                                            "to_school": 99999})
    assert r.status_code == 422
    e.refresh_from_db()
    assert e.state == "enrolled" and Enrolment.objects.count() == 1


def test_a_stale_version_is_refused(client, world):
    kid = child(world["areas"]["c11"])
    e = enrol(world, kid)
    r = client.post(f"/education/rolls/{e.pk}/suspend/", {"version": e.version + 5,
                                                           "note": "病休"})
    assert r.status_code == 422 and "病休" in r.content.decode()
    e.refresh_from_db()
    assert e.state == "enrolled"


def test_import_without_a_file_or_with_a_wrong_type(client, world):
    r = client.post(f"/education/schools/{world['p1'].pk}/import/", {})
    assert r.status_code == 422
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(f"/education/schools/{world['p1'].pk}/import/",
                    {"file": SimpleUploadedFile("roll.pdf", b"%PDF")})
    assert r.status_code == 422 and Enrolment.objects.count() == 0


def test_import_lists_bad_rows_on_the_page(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "身份证号,姓名,年级,入学年份\n120199201603100001,错号,5,2022\n".encode()
    r = client.post(f"/education/schools/{world['p1'].pk}/import/",
                    {"file": SimpleUploadedFile("roll.csv", content)})
    assert r.status_code == 422
    assert 'id="bad-rows"' in r.content.decode() and Enrolment.objects.count() == 0


def _case(world):
    child(world["areas"]["c11"], name="失学生")
    dropout.rolls_match(actor=world["a"], area=world["areas"]["district"], on=TODAY)
    return DropoutCase.objects.get()


def test_confirm_out_without_a_cause_keeps_the_officers(client, world):
    case = _case(world)
    r = client.post(f"/education/cases/{case.pk}/confirm_out/", {
        "version": case.version, "cause": "", "school_officer": "王校长",
        "street_officer": "李社工"})
    assert r.status_code == 422 and "王校长" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "verifying"


def test_return_and_write_off_without_a_roll_entry(client, world):
    case = _case(world)
    dropout.case_act(actor=world["a"], case=case, action="confirm_out", version=case.version,
                     cause="economic", school_officer="王", street_officer="李", today=TODAY)
    r = client.post(f"/education/cases/{case.pk}/return/", {"version": case.version})
    assert r.status_code == 422
    r = client.post(f"/education/cases/{case.pk}/return/", {"version": case.version,
                                                            "enrolment": 424242})
    assert r.status_code == 422 and "没有该学籍记录" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "visiting"


def test_register_a_school_twice_or_with_a_wrong_stage(client, world):
    org = factories.organization(world["areas"]["s1"], "丙小学", "school")
    r = client.post("/education/schools/new/", {
        "organization": org.pk, "stage": "kindergarten", "sponsorship": "public",
        "places": 10, "classes": 1, "teachers": 2, "qualified_teachers": 3})
    assert r.status_code == 422
    assert not School.objects.filter(organization=org).exists()
    r = client.post("/education/schools/new/", {
        "organization": world["p1"].organization_id, "stage": "primary",
        "sponsorship": "public", "places": 10, "classes": 1, "teachers": 2,
        "qualified_teachers": 1})
    assert r.status_code == 422  # already registered: not offered


def test_match_with_an_unknown_area(client, world):
    r = client.post("/education/match/", {"area": "999999"})
    assert r.status_code == 422


def test_figure_with_a_bad_year(client, world):
    r = client.get("/education/figures/compulsory_cohort/?year=abc")
    assert r.status_code == 422
    assert client.get("/education/figures/nothing/?year=2026").status_code == 404


def test_aid_for_a_family_without_a_fact_is_refused_in_place(client, world):
    kid = child(world["areas"]["c11"], name="园生", birth=datetime.date(2022, 4, 4))
    e = enrol(world, kid, school_key="k1", grade=2, intake=2025)
    r = client.post(f"/education/rolls/{e.pk}/aid/apply/")
    assert r.status_code == 422 and "低保" in r.content.decode()
