"""Bad input on every form: refused in place (422) with the input kept, nothing changed."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minsheng.primarycare import services
from minsheng.primarycare.models import Alliance, Contract, Enrolment, Outreach, Referral, Team
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(actor):
    c = Client()
    c.force_login(actor.user)
    return c


def test_team_form(pc):
    c = client_for(pc["doctor"])
    r = c.post(reverse("primarycare:teams"), {"name": "新团队", "clinic": pc["hospital"].pk,
                                              "area": pc["c12"].pk, "leader": "李医生"})
    assert r.status_code == 422 and "新团队".encode() in r.content
    r = c.post(reverse("primarycare:teams"), {"name": "新团队", "clinic": pc["clinic1"].pk,
                                              "area": pc["s1"].pk, "leader": "李医生"})
    assert r.status_code == 422
    assert Team.objects.count() == 1
    r = c.post(reverse("primarycare:teams"), {"name": "新团队", "clinic": pc["clinic1"].pk,
                                              "area": pc["c12"].pk, "leader": "李医生"})
    assert r.status_code == 302 and Team.objects.count() == 2


def test_alliance_form(pc):
    c = client_for(pc["admin"])
    r = c.post(reverse("primarycare:alliance_new"), {"name": "", "lead": pc["hospital"].pk})
    assert r.status_code == 422
    r = c.post(reverse("primarycare:alliance_new"), {"name": "二号医联体",
                                                    "lead": pc["clinic1"].pk})
    assert r.status_code == 422 and Alliance.objects.count() == 1


def test_contract_act_forms(pc):
    p = factories.person(pc["c11"])
    contract = services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"],
                                      package="basic")
    c = client_for(pc["doctor"])
    url = reverse("primarycare:contract_act", args=[contract.pk, "terminate"])
    r = c.post(url, {"version": contract.version, "reason": ""})
    assert r.status_code == 422
    r = c.post(url, {"version": 999, "reason": "迁出"})
    assert r.status_code == 422 and "迁出".encode() in r.content
    contract.refresh_from_db()
    assert contract.state == "active"
    r = c.post(reverse("primarycare:contract_act", args=[contract.pk, "renew"]),
               {"version": contract.version, "package": "platinum"})
    assert r.status_code == 422 and Contract.objects.count() == 1


def test_referral_act_forms(pc):
    p = factories.person(pc["c11"])
    ref = services.referral_send(actor=pc["doctor"], person=p, from_facility=pc["clinic1"],
                                 to_facility=pc["hospital"], direction="up",
                                 urgency="routine", reason="复诊")
    c = client_for(pc["doctor"])
    r = c.post(reverse("primarycare:referral_act", args=[ref.pk, "decline"]),
               {"version": ref.version, "reason": ""})
    assert r.status_code == 422
    r = c.post(reverse("primarycare:referral_act", args=[ref.pk, "complete"]),
               {"version": ref.version, "outcome": "x"})
    assert r.status_code == 422  # not acknowledged yet
    ref.refresh_from_db()
    assert ref.state == "sent"


def test_import_form_lists_bad_rows(pc):
    a = factories.person(pc["c11"])
    content = ("证件号码,姓名,险种类型,参保日期,终止日期\n"
               f"{a.id_number},{a.name},110,2010-01-01,\n"
               f"{a.id_number[:-1]}0,{a.name},999,2010-01-01,\n").encode()
    c = client_for(pc["insurer"])
    r = c.post(reverse("primarycare:import"), {
        "as_of": "2026-01-01", "file": SimpleUploadedFile("x.csv", content)})
    assert r.status_code == 422
    body = r.content.decode()
    assert 'id="row-errors"' in body and "<td>3</td>" in body
    assert not Enrolment.objects.exists()
    r = c.post(reverse("primarycare:import"), {"as_of": "not a date"})
    assert r.status_code == 422


def test_outreach_act_forms(pc):
    p = factories.person(pc["c11"], birth=datetime.date(1990, 1, 1))
    case = services.outreach_open(actor=pc["insurer"], person=p, missing="both")
    c = client_for(pc["insurer"])
    url = reverse("primarycare:outreach_act", args=[case.pk, "enrol"])
    future = (datetime.date.today() + datetime.timedelta(days=9)).isoformat()
    r = c.post(url, {"version": case.version, "scheme": "medical_resident",
                     "start_date": future})
    assert r.status_code == 422 and future.encode() in r.content
    r = c.post(url, {"version": case.version, "scheme": "gold", "start_date": "2026-01-01"})
    assert r.status_code == 422
    r = c.post(reverse("primarycare:outreach_act", args=[case.pk, "close"]),
               {"version": case.version, "reason": ""})
    assert r.status_code == 422
    case.refresh_from_db()
    assert case.state == "open" and not Enrolment.objects.exists()
    assert Outreach.objects.count() == 1 and not Referral.objects.exists()


def test_contract_group_filter(pc):
    old = factories.person(pc["c11"], birth=datetime.date(1950, 1, 1))
    young = factories.person(pc["c11"], birth=datetime.date(1990, 1, 1))
    for p in (old, young):
        services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    r = client_for(pc["doctor"]).get(reverse("primarycare:contracts") + "?state=active"
                                                                          "&group=elderly")
    assert r.status_code == 200
    assert len(re.findall(rb"/primarycare/contracts/\d+/", r.content)) == 1
