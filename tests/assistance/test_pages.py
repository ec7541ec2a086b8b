"""Pages and API end to end (Django test client)."""

import json

import pytest

from minsheng.assistance.models import DibaoCase
from tests import factories
from tests.assistance.conftest import members, public_apply, sent_code
from tests.assistance.test_management import approved

pytestmark = pytest.mark.django_db


def form(world, key="k-1"):
    data = {"applicant_name": "王秀英", "applicant_id_number": world["head"].id_number,
            "phone": "13800000000", "bank_account": "6222", "idempotency_key": key}
    for i, p in enumerate((world["head"], world["son"])):
        data.update({f"m{i}_id": p.id_number, f"m{i}_wages": "300", f"m{i}_authorised": "on"})
    return data


def test_portal_apply_is_idempotent_and_trackable(client, world):
    r = public_apply(client, world["head"], form(world))
    assert r.status_code == 302
    r = client.get(r["Location"])
    case = DibaoCase.objects.get()
    assert case.reference in r.content.decode()
    # a replayed submission: its code is spent, and a new code with the same form key
    # finds the application already made
    again = client.post("/assistance/apply/details/", {**form(world), "code": sent_code()})
    assert again.status_code == 302 and again["Location"] == "/assistance/apply/"
    public_apply(client, world["head"], form(world))
    assert DibaoCase.objects.count() == 1
    # the lookup is posted: the ID number stays out of URLs and server logs
    status = client.post("/assistance/apply/status/", {"reference": case.reference,
                                                        "id_number": world["head"].id_number})
    assert status.status_code == 200 and "已提交" in status.content.decode()
    wrong = client.post("/assistance/apply/status/", {"reference": case.reference,
                                                       "id_number": world["son"].id_number})
    assert wrong.status_code == 404 and world["son"].id_number in wrong.content.decode()


def test_portal_rejects_bad_input_with_message(client, world):
    data = form(world)
    data["m0_wages"] = "-1"
    r = public_apply(client, world["head"], data)
    assert r.status_code == 422 and DibaoCase.objects.count() == 0
    assert 'value="-1"' in r.content.decode()


def test_staff_pages_render(client, world):
    benefit = approved(world)
    client.login(username="ap", password="pw-for-tests-123")
    for url in ("/assistance/", "/assistance/?tab=overdue", "/assistance/?tab=all",
                f"/assistance/cases/{benefit.case_id}/", "/assistance/approvals/",
                "/assistance/verification/", "/assistance/reviews/", "/assistance/payments/"):
        assert client.get(url).status_code == 200, url
    r = client.post("/assistance/payments/new/", {"area": world["s1"].code,
                                                  "month": "2026-11"})
    assert r.status_code == 302
    assert client.get(r["Location"] + "xlsx/").status_code == 200


def test_case_outside_scope_is_not_found(client, world):
    approved(world)
    client.login(username="cw2", password="pw-for-tests-123")
    case = DibaoCase.objects.get()
    assert client.get(f"/assistance/cases/{case.pk}/").status_code == 404


def test_api_public_apply_and_status(client, world):
    who = {"applicant_id_number": world["head"].id_number, "applicant_name": "王秀英"}
    body = {**who, "members": members(world), "idempotency_key": "api-1"}
    for m in body["members"]:
        m["assets"] = {k: str(v) for k, v in m.get("assets", {}).items()}

    def post(url, data):
        return client.post(url, json.dumps(data), content_type="application/json")

    without_code = post("/api/assistance/apply", body)
    assert without_code.status_code == 422 and not DibaoCase.objects.exists()
    code = post("/api/assistance/apply/code", who)
    assert code.status_code == 202
    r = post("/api/assistance/apply", {**body, "challenge": code.json()["challenge"],
                                       "code": sent_code()})
    assert r.status_code == 201, r.content
    spent = post("/api/assistance/apply", {**body, "challenge": code.json()["challenge"],
                                           "code": sent_code()})
    assert spent.status_code == 422  # a code proves one submission
    code = post("/api/assistance/apply/code", who)
    again = post("/api/assistance/apply", {**body, "challenge": code.json()["challenge"],
                                           "code": sent_code()})
    assert again.status_code == 200 and again.json()["reference"] == r.json()["reference"]
    s = post("/api/assistance/status", {"reference": r.json()["reference"],
                                        "id_number": world["head"].id_number})
    assert s.json()["state"] == "submitted"
    assert client.get("/api/assistance/cases").status_code == 401


def test_pages_read_in_chinese_without_codes(client, world):
    """Every assistance page with one record of each kind: no English message ids and no
    raw codes in the Chinese page (the role crawler's check)."""
    from minsheng.core.access import system_actor
    from minsheng.core.services import calendar_year_confirm
    from tests.assistance.test_access_matrix import records
    from tests.crawler import parse, text_problems

    calendar_year_confirm(actor=system_actor(), year=2027, source="test: weekdays only")
    r = records(world["c11"], world["s1"], tag="中")
    client.login(username="admin", password="pw-for-tests-123")
    urls = ["/assistance/", "/assistance/?tab=all&state=", "/assistance/approvals/",
            "/assistance/benefits/?state=all", f"/assistance/benefits/{r['benefit'].pk}/",
            f"/assistance/cases/{r['case'].pk}/", "/assistance/reviews/",
            f"/assistance/verification/{r['finding'].run_id}/", "/assistance/payments/",
            f"/assistance/payments/{r['roster'].pk}/", "/assistance/temporary/?state=",
            f"/assistance/temporary/{r['grant'].pk}/", "/assistance/temporary/new/",
            "/assistance/tekun/?state=", "/assistance/tekun/?tab=supported",
            f"/assistance/tekun/{r['tekun_case'].pk}/", "/assistance/tekun/new/",
            f"/assistance/tekun/supported/{r['support'].pk}/", "/assistance/tekun/spot-checks/",
            f"/assistance/tekun/spot-checks/{r['draw'].pk}/", "/assistance/office/new/",
            "/assistance/apply/", "/assistance/apply/status/"]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        assert text_problems(parse(response.content.decode()).text) == [], url


def test_public_form_names_nobody_else(client, world, areas):
    """The public form is not a lookup service: a member from another household, a
    missing member or an open application all get one message that names nobody."""
    stranger = factories.person(areas["c12"], "陈某")
    factories.household(areas["c12"], [(stranger, "head")])
    data = form(world)
    data["m2_id"] = stranger.id_number
    other = public_apply(client, world["head"], data).content.decode()
    missing = public_apply(client, world["head"], {k: v for k, v in form(world).items()
                                                   if not k.startswith("m1_")})
    assert missing.status_code == 422
    missing = missing.content.decode()
    assert "陈某" not in other and "王磊" not in missing
    public_apply(client, world["head"], form(world, key="first"))
    case = DibaoCase.objects.get()
    again = public_apply(client, world["head"], form(world, key="second")).content.decode()
    assert case.reference not in again and DibaoCase.objects.count() == 1
