"""Pages: bad input on every form comes back in place (422) with the input kept; the
public pages never show anyone else's data; list pages and endpoints run a fixed number
of queries whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.petitions import services as S
from minsheng.petitions.models import Petition
from tests import factories
from tests.petitions.conftest import D, fresh, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(world):
    user = factories.user("p_clerk", "caseworker", world["areas"]["district"],
                          department=world["civil"])
    client = Client()
    client.force_login(user)
    return client


def new_form(world, **kw):
    data = {"channel": "visit", "category": "claim", "petitioner_name": "赵六",
            "petitioner_id_number": factories.id_number(), "area": world["areas"]["c11"].pk,
            "subject": "路灯不亮", "content": "小区门口的路灯坏了三个月，晚上出行很不安全。",
            "joint_count": 1, "received_on": D.isoformat(), "petitioner_phone": ""}
    data.update(kw)
    return data


@pytest.mark.parametrize("field,value", [
    ("content", ""), ("content", "太短"), ("content", "长" * 50_000),
    ("petitioner_id_number", "123"), ("petitioner_id_number", "110101198001011234"),
    ("received_on", "2026-02-30"), ("received_on", "2999-01-01"), ("joint_count", "0"),
    ("joint_count", "abc"), ("area", "999999"), ("channel", "fax"), ("petitioner_phone", "1"),
    ("subject", ""),
])
def test_register_form_refuses_bad_input_in_place(world, clerk, field, value):
    r = clerk.post("/petitions/new/", new_form(world, **{field: value}))
    assert r.status_code in (422, 404), r.status_code
    if r.status_code == 422:
        assert "路灯不亮" in r.content.decode() or field == "subject"
    assert not Petition.objects.exists()


def test_register_page_works_and_shows_the_case(world, clerk):
    r = clerk.post("/petitions/new/", new_form(world))
    assert r.status_code == 302
    page = clerk.get(r["Location"]).content.decode()
    assert "路灯不亮" in page and "受理决定并书面告知" in page


@pytest.mark.parametrize("action,data", [
    ("decline", {"note": ""}), ("extend", {"days": "45", "reason": "x"}),
    ("extend", {"days": "", "reason": "x"}), ("reply", {"reply": ""}),
    ("accept", {"note": "x", "department": "abc"}), ("assign", {"department": ""}),
    ("conclude", {"note": ""}), ("rate", {"satisfaction": "wow"}),
    ("request_review", {"requested_on": "not a date"}),
])
def test_action_forms_refuse_bad_input(world, clerk, action, data):
    p = register(world)
    if action in ("extend", "reply", "conclude", "rate", "request_review"):
        S.petition_accept(actor=world["clerk"], petition=p, version=p.version)
        p = fresh(p)
    r = clerk.post(f"/petitions/{p.pk}/{action}/", {"version": p.version, **data})
    assert r.status_code in (422, 403), (action, r.status_code)
    assert fresh(p).version == p.version


def test_stale_form_is_refused_in_place(world, clerk):
    p = register(world)
    old = p.version
    S.petition_assign(actor=world["clerk"], petition=p, version=p.version,
                      department=world["hrss"])
    r = clerk.post(f"/petitions/{p.pk}/decline/", {"version": old, "note": "不属于受理范围"})
    assert r.status_code == 422 and "不属于受理范围" in r.content.decode()
    assert fresh(p).state == "registered"


def test_public_submission_and_status(world, client):
    resident = world["resident"]
    form = {"petitioner_name": resident.name, "petitioner_id_number": resident.id_number,
            "petitioner_phone": "13812345678", "area": world["areas"]["c11"].pk,
            "category": "suggestion", "subject": "建议增设公交站",
            "content": "建议在海韵社区门口增设一个公交站，方便老人出行。", "agree": "on"}
    r = client.post("/petitions/public/submit/", {**form, "agree": ""})
    assert r.status_code == 422 and "建议增设公交站" in r.content.decode()
    r = client.post("/petitions/public/submit/", {**form, "content": "x" * 50_000})
    assert r.status_code == 422
    r = client.post("/petitions/public/submit/", form)
    assert r.status_code == 302
    reference = Petition.objects.get().reference
    assert reference in client.get(r["Location"]).content.decode()
    # someone else's petition, or a wrong ID, is simply not found
    other = register(world, subject="别人的事", petitioner_name="王五",
                     petitioner_id_number=factories.person(world["areas"]["c11"],
                                                           name="王五").id_number)
    r = client.post("/petitions/public/status/", {"reference": other.reference,
                                                  "id_number": resident.id_number})
    assert r.status_code == 404 and "别人的事" not in r.content.decode()
    r = client.post("/petitions/public/status/", {"reference": reference,
                                                  "id_number": "not-an-id"})
    assert r.status_code == 404
    r = client.post("/petitions/public/status/", {"reference": reference,
                                                  "id_number": resident.id_number})
    body = r.content.decode()
    assert r.status_code == 200 and "已登记，待受理" in body
    assert "clerk" not in body and "rate-form" not in body


def test_public_rating_after_the_reply(world, client):
    p = register(world)
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version)
    p = fresh(p)
    S.petition_reply(actor=world["handler"], petition=p, version=p.version,
                     reply="路灯已修复")
    ident = {"reference": p.reference, "id_number": world["resident"].id_number}
    body = client.post("/petitions/public/status/", ident).content.decode()
    assert "路灯已修复" in body and "rate-form" in body
    r = client.post("/petitions/public/status/", {**ident, "satisfaction": "satisfied"})
    assert r.status_code == 200 and fresh(p).satisfaction == "satisfied"
    r = client.post("/petitions/public/status/", {**ident, "satisfaction": "unsatisfied"})
    assert r.status_code == 422 and fresh(p).satisfaction == "satisfied"


def populate(world, n):
    for i in range(n):
        p = register(world, subject=f"事项{i}",
                     content=f"第{i}件完全不同的事情需要处理，编号{i * 7919}。",
                     petitioner_id_number=factories.id_number(),
                     petitioner_name=f"居民{i}", received_on=D - datetime.timedelta(days=i))
        if i % 2:
            S.petition_accept(actor=world["clerk"], petition=p, version=p.version)


PAGES = ["/petitions/", "/petitions/?overdue=1", "/petitions/?state=open&repeats=1",
         "/petitions/?format=xlsx", "/api/petitions/", "/api/petitions/?state=accepted"]


def test_list_queries_do_not_grow_with_rows(world):
    user = factories.user("boss", "department_admin", world["areas"]["district"],
                          department=world["civil"])
    client = Client()
    client.force_login(user)
    populate(world, 2)
    counts = {}
    for url in PAGES:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[url] = len(ctx)
    populate(world, 12)
    for url in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert len(ctx) == counts[url], url


def test_public_pages_are_rate_limited(world, client):
    from minsheng.petitions.config import setting

    ask = {"reference": "XF000000", "id_number": "1"}
    for _ in range(setting("PUBLIC_STATUS_LOOKUPS_PER_HOUR")):
        assert client.post("/petitions/public/status/", ask).status_code in (404, 422)
    r = client.post("/petitions/public/status/", ask)
    assert r.status_code == 429 and "请求过于频繁" in r.content.decode()
    for _ in range(setting("PUBLIC_SUBMISSIONS_PER_HOUR")):
        assert client.post("/petitions/public/submit/", {}).status_code == 422
    assert client.post("/petitions/public/submit/", {}).status_code == 429
