import datetime

import pytest
from django.utils import timezone

from minsheng.core.errors import Conflict, PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry, DisabilityCertificate
from minsheng.indicators.registry import SOURCES
from minsheng.primarycare import selectors, services
from minsheng.primarycare.models import Contract
from tests import factories

pytestmark = pytest.mark.django_db


def test_sign_computes_key_groups_from_registry_and_facts(pc):
    elder = factories.person(pc["c11"], "李奶奶", datetime.date(1950, 1, 1), male=False)
    DisabilityCertificate.objects.create(person=elder, number="12019919500101001",
                                         category=1, grade=2,
                                         issued_on=datetime.date(2020, 1, 1))
    c = services.contract_sign(actor=pc["doctor"], person=elder, team=pc["team"],
                               package="elderly", declared_groups=["hypertension"])
    assert c.state == "active"
    assert c.key_groups == ["disabled", "elderly", "hypertension"]
    assert (c.end_date - c.start_date).days in (364, 365)
    assert AuditEntry.objects.filter(object_type="primarycare.contract",
                                     action="create").exists()


def test_two_active_contracts_for_one_resident_refused(pc):
    p = factories.person(pc["c11"])
    services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    with pytest.raises(Conflict):
        services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    assert Contract.objects.filter(person=p).count() == 1


def test_database_refuses_a_second_active_contract(pc):
    from django.db import IntegrityError, transaction

    p = factories.person(pc["c11"])
    services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(person=p, team=pc["team"], area=pc["c11"], package="basic",
                                start_date=today, end_date=today)


def test_renew_and_terminate(pc):
    p = factories.person(pc["c11"])
    c = services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    new = services.contract_renew(actor=pc["doctor"], contract=c, version=c.version)
    c.refresh_from_db()
    assert c.state == "renewed" and new.state == "active"
    assert new.start_date == c.end_date + datetime.timedelta(days=1)
    with pytest.raises(StaleVersion):
        services.contract_terminate(actor=pc["doctor"], contract=new, version=99,
                                    reason="搬迁")
    with pytest.raises(ValidationFailed):
        services.contract_terminate(actor=pc["doctor"], contract=new, version=new.version,
                                    reason=" ", on=new.start_date)
    services.contract_terminate(actor=pc["doctor"], contract=new, version=new.version,
                                reason="搬迁", on=new.start_date)
    new.refresh_from_db()
    assert new.state == "terminated"


def test_expire_sweep(pc):
    p = factories.person(pc["c11"])
    c = services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic",
                               start_date=datetime.date(2024, 1, 1))
    assert services.contracts_expire(today=c.end_date) == 0
    assert services.contracts_expire(today=c.end_date + datetime.timedelta(days=1)) == 1
    c.refresh_from_db()
    assert c.state == "expired"


def test_out_of_scope_and_other_department_refused(pc):
    p = factories.person(pc["c21"])
    with pytest.raises(PermissionDenied):
        services.contract_sign(actor=pc["doctor_s1"], person=p, team=pc["team"],
                               package="basic")
    with pytest.raises(PermissionDenied):
        services.contract_sign(actor=pc["civil"], person=p, team=pc["team"], package="basic")
    assert not Contract.objects.exists()


def test_bad_package_and_group(pc):
    p = factories.person(pc["c11"])
    with pytest.raises(ValidationFailed):
        services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="gold")
    with pytest.raises(ValidationFailed):
        services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic",
                               declared_groups=["vip"])


def test_coverage_and_source(pc):
    old = factories.person(pc["c11"], birth=datetime.date(1950, 3, 3))
    factories.person(pc["c11"], birth=datetime.date(1951, 3, 3))
    young = factories.person(pc["c11"], birth=datetime.date(1990, 3, 3))
    services.contract_sign(actor=pc["doctor"], person=old, team=pc["team"], package="elderly")
    services.contract_sign(actor=pc["doctor"], person=young, team=pc["team"], package="basic")
    rows = {r["area"].code: r for r in selectors.contract_coverage(pc["doctor"])}
    row = rows[pc["c11"].code]
    assert (row["residents"], row["contracted"]) == (3, 2)
    assert ("elderly", 2, 1) in row["groups"]
    today = timezone.localdate()
    values = list(SOURCES["primarycare.contracts_active"].compute(today, today))
    assert values == [(pc["c11"].id, today.replace(day=1), 2.0)]
    keyed = list(SOURCES["primarycare.key_group_contracts"].compute(today, today))
    assert keyed == [(pc["c11"].id, today.replace(day=1), 1.0)]
