"""Every role × in/out of scope × read/write, through the pages and the API, for each of
social assistance's record types; a refused write changes nothing.

Every user holds their role in 甲街道 (s1); the "in" records lie in one of its communities,
the "out" records in 乙街道 (s2)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from minsheng.assistance import services
from minsheng.assistance.models import (
    BenefitMember,
    DibaoBenefit,
    DibaoCase,
    Discrepancy,
    PaymentLine,
    PaymentRoster,
    SpotCheckDraw,
    TekunCase,
    TekunPerson,
    TemporaryGrant,
    VerificationRun,
)
from minsheng.core.access import system_actor
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
VIEW = {"system_admin", "department_admin", "caseworker", "reviewer", "approver", "auditor"}
APPLY = {"system_admin", "caseworker"}
RESOLVE = {"system_admin", "caseworker", "reviewer"}
MANAGE = {"system_admin", "department_admin", "approver"}
PAY = {"system_admin", "department_admin", "approver"}
D = datetime.date


def records(community, subdistrict, tag: str) -> dict:
    """One record of each kind in `community` (set up by the platform)."""
    system = system_actor()
    head = factories.person(community, f"户主{tag}", D(1970, 1, 1))
    factories.household(community, [(head, "head")])
    case, _ = services.dibao_apply(actor=system, channel="office",
                                   applicant_id_number=head.id_number,
                                   applicant_name=head.name,
                                   members=[{"id_number": head.id_number, "authorised": True,
                                             "income": {"wages": "100"}}])
    benefit = DibaoBenefit.objects.create(
        household=case.household, area=community, case=case, payee=head,
        bank_account="6222000011112222", members=1, monthly_amount=Decimal("1130"),
        standard=Decimal("1230"), start_month=D(2026, 11, 1), next_review_due=D(2027, 5, 1))
    BenefitMember.objects.create(benefit=benefit, person=head, share=Decimal("1130"))
    run = VerificationRun.objects.create(area=community, case=case, label=case.reference)
    finding = Discrepancy.objects.create(run=run, area=community, case=case,
                                         household=case.household, person=head,
                                         source="vehicle", kind="undeclared_vehicle",
                                         declared=0, found=50000)
    other = factories.person(community, f"申请人{tag}", D(1975, 1, 1))
    factories.household(community, [(other, "head")])
    grant = services.temporary_apply(actor=system, kind="expenditure", applicant=other,
                                     cause="重病", amount=1000, per_capita_income=100)
    elder = factories.person(community, f"老人{tag}", D(1940, 1, 1))
    tekun_case = services.tekun_apply(actor=system, person=elder)
    supported = factories.person(community, f"供养{tag}", D(1941, 1, 1))
    supported_case = services.tekun_apply(actor=system, person=supported)
    support = TekunPerson.objects.create(
        person=supported, area=community, case=supported_case, support_mode="home",
        monthly_amount=Decimal("1599"), start_month=D(2026, 11, 1),
        next_review_due=D(2027, 11, 1))
    roster = PaymentRoster.objects.create(area=subdistrict, month=D(2026, 11, 1),
                                          lines_count=1, total=Decimal("1130"))
    line = PaymentLine.objects.create(roster=roster, programme="dibao", benefit_id=benefit.pk,
                                      payee=head, account="6222000011112222",
                                      amount=Decimal("1130"))
    draw = SpotCheckDraw.objects.create(area=subdistrict, seed=1, share=0.3, population=[],
                                        drawn=[], period_start=D(2026, 9, 1),
                                        period_end=D(2026, 9, 30))
    return {"case": case, "benefit": benefit, "finding": finding, "grant": grant,
            "tekun_case": tekun_case, "support": support, "roster": roster, "line": line,
            "draw": draw, "subdistrict": subdistrict}


@pytest.fixture
def places(areas):
    # today's 30-working-day limits run into 2027, which chinese-calendar does not know
    from minsheng.core.services import calendar_year_confirm

    calendar_year_confirm(actor=system_actor(), year=2027, source="test: weekdays only")
    return {"in": (areas["c11"], areas["s1"]), "out": (areas["c21"], areas["s2"])}


def client_for(role, areas):
    client = Client()
    client.force_login(factories.user(f"u_{role}", role, areas["s1"]))
    return client


def read_status(role, where):
    return 200 if role in VIEW and where == "in" else 404


def write_status(role, where, allowed, success):
    if where == "out" or role not in VIEW:
        return 404
    return success if role in allowed else 403


def snapshot(record):
    record.refresh_from_db()
    return (getattr(record, "state", None), getattr(record, "version", None))


# what each write needs, who may do it, and the page and API calls that try it
def writes(r):
    case, benefit, finding, line = r["case"], r["benefit"], r["finding"], r["line"]
    return [
        ("case", APPLY, f"/assistance/cases/{case.pk}/act/accept/", {"version": case.version},
         f"/api/assistance/cases/{case.pk}/actions/accept", {"version": case.version}),
        ("benefit", MANAGE, f"/assistance/benefits/{benefit.pk}/act/exit/",
         {"version": benefit.version, "reason": "收入超标"},
         f"/api/assistance/benefits/{benefit.pk}/exit",
         {"version": benefit.version, "reason": "收入超标"}),
        ("finding", RESOLVE, f"/assistance/findings/{finding.pk}/resolve/",
         {"version": finding.version, "status": "confirmed", "resolution": "属实"},
         f"/api/assistance/findings/{finding.pk}/resolve",
         {"version": finding.version, "status": "confirmed", "resolution": "属实"}),
        ("line", PAY, f"/assistance/payments/lines/{line.pk}/returned/",
         {"version": line.version, "reason": "账户已销户"},
         f"/api/assistance/payments/lines/{line.pk}/returned",
         {"version": line.version, "reason": "账户已销户"}),
        ("grant", APPLY, f"/assistance/temporary/{r['grant'].pk}/act/investigate/",
         {"version": r["grant"].version}, None, None),
        ("tekun_case", APPLY, f"/assistance/tekun/{r['tekun_case'].pk}/act/investigate/",
         {"version": r["tekun_case"].version}, None, None),
        ("support", APPLY, f"/assistance/tekun/supported/{r['support'].pk}/change/",
         {"version": r["support"].version, "note": "跌倒"}, None, None),
    ]


def reads(r):
    return [
        (f"/assistance/cases/{r['case'].pk}/", f"/api/assistance/cases/{r['case'].pk}"),
        (f"/assistance/benefits/{r['benefit'].pk}/",
         f"/api/assistance/benefits/{r['benefit'].pk}"),
        (f"/assistance/verification/{r['finding'].run_id}/",
         f"/api/assistance/verification/runs/{r['finding'].run_id}/findings"),
        (f"/assistance/temporary/{r['grant'].pk}/", None),
        (f"/assistance/tekun/{r['tekun_case'].pk}/", None),
        (f"/assistance/tekun/supported/{r['support'].pk}/", None),
        (f"/assistance/payments/{r['roster'].pk}/", None),
        (f"/assistance/tekun/spot-checks/{r['draw'].pk}/", None),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_pages_read_and_write(role, where, areas, places):
    client = client_for(role, areas)
    r = records(*places[where], tag="页")
    for url, _api in reads(r):
        assert client.get(url).status_code == read_status(role, where), url
    for name, allowed, url, data, _api, _body in writes(r):
        before = snapshot(r[name])
        expected = write_status(role, where, allowed, 302)
        response = client.post(url, data)
        assert response.status_code == expected, (url, response.content[:300])
        if expected != 302:
            assert snapshot(r[name]) == before, name
        else:
            assert snapshot(r[name]) != before, name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["in", "out"])
def test_api_read_and_write(role, where, areas, places):
    client = client_for(role, areas)
    r = records(*places[where], tag="接口")
    for _page, url in reads(r):
        if url:
            response = client.get(url)
            assert response.status_code == read_status(role, where), url
            if response.status_code == 200:
                assert r["case"].applicant.id_number not in response.content.decode()
    lines = client.get(f"/api/assistance/payments/rosters/{r['roster'].pk}/lines")
    assert lines.status_code == write_status(role, where, PAY, 200)  # accounts: payers only
    for name, allowed, _page, _data, url, body in writes(r):
        if url is None:
            continue
        before = snapshot(r[name])
        expected = write_status(role, where, allowed, 200)
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == expected, (url, response.content[:300])
        assert set(response.json()) == {"code", "message", "details"} or expected == 200
        if expected != 200:
            assert snapshot(r[name]) == before, name


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_scope(role, areas, places):
    inside = records(*places["in"], tag="内")
    outside = records(*places["out"], tag="外")
    client = client_for(role, areas)
    api = client.get("/api/assistance/cases", {"state": ""})
    page = client.get("/assistance/", {"tab": "all", "state": ""})
    if role not in VIEW:
        assert api.status_code == 403 and page.status_code == 403
        return
    assert {c["id"] for c in api.json()["items"]} == {inside["case"].pk}
    html = page.content.decode()
    assert inside["case"].reference in html and outside["case"].reference not in html
    benefits = client.get("/api/assistance/benefits").json()["items"]
    assert {b["id"] for b in benefits} == {inside["benefit"].pk}


@pytest.mark.parametrize("role", ["caseworker", "reviewer", "auditor"])
def test_writers_without_the_permission_are_refused_on_creation_pages(role, areas, places):
    """Pages that create records: the form is refused to roles that may not create."""
    client = client_for(role, areas)
    can_apply = role in APPLY
    assert client.get("/assistance/office/new/").status_code == (200 if can_apply else 403)
    assert client.get("/assistance/temporary/new/").status_code == (200 if can_apply else 403)
    assert client.get("/assistance/tekun/new/").status_code == (200 if can_apply else 403)
    response = client.post("/assistance/payments/new/", {"area": areas["s1"].code,
                                                         "month": "2026-11"})
    assert response.status_code == 403 and not PaymentRoster.objects.exists()
    response = client.post("/assistance/tekun/spot-checks/new/", {
        "area": areas["s1"].code, "start": "2026-09-01", "end": "2026-09-30"})
    assert response.status_code == 403 and not SpotCheckDraw.objects.exists()


def test_out_of_scope_resident_is_the_same_refusal_as_an_unknown_one(areas, places):
    """Creating a record for a resident of another subdistrict says 'not found', exactly
    as for an ID that does not exist (no existence oracle)."""
    stranger = factories.person(areas["c21"], "外人", D(1940, 1, 1))
    factories.household(areas["c21"], [(stranger, "head")])
    client = client_for("caseworker", areas)
    outside = client.post("/assistance/tekun/new/", {"id_number": stranger.id_number})
    unknown = client.post("/assistance/tekun/new/", {"id_number": "110101194001011234"})
    assert outside.status_code == unknown.status_code == 422
    assert not TekunCase.objects.exists()
    body = {"applicant_id_number": stranger.id_number, "applicant_name": "外人",
            "members": [{"id_number": stranger.id_number, "authorised": True}]}
    outside = client.post("/api/assistance/cases", json.dumps(body),
                          content_type="application/json")
    body["applicant_name"] = "无此人"
    unknown = client.post("/api/assistance/cases", json.dumps(body),
                          content_type="application/json")
    assert outside.status_code == unknown.status_code == 422
    assert outside.json() == unknown.json()
    assert not DibaoCase.objects.exists() and not TemporaryGrant.objects.exists()
