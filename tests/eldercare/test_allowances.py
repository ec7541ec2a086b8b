"""Allowances: applications and their refusals, proposals from the registry, payment
lists priced by age tier, and the stop at death on the linkage engine with recovery of
what went out after the death month."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from minsheng.core.errors import Conflict, PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry, Person
from minsheng.eldercare import sources
from minsheng.eldercare.models import Allowance, DeathMatch, PaymentLine, Recovery
from minsheng.eldercare.services import allowances as svc
from minsheng.eldercare.services import deaths, payments
from tests import factories
from tests.eldercare.conftest import elder

D = datetime.date
ACCOUNT = "6228480012345678901"


def active(world, person, kind="old_age", applied_on=D(2025, 1, 10)):
    a = svc.allowance_apply(actor=world["worker"], person=person, kind=kind,
                            bank_account=ACCOUNT, applied_on=applied_on)
    return svc.allowance_decide(actor=world["approver"], allowance=a, version=a.version,
                                action="approve")


def test_apply_and_approve(world):
    p = elder(world["areas"]["c11"], birth=D(1940, 3, 5))
    a = svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account="6228 4800 1234 5678 901", applied_on=D(2025, 1, 10))
    assert (a.state, a.start_month, a.bank_account) == ("applied", D(2025, 1, 1), ACCOUNT)
    with pytest.raises(PermissionDenied):  # the caseworker applies, the approver decides
        svc.allowance_decide(actor=world["worker"], allowance=a, version=a.version,
                             action="approve")
    svc.allowance_decide(actor=world["approver"], allowance=a, version=a.version,
                         action="approve")
    a.refresh_from_db()
    assert a.state == "active"
    with pytest.raises(StaleVersion):
        svc.allowance_stop(actor=world["approver"], allowance=a, version=a.version - 1,
                           last_month=D(2025, 5, 1), stop_reason="other", reason="x")


@pytest.mark.parametrize("field,kwargs,error", [
    ("person", {"birth": D(1960, 1, 1)}, "starts at 80"),
    ("person", {"status": "deceased", "status_date": D(2024, 12, 1)}, "Deceased"),
])
def test_apply_refuses_under_age_and_deceased(world, field, kwargs, error):
    p = elder(world["areas"]["c11"], **{"birth": D(1940, 1, 1), **kwargs})
    with pytest.raises(ValidationFailed, match=error) as err:
        svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account=ACCOUNT, applied_on=D(2025, 1, 10))
    assert err.value.details["field"] == field
    assert not Allowance.objects.exists()


def test_apply_refuses_bad_account_duplicate_and_missing_fact(world):
    p = elder(world["areas"]["c11"])
    with pytest.raises(ValidationFailed) as err:
        svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account="12ab", applied_on=D(2025, 1, 10))
    assert err.value.details["field"] == "bank_account"
    svc.allowance_apply(actor=world["worker"], person=p, kind="old_age", bank_account=ACCOUNT,
                        applied_on=D(2025, 1, 10))
    with pytest.raises(Conflict):
        svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account=ACCOUNT, applied_on=D(2025, 1, 10))
    # the care subsidy needs a disability certificate (fact core.disabled)
    with pytest.raises(ValidationFailed, match="does not qualify"):
        svc.allowance_apply(actor=world["worker"], person=p, kind="care_subsidy",
                            bank_account=ACCOUNT, applied_on=D(2025, 1, 10))
    outsider = elder(world["areas"]["c21"])
    with pytest.raises(PermissionDenied):
        svc.allowance_apply(actor=world["worker"], person=outsider, kind="old_age",
                            bank_account=ACCOUNT, applied_on=D(2025, 1, 10))


def test_people_reaching_the_age_are_proposed_within_the_month(world):
    areas = world["areas"]
    turning = elder(areas["c11"], "到龄", birth=D(1945, 3, 20))  # 80 on 2025-03-20
    elder(areas["c11"], "未到龄", birth=D(1945, 4, 2))
    has = elder(areas["c11"], "已申请", birth=D(1930, 1, 1))
    svc.allowance_apply(actor=world["worker"], person=has, kind="old_age",
                        bank_account=ACCOUNT, applied_on=D(2025, 1, 5))
    elder(areas["c21"], "别处", birth=D(1945, 3, 1))  # outside the worker's area
    n = svc.allowances_propose(actor=world["worker"], month=D(2025, 3, 1))
    assert n == 1
    proposal = Allowance.objects.get(origin="proposed")
    assert (proposal.person, proposal.start_month, proposal.state) == (
        turning, D(2025, 3, 1), "applied")
    assert svc.allowances_propose(actor=world["worker"], month=D(2025, 3, 1)) == 0
    with pytest.raises(ValidationFailed):  # no account yet
        svc.allowance_decide(actor=world["approver"], allowance=proposal,
                             version=proposal.version, action="approve")
    svc.allowance_complete(actor=world["worker"], allowance=proposal,
                           version=proposal.version, bank_account=ACCOUNT)
    proposal.refresh_from_db()
    svc.allowance_decide(actor=world["approver"], allowance=proposal,
                         version=proposal.version, action="approve")


def test_payment_list_prices_by_age_tier_and_exports_the_bank_layout(world, tmp_path):
    areas = world["areas"]
    active(world, elder(areas["c11"], "八十", birth=D(1940, 3, 5)))
    active(world, elder(areas["c11"], "九十", birth=D(1934, 6, 30)))  # 90 in June 2024
    active(world, elder(areas["c11"], "百岁", birth=D(1924, 2, 1)))
    plist = payments.payment_list_build(actor=world["payer"], area=areas["s1"],
                                        month=D(2025, 2, 1))
    amounts = sorted(plist.lines.values_list("amount", flat=True))
    assert amounts == [Decimal(100), Decimal(200), Decimal(500)]
    assert plist.total == Decimal(800) and plist.lines_count == 3
    with pytest.raises(Conflict):
        payments.payment_list_build(actor=world["payer"], area=areas["s1"],
                                    month=D(2025, 2, 1))
    target = tmp_path / "list.xlsx"
    payments.payment_list_write_xlsx(actor=world["payer"], payment_list=plist, target=target)
    rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][3] == ACCOUNT and "*" in rows[1][2]
    assert AuditEntry.objects.filter(action="export", object_type="eldercare.paymentlist")
    payments.payment_list_move(actor=world["approver"], payment_list=plist,
                               version=plist.version, action="approve")
    plist.refresh_from_db()
    assert plist.state == "approved"


def test_no_payment_after_the_death_month_and_recovery_of_what_went_out(world):
    areas = world["areas"]
    p = elder(areas["c11"], "王奶奶", birth=D(1938, 8, 8))
    stays = elder(areas["c12"], "赵爷爷", birth=D(1939, 9, 9), male=True)
    a = active(world, p)
    active(world, stays)
    for month in (D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1)):
        payments.payment_list_build(actor=world["payer"], area=areas["s1"], month=month)
    # the death (on 2025-02-14) is recorded late, after the April list went out
    Person.objects.filter(pk=p.pk).update(status="deceased", status_date=D(2025, 2, 14))
    report = deaths.deaths_check(actor=world["payer"])
    assert (report["exact"], report["stopped"]) == (1, 1)
    a.refresh_from_db()
    assert (a.state, a.stop_month, a.stop_reason) == ("stopped", D(2025, 2, 1), "death")
    recovered = Recovery.objects.filter(allowance=a).order_by("line__month")
    assert [r.line.month for r in recovered] == [D(2025, 3, 1), D(2025, 4, 1)]
    assert sources.paid_after_death(D(2025, 1, 1), D(2025, 6, 1)) != []
    # the next list leaves them out; the other recipient is paid
    may = payments.payment_list_build(actor=world["payer"], area=areas["s1"],
                                      month=D(2025, 5, 1))
    assert list(may.lines.values_list("person__name", flat=True)) == ["赵爷爷"]
    assert not PaymentLine.objects.filter(allowance=a, month__gt=D(2025, 4, 1)).exists()
    # a second check finds nothing new
    assert deaths.deaths_check(actor=world["payer"])["exact"] == 0
    r = recovered[0]
    with pytest.raises(ValidationFailed):  # waiving needs a reason
        svc.recovery_move(actor=world["approver"], recovery=r, version=r.version,
                          action="waive")
    svc.recovery_move(actor=world["approver"], recovery=r, version=r.version,
                      action="recovered")
    r.refresh_from_db()
    assert r.state == "recovered"


def test_a_death_under_another_record_is_held_for_a_caseworker(world):
    """The registry holds the death under a second record with a mistyped ID: a probable
    link, so the payment is held until someone confirms it."""
    areas = world["areas"]
    p = elder(areas["c11"], "欧阳秀英", birth=D(1936, 4, 12), address="甲街道幸福路8号")
    a = active(world, p)
    for k in range(40):  # registry context for the linkage model
        factories.person(areas["c12"], name=f"测试{k}", birth=D(1930 + k % 10, 1 + k % 12, 3),
                         status="deceased", status_date=D(2025, 1, 1 + k % 20))
    wrong = p.id_number[:10] + ("1" if p.id_number[10] != "1" else "2") + p.id_number[11:]
    Person.objects.create(id_number=wrong, name="欧阳秀英", sex="F", birth_date=D(1936, 4, 12),
                          residence_area=areas["c11"], address="甲街道幸福路8号",
                          status="deceased", status_date=D(2025, 3, 2))
    report = deaths.deaths_check(actor=world["payer"])
    assert report["held"] == 1 and report["stopped"] == 0
    match = DeathMatch.objects.get(allowance=a)
    assert match.state == "pending" and not match.exact and match.probability >= 0.9
    plist = payments.payment_list_build(actor=world["payer"], area=areas["s1"],
                                        month=D(2025, 4, 1))
    assert plist.lines_count == 0 and plist.excluded[0]["allowance"] == a.pk
    deaths.death_match_decide(actor=world["approver"], match=match, version=match.version,
                              action="confirm", reason="殡葬记录核实")
    a.refresh_from_db()
    assert (a.state, a.stop_month) == ("stopped", D(2025, 3, 1))
