"""Target status from stored values (issue 12): a flagged value never counts, an unflagged
typo is left out of the fit as an outlier, a rate's interval stays within 0-100, a missing
month of a flow is a gap; the page reason has plain numbers with the unit."""

import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.indicators.models import DataElement, DataValue, Indicator
from minsheng.plans import services, status
from minsheng.plans.models import Target

pytestmark = pytest.mark.django_db


def _target(areas, code, unit, kind, value, values, flags=None, aggregation="last"):
    element = DataElement.objects.create(code=f"test.{code}", name=code, unit=unit,
                                         aggregation=aggregation)
    indicator = Indicator.objects.create(code=code, name=code, unit=unit,
                                         formula=f"test.{code}")
    for month, v in values.items():
        DataValue.objects.create(element=element, area=areas["district"],
                                 period_start=datetime.date(2026, month, 1), value=v,
                                 source="manual", state="approved",
                                 flag=(flags or {}).get(month, ""))
    plan = services.plan_import(actor=system_actor(), text="一、目标\n1. 做好工作。",
                                area=areas["district"])
    return Target.objects.create(plan=plan, name=code, indicator=indicator,
                                 area=areas["district"], kind=kind, value=value,
                                 deadline=datetime.date(2027, 12, 31))


def _result(target, areas):
    return status.compute([target], [areas["district"]])[(target.pk, areas["district"].pk)]


def test_flagged_typo_does_not_count_and_unflagged_typo_is_an_outlier(areas):
    values = {m: 95.6 + 0.05 * m for m in range(1, 11)}
    values[5] = 59.6
    flagged = _target(areas, "retention_flagged", "%", "floor", 95, values,
                      flags={5: "outlier: modified z-score 12"})
    result = _result(flagged, areas)
    assert result["status"] == "achieved" and result["outliers"] == []
    assert all(v != 59.6 for _, v in result["series"])
    typo = _target(areas, "retention_typo", "%", "floor", 95, values)
    result = _result(typo, areas)
    assert result["status"] == "achieved"  # was at_risk with the typo in the fit
    assert result["outliers"] == [("2026-05-01", 59.6)]
    assert "%" in result["reason"] and "e+" not in result["reason"]


def test_rate_interval_never_negative(areas):
    values = {1: 3.0, 2: 1.0, 3: 2.6, 4: 0.4, 5: 2.0, 6: 0.2, 7: 1.2, 8: 0.1}
    target = _target(areas, "dropout_rate", "%", "ceiling", 1, values)
    projection = _result(target, areas)["projection"]
    assert projection["lower"] >= 0 and projection["value"] >= 0


def test_missing_month_of_a_flow_is_a_gap(areas):
    values = {m: 19900.0 for m in range(1, 7) if m != 3}
    target = _target(areas, "jobs", "人", "annual_flow", 238800, values, aggregation="sum")
    result = _result(target, areas)
    assert result["status"] == "on_track"
    assert result["pacing"]["missing_months"] == [3]
    assert "99,500人" in result["reason"] and "e+" not in result["reason"]
