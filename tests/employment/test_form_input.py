"""Bad input on every page form (non-numeric ids and versions, huge integers, impossible
dates, unknown choices) gives the form back: status 422, the message, what was typed kept,
nothing changed — never a server error."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from minsheng.casework.models import CaseEvent
from minsheng.core.access import system_actor
from minsheng.core.models import AuditEntry
from minsheng.employment import public, services
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HUGE = "99999999999999999999999"
LATER = (TODAY + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def setup(world):
    seeker = make_seeker(world)
    reg = services.registration_open(actor=system_actor(), seeker=seeker, registered_on=TODAY,
                                     separation_reason="layoff", contribution_years=3)
    other = make_seeker(world, area_key="c11")
    other_reg = services.registration_open(actor=system_actor(), seeker=other,
                                           registered_on=TODAY, separation_reason="layoff",
                                           contribution_years=3)
    claim = services.benefit_grant(actor=system_actor(), registration=other_reg,
                                   start_date=TODAY)
    posting = make_posting(world, publish=False, description="入职交押金")
    free = make_seeker(world, area_key="c12")
    return {"seeker": seeker, "reg": reg, "other": other, "claim": claim, "posting": posting,
            "free": free,
            "employer": world["employer"], "world": world}


def seeker_data(**extra):
    data = {"status": "unemployed", "education": "2", "occupation_0": "4-02-07-02 快递员",
            "salary_min": "4000", "salary_max": "6000", "max_commute_minutes": "45",
            "experience_years": "2"}
    data.update(extra)
    return data


def posting_data(**extra):
    data = {"title": "分拣员", "occupation_code": "4-02-07-02", "salary_min": "4000",
            "salary_max": "6000", "openings": "2", "shift": "day", "education_min": "0",
            "experience_min": "0", "valid_until": LATER, "description": "快递分拣"}
    data.update(extra)
    return data


def s(x, key):
    return x[key].pk


# (name, url(setup), data(setup), the bad value that must be shown again or None)
CASES = [
    ("new seeker: salary not a number", lambda x: "/employment/seekers/new/",
     lambda x: seeker_data(id_number=x["seeker"].person.id_number, salary_min="abc"), "abc"),
    ("new seeker: huge experience", lambda x: "/employment/seekers/new/",
     lambda x: seeker_data(id_number="110101199003071234", experience_years=HUGE), HUGE),
    ("new seeker: unknown education", lambda x: "/employment/seekers/new/",
     lambda x: seeker_data(id_number="110101199003071234", education="9x"), None),
    ("edit seeker: version not a number", lambda x: f"/employment/seekers/{s(x, 'seeker')}/edit/",
     lambda x: seeker_data(version="v2", major="新专业"), "新专业"),
    ("edit seeker: huge version", lambda x: f"/employment/seekers/{s(x, 'seeker')}/edit/",
     lambda x: seeker_data(version=HUGE, major="新专业"), "新专业"),
    ("plan: bad version", lambda x: f"/employment/seekers/{s(x, 'seeker')}/plan/",
     lambda x: {"version": "one", "plan": "每周联系"}, "每周联系"),
    ("contact: impossible date", lambda x: f"/employment/seekers/{s(x, 'seeker')}/contact/",
     lambda x: {"contacted_on": "2026-02-30", "channel": "phone", "note": "回访"},
     "2026-02-30"),
    ("contact: unknown channel", lambda x: f"/employment/seekers/{s(x, 'seeker')}/contact/",
     lambda x: {"contacted_on": TODAY.isoformat(), "channel": "fax", "note": "回访记录"},
     "回访记录"),
    ("override: posting id not a number",
     lambda x: f"/employment/seekers/{s(x, 'seeker')}/override/",
     lambda x: {"posting": "abc", "action": "pin", "note": "本人愿意"}, None),
    ("override: huge posting id", lambda x: f"/employment/seekers/{s(x, 'seeker')}/override/",
     lambda x: {"posting": HUGE, "action": "pin", "note": "本人愿意"}, None),
    ("register: bad date", lambda x: f"/employment/seekers/{s(x, 'free')}/register/",
     lambda x: {"registered_on": "20260101", "contribution_years": "2"}, "20260101"),
    ("register: years not a number", lambda x: f"/employment/seekers/{s(x, 'free')}/register/",
     lambda x: {"registered_on": TODAY.isoformat(), "contribution_years": "NaN"}, "NaN"),
    ("close registration: bad version",
     lambda x: f"/employment/seekers/{s(x, 'seeker')}/registrations/{s(x, 'reg')}/close/",
     lambda x: {"closed_on": TODAY.isoformat(), "reason": "moved", "version": "x1"}, "x1"),
    ("close registration: bad date",
     lambda x: f"/employment/seekers/{s(x, 'seeker')}/registrations/{s(x, 'reg')}/close/",
     lambda x: {"closed_on": "yesterday", "reason": "moved"}, "yesterday"),
    ("benefit: bad start date",
     lambda x: f"/employment/seekers/{s(x, 'seeker')}/registrations/{s(x, 'reg')}/benefit/",
     lambda x: {"start_date": "2026-99-01"}, "2026-99-01"),
    ("stop benefit: huge version",
     lambda x: f"/employment/seekers/{s(x, 'other')}/benefits/{s(x, 'claim')}/stop/",
     lambda x: {"stopped_on": TODAY.isoformat(), "reason": "拒绝工作", "version": HUGE},
     "拒绝工作"),
    ("stop benefit: no reason",
     lambda x: f"/employment/seekers/{s(x, 'other')}/benefits/{s(x, 'claim')}/stop/",
     lambda x: {"stopped_on": TODAY.isoformat(), "reason": " "}, None),
    ("placement: posting not a number",
     lambda x: f"/employment/seekers/{s(x, 'seeker')}/placement/",
     lambda x: {"placed_on": TODAY.isoformat(), "posting": "x", "employer_uscc": "ABC"},
     "ABC"),
    ("placement: bad date", lambda x: f"/employment/seekers/{s(x, 'seeker')}/placement/",
     lambda x: {"placed_on": "31/12/2026", "employer_uscc": "91120199MA05"}, "31/12/2026"),
    ("training: bad end date", lambda x: f"/employment/seekers/{s(x, 'seeker')}/training/",
     lambda x: {"course": "叉车操作", "start_date": TODAY.isoformat(), "end_date": "soon"},
     "叉车操作"),
    ("new posting: huge salary",
     lambda x: f"/employment/employers/{s(x, 'employer')}/postings/new/",
     lambda x: posting_data(salary_max=HUGE), HUGE),
    ("new posting: bad date", lambda x: f"/employment/employers/{s(x, 'employer')}/postings/new/",
     lambda x: posting_data(valid_until="2027-02-29"), "2027-02-29"),
    ("edit posting: version not a number",
     lambda x: f"/employment/postings/{s(x, 'posting')}/edit/",
     lambda x: posting_data(version="latest", title="新标题"), "新标题"),
    ("review: flagged without reason",
     lambda x: f"/employment/postings/{s(x, 'posting')}/review/",
     lambda x: {"version": str(x["posting"].version), "decision": "approve", "note": ""}, None),
    ("review: bad version", lambda x: f"/employment/postings/{s(x, 'posting')}/review/",
     lambda x: {"version": "v", "decision": "reject", "note": "收费违规"}, "收费违规"),
    ("close posting: huge version", lambda x: f"/employment/postings/{s(x, 'posting')}/close/",
     lambda x: {"version": HUGE, "note": "招满了"}, "招满了"),
    ("headcount: bad month", lambda x: f"/employment/employers/{s(x, 'employer')}/headcount/",
     lambda x: {"month": "2026-13", "baseline": "100"}, "2026-13"),
    ("headcount: negative and huge",
     lambda x: f"/employment/employers/{s(x, 'employer')}/headcount/",
     lambda x: {"month": TODAY.strftime("%Y-%m"), "baseline": "-5", "reduced_layoff": HUGE},
     HUGE),
    ("warning scan: bad month", lambda x: "/employment/warnings/scan/",
     lambda x: {"start": "last month"}, "last month"),
]


def state():
    return AuditEntry.objects.exclude(action="read").count(), CaseEvent.objects.count()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_the_form_back(client, setup, case, htmx):
    _name, url, data, kept = case
    client.force_login(setup["world"]["admin"].user)
    before = state()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    r = client.post(url(setup), data(setup), **headers)
    assert r.status_code == 422, r.content.decode()[:400]
    text = r.content.decode()
    assert "msg error" in text  # the message, in place
    if htmx:
        assert r["HX-Retarget"] == "#messages"
    elif kept is not None:
        assert kept in text  # what was typed is still in the form
    assert state() == before


def test_public_submission_bad_input_keeps_the_form(client, world, settings):
    cache.clear()
    settings.MINSHENG_EMPLOYMENT = {"PUBLIC_SUBMIT_MIN_SECONDS": 0}
    form = {"token": public.form_token(), "uscc": world["employer"].uscc,
            "occupation_code": "4-02-07-02", "title": "分拣员", "description": "快递分拣",
            "salary_min": "abc", "salary_max": HUGE, "openings": "2", "shift": "day",
            "education_min": "0", "valid_until": "2026-02-30"}
    before = state()
    r = client.post("/employment/public/submit/", form)
    assert r.status_code == 422
    text = r.content.decode()
    assert "分拣员" in text and "快递分拣" in text and "2026-02-30" in text
    unknown = client.post("/employment/public/submit/",
                          {**form, "salary_min": "4000", "salary_max": "6000",
                           "valid_until": LATER, "uscc": "91110000600037341L"})
    assert unknown.status_code == 422 and "分拣员" in unknown.content.decode()
    assert state() == before


def test_seeker_lookup_bad_input(client, world):
    client.force_login(world["caseworker"].user)
    r = client.post("/employment/seekers/lookup/", {"id_number": "1" * 40},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and r["HX-Retarget"] == "#messages"
    r = client.post("/employment/seekers/lookup/", {"id_number": "110101199003070000"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 422


def test_list_filters_ignore_bad_values(client, world):
    client.force_login(world["admin"].user)
    for url in ("/employment/?status=nope&difficulty=7&page=x",
                f"/employment/postings/?employer={HUGE}&state=zzz",
                "/employment/postings/?employer=abc",
                f"/employment/warnings/?kind=x&enterprise={HUGE}&page=-3",
                "/employment/employers/?q=" + "x" * 300,
                "/employment/public/posts/?q=" + "y" * 300):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("url,body", [
    ("/api/employment/seekers/{seeker}", None),
    (f"/api/employment/seekers/{HUGE}", None),
    ("/api/employment/postings?page=0", None),
    (f"/api/employment/postings?page={HUGE}", None),
    ("/api/employment/seekers?page_size=100000", None),
])
def test_api_bad_numbers_are_422_or_404(client, setup, url, body):
    client.force_login(setup["world"]["admin"].user)
    r = client.get(url.format(seeker=HUGE))
    assert r.status_code in (404, 422) and set(r.json()) == {"code", "message", "details"}


def test_api_huge_integers_in_bodies_are_refused(client, setup):
    client.force_login(setup["world"]["admin"].user)
    employer = setup["employer"]
    r = client.post("/api/employment/headcount-reports",
                    {"enterprise_id": employer.pk, "month": TODAY.isoformat(),
                     "baseline": 10 ** 12}, content_type="application/json")
    assert r.status_code == 422
    r = client.patch(f"/api/employment/seekers/{setup['seeker'].pk}",
                     {"version": 10 ** 20, "salary_min": 1}, content_type="application/json")
    assert r.status_code == 422
