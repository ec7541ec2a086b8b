"""Bad input on every core page form: the form comes back with the message and the input
kept, status 422, never a 500, and nothing changes. Filters of list pages never fail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minsheng.core import services
from minsheng.core.access import system_actor
from minsheng.core.models import (
    ApiToken,
    AuditEntry,
    DisabilityCertificate,
    Household,
    JobProgress,
    Organization,
    Person,
)
from tests import factories

HUGE = "9" * 30


@pytest.fixture
def staff(areas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.user("cw", "caseworker", areas["s1"]))
    return client


@pytest.fixture
def person(areas):
    return factories.person(areas["c11"], address="原址", phone="13912345678")


def refused(response, *texts):
    html = response.content.decode()
    assert response.status_code == 422, html[:2000]
    assert "msg error" in html or "errorlist" in html
    for text in texts:
        assert text in html, text
    return html


def nothing_written():
    return not AuditEntry.objects.exclude(action="read").exists()


@pytest.mark.parametrize("data, message", [
    ({"version": "abc", "address": "新址甲"}, "Enter a whole number"),
    ({"version": HUGE, "address": "新址甲"}, "less than or equal to"),
    ({"version": "-1", "address": "新址甲"}, "greater than or equal to"),
    ({"version": "", "address": "新址甲"}, "required"),
    ({"version": "1", "address": "新址甲" + "x" * 300}, "at most 300"),
    ({"version": "1", "address": "新址甲", "phone": "12ab"}, "phone"),
    ({"version": "7", "address": "新址甲"}, "Someone else changed this record"),
])
def test_person_contact_form(staff, person, data, message):
    html = refused(staff.post(f"/people/{person.pk}/edit/", data), message)
    assert "新址甲" in html  # what was typed is still in the form
    person.refresh_from_db()
    assert (person.address, person.phone, person.version) == ("原址", "13912345678", 1)
    assert nothing_written()


def test_person_contact_form_over_htmx_keeps_the_page(staff, person):
    response = staff.post(f"/people/{person.pk}/edit/", {"version": "x", "address": "甲"},
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and response["HX-Retarget"] == "#messages"
    assert "whole number" in response.content.decode()


@pytest.fixture
def org(areas):
    return factories.organization(areas["c11"], name="原公司", address="原址")


def org_data(org, **changes):
    return {"version": org.version, "name": "新公司甲", "uscc": org.uscc,
            "area": org.area.code, "address": "新址", "industry_code": "", **changes}


@pytest.mark.parametrize("changes, message", [
    ({"version": "v1"}, "Enter a whole number"),
    ({"version": HUGE}, "less than or equal to"),
    ({"name": ""}, "required"),
    ({"area": "999999"}, "Select a valid choice"),
    ({"area": "120199002001"}, "Select a valid choice"),  # another subdistrict
    ({"uscc": "91120199XXXXXXXX"}, "credit code"),
    ({"uscc": ""}, "unified social credit code"),  # an enterprise needs one
    ({"industry_code": "ZZ"}, "industry"),
    ({"version": "5"}, "Someone else changed this record"),
])
def test_organization_form(staff, org, changes, message):
    data = org_data(org, **changes)
    html = refused(staff.post(f"/organizations/{org.pk}/edit/", data), message)
    if data["name"]:
        assert "新公司甲" in html
    org.refresh_from_db()
    assert (org.name, org.address, org.version) == ("原公司", "原址", 1)
    assert nothing_written()


def test_organization_form_changes_the_address_audited(staff, org):
    response = staff.post(f"/organizations/{org.pk}/edit/",
                          org_data(org, name=org.name, address="新址"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.address == "新址" and org.version == 2
    entry = AuditEntry.objects.get(action="update", object_type="core.organization")
    assert entry.changes == {"address": ["原址", "新址"]} and entry.actor_name == "cw"
    page = staff.get(f"/organizations/{org.pk}/edit/").content.decode()
    assert 'value="新址"' in page and 'value="2"' in page


@pytest.fixture
def people(areas):
    return [factories.person(areas["c11"], name=f"成员{i}") for i in range(2)]


def household_data(people, **changes):
    return {"number": "H-甲", "area": "120199001001", "address": "新址",
            "id_number_1": people[0].id_number, "relationship_1": "head",
            "id_number_2": people[1].id_number, "relationship_2": "spouse", **changes}


@pytest.mark.parametrize("changes, message", [
    ({"number": ""}, "required"),
    ({"number": "H" * 31}, "at most 30"),
    ({"area": "120199002001"}, "Select a valid choice"),
    ({"area": ""}, "required"),
    ({"id_number_2": "110105198001011234"}, "No one with this ID number"),
    ({"id_number_2": "abc"}, "No one with this ID number"),
    ({"id_number_2": "1" * 19}, "at most 18"),
    ({"relationship_2": "king"}, "Select a valid choice"),
    ({"relationship_2": ""}, "Choose the relationship"),
    ({"relationship_2": "head"}, "exactly one head"),
    ({"id_number_1": "", "relationship_1": "", "id_number_2": "",
      "relationship_2": ""}, "List the household"),
])
def test_household_form(staff, people, changes, message):
    data = household_data(people, **changes)
    html = refused(staff.post("/households/new/", data), message)
    if data["address"]:
        assert 'value="新址"' in html
    assert not Household.objects.exists()
    assert nothing_written()


def test_household_form_refuses_a_taken_member_and_a_taken_number(staff, people, areas):
    other = factories.person(areas["c11"])
    factories.household(areas["c11"], [(other, "head"), (people[1], "child")], number="H-乙")
    refused(staff.post("/households/new/", household_data(people)), "already belongs")
    refused(staff.post("/households/new/", household_data(
        people, number="H-乙", id_number_2="", relationship_2="")), "already exists")
    assert Household.objects.count() == 1


def test_household_form_registers_with_members(staff, people):
    response = staff.post("/households/new/", household_data(people))
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/households/{household.pk}/"
    assert sorted(household.members.values_list("relationship", flat=True)) == ["head",
                                                                                 "spouse"]
    assert AuditEntry.objects.filter(action="create", object_type="core.household").exists()


def disability_data(**changes):
    return {"category": "4", "grade": "2", "issued_on": "2024-03-01",
            "valid_until": "2034-02-28", "number": "", **changes}


@pytest.mark.parametrize("changes, message", [
    ({"category": "x"}, "Select a valid choice"),
    ({"category": "9"}, "Select a valid choice"),
    ({"category": HUGE}, "Select a valid choice"),
    ({"grade": "5"}, "Select a valid choice"),
    ({"grade": ""}, "required"),
    ({"issued_on": "2024-13-45"}, "YYYY-MM-DD"),
    ({"issued_on": "01/03/2024"}, "YYYY-MM-DD"),
    ({"issued_on": "2999-01-01"}, "in the future"),
    ({"issued_on": "1970-01-01"}, "before the holder"),
    ({"valid_until": "2020-01-01"}, "cannot end before"),
    ({"valid_until": "99999-01-01"}, "YYYY-MM-DD"),
    ({"number": "123"}, "ID number followed by"),
    ({"number": "1" * 21}, "at most 20"),
])
def test_disability_form(staff, person, changes, message):
    data = disability_data(**changes)
    html = refused(staff.post(f"/people/{person.pk}/disabilities/new/", data), message)
    if "issued_on" not in changes:
        assert 'value="2024-03-01"' in html
    assert not DisabilityCertificate.objects.exists()
    assert nothing_written()


def test_disability_form_records_a_certificate(staff, person):
    response = staff.post(f"/people/{person.pk}/disabilities/new/", disability_data())
    assert response.status_code == 302
    certificate = DisabilityCertificate.objects.get()
    assert certificate.number == f"{person.id_number}42"
    again = staff.post(f"/people/{person.pk}/disabilities/new/", disability_data())
    refused(again, "already recorded")
    assert DisabilityCertificate.objects.count() == 1


@pytest.mark.parametrize("name, message", [("", "required"), ("x" * 61, "at most 60")])
def test_api_token_form(staff, name, message):
    refused(staff.post("/account/tokens/", {"name": name}), message)
    assert not ApiToken.objects.exists()


def test_revoking_a_token_that_does_not_exist_is_not_found(staff):
    assert staff.post("/account/tokens/99999/revoke/").status_code == 404
    assert staff.post(f"/account/tokens/{HUGE}/revoke/").status_code == 404


@pytest.fixture
def importer(areas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.user("imp", "department_admin", areas["district"]))
    return client


@pytest.mark.parametrize("data, message", [
    ({"kind": "persons"}, "Choose a file"),
    ({"kind": "nope", "file": ("p.csv", b"a,b\n")}, "Select a valid choice"),
    ({"kind": "persons", "file": ("p.exe", b"MZ")}, "Use a .csv or .xlsx file"),
])
def test_import_form(importer, data, message):
    if "file" in data:
        name, content = data["file"]
        data = {**data, "file": SimpleUploadedFile(name, content)}
    refused(importer.post("/import/", data), message)
    assert not JobProgress.objects.exists()


def test_import_page_is_refused_to_those_who_may_not_import(staff):
    assert staff.get("/import/").status_code == 403
    upload = SimpleUploadedFile("p.csv", b"a\n")
    assert staff.post("/import/", {"kind": "persons", "file": upload}).status_code == 403
    assert not JobProgress.objects.exists()


@pytest.mark.parametrize("url", ["/people/", "/households/", "/organizations/", "/audit/"])
@pytest.mark.parametrize("query", [
    "area=999999", "area=" + "9" * 40, "status=zombie", "kind=spaceship", "q=" + "王" * 200,
    "page=abc", f"page={HUGE}", "page=-3", "action=nope", "area=120199002",
])
def test_list_filters_never_fail(areas, url, query):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.user("adm", "system_admin", areas["s1"]))
    services.person_update(actor=system_actor(), person=factories.person(areas["c11"]),
                           version=1, address="x")
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    if query in ("area=999999", "area=120199002") and url != "/audit/":
        assert "Unknown area or outside your scope" in response.content.decode()


def test_person_list_area_filter_still_narrows(areas):
    client = Client()
    client.force_login(factories.user("adm", "system_admin", areas["district"]))
    factories.person(areas["c11"], name="甲地人")
    factories.person(areas["c21"], name="乙地人")
    html = client.get("/people/?area=120199002").content.decode()
    assert "乙地人" in html and "甲地人" not in html
    assert Person.objects.count() == 2
    assert Organization.objects.count() == 0
