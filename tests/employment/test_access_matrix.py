"""Every role × in/out of its area × read/write, through the API and the pages, for the
employment records: seekers, registrations, benefits, postings, headcount reports and
warnings. A refused write changes nothing (no record, no audit row)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from minsheng.casework.models import CaseEvent, FollowUp
from minsheng.core.access import system_actor
from minsheng.core.models import AuditEntry
from minsheng.employment import services
from minsheng.employment.models import (
    BenefitClaim,
    Contact,
    HeadcountReport,
    JobPosting,
    JobSeeker,
    UnemploymentRegistration,
    UnemploymentWarning,
)
from tests import factories
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
VIEW = {"system_admin", "department_admin", "caseworker", "reviewer", "approver",
        "plan_supervisor", "auditor"}
MANAGE = {"system_admin", "department_admin", "caseworker"}
REVIEW = {"system_admin", "department_admin", "reviewer"}
REPORT = {"system_admin", "department_admin", "data_entry"}
WARNINGS = {"system_admin", "department_admin", "caseworker", "approver", "plan_supervisor",
            "auditor"}
SCAN = {"system_admin", "department_admin", "caseworker"}


@pytest.fixture
def records(world):
    """One of each record in the role's subdistrict (in) and in the other one (out)."""
    areas = world["areas"]
    out = {}
    for where, area_key, employer in (("in", "c12", world["employer"]),
                                      ("out", "c21", world["far"])):
        seeker = make_seeker(world, area_key=area_key)
        reg = services.registration_open(actor=system_actor(), seeker=seeker,
                                         registered_on=TODAY, separation_reason="layoff",
                                         contribution_years=3)
        claim = services.benefit_grant(actor=system_actor(), registration=reg,
                                       start_date=TODAY)
        posting = make_posting(world, employer=employer, publish=False, title=f"岗位{where}")
        warning = UnemploymentWarning.objects.create(
            kind="layoff", level="red", month=TODAY.replace(day=1),
            area=employer.area, enterprise=employer, subject=f"org:{employer.pk}",
            title=f"预警{where}", details={})
        out[where] = {"seeker": seeker, "registration": reg, "claim": claim,
                      "posting": posting, "employer": employer, "warning": warning}
    out["areas"] = areas
    return out


def client_for(role, areas):
    client = Client()
    client.force_login(factories.user(f"u_{role}", role, areas["s1"]))
    return client


def expected(role, where, permission: set, *, read: set = VIEW, ok: int = 200) -> int:
    """Not found outside the area or without read access; refused when the role reads
    but may not do this; `ok` otherwise."""
    if where == "out" or role not in read:
        return 404
    return ok if role in permission else 403


