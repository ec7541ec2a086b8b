"""Every list page and list endpoint runs the same number of queries for a few rows as
for many (no query per row)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.core.access import system_actor
from minsheng.eldercare.models import DeathMatch, PaymentList, Recovery
from minsheng.eldercare.services import allowances as svc
from minsheng.eldercare.services import payments
from minsheng.eldercare.services import stays as stay_svc
from tests.eldercare.conftest import add_beds, elder

D = datetime.date
_n = itertools.count(1)


def populate(world, n):
    sys = system_actor()
    inst = world["inst"]
    beds = add_beds(inst, n, room=f"R{next(_n)}")
    for bed in beds:
        p = elder(world["areas"]["c11"], f"老人{next(_n)}", birth=D(1935, 1, 1))
        stay_svc.stay_admit(actor=sys, person=p, bed=bed, admitted_on=D(2025, 1, 1))
        a = svc.allowance_apply(actor=sys, person=p, kind="old_age",
                                bank_account="6228480012345678901", applied_on=D(2025, 1, 1))
        svc.allowance_decide(actor=sys, allowance=a, version=a.version, action="approve")
    month = D(2025, 1, 1) + datetime.timedelta(days=31 * next(_n))
    plist = payments.payment_list_build(actor=sys, area=world["areas"]["s1"], month=month)
    for line in plist.lines.select_related("allowance")[:n]:
        record = elder(world["areas"]["c12"], "记录", status="deceased", status_date=month)
        DeathMatch.objects.create(allowance=line.allowance, record=record,
                                  area=line.allowance.area, kind="death", event_date=month)
        Recovery.objects.create(line=line, allowance=line.allowance, area=line.allowance.area,
                                amount=line.amount)
    return inst


PAGES = ["/eldercare/", "/eldercare/?on=2025-06-01", "/eldercare/institutions/{inst}/",
         "/eldercare/allowances/", "/eldercare/allowances/?state=active&kind=old_age",
         "/eldercare/payments/", "/eldercare/payments/{list}/", "/eldercare/matches/",
         "/eldercare/recoveries/", "/api/eldercare/allowances", "/api/eldercare/figures",
         "/api/eldercare/payment-lists"]


def counts(client, inst):
    plist = PaymentList.objects.order_by("-id").first()
    out = {}
    for pattern in PAGES:
        url = pattern.format(inst=inst.pk, list=plist.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        out[pattern] = len(ctx)
    return out


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_rows(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world["payer"].user)
    inst = populate(world, 2)
    few = counts(client, inst)
    populate(world, 12)
    many = counts(client, inst)
    assert few == many
