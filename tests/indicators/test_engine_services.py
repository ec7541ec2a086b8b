"""Indicator engine: formulas over codes, roll-ups, values with vintages, validation,
approval, import, scope and concurrency."""

import datetime

import numpy as np
import pandas as pd
import pytest

from minsheng.core.access import system_actor
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.indicators import engine, frames, services
from minsheng.indicators.formula import FormulaError
from minsheng.indicators.models import DataElement, DataValue
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def setup(areas):
    hrss = factories.department(areas["district"], "hrss")
    services.catalogue_ensure()
    DataElement.objects.filter(code__startswith="employment.").update(department=hrss)
    return {"areas": areas, "hrss": hrss,
            "entry": factories.actor("entry", "data_entry", areas["s1"], department=hrss),
            "approver": factories.actor("rs", "department_admin", areas["district"],
                                        department=hrss),
            "other": factories.actor("mz", "approver", areas["district"],
                                     department=factories.department(areas["district"], "ca"))}


def element(code):
    return DataElement.objects.select_related("part_of").get(code=code)


def test_formula_with_dotted_codes_and_division_by_zero():
    frames = {"a.x": pd.DataFrame({"area": [1, 1], "period": [D(2026, 1, 1), D(2026, 2, 1)],
                                   "value": [1.0, 2.0]}),
              "a.y": pd.DataFrame({"area": [1, 1], "period": [D(2026, 1, 1), D(2026, 3, 1)],
                                   "value": [0.0, 4.0]})}
    out, kind = engine.evaluate("a.x / a.y * 100", frames, {"a.x": "sum", "a.y": "sum"},
                                {"a.x": "month", "a.y": "month"})
    # February has no a.y value: a missing period stays missing, it is not taken as zero
    assert list(out["period"]) == [D(2026, 1, 1)]
    assert np.isnan(out["value"][0]) and bool(out["div_by_zero"][0])


@pytest.mark.parametrize("expr", ["a.x +", "a.x ** 2", "__import__('os')", "a.x; 1", ""])
def test_formula_syntax_errors_are_rejected(expr):
    with pytest.raises(FormulaError):
        engine.parse_formula(expr)


def test_computed_elements_refuse_cycles_and_unknown_names(setup):
    services.element_create(actor=system_actor(), code="test.a", name="a",
                            formula="employment.employed * 2")
    with pytest.raises(ValidationFailed):
        services.element_create(actor=system_actor(), code="test.b", name="b",
                                formula="test.nothing + 1")
    DataElement.objects.filter(code="test.a").update(formula="test.c + 1")
    with pytest.raises(ValidationFailed) as err:
        services.element_create(actor=system_actor(), code="test.c", name="c",
                                formula="test.a * 2")
    assert "circular" in str(err.value.message).lower()


def test_period_and_area_rollups():
    frame = pd.DataFrame({"area": [3, 3, 4], "period": [D(2026, 1, 1), D(2026, 2, 1),
                                                        D(2026, 1, 1)], "value": [1.0, 2, 5]})
    assert engine.rollup_periods(frame, "sum", "year")["value"].tolist() == [3.0, 5.0]
    assert engine.rollup_periods(frame, "last", "year")["value"].tolist() == [2.0, 5.0]
    up = engine.rollup_areas(frame, {3: 2, 4: 2, 2: 1, 1: None}, {1: 0, 2: 1, 3: 2, 4: 2})
    totals = dict(zip(zip(up["area"], up["period"], strict=True), up["value"], strict=True))
    assert totals[(1, D(2026, 1, 1))] == 6 and totals[(2, D(2026, 2, 1))] == 2


def test_core_population_source_counts_living_residents(setup):
    a = setup["areas"]
    factories.person(a["c11"])
    factories.person(a["c21"], birth=D(2022, 1, 1))
    factories.person(a["c21"], status="deceased", status_date=D(2026, 6, 15))
    services.values_compute(actor=system_actor(), start=D(2026, 5, 1), end=D(2026, 7, 1),
                            codes=["core.resident_population", "core.population_3_5"])
    values = dict(DataValue.objects.filter(element__code="core.resident_population",
                                           area=a["district"])
                  .values_list("period_start", "value"))
    assert values == {D(2026, 5, 1): 3, D(2026, 6, 1): 2, D(2026, 7, 1): 2}
    assert DataValue.objects.get(element__code="core.population_3_5", area=a["s2"]).value == 1