def audits():
    return AuditEntry.objects.exclude(action="read").count()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_seeker_api_read_and_write(role, where, records):
    client = client_for(role, records["areas"])
    seeker = records[where]["seeker"]
    r = client.get(f"/api/employment/seekers/{seeker.pk}")
    assert r.status_code == expected(role, where, VIEW)
    if r.status_code == 200:
        assert seeker.person.id_number not in r.content.decode()
    before = audits()
    r = client.patch(f"/api/employment/seekers/{seeker.pk}",
                     {"version": seeker.version, "salary_min": 1234},
                     content_type="application/json")
    status = expected(role, where, MANAGE)
    assert r.status_code == status, r.content
    seeker.refresh_from_db()
    assert (seeker.salary_min == 1234) == (status == 200)
    if status != 200:
        assert audits() == before and set(r.json()) == {"code", "message", "details"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_seeker_pages_read_and_write(role, where, records):
    client = client_for(role, records["areas"])
    seeker = records[where]["seeker"]
    assert client.get(f"/employment/seekers/{seeker.pk}/").status_code == \
        expected(role, where, VIEW)
    before = audits()
    r = client.post(f"/employment/seekers/{seeker.pk}/contact/",
                    {"contacted_on": TODAY.isoformat(), "channel": "phone", "note": "回访"})
    status = expected(role, where, MANAGE, ok=302)
    assert r.status_code == status
    assert Contact.objects.filter(seeker=seeker).exists() == (status == 302)
    if status != 302:
        assert audits() == before
    r = client.get(f"/employment/seekers/{seeker.pk}/edit/")
    assert r.status_code == expected(role, where, MANAGE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_registration_and_benefit_writes(role, where, records):
    client = client_for(role, records["areas"])
    rec = records[where]
    seeker, reg, claim = rec["seeker"], rec["registration"], rec["claim"]
    before = audits()
    r = client.post(f"/api/employment/seekers/{seeker.pk}/benefit/stop",
                    {"stopped_on": TODAY.isoformat(), "reason": "拒绝推荐工作",
                     "version": claim.version}, content_type="application/json")
    status = expected(role, where, MANAGE)
    assert r.status_code == status, r.content
    claim.refresh_from_db()
    assert (claim.state == "stopped") == (status == 200)
    r = client.post(f"/employment/seekers/{seeker.pk}/registrations/{reg.pk}/close/",
                    {"closed_on": TODAY.isoformat(), "reason": "moved",
                     "version": reg.version})
    assert r.status_code == expected(role, where, MANAGE, ok=302)
    reg.refresh_from_db()
    assert (reg.state == "closed") == (status == 200)
    if status != 200:
        assert audits() == before
        assert not CaseEvent.objects.filter(case_id__in=[reg.pk, claim.pk]).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_registration_open_api_and_page(role, where, records):
    client = client_for(role, records["areas"])
    seeker = records[where]["seeker"]
    services.registration_close(actor=system_actor(), registration=records[where][
        "registration"], closed_on=TODAY, reason="other")
    before = audits()
    r = client.post(f"/api/employment/seekers/{seeker.pk}/registrations",
                    {"registered_on": TODAY.isoformat(), "contribution_years": 2},
                    content_type="application/json")
    status = expected(role, where, MANAGE, ok=201)
    assert r.status_code == status, r.content
    opened = UnemploymentRegistration.objects.filter(seeker=seeker, state="open").exists()
    assert opened == (status == 201)
    if status != 201:
        assert audits() == before
        r = client.post(f"/employment/seekers/{seeker.pk}/register/",
                        {"registered_on": TODAY.isoformat()})
        assert r.status_code == status
        assert not UnemploymentRegistration.objects.filter(seeker=seeker,
                                                           state="open").exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_posting_read_review_and_close(role, where, records):
    client = client_for(role, records["areas"])
    posting = records[where]["posting"]
    assert client.get(f"/api/employment/postings/{posting.pk}").status_code == \
        expected(role, where, VIEW)
    assert client.get(f"/employment/postings/{posting.pk}/").status_code == \
        expected(role, where, VIEW)
    before = audits()
    r = client.post(f"/api/employment/postings/{posting.pk}/review",
                    {"approve": True, "note": "已核实", "version": posting.version},
                    content_type="application/json")
    status = expected(role, where, REVIEW)
    assert r.status_code == status, r.content
    posting.refresh_from_db()
    assert (posting.state == "published") == (status == 200)
    if status != 200:
        assert audits() == before
    r = client.post(f"/employment/postings/{posting.pk}/close/",
                    {"version": posting.version, "note": "已招满"})
    status = expected(role, where, MANAGE, ok=302)
    assert r.status_code == status
    posting.refresh_from_db()
    assert (posting.state == "closed") == (status == 302)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_posting_close_api(role, where, records):
    client = client_for(role, records["areas"])
    posting = records[where]["posting"]
    r = client.post(f"/api/employment/postings/{posting.pk}/close",
                    {"version": posting.version}, content_type="application/json")
    status = expected(role, where, MANAGE)
    assert r.status_code == status, r.content
    assert (JobPosting.objects.get(pk=posting.pk).state == "closed") == (status == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_headcount_report_api_and_page(role, where, records):
    client = client_for(role, records["areas"])
    employer = records[where]["employer"]
    month = TODAY.replace(day=1)
    r = client.post("/api/employment/headcount-reports",
                    {"enterprise_id": employer.pk, "month": month.isoformat(),
                     "baseline": 100, "reduced_layoff": 2}, content_type="application/json")
    # every role sees the organization register of its area; out of it: not found
    status = 404 if where == "out" else (201 if role in REPORT else 403)
    assert r.status_code == status, r.content
    assert HeadcountReport.objects.filter(enterprise=employer).exists() == (status == 201)
    readers = VIEW | WARNINGS | REPORT
    page = client.get(f"/employment/employers/{employer.pk}/headcount/")
    assert page.status_code == expected(role, where, REPORT, read=readers)
    r = client.post(f"/employment/employers/{employer.pk}/headcount/",
                    {"month": (month - datetime.timedelta(days=1)).strftime("%Y-%m"),
                     "baseline": "100"})
    assert r.status_code == expected(role, where, REPORT, read=readers, ok=302)


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_the_area(role, records):
    client = client_for(role, records["areas"])
    seekers = client.get("/api/employment/seekers").json()
    postings = client.get("/api/employment/postings").json()
    warnings = client.get("/api/employment/warnings").json()
    if role in VIEW:
        assert {i["id"] for i in seekers["items"]} == {records["in"]["seeker"].pk}
        assert {i["id"] for i in postings["items"]} == {records["in"]["posting"].pk}
    else:
        assert seekers["count"] == 0 and postings["count"] == 0
    if role in WARNINGS:
        assert {i["id"] for i in warnings["items"]} == {records["in"]["warning"].pk}
    else:
        assert warnings["count"] == 0
    page = client.get("/employment/warnings/").content.decode()
    assert ("预警in" in page) == (role in WARNINGS) and "预警out" not in page
    queue = client.get("/api/employment/review-queue")
    if role in REVIEW:
        assert {i["id"] for i in queue.json()["items"]} == {records["in"]["posting"].pk}
    else:
        assert queue.status_code == 403


@pytest.fixture
def layoffs(world):
    """Layoff reports of an enterprise in each subdistrict."""
    month = TODAY.replace(day=1)
    for employer in (world["employer"], world["far"]):
        services.headcount_report_submit(actor=system_actor(), enterprise=employer,
                                         month=month, baseline=200, reduced_layoff=30)
    return month


@pytest.mark.parametrize("role", ROLES)
def test_warning_scan_needs_a_write_permission_and_stays_in_the_area(role, world, layoffs):
    client = client_for(role, world["areas"])
    r = client.post(f"/api/employment/warnings/scan?start={layoffs}&end={TODAY}")
    if role not in SCAN:
        assert r.status_code == 403, r.content
        assert not UnemploymentWarning.objects.exists() and not FollowUp.objects.exists()
        assert client.post("/employment/warnings/scan/",
                           {"start": layoffs.strftime("%Y-%m")}).status_code == 403
        assert not UnemploymentWarning.objects.exists()
        return
    assert r.status_code == 200, r.content
    s1 = world["areas"]["s1"].path
    returned = r.json()
    assert returned and all(w["area_code"].startswith(world["areas"]["s1"].code)
                            for w in returned)
    stored = UnemploymentWarning.objects.select_related("area")
    assert all(w.area.path.startswith(s1) for w in stored)
    assert stored.filter(enterprise=world["employer"]).exists()
    assert not stored.filter(enterprise=world["far"]).exists()
    r = client.post("/employment/warnings/scan/", {"start": layoffs.strftime("%Y-%m")})
    assert r.status_code == 302


def test_subdistrict_scan_then_district_scan(world, layoffs):
    """The district's scan adds the other subdistrict's warning; nothing twice."""
    services.warnings_scan(actor=world["caseworker"], start=layoffs, end=TODAY)
    assert UnemploymentWarning.objects.filter(kind="layoff").count() == 1
    made = services.warnings_scan(actor=world["admin"], start=layoffs, end=TODAY)
    assert {w.enterprise_id for w in made if w.kind == "layoff"} == {
        world["employer"].pk, world["far"].pk}
    assert UnemploymentWarning.objects.filter(kind="layoff").count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_new_seeker_from_another_area_is_not_found_like_an_unknown_id(role, world):
    """An ID of a resident of another subdistrict and an ID nobody has get one answer."""
    client = client_for(role, world["areas"])
    other = factories.person(world["areas"]["c21"], "孙八")
    answers = []
    for number in (other.id_number, factories.id_number()):
        r = client.post("/api/employment/seekers", {"id_number": number},
                        content_type="application/json")
        answers.append((r.status_code, r.json()["message"]))
    assert answers[0] == answers[1] and answers[0][0] == 404
    assert not JobSeeker.objects.filter(person=other).exists()
    assert not BenefitClaim.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_menu_links_open_for_the_role(role, records):
    """Every link of the employment menu a role is shown opens for it (no 403)."""
    import re

    client = client_for(role, records["areas"])
    page = client.get("/employment/employers/").content.decode()
    nav = page.split('class="subnav filters"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, (role, link)
    assert ("/employment/review/" in links) == (role in REVIEW)
