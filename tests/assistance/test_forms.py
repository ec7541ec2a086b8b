"""Bad input on every page form: the form comes back (422) with the message and what the
user typed, nothing changes, and never a server error."""

import re

import pytest
from django.test import Client

from minsheng.assistance.models import (
    DibaoCase,
    FraudRecovery,
    JobOfferRefusal,
    PaymentRoster,
    SpotCheckDraw,
    TekunCase,
    TemporaryGrant,
)
from tests import factories
from tests.assistance.conftest import public_apply
from tests.assistance.test_access_matrix import records

pytestmark = pytest.mark.django_db
HUGE = "9" * 30
KEPT = "留着的输入"


@pytest.fixture
def r(areas):
    from minsheng.core.access import system_actor
    from minsheng.core.services import calendar_year_confirm

    calendar_year_confirm(actor=system_actor(), year=2027, source="test: weekdays only")
    return records(areas["c11"], areas["s1"], tag="表")


@pytest.fixture
def admin(areas):
    client = Client()
    client.force_login(factories.user("admin", "system_admin", areas["district"]))
    return client


def refused(response, *kept):
    html = response.content.decode()
    assert response.status_code == 422, (response.status_code, html[:300])
    assert 'id="form-error"' in html, html[:300]
    for text in kept:
        assert text in html, text
    return re.search(r'id="form-error">(.*?)</div>', html, re.S).group(1)


def unchanged(record):
    before = (getattr(record, "state", None), getattr(record, "version", None))
    record.refresh_from_db()
    return before == (getattr(record, "state", None), getattr(record, "version", None))


def application(person, **extra):
    return {"applicant_name": person.name, "applicant_id_number": person.id_number,
            "m0_id": person.id_number, "m0_wages": "100", "m0_authorised": "on",
            "reason": KEPT, **extra}


BAD_APPLICATIONS = [{"m0_wages": "abc"}, {"m0_properties": HUGE}, {"m0_deposits": "1e999"},
                    {"m0_wages": "-5"}, {"single_person": "nonsense"}]


@pytest.mark.parametrize("bad", BAD_APPLICATIONS)
def test_office_application_form(admin, areas, bad):
    person = factories.person(areas["c11"], "李四")
    factories.household(areas["c11"], [(person, "head")])
    refused(admin.post("/assistance/office/new/", application(person, **bad)), KEPT,
            person.id_number)
    assert not DibaoCase.objects.exists()


@pytest.mark.parametrize("bad", [*BAD_APPLICATIONS, {"code": "12ab56"}, {"code": HUGE}])
def test_public_application_form(client, areas, bad):
    person = factories.person(areas["c11"], "李四", phone="13900002222")
    factories.household(areas["c11"], [(person, "head")])
    refused(public_apply(client, person, application(person, **bad)), KEPT, person.name)
    assert not DibaoCase.objects.exists()


@pytest.mark.parametrize("bad", [{"applicant_id_number": "110105198001011234"},
                                 {"applicant_id_number": HUGE}, {"applicant_name": "名" * 61}])
def test_public_identify_form(client, bad):
    data = {"applicant_name": "李四", "applicant_id_number": "11010519491231002X", **bad}
    response = client.post("/assistance/apply/", data)
    assert response.status_code == 422
    assert list(bad.values())[0][:18] in response.content.decode()


def test_public_status_needs_both_fields(client):
    response = client.post("/assistance/apply/status/", {"reference": "DBX"})
    assert response.status_code == 422 and 'value="DBX"' in response.content.decode()


@pytest.mark.parametrize("version", ["abc", HUGE, "-1", ""])
def test_case_actions_with_bad_versions(admin, r, version):
    case = r["case"]
    refused(admin.post(f"/assistance/cases/{case.pk}/act/accept/",
                       {"version": version, "related_note": KEPT}), KEPT)
    refused(admin.post(f"/assistance/cases/{case.pk}/act/withdraw/",
                       {"version": version, "note": KEPT}), KEPT)
    refused(admin.post(f"/assistance/cases/{case.pk}/act/extend/",
                       {"version": version, "reason": KEPT}))
    assert unchanged(case)


def test_case_action_refusals_keep_the_input(admin, r):
    case = r["case"]
    admin.post(f"/assistance/cases/{case.pk}/act/accept/", {"version": case.version})
    case.refresh_from_db()
    message = refused(admin.post(f"/assistance/cases/{case.pk}/act/start_investigation/", {
        "version": case.version, "investigators": "李明", "home_visit_note": KEPT}), KEPT)
    assert "2" in message  # at least 2 investigators, on the field
    assert unchanged(case)
    stale = refused(admin.post(f"/assistance/cases/{case.pk}/act/start_investigation/", {
        "version": case.version - 1, "investigators": "李明,赵强", "home_visit_note": KEPT}),
        KEPT)
    assert "重新" in stale or "Reload" in stale
    assert unchanged(case)
    refused(admin.post(f"/assistance/cases/{case.pk}/act/authorise/", {"person_id": "x"}))
    refused(admin.post(f"/assistance/cases/{case.pk}/act/authorise/", {"person_id": HUGE}))
    assert admin.post(f"/assistance/cases/{case.pk}/act/nonsense/",
                      {"version": case.version}).status_code == 404


@pytest.mark.parametrize("data", [{"status": "bogus"}, {"version": "x"}, {"version": HUGE},
                                  {"status": "dismissed", "resolution": ""}])
def test_finding_form(admin, r, data):
    finding = r["finding"]
    body = {"version": finding.version, "status": "confirmed", "resolution": KEPT, **data}
    refused(admin.post(f"/assistance/findings/{finding.pk}/resolve/", body))
    assert unchanged(finding)


