"""Bad input on every form: refused in place (422), the message on its field and the
user's input kept; nothing written."""

import datetime

import pytest
from django.test import Client

from minsheng.eldercare.models import Allowance, Bed, BedPeriod, PaymentList, Stay
from minsheng.eldercare.services import allowances as svc
from minsheng.eldercare.services import stays as stay_svc
from tests import factories
from tests.eldercare.conftest import add_beds, elder

D = datetime.date
ACCOUNT = "6228480012345678901"


def login(actor):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(actor.user)
    return client


def refused(response, *kept):
    body = response.content.decode()
    assert response.status_code == 422, body[:300]
    assert 'role="alert"' in body
    for value in kept:
        assert str(value) in body, value
    return body


def test_institution_forms(world):
    worker = login(world["worker"])
    org = factories.organization(world["areas"]["c11"], "新机构", kind="eldercare")
    refused(worker.post("/eldercare/institutions/new/", {
        "organization": org.pk, "ownership": "public", "star_rating": 7, "licence_no": "L-77"}),
        "L-77")
    refused(worker.post("/eldercare/institutions/new/", {
        "organization": 999999, "ownership": "public", "star_rating": 1, "licence_no": "L-78"}),
        "L-78")
    inst = world["inst"]
    refused(worker.post(f"/eldercare/institutions/{inst.pk}/bed/", {
        "room": "一〇一", "number": "1", "bed_type": "general", "valid_from": "2025-01-01"}),
        "一〇一")
    refused(worker.post(f"/eldercare/institutions/{inst.pk}/bed/", {
        "room": "101", "number": "1", "bed_type": "general", "valid_from": "2025-13-01"}))
    assert not Bed.objects.filter(institution=inst).exists()
    refused(worker.post(f"/eldercare/institutions/{inst.pk}/edit/", {
        "version": inst.version + 5, "ownership": "private", "star_rating": 2,
        "licence_no": "改过的"}), "改过的")


def test_bed_and_stay_forms(world):
    worker = login(world["worker"])
    bed, other = add_beds(world["inst"], 2)
    refused(worker.post(f"/eldercare/beds/{bed.pk}/", {
        "on": "2023-06-01", "bed_type": "nursing", "status": "in_service", "note": "早于启用"}),
        "早于启用")
    assert BedPeriod.objects.filter(bed=bed).count() == 1
    p, q = elder(world["areas"]["c11"], "甲"), elder(world["areas"]["c11"], "乙")
    inst = world["inst"]
    refused(worker.post(f"/eldercare/institutions/{inst.pk}/admit/", {
        "id_number": "110101190001011234", "bed": bed.pk, "admitted_on": "2025-01-01"}),
        "110101190001011234")
    stay = stay_svc.stay_admit(actor=world["worker"], person=p, bed=bed,
                               admitted_on=D(2025, 1, 1))
    body = refused(worker.post(f"/eldercare/institutions/{inst.pk}/admit/", {
        "id_number": q.id_number, "bed": bed.pk, "admitted_on": "2025-02-01"}), q.id_number)
    assert "已有人入住" in body
    refused(worker.post(f"/eldercare/institutions/{inst.pk}/admit/", {
        "id_number": p.id_number, "bed": other.pk, "admitted_on": "2025-02-01"}), p.id_number)
    outsider_bed = add_beds(world["inst2"], 1)[0]
    refused(worker.post(f"/eldercare/institutions/{inst.pk}/admit/", {
        "id_number": q.id_number, "bed": outsider_bed.pk, "admitted_on": "2025-02-01"}))
    assert Stay.objects.count() == 1
    refused(worker.post(f"/eldercare/stays/{stay.pk}/", {
        "version": stay.version, "on": "2024-12-01", "reason": "home", "note": "太早"}), "太早")
    refused(worker.post(f"/eldercare/stays/{stay.pk}/", {
        "version": stay.version, "on": "2025-12-01", "reason": "vanished"}))
    stay.refresh_from_db()
    assert stay.state == "in_care"


@pytest.mark.parametrize("fields,kept", [
    ({"birth": D(1970, 1, 1)}, "starts"),  # under age
    ({"status": "deceased", "status_date": D(2024, 1, 1)}, "deceased"),
])
def test_allowance_application_refusals(world, fields, kept):
    p = elder(world["areas"]["c11"], **{"birth": D(1940, 1, 1), **fields})
    body = refused(login(world["worker"]).post("/eldercare/allowances/new/", {
        "id_number": p.id_number, "kind": "old_age", "bank_account": ACCOUNT,
        "applied_on": "2025-01-01"}), p.id_number, ACCOUNT)
    assert "公民身份号码" in body or "身份" in body
    assert not Allowance.objects.exists()


def test_allowance_forms(world):
    worker, approver = login(world["worker"]), login(world["approver"])
    p = elder(world["areas"]["c11"])
    refused(worker.post("/eldercare/allowances/new/", {
        "id_number": p.id_number, "kind": "old_age", "bank_account": "12ab",
        "applied_on": "2025-01-01"}), "12ab")
    a = svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account=ACCOUNT, applied_on=D(2025, 1, 1))
    refused(worker.post(f"/eldercare/allowances/{a.pk}/account/", {
        "version": a.version, "bank_account": "abc"}), "abc")
    refused(approver.post(f"/eldercare/allowances/{a.pk}/reject/", {
        "version": a.version, "reason": ""}))
    svc.allowance_decide(actor=world["approver"], allowance=a, version=a.version,
                         action="approve")
    a.refresh_from_db()
    refused(approver.post(f"/eldercare/allowances/{a.pk}/stop/", {
        "version": a.version, "last_month": "2025-03", "stop_reason": "death", "reason": ""}),
        "2025-03")
    refused(approver.post(f"/eldercare/allowances/{a.pk}/stop/", {
        "version": a.version, "last_month": "2024-02", "stop_reason": "death",
        "reason": "太早的月份"}), "太早的月份")
    refused(approver.post(f"/eldercare/allowances/{a.pk}/stop/", {
        "version": a.version - 1, "last_month": "2025-03", "stop_reason": "death",
        "reason": "版本过期"}), "版本过期")
    a.refresh_from_db()
    assert a.state == "active"


def test_payment_list_form(world):
    payer = login(world["payer"])
    refused(payer.post("/eldercare/payments/", {"area": world["areas"]["s1"].pk,
                                                "month": "2025-99"}), "2025-99")
    refused(payer.post("/eldercare/payments/", {"area": world["areas"]["c11"].pk,
                                                "month": "2025-01"}))  # not a paying area
    assert payer.post("/eldercare/payments/", {"area": world["areas"]["s1"].pk,
                                               "month": "2025-01"}).status_code == 302
    refused(payer.post("/eldercare/payments/", {"area": world["areas"]["s1"].pk,
                                                "month": "2025-01"}), "2025-01")
    assert PaymentList.objects.count() == 1
