import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.core import services
from minsheng.core.access import actor_for, system_actor
from minsheng.core.models import AuditEntry, HouseholdMember, JobProgress, Person, User
from minsheng.core.tabular import csv_bytes
from tests import factories


@pytest.fixture
def staff(areas):
    client = Client()
    client.force_login(factories.user("admin", "system_admin", areas["district"]))
    return client


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_home_is_chinese_by_default_and_english_switchable(staff):
    assert "人员" in staff.get("/").content.decode()
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "People" in staff.get("/").content.decode()


LIST_URLS = ["/people/", "/api/core/people", "/households/", "/api/core/households",
             "/organizations/", "/api/core/organizations", "/audit/", "/api/core/audit",
             "/areas/", "/api/core/areas", "/account/tokens/", "/people/{pk}/",
             "/api/core/people/{pk}/disabilities", "/households/{household}/",
             "/api/core/households/{household}"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_query_count_does_not_grow_with_rows(staff, areas, url):
    admin = actor_for(User.objects.get(username="admin"))
    holder = factories.person(areas["c11"], name="持证人")
    household = factories.household(areas["c11"], [(holder, "head")])
    made = {"n": 0}

    def grow(n):
        for _ in range(n):
            i = made["n"] = made["n"] + 1
            p = services.person_create(actor=system_actor(), id_number=factories.id_number(),
                                       name=f"甲{i}", residence_area=areas["c11"])
            factories.household(areas["c11"], [(p, "head")])
            factories.organization(areas["c12"], name=f"公司{i}")
            services.area_create(actor=system_actor(), code=f"120199001{100 + i:03d}",
                                 name=f"新{i}社区", parent=areas["s1"])
            services.api_token_create(actor=admin, name=f"脚本{i}")
            services.disability_certificate_create(
                actor=system_actor(), person=holder, category=1 + i % 7, grade=1 + i % 4,
                issued_on=datetime.date(2000 + i, 1, 1))
            member = factories.person(areas["c11"], name=f"家属{i}")
            HouseholdMember.objects.create(household=household, person=member,
                                           relationship="child")

    def count_queries():
        target = url.format(pk=holder.pk, household=household.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(target).status_code == 200
        return len(ctx)

    grow(3)
    few = count_queries()
    grow(20)
    assert count_queries() == few


def test_name_prefix_search(staff, areas):
    factories.person(areas["c11"], name="王小明")
    factories.person(areas["c11"], name="王大明")
    factories.person(areas["c11"], name="李明")
    response = staff.get("/api/core/people", {"q": "王"})
    assert sorted(i["name"] for i in response.json()["items"]) == ["王大明", "王小明"]
    html = staff.get("/people/", {"q": "李"}).content.decode()
    assert "李明" in html and "王小明" not in html


def test_person_page_masks_and_reveal_is_audited(staff, areas):
    person = factories.person(areas["c11"], phone="13912345678")
    html = staff.get(f"/people/{person.pk}/").content.decode()
    assert person.id_number not in html and "139****5678" in html
    revealed = staff.post(f"/people/{person.pk}/reveal/id_number/").content.decode()
    assert person.id_number in revealed
    assert AuditEntry.objects.filter(action="reveal", object_id=str(person.pk)).exists()


def test_people_export_is_masked_and_audited(staff, areas):
    import io

    import openpyxl

    person = factories.person(areas["c11"], name="=HYPERLINK(\"x\")")
    response = staff.get("/people/export.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
    assert row[0].startswith("'=") and person.id_number not in row
    assert AuditEntry.objects.filter(action="export").exists()


def test_upload_import_runs_as_job_with_progress_and_report(staff, areas,
                                                              django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [[factories.id_number(), "郑十", "120199001001"], ["bad", "错", "120199001001"]]
    upload = SimpleUploadedFile("p.csv", csv_bytes(["身份证号", "姓名", "居住地区划代码"], rows))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/import/", {"kind": "persons", "file": upload},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = JobProgress.objects.get()
    page = staff.get(f"/jobs/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.state == "failed" and job.report["error_count"] == 1
    assert "nothing was imported" in page or "没有导入" in page
    assert not Person.objects.exists()


def test_domain_error_on_htmx_renders_message(staff, areas):
    person = factories.person(areas["c11"])
    staff.post(f"/people/{person.pk}/edit/", {"version": 1, "address": "一"})
    response = staff.post(f"/people/{person.pk}/edit/", {"version": 1, "address": "二"},
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 422  # the stale version is refused on the form
    assert response["HX-Retarget"] == "#messages"
    assert "Reload" in response.content.decode() or "重新" in response.content.decode()
