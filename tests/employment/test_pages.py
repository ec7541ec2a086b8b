import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from minsheng.casework.models import FollowUp
from minsheng.core.access import system_actor
from minsheng.employment import early_warning, public, services
from minsheng.employment.models import JobPosting, UnemploymentWarning
from minsheng.indicators.registry import SOURCES
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_caseworker_sees_seeker_with_chinese_reasons(client, world):
    make_posting(world)
    seeker = make_seeker(world)
    client.force_login(world["caseworker"].user)
    page = client.get(f"/employment/seekers/{seeker.pk}/").content.decode()
    assert "职业相符" in page and "技能重合 3/3" in page
    assert seeker.person.id_number not in page  # masked


def test_seeker_outside_scope_is_not_found(client, world, areas):
    from tests import factories

    seeker = make_seeker(world, area_key="c21")
    client.force_login(world["caseworker"].user)
    assert client.get(f"/employment/seekers/{seeker.pk}/").status_code == 404
    other = factories.user("nobody", None, None)
    client.force_login(other)
    assert client.get("/api/employment/seekers").json()["items"] == []


def test_posting_html_is_escaped(client, world):
    posting = make_posting(world, publish=False, description="<script>alert('x')</script>招聘")
    client.force_login(world["reviewer"].user)
    page = client.get(f"/employment/postings/{posting.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_public_search_shows_only_published_valid_posts(client, world):
    shown = make_posting(world, title="可见岗位")
    make_posting(world, title="待审岗位", publish=False)
    page = client.get("/employment/public/posts/").content.decode()
    assert "可见岗位" in page and "待审岗位" not in page
    api = client.get("/api/employment/public/postings").json()
    assert [p["id"] for p in api["items"]] == [shown.pk]


def test_public_submission_goes_to_review_and_is_rate_limited(client, world, settings):
    cache.clear()
    settings.MINSHENG_EMPLOYMENT = {"PUBLIC_SUBMIT_MIN_SECONDS": 0,
                                    "PUBLIC_SUBMIT_PER_IP_PER_HOUR": 2}
    form = {"token": public.form_token(), "uscc": world["employer"].uscc,
            "occupation_code": "4-02-07-02", "title": "分拣员", "description": "快递分拣",
            "salary_min": "4000", "salary_max": "6000", "openings": "2", "shift": "day",
            "education_min": "0", "valid_until": (TODAY + datetime.timedelta(days=20)).isoformat()}
    assert client.post("/employment/public/submit/", form).status_code == 200
    posting = JobPosting.objects.get(title="分拣员")
    assert posting.state == "pending" and posting.submitted_publicly
    assert client.post("/employment/public/submit/", {**form, "website": "spam"}).status_code == 422
    assert client.post("/employment/public/submit/", form).status_code == 429
    assert JobPosting.objects.filter(title="分拣员").count() == 1


def test_public_submission_too_fast_is_refused(client, world):
    cache.clear()
    form = {"token": public.form_token(), "uscc": world["employer"].uscc}
    assert client.post("/employment/public/submit/", form).status_code == 422


def test_api_create_posting_and_review(client, world):
    client.force_login(world["admin"].user)
    body = {"employer_id": world["employer"].pk, "occupation_code": "4-03-02-01",
            "title": "中式烹调师", "description": "<b>川菜</b>厨师", "salary_min": 6000,
            "salary_max": 9000, "valid_until": (TODAY + datetime.timedelta(days=30)).isoformat()}
    r = client.post("/api/employment/postings", body, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["occupation_name"] == "中式烹调师" and "markup" in data["fraud_flags"]
    bad = client.post("/api/employment/postings", {**body, "salary_min": 10000},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"
    r = client.post(f"/api/employment/postings/{data['id']}/review",
                    {"approve": True, "note": "已核实", "version": data["version"]},
                    content_type="application/json")
    assert r.json()["state"] == "published"


def test_layoff_warning_opens_followup_and_matches_workers(world):
    from minsheng.employment.models import Employment
    from tests import factories

    make_posting(world)
    month = TODAY.replace(day=1)
    person = factories.person(world["areas"]["c11"], "赵六")
    Employment.objects.create(person=person, employer=world["employer"],
                              residence_area=world["areas"]["c11"],
                              workplace_area=world["areas"]["c11"],
                              start_date=TODAY - datetime.timedelta(days=900), end_date=TODAY,
                              end_reason="layoff", occupation_code="4-02-07-02")
    services.headcount_report_submit(
        actor=system_actor(), enterprise=world["employer"], month=month, baseline=200,
        reduced_layoff=25, layoff_notice_date=TODAY - datetime.timedelta(days=10),
        layoff_effective_date=TODAY)
    made = services.warnings_scan(actor=system_actor(), start=month, end=TODAY, today=TODAY)
    layoff = [w for w in made if w.kind == "layoff"][0]
    assert layoff.level == "red"  # only 10 days' notice
    item = FollowUp.objects.get(pk=layoff.followup_id)
    assert item.department == world["hrss"] and item.state == "open"
    assert layoff.matched_workers == 1
    assert person.job_seeker.recommendations.exists()
    again = services.warnings_scan(actor=system_actor(), start=month, end=TODAY, today=TODAY)
    assert UnemploymentWarning.objects.filter(kind="layoff").count() == 1 and again


def test_warning_rules_vectorised():
    import numpy as np

    ev = early_warning.evaluate(np.array([0, 1, 2]), np.zeros(3, int), np.array([300, 100, 60]),
                           np.zeros(3), np.array([[0, 0, 20, 0, 0], [0, 0, 10, 0, 0],
                                                  [0, 0, 0, 3, 3]], float),
                           np.array([31, np.nan, np.nan]))
    assert ev.layoff.tolist() == [True, True, False]
    assert ev.notice_ok.tolist() == [True, False, False]
    assert ev.job_loss.tolist() == [False, True, True]
    assert early_warning.rate_band(0.029) == "blue" and early_warning.rate_band(0.071) == "red"


def test_sources_registered_with_exact_codes():
    codes = {"employment.new_jobs", "employment.registered_unemployed", "employment.employed",
             "employment.insured_workers", "employment.workers_total",
             "employment.difficulty_placements", "employment.graduate_placements",
             "employment.benefit_recipients"}
    assert codes <= set(SOURCES)
    assert SOURCES["employment.new_jobs"].aggregation == "sum"
    assert SOURCES["employment.registered_unemployed"].aggregation == "last"


def test_new_jobs_exclude_transfers_and_subtract_retirements(world):
    from minsheng.employment.models import Employment
    from minsheng.employment.sources import new_jobs
    from tests import factories

    c = world["areas"]["c11"]
    month = TODAY.replace(day=1)
    for kind in ("new", "new", "transfer"):
        Employment.objects.create(person=factories.person(c), employer=world["employer"],
                                  residence_area=c, workplace_area=c, start_date=month,
                                  start_kind=kind)
    Employment.objects.create(person=factories.person(c), employer=world["employer"],
                              residence_area=c, workplace_area=c,
                              start_date=month - datetime.timedelta(days=4000),
                              end_date=month, end_reason="retirement")
    assert list(new_jobs(month, month)) == [(c.pk, month, 1.0)]


def test_exports_are_xlsx(client, world):
    make_seeker(world)
    client.force_login(world["admin"].user)
    for url in ("/employment/seekers/export.xlsx", "/employment/postings/export.xlsx",
                "/employment/warnings/export.xlsx"):
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_warning_page_lists_warnings(client, world):
    services.headcount_report_submit(actor=system_actor(), enterprise=world["employer"],
                                     month=TODAY, baseline=100, reduced_layoff=30)
    services.warnings_scan(actor=system_actor(), start=TODAY, end=TODAY, today=TODAY)
    client.force_login(world["admin"].user)
    page = client.get("/employment/warnings/").content.decode()
    assert "裁员 30 人" in page