@pytest.mark.parametrize("data", [{"month": "2026-13"}, {"month": "x"}, {"area": "nope"},
                                  {"month": ""}])
def test_roster_form(admin, areas, data):
    body = {"area": areas["s1"].code, "month": "2026-11", **data}
    refused(admin.post("/assistance/payments/new/", body))
    assert not PaymentRoster.objects.exists()


@pytest.mark.parametrize("data", [{"version": "x"}, {"version": HUGE}, {"reason": ""}])
def test_payment_returned_form(admin, r, data):
    line = r["line"]
    body = {"version": line.version, "reason": KEPT, **data}
    refused(admin.post(f"/assistance/payments/lines/{line.pk}/returned/", body))
    assert unchanged(line)


@pytest.mark.parametrize("name,data", [
    ("exit", {"version": "x", "reason": KEPT}), ("exit", {"version": HUGE, "reason": KEPT}),
    ("exit", {"reason": ""}),
    ("review_trigger", {"version": "-3", "reason": KEPT}),
    ("fraud", {"amount": "abc", "fine_factor": "2", "note": KEPT}),
    ("fraud", {"amount": "1000", "fine_factor": "9999", "note": KEPT}),
    ("fraud", {"amount": HUGE, "fine_factor": "2", "note": KEPT}),
    ("fraud", {"amount": "1000", "fine_factor": "5", "note": KEPT}),
    ("job_refusal", {"member": "x", "job": KEPT}), ("job_refusal", {"member": HUGE, "job": KEPT}),
    ("job_refusal", {"member": "999999", "job": KEPT}),
    ("job_refusal", {"job": ""}),
])
def test_benefit_forms(admin, r, name, data):
    benefit = r["benefit"]
    body = {"version": benefit.version, **data}
    if data == {"job": ""}:  # a member of the household, no job named: kept in the row
        body["member"] = benefit.benefit_members.get().pk
    kept = [KEPT] if KEPT in data.values() and name != "job_refusal" else []
    refused(admin.post(f"/assistance/benefits/{benefit.pk}/act/{name}/", body), *kept)
    assert unchanged(benefit)
    assert not FraudRecovery.objects.exists() and not JobOfferRefusal.objects.exists()


@pytest.mark.parametrize("data", [{"amount": "abc"}, {"amount": HUGE},
                                  {"per_capita_income": "x", "kind": "expenditure"},
                                  {"kind": "bogus"}, {"amount": "-3"},
                                  {"applicant_id_number": "123"}])
def test_temporary_form(admin, r, data):
    head = r["case"].applicant
    body = {"kind": "emergency", "applicant_id_number": head.id_number, "cause": "火灾",
            "amount": "1000", "description": KEPT, **data}
    refused(admin.post("/assistance/temporary/new/", body), KEPT)
    assert TemporaryGrant.objects.count() == 1  # the one of the fixture


def test_temporary_actions_and_level(admin, r):
    grant = r["grant"]
    admin.post(f"/assistance/temporary/{grant.pk}/act/investigate/", {"version": grant.version})
    grant.refresh_from_db()
    assert grant.state == "investigating"
    refused(admin.post(f"/assistance/temporary/{grant.pk}/act/refuse/",
                       {"version": grant.version, "note": ""}))
    refused(admin.post(f"/assistance/temporary/{grant.pk}/act/refuse/",
                       {"version": "x", "note": KEPT}), KEPT)
    refused(admin.post(f"/assistance/temporary/{grant.pk}/act/investigate/",
                       {"version": HUGE}))
    assert unchanged(grant)
    level = admin.get("/assistance/temporary/level/", {"amount": "abc"})
    assert level.status_code == 200 and "badge bad" in level.content.decode()


@pytest.mark.parametrize("data", [{"disability_grade": "abc"}, {"disability_grade": HUGE},
                                  {"monthly_income": "x"}, {"support_mode": "moon"},
                                  {"disability_kind": "bogus"}, {"id_number": ""}])
def test_tekun_form(admin, areas, data):
    elder = factories.person(areas["c11"], "孙老汉")
    body = {"id_number": elder.id_number, "monthly_income": "0", **data}
    response = admin.post("/assistance/tekun/new/", body)
    refused(response)
    assert not TekunCase.objects.exists()
    check = admin.post("/assistance/tekun/check/", body, HTTP_HX_REQUEST="true")
    assert check.status_code == 200 and "msg error" in check.content.decode()


@pytest.mark.parametrize("path,data", [
    ("adl/", {"failed": ["flying"]}), ("adl/", {"version": "x"}),
    ("change/", {"version": HUGE, "note": KEPT}), ("change/", {"note": ""}),
    ("end/", {"version": "x", "reason": KEPT}), ("end/", {"reason": ""}),
])
def test_tekun_person_forms(admin, r, path, data):
    support = r["support"]
    body = {"version": support.version, **data}
    refused(admin.post(f"/assistance/tekun/supported/{support.pk}/{path}", body),
            *([KEPT] if KEPT in data.values() else []))
    assert unchanged(support)


def test_tekun_case_action_with_bad_version(admin, r):
    case = r["tekun_case"]
    refused(admin.post(f"/assistance/tekun/{case.pk}/act/investigate/", {"version": "x"}))
    assert unchanged(case)


@pytest.mark.parametrize("data", [{"start": "2026-02-30"}, {"end": "yesterday"},
                                  {"seed": "-1"}, {"seed": HUGE}, {"seed": "abc"},
                                  {"start": "2026-10-01", "end": "2026-09-01"},
                                  {"area": "999"}])
def test_spot_check_form(admin, areas, data):
    body = {"area": areas["district"].code, "start": "2026-09-01", "end": "2026-09-30",
            **data}
    refused(admin.post("/assistance/tekun/spot-checks/new/", body))
    assert not SpotCheckDraw.objects.exists()