def test_entry_validation_part_whole_rate_and_scope(setup):
    a, entry = setup["areas"], setup["entry"]
    month = D(2026, 10, 1)
    services.value_enter(actor=entry, element=element("employment.workers_total"), area=a["s1"],
                         period=month, value=100)
    with pytest.raises(ValidationFailed):  # a part cannot exceed its whole
        services.value_enter(actor=entry, element=element("employment.insured_workers"),
                             area=a["s1"], period=month, value=101)
    with pytest.raises(PermissionDenied):  # outside the data-entry clerk's subdistrict
        services.value_enter(actor=entry, element=element("employment.workers_total"),
                             area=a["s2"], period=month, value=10)
    with pytest.raises(ValidationFailed):  # a monthly element needs the first of a month
        services.value_enter(actor=entry, element=element("employment.workers_total"),
                             area=a["s1"], period=D(2026, 10, 5), value=10)
    with pytest.raises(ValidationFailed):  # computed from records
        services.value_enter(actor=entry, element=element("core.resident_population"),
                             area=a["s1"], period=month, value=10)
    rate = DataElement.objects.create(code="test.rate", name="率", unit="%", period="month")
    with pytest.raises(ValidationFailed):
        services.value_enter(actor=entry, element=rate, area=a["s1"], period=month, value=120)


def test_revision_keeps_vintages_and_concurrent_edit_loses(setup):
    a, entry = setup["areas"], setup["entry"]
    el, month = element("employment.new_jobs"), D(2026, 10, 1)
    first = services.value_enter(actor=entry, element=el, area=a["s1"], period=month, value=10)
    with pytest.raises(StaleVersion):  # must revise, not blindly overwrite
        services.value_enter(actor=entry, element=el, area=a["s1"], period=month, value=11)
    second = services.value_enter(actor=entry, element=el, area=a["s1"], period=month, value=12,
                                  version=first.version)
    with pytest.raises(StaleVersion):  # a second editor who read version 1 loses
        services.value_enter(actor=entry, element=el, area=a["s1"], period=month, value=13,
                             version=first.version)
    rows = list(DataValue.objects.filter(element=el, area=a["s1"]).order_by("vintage")
                .values_list("value", "current", "vintage"))
    assert rows == [(10, False, 1), (12, True, 2)]
    assert second.state == "pending"


def test_pending_and_flagged_values_do_not_count_until_approved(setup):
    a, entry = setup["areas"], setup["entry"]
    el = element("employment.new_jobs")
    frame = pd.DataFrame({"area": [a["s1"].id] * 12,
                          "period": [D(2025, m, 1) for m in range(1, 13)],
                          "value": [100.0, 104, 98, 101, 99, 103, 97, 100, 102, 96, 101, 99]})
    services.values_store(el, frame, actor=system_actor(), source="test")
    outlier = services.value_enter(actor=entry, element=el, area=a["s1"], period=D(2026, 1, 1),
                                   value=900)
    assert outlier.flag.startswith("outlier")
    counted = frames.element_frames(["employment.new_jobs"], area_ids=[a["s1"].id])
    assert D(2026, 1, 1) not in set(counted["employment.new_jobs"]["period"])
    with pytest.raises(PermissionDenied):  # another department's approver
        services.value_decide(actor=setup["other"], value=outlier, version=outlier.version,
                              approve=True)
    with pytest.raises(ValidationFailed):  # a flagged value needs explicit confirmation
        services.value_decide(actor=setup["approver"], value=outlier, version=outlier.version,
                              approve=True)
    services.value_decide(actor=setup["approver"], value=outlier, version=outlier.version,
                          approve=True, accept_flag=True)
    counted = frames.element_frames(["employment.new_jobs"], area_ids=[a["s1"].id])
    assert D(2026, 1, 1) in set(counted["employment.new_jobs"]["period"])


def test_import_reports_every_bad_row_and_stores_nothing(setup, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("数据元代码,区划代码,期间,数值\n"
                    "employment.workers_total,120199001,2026-10,100\n"
                    "employment.insured_workers,120199001,2026-10,150\n"
                    "employment.new_jobs,120199002,2026-10,5\n"
                    "employment.new_jobs,120199001,2026-13,5\n"
                    "nope.code,120199001,2026-10,5\n"
                    "employment.new_jobs,120199001,2026-10,abc\n", encoding="utf-8")
    report = services.values_import(actor=setup["entry"], path=path)
    # both rows of the part > whole pair are reported, then one line per other problem
    assert [line for line, _ in report.errors] == [2, 3, 4, 5, 6, 7]
    assert not DataValue.objects.exists()
    path.write_text("数据元代码,区划代码,期间,数值\n"
                    "employment.workers_total,120199001,2026-10,100\n"
                    "employment.insured_workers,120199001,2026-10,98\n", encoding="utf-8")
    report = services.values_import(actor=setup["entry"], path=path)
    assert report.ok and report.imported == 2
    assert set(DataValue.objects.values_list("state", flat=True)) == {"pending"}
