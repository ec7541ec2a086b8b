"""The auditor's person-level access report (PIPL): every audit entry about a resident's
records in any module, found without the module declaring anything."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client

from minsheng.assistance import services as assistance
from minsheng.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setting(areas):
    mother = factories.person(areas["c11"], "周梅", datetime.date(1970, 2, 3), male=False,
                              phone="13911112222")
    son = factories.person(areas["c11"], "周强", datetime.date(1999, 4, 5))
    factories.household(areas["c11"], [(mother, "head"), (son, "child")])
    stranger = factories.person(areas["c12"], "吴某")
    caseworker = factories.actor("cw", "caseworker", areas["s1"])
    case, _ = assistance.dibao_apply(
        actor=caseworker, channel="office", applicant_id_number=mother.id_number,
        applicant_name=mother.name, members=[
            {"id_number": mother.id_number, "income": {}, "authorised": True},
            {"id_number": son.id_number, "income": {}, "authorised": True}])
    admin = login(factories.user("admin", "system_admin", areas["district"]))
    admin.post(f"/people/{son.pk}/reveal/id_number/")
    admin.post(f"/people/{stranger.pk}/reveal/id_number/")
    return {"son": son, "case": case, "stranger": stranger,
            "auditor": login(factories.user("au", "auditor", areas["district"])),
            "caseworker": login(caseworker.user)}


def test_the_report_finds_the_person_in_every_record(setting):
    son = setting["son"]
    r = setting["auditor"].post("/audit/person/", {"id_number": son.id_number})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="subject">周强' in html
    # the case he is a member of (not its applicant), and the reveal of his ID number
    assert f"assistance.dibaocase #{setting['case'].pk}" in html
    assert f"core.person #{son.pk}" in html and "查看个人敏感信息" in html
    assert f"core.person #{setting['stranger'].pk}" not in html
    # the ID number stays out of the URL, and looking is recorded
    assert AuditEntry.objects.filter(action="read", object_id=str(son.pk),
                                     actor_name="au").exists()


def test_the_report_exports_to_xlsx(setting):
    r = setting["auditor"].post("/audit/person/", {"id_number": setting["son"].id_number,
                                                   "xlsx": "1"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    assert any(f"#{setting['case'].pk}" in str(row[4]) for row in rows[1:])
    assert AuditEntry.objects.filter(action="export", actor_name="au").exists()


def test_only_auditors_see_it_and_bad_input_is_kept(setting):
    son = setting["son"]
    assert setting["caseworker"].post("/audit/person/",
                                      {"id_number": son.id_number}).status_code == 403
    bad = setting["auditor"].post("/audit/person/", {"id_number": "12345"})
    assert bad.status_code == 422 and 'value="12345"' in bad.content.decode()
    unknown = factories.id_number(datetime.date(1950, 1, 1), True)
    r = setting["auditor"].post("/audit/person/", {"id_number": unknown})
    assert r.status_code == 422 and "没有" in r.content.decode()
