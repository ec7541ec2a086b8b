"""Pages and API end to end: the access matrix, bad input refused in place with the input
kept, list query counts that do not grow with rows, xlsx exports."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.primarycare import services
from minsheng.primarycare.models import Contract, Outreach, Referral
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(actor):
    c = Client()
    c.force_login(actor.user)
    return c


PAGES = ["home", "contracts", "teams", "referrals", "coverage", "uninsured", "outreach",
         "links", "contract_new", "referral_new"]


@pytest.mark.parametrize("who,expected", [
    ("doctor", {"home": 200, "contracts": 200, "teams": 200, "referrals": 200,
                "coverage": 200, "uninsured": 200, "outreach": 200, "links": 403,
                "contract_new": 200, "referral_new": 200}),
    ("insurer", {"home": 200, "contracts": 200, "teams": 200, "referrals": 200,
                 "coverage": 200, "uninsured": 200, "outreach": 200, "links": 200,
                 "contract_new": 403, "referral_new": 403}),
    ("auditor", {"home": 200, "contracts": 200, "teams": 200, "referrals": 200,
                 "coverage": 200, "uninsured": 200, "outreach": 200, "links": 403,
                 "contract_new": 403, "referral_new": 403}),
])
def test_access_matrix_pages(pc, who, expected):
    c = client_for(pc[who])
    for name in PAGES:
        status = c.get(reverse(f"primarycare:{name}")).status_code
        assert status == expected[name], (who, name, status)


def test_anonymous_redirected(pc):
    assert Client().get(reverse("primarycare:contracts")).status_code == 302


def test_refused_writes_change_nothing(pc):
    p = factories.person(pc["c11"])
    c = client_for(pc["auditor"])
    r = c.post(reverse("primarycare:contract_new"), {"id_number": p.id_number,
                                                    "team": pc["team"].pk, "package": "basic"})
    assert r.status_code == 403
    r = c.post(reverse("primarycare:outreach_new"), {"id_number": p.id_number,
                                                    "missing": "both"})
    assert r.status_code == 403
    assert not Contract.objects.exists() and not Outreach.objects.exists()
    # out of scope: a subdistrict doctor cannot sign a resident of the other subdistrict
    other = factories.person(pc["c21"])
    r = client_for(pc["doctor_s1"]).post(reverse("primarycare:contract_new"), {
        "id_number": other.id_number, "team": pc["team"].pk, "package": "basic"})
    assert r.status_code == 422 and not Contract.objects.exists()


def test_contract_form_bad_input_kept(pc):
    p = factories.person(pc["c11"])
    c = client_for(pc["doctor"])
    url = reverse("primarycare:contract_new")
    r = c.post(url, {"id_number": "12345", "team": pc["team"].pk, "package": "basic"})
    assert r.status_code == 422 and b'value="12345"' in r.content
    r = c.post(url, {"id_number": p.id_number, "team": pc["team"].pk, "package": "gold"})
    assert r.status_code == 422
    r = c.post(url, {"id_number": p.id_number, "team": pc["team"].pk, "package": "basic",
                     "start_date": "not-a-date"})
    assert r.status_code == 422
    r = c.post(url, {"id_number": p.id_number, "team": pc["team"].pk, "package": "basic"})
    assert r.status_code == 302
    r = c.post(url, {"id_number": p.id_number, "team": pc["team"].pk, "package": "basic"})
    assert r.status_code == 422 and p.id_number.encode() in r.content
    assert Contract.objects.count() == 1


def test_referral_form_outside_alliance_refused_in_place(pc):
    p = factories.person(pc["c11"])
    r = client_for(pc["doctor"]).post(reverse("primarycare:referral_new"), {
        "id_number": p.id_number, "direction": "up", "urgency": "urgent",
        "from_facility": pc["clinic1"].pk, "to_facility": pc["outsider"].pk,
        "reason": "胸痛"})
    assert r.status_code == 422 and "胸痛".encode() in r.content
    assert not Referral.objects.exists()


def test_contract_list_query_count_flat_and_xlsx(pc):
    team = pc["team"]

    def sign(n):
        for i in range(n):
            p = factories.person(pc["c11"], f"甲{i}", datetime.date(1950 + i, 1, 1))
            services.contract_sign(actor=pc["doctor"], person=p, team=team, package="basic")

    c = client_for(pc["admin"])
    sign(2)
    with CaptureQueriesContext(connection) as few:
        assert c.get(reverse("primarycare:contracts")).status_code == 200
    sign(8)
    with CaptureQueriesContext(connection) as many:
        assert c.get(reverse("primarycare:contracts")).status_code == 200
    assert len(many) == len(few)
    r = c.get(reverse("primarycare:contracts") + "?state=active&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.active.max_row == 11


def test_uninsured_list_query_count_flat(pc):
    c = client_for(pc["insurer"])
    for i in range(2):
        factories.person(pc["c11"], f"乙{i}", datetime.date(1980, 1, 1 + i))
    with CaptureQueriesContext(connection) as few:
        assert c.get(reverse("primarycare:uninsured")).status_code == 200
    for i in range(8):
        factories.person(pc["c11"], f"丙{i}", datetime.date(1981, 1, 1 + i))
    with CaptureQueriesContext(connection) as many:
        r = c.get(reverse("primarycare:uninsured"))
    assert len(many) == len(few)
    assert r.content.count(b"Open outreach") + r.content.count("开展动员".encode()) == 10


def test_api_contracts_and_referrals(pc):
    p = factories.person(pc["c11"])
    c = client_for(pc["doctor"])
    r = c.post("/api/primarycare/contracts", {"id_number": p.id_number,
                                              "team_id": pc["team"].pk, "package": "basic"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    r = c.post("/api/primarycare/contracts", {"id_number": p.id_number,
                                              "team_id": pc["team"].pk, "package": "basic"},
               content_type="application/json")
    assert r.status_code == 409
    assert c.get("/api/primarycare/contracts").json()["count"] == 1
    r = c.post("/api/primarycare/referrals", {
        "id_number": p.id_number, "direction": "up", "urgency": "routine",
        "from_facility_id": pc["clinic1"].pk, "to_facility_id": pc["outsider"].pk,
        "reason": "x"}, content_type="application/json")
    assert r.status_code == 422
    auditor = client_for(pc["auditor"])
    r = auditor.post("/api/primarycare/contracts", {"id_number": p.id_number,
                                                    "team_id": pc["team"].pk,
                                                    "package": "basic"},
                     content_type="application/json")
    assert r.status_code in (403, 404)


def test_referral_and_outreach_lists_query_count_flat(pc):
    c = client_for(pc["admin"])

    def make(n):
        for i in range(n):
            p = factories.person(pc["c11"], f"丁{i}", datetime.date(1985, 1, 1 + i))
            services.referral_send(actor=pc["doctor"], person=p, from_facility=pc["clinic1"],
                                   to_facility=pc["hospital"], direction="up",
                                   urgency="routine", reason="复诊")
            services.outreach_open(actor=pc["admin"], person=p, missing="both")

    make(2)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as q:
            assert c.get(reverse("primarycare:referrals")).status_code == 200
            assert c.get(reverse("primarycare:outreach")).status_code == 200
            assert c.get("/api/primarycare/uninsured").status_code == 200
            assert c.get("/api/primarycare/referrals").status_code == 200
        counts.append(len(q))
        make(6)
    assert counts[0] == counts[1]
