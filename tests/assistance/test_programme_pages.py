"""Temporary assistance and tekun support in the browser's terms (Django test client):
forms, detail pages, workflow actions, self-care assessment, spot-check draw."""

import datetime

import pytest

from minsheng.assistance.models import SpotCheckDraw, TekunCase, TekunPerson, TemporaryGrant
from minsheng.assistance.services import spot_checks
from minsheng.casework.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db
PW = "pw-for-tests-123"


def v(record, **data):
    """A page action's form data: the version the user read, and the inputs."""
    record.refresh_from_db()
    return {"version": record.version, **data}


def grant_form(world, **extra):
    return {"kind": "emergency", "applicant_id_number": world["head"].id_number,
            "cause": "火灾", "amount": "3000", "description": "房屋失火",
            "grant_now": "on", **extra}


def test_caseworker_grants_emergency_help_and_completes_paperwork(client, world):
    client.login(username="cw", password=PW)
    page = client.get("/assistance/temporary/new/").content.decode()
    assert "3690" in page and "14760" in page  # 3 x and 12 x the 1230 standard
    level = client.get("/assistance/temporary/level/", {"amount": "3000"}).content.decode()
    assert "街道" in level and "立即" in level  # subdistrict level, can be granted at once
    level = client.get("/assistance/temporary/level/", {"amount": "6000"}).content.decode()
    assert "区级" in level
    too_much = client.get("/assistance/temporary/level/", {"amount": "20000"})
    assert "超过" in too_much.content.decode()

    r = client.post("/assistance/temporary/new/", grant_form(world, idempotency_key="t-1"))
    assert r.status_code == 302
    grant = TemporaryGrant.objects.get()
    assert grant.state == "granted"  # paid at once: help first
    assert FollowUp.objects.filter(source_id=str(grant.pk), state="open").exists()
    detail = client.get(r["Location"]).content.decode()
    assert "3000" in detail and 'id="obligations"' in detail and "data-obligation" in detail
    assert "街道" in detail  # approval level shown

    # completing before the paperwork is done is refused with the open obligations
    early = client.post(f"/assistance/temporary/{grant.pk}/act/complete/", v(grant))
    assert early.status_code == 422 and grant.obligations[0] in early.content.decode()
    for obligation in list(grant.obligations):
        r = client.post(f"/assistance/temporary/{grant.pk}/act/obligation/",
                        v(grant, obligation=obligation))
        assert r.status_code == 302
    assert 'id="paperwork-done"' in client.get(r["Location"]).content.decode()
    client.post(f"/assistance/temporary/{grant.pk}/act/complete/", v(grant))
    grant.refresh_from_db()
    assert grant.state == "completed" and grant.obligations == []
    assert not FollowUp.objects.filter(source_id=str(grant.pk), state="open").exists()
    detail = client.get(f"/assistance/temporary/{grant.pk}/").content.decode()
    assert "已完成" in detail or "办结" in detail or "完成" in detail

    # one grant per cause per year: a second needs an override reason
    again = client.post("/assistance/temporary/new/", grant_form(world, amount="1000"))
    assert again.status_code == 422 and 'id="form-error"' in again.content.decode()
    assert TemporaryGrant.objects.count() == 1
    ok = client.post("/assistance/temporary/new/",
                     grant_form(world, amount="1000", override_reason="再次失火"))
    assert ok.status_code == 302
    assert "再次失火" in client.get(ok["Location"]).content.decode()

    listing = client.get("/assistance/temporary/", {"kind": "emergency", "state": ""})
    assert listing.content.decode().count("/assistance/temporary/") >= 2
    assert client.get("/assistance/temporary/", {"obligations": "open"}).status_code == 200
    assert "temporary/" in client.get("/assistance/").content.decode()


def test_expenditure_grant_is_investigated_and_approved_at_district_level(client, world):
    client.login(username="cw", password=PW)
    r = client.post("/assistance/temporary/new/", {
        "kind": "expenditure", "applicant_id_number": world["head"].id_number,
        "cause": "重病", "amount": "6000", "per_capita_income": "900"})
    assert r.status_code == 302
    grant = TemporaryGrant.objects.get()
    assert grant.state == "applied" and grant.approval_level == "district"
    assert 'data-action="grant_emergency"' not in client.get(r["Location"]).content.decode()
    client.post(f"/assistance/temporary/{grant.pk}/act/investigate/", v(grant))
    client.logout()
    client.login(username="rv", password=PW)  # the subdistrict may not approve this much
    page = client.get(f"/assistance/temporary/{grant.pk}/").content.decode()
    assert 'data-action="approve_subdistrict"' not in page
    client.logout()
    client.login(username="ap", password=PW)
    client.post(f"/assistance/temporary/{grant.pk}/act/approve/", v(grant))
    grant.refresh_from_db()
    assert grant.state == "approved"


