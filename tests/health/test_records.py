import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from minsheng.casework.models import FollowUp
from minsheng.core.errors import ValidationFailed
from minsheng.health import selectors, services, sources
from minsheng.indicators.registry import SOURCES

CODES = {"health.hospital_beds": ("year", "last"), "health.life_expectancy": ("year", "none"),
         "health.deaths": ("year", "sum"), "health.case_reports": ("month", "sum"),
         "health.alerts": ("month", "sum"), "health.alert_response_hours_mean": ("month", "none"),
         "health.supplies_shortfall_items": ("month", "last")}


def test_sources_registered_and_documented():
    text = (Path(__file__).parents[2] / "docs" / "registries.md").read_text(encoding="utf-8")
    for code, (period, aggregation) in CODES.items():
        assert (SOURCES[code].period, SOURCES[code].aggregation) == (period, aggregation)
        assert code in text


def test_beds_per_source_exclude_other_beds(health):
    from tests import factories
    other = factories.organization(health["s1"], "甲街道医院", kind="hospital")
    services.bed_count_record(actor=health["doctor"], hospital=health["hospital"], year=2024,
                              actual_beds=120, newborn_cots=10, observation_beds=8,
                              companion_beds=5)
    services.bed_count_record(actor=health["doctor"], hospital=other, year=2024,
                              actual_beds=80)
    services.bed_count_record(actor=health["doctor"], hospital=other, year=2024,
                              actual_beds=90)  # correction replaces
    rows = sorted(sources.hospital_beds(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)))
    assert rows == sorted([(health["s2"].id, datetime.date(2024, 1, 1), 120.0),
                           (health["s1"].id, datetime.date(2024, 1, 1), 90.0)])
    with pytest.raises(ValidationFailed):
        services.bed_count_record(actor=health["doctor"], hospital=health["clinic"], year=2024,
                                  actual_beds=10)


def test_supplies_shortfall_and_expiry_alerts(health):
    today = timezone.localdate()
    d = health["district"]
    gowns = services.supply_item_create(actor=health["doctor"], name="防护服", unit="套",
                                        required_quantity=100, area=d)
    masks = services.supply_item_create(actor=health["doctor"], name="N95", unit="只",
                                        required_quantity=50, area=d)
    services.supply_lot_add(actor=health["doctor"], item=gowns, batch="G1", quantity=60,
                            received_on=today - datetime.timedelta(days=10),
                            expiry_date=today + datetime.timedelta(days=400))
    services.supply_lot_add(actor=health["doctor"], item=gowns, batch="G0", quantity=100,
                            received_on=today - datetime.timedelta(days=900),
                            expiry_date=today - datetime.timedelta(days=1))  # expired
    services.supply_lot_add(actor=health["doctor"], item=masks, batch="M1", quantity=80,
                            received_on=today - datetime.timedelta(days=10),
                            expiry_date=today + datetime.timedelta(days=30))
    alerts = selectors.supply_alerts(health["doctor"])
    kinds = sorted((a["kind"], a["item"]) for a in alerts)
    assert kinds == [("expiry", "N95"), ("expiry", "防护服"), ("shortfall", "防护服")]
    assert next(a for a in alerts if a["kind"] == "shortfall")["missing"] == 40
    assert len(selectors.supply_alerts(health["doctor"], window_days=10)) == 2
    assert services.supplies_check(actor=health["doctor"])["alerts"] == 3
    services.supplies_check(actor=health["doctor"])  # idempotent
    assert FollowUp.objects.filter(kind__startswith="health_supplies").count() == 3
    month = today.replace(day=1)
    assert (d.id, month, 1.0) in sources.supplies_shortfall_items(month, today)
    with pytest.raises(ValidationFailed):
        services.supply_lot_add(actor=health["doctor"], item=masks, batch="X", quantity=1,
                                received_on=today, expiry_date=today)
