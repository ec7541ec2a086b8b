"""The staff task through the pages alone, in Chinese: register an institution, add and
change beds, admit and discharge; apply for an allowance, approve it, build the month's
payment list and download it; check deaths, confirm a match, recover a payment."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from minsheng.core.models import AuditEntry, Person
from minsheng.eldercare.models import Allowance, Bed, DeathMatch, PaymentList, Recovery, Stay
from minsheng.eldercare.services import allowances as svc
from minsheng.eldercare.services import payments
from tests import factories
from tests.eldercare.conftest import add_beds, elder

D = datetime.date
ACCOUNT = "6228480012345678901"


def login(actor):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(actor.user)
    return client


def test_institution_beds_and_stays_through_the_pages(world):
    worker = login(world["worker"])
    org = factories.organization(world["areas"]["c11"], "甲一社区养老中心", kind="eldercare")
    page = worker.get("/eldercare/institutions/new/")
    assert page.status_code == 200 and "甲一社区养老中心" in page.content.decode()
    r = worker.post("/eldercare/institutions/new/", {"organization": org.pk,
                                                     "ownership": "public_private",
                                                     "star_rating": 2})
    assert r.status_code == 302
    inst = org.eldercare_institution
    r = worker.post(f"/eldercare/institutions/{inst.pk}/bed/", {
        "room": "201", "number": "1", "bed_type": "general", "valid_from": "2024-01-01"})
    assert r.status_code == 302
    bed = Bed.objects.get(institution=inst)
    r = worker.post(f"/eldercare/beds/{bed.pk}/", {"on": "2025-01-01", "bed_type": "nursing",
                                                   "status": "in_service"})
    assert r.status_code == 302
    history = worker.get(f"/eldercare/beds/{bed.pk}/").content.decode()
    assert "护理型床位" in history and "普通床位" in history
    p = elder(world["areas"]["c11"])
    r = worker.post(f"/eldercare/institutions/{inst.pk}/admit/", {
        "id_number": p.id_number, "bed": bed.pk, "admitted_on": "2025-02-01"})
    assert r.status_code == 302
    stay = Stay.objects.get(person=p)
    detail = worker.get(f"/eldercare/institutions/{inst.pk}/?on=2025-03-01").content.decode()
    assert p.name in detail
    home = worker.get("/eldercare/?on=2025-03-01").content.decode()
    assert "甲一社区养老中心" in home and "在用床位" in home
    r = worker.post(f"/eldercare/stays/{stay.pk}/", {"version": stay.version, "on": "2025-05-01",
                                                     "reason": "home"})
    assert r.status_code == 302
    stay.refresh_from_db()
    assert stay.state == "discharged"


def test_allowance_payment_death_and_recovery_through_the_pages(world):
    areas = world["areas"]
    worker, approver, payer = (login(world["worker"]), login(world["approver"]),
                               login(world["payer"]))
    p = elder(areas["c11"], "钱奶奶", birth=D(1938, 2, 2))
    r = worker.post("/eldercare/allowances/new/", {"id_number": p.id_number, "kind": "old_age",
                                                   "bank_account": ACCOUNT,
                                                   "applied_on": "2025-01-03"})
    assert r.status_code == 302
    a = Allowance.objects.get(person=p)
    assert "批准发放" not in worker.get(f"/eldercare/allowances/{a.pk}/").content.decode()
    r = approver.post(f"/eldercare/allowances/{a.pk}/approve/", {"version": a.version})
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="read", object_type="eldercare.allowance").exists()
    for month in ("2025-01", "2025-02", "2025-03"):
        r = payer.post("/eldercare/payments/", {"area": areas["s1"].pk, "month": month})
        assert r.status_code == 302, r.content.decode()[:500]
    plist = PaymentList.objects.get(month=D(2025, 3, 1))
    page = payer.get(f"/eldercare/payments/{plist.pk}/").content.decode()
    assert "钱奶奶" in page and "下载银行代发格式" in page
    xlsx = payer.get(f"/eldercare/payments/{plist.pk}/export.xlsx")
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows(
        values_only=True))
    assert rows[0][:2] == ("序号", "姓名") and rows[1][1] == "钱奶奶"
    r = approver.post(f"/eldercare/payments/{plist.pk}/approve/", {"version": plist.version})
    assert r.status_code == 302
    Person.objects.filter(pk=p.pk).update(status="deceased", status_date=D(2025, 2, 20))
    r = payer.post("/eldercare/matches/check/")
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.state, a.stop_month) == ("stopped", D(2025, 2, 1))
    rec = Recovery.objects.get(allowance=a)
    assert rec.line.month == D(2025, 3, 1)
    listing = approver.get("/eldercare/recoveries/").content.decode()
    assert "钱奶奶" in listing
    r = approver.post(f"/eldercare/recoveries/{rec.pk}/", {"version": rec.version,
                                                          "action": "recovered"})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.state == "recovered"
    r = payer.post("/eldercare/payments/", {"area": areas["s1"].pk, "month": "2025-04"})
    april = PaymentList.objects.get(month=D(2025, 4, 1))
    assert april.lines_count == 0


def test_a_held_match_is_decided_on_its_page(world):
    areas = world["areas"]
    p = elder(areas["c11"], "欧阳秀英", birth=D(1936, 4, 12), address="甲街道幸福路8号")
    a = svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account=ACCOUNT, applied_on=D(2025, 1, 3))
    svc.allowance_decide(actor=world["approver"], allowance=a, version=a.version,
                         action="approve")
    match = DeathMatch.objects.create(allowance=a, record=elder(areas["c12"], "欧阳秀英"),
                                      area=a.area, kind="death", event_date=D(2025, 2, 1),
                                      probability=0.95, explanation="prior -10")
    approver = login(world["approver"])
    page = approver.get(f"/eldercare/matches/{match.pk}/").content.decode()
    assert "待核实" in page and "非同一人" in page
    r = approver.post(f"/eldercare/matches/{match.pk}/", {"version": match.version,
                                                         "action": "dismiss", "reason": ""})
    assert r.status_code == 422  # a dismissal needs the reason; input kept
    r = approver.post(f"/eldercare/matches/{match.pk}/", {"version": match.version,
                                                         "action": "dismiss",
                                                         "reason": "出生日期不同，非同一人"})
    assert r.status_code == 302
    match.refresh_from_db()
    assert match.state == "dismissed"
    plist = payments.payment_list_build(actor=world["payer"], area=areas["s1"],
                                        month=D(2025, 3, 1))
    assert plist.lines_count == 1


def test_propose_through_the_page(world):
    elder(world["areas"]["c11"], "到龄", birth=D(1945, 3, 20))
    worker = login(world["worker"])
    r = worker.post("/eldercare/allowances/propose/", {"month": "2025-03"})
    assert r.status_code == 302
    assert Allowance.objects.filter(origin="proposed").count() == 1
    r = worker.post("/eldercare/allowances/propose/", {"month": "March"})
    assert r.status_code == 422


@pytest.mark.parametrize("user", ["supervisor", "other_dept"])
def test_figures_are_open_to_every_staff_role_but_people_are_not(world, user):
    add_beds(world["inst"], 2)
    client = login(world[user])
    home = client.get("/eldercare/")
    assert home.status_code == 200
    assert "老年人补贴" not in home.content.decode()  # no link to the people pages
    assert client.get("/eldercare/allowances/").status_code == 403