def test_tekun_recognition_with_self_care_assessment(client, world):
    elder = factories.person(world["c11"], "孙老汉", datetime.date(1948, 4, 2))
    client.login(username="cw", password=PW)
    assert client.get("/assistance/tekun/new/").status_code == 200
    checks = client.post("/assistance/tekun/check/", {"id_number": elder.id_number,
                                                      "monthly_income": "200"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert 'id="recognised"' in checks and checks.count("✓") == 3
    supported = client.post("/assistance/tekun/check/", {
        "id_number": elder.id_number, "monthly_income": "200", "has_able_supporter": "on"},
        HTTP_HX_REQUEST="true").content.decode()
    assert "✗" in supported

    r = client.post("/assistance/tekun/new/", {"id_number": elder.id_number,
                                               "monthly_income": "200",
                                               "support_mode": "centralised"})
    assert r.status_code == 302
    case = TekunCase.objects.get()
    url = f"/assistance/tekun/{case.pk}/"
    page = client.get(url).content.decode()
    assert "table class=\"clocks\"" in page and 'data-action="investigate"' in page
    client.post(url + "act/investigate/", v(case))
    client.post(url + "act/publish_notice/", v(case))
    early = client.post(url + "act/send_file/", v(case))  # the 7-day notice is still running
    assert early.status_code == 422
    page = client.get(url).content.decode()
    assert page.count('data-clock="') == 2  # investigation done, notice running
    TekunCase.objects.filter(pk=case.pk).update(notice_end=datetime.date.today())
    client.post(url + "act/send_file/", v(case))
    client.logout()
    client.login(username="ap", password=PW)
    client.post(url + "act/approve/", v(case))
    case.refresh_from_db()
    assert case.state == "approved"
    page = client.get(url).content.decode()
    assert page.count('data-clock="') == 3 and 'id="support"' in page
    tekun = TekunPerson.objects.get(person=elder)
    assert tekun.support_mode == "centralised"

    client.logout()
    client.login(username="cw", password=PW)
    person_url = f"/assistance/tekun/supported/{tekun.pk}/"
    client.post(person_url + "change/", v(tekun, note="跌倒骨折"))
    assert 'id="reassess-due"' in client.get(person_url).content.decode()
    assert "孙老汉" in client.get("/assistance/tekun/", {"tab": "reassess"}).content.decode()
    r = client.post(person_url + "adl/", v(tekun, failed=["eating", "dressing", "transfer",
                                                          "bathing"]))
    assert r.status_code == 302
    tekun.refresh_from_db()
    assert tekun.care_level == "fully_dependent" and tekun.reassess_due is None
    page = client.get(person_url).content.decode()
    assert "完全" in page and 'id="reassess-due"' not in page

    # the approver draws the spot check: reproducible from the stored seed
    client.logout()
    client.login(username="ap", password=PW)
    assert client.get("/assistance/tekun/spot-checks/").status_code == 200
    today = datetime.date.today()
    r = client.post("/assistance/tekun/spot-checks/new/", {
        "area": world["district"].code, "start": today.replace(day=1).isoformat(),
        "end": today.isoformat(), "seed": "20261129"})
    assert r.status_code == 302
    draw = SpotCheckDraw.objects.get()
    assert draw.seed == 20261129 and draw.drawn == [case.pk]
    assert spot_checks.draw(draw.population, draw.seed, draw.share) == draw.drawn
    page = client.get(r["Location"]).content.decode()
    assert "20261129" in page and case.reference in page and "✓" in page


def test_tekun_form_shows_domain_errors(client, world):
    client.login(username="cw", password=PW)
    r = client.post("/assistance/tekun/new/", {"id_number": world["head"].id_number,
                                               "monthly_income": "-5"})
    assert r.status_code == 422 and 'id="form-error"' in r.content.decode()
    unknown = client.post("/assistance/tekun/new/", {"id_number": "110101199001011234"})
    assert unknown.status_code == 422


def test_programme_pages_outside_scope_are_not_found(client, world):
    client.login(username="cw", password=PW)
    client.post("/assistance/temporary/new/", grant_form(world))
    elder = factories.person(world["c11"], "孙老汉", datetime.date(1948, 4, 2))
    client.post("/assistance/tekun/new/", {"id_number": elder.id_number})
    grant, case = TemporaryGrant.objects.get(), TekunCase.objects.get()
    client.logout()
    client.login(username="cw2", password=PW)  # caseworker of the other subdistrict
    for url in (f"/assistance/temporary/{grant.pk}/", f"/assistance/tekun/{case.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assistance/temporary/{grant.pk}/act/complete/",
                       v(grant)).status_code == 404
    assert client.post(f"/assistance/tekun/{case.pk}/act/investigate/",
                       v(case)).status_code == 404
    assert grant.reference not in client.get("/assistance/temporary/").content.decode()
    # a resident of another subdistrict cannot be entered either
    r = client.post("/assistance/temporary/new/", grant_form(world))
    assert r.status_code == 422 and TemporaryGrant.objects.count() == 1
    # drawing a spot check needs the district's management permission
    r = client.post("/assistance/tekun/spot-checks/new/", {
        "area": world["s2"].code, "start": "2026-11-01", "end": "2026-11-30"})
    assert r.status_code in (403, 404)
