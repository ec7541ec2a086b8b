"""The review of entered values through the workflow engine, and the computation of values
from sources in one transaction with its audit row."""

import datetime

import pytest

from minsheng.casework.models import CaseEvent
from minsheng.casework.workflow import timeline
from minsheng.core.access import system_actor
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.indicators import registry, services
from minsheng.indicators.models import DataElement, DataValue
from minsheng.indicators.registry import Source
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def setup(areas):
    hrss = factories.department(areas["district"], "hrss")
    services.catalogue_ensure()
    DataElement.objects.filter(code__startswith="employment.").update(department=hrss)
    return {"areas": areas,
            "entry": factories.actor("entry", "data_entry", areas["s1"], department=hrss),
            "approver": factories.actor("rs", "approver", areas["district"], department=hrss),
            "element": DataElement.objects.get(code="employment.new_jobs")}


def test_review_moves_through_the_workflow_with_timeline_and_audit(setup):
    value = services.value_enter(actor=setup["entry"], element=setup["element"],
                                 area=setup["areas"]["s1"], period="2026-10", value=10)
    assert (value.state, value.period_start) == ("pending", D(2026, 10, 1))
    stale = DataValue.objects.get(pk=value.pk)
    services.value_decide(actor=setup["approver"], value=value, version=value.version,
                          approve=False, note="口径不对")
    value.refresh_from_db()
    assert value.state == "rejected" and value.approved_by == setup["approver"].user
    events = timeline(value)
    assert [(e.transition, e.from_state, e.to_state, e.note) for e in events] == [
        ("reject", "pending", "rejected", "口径不对")]
    assert AuditEntry.objects.filter(action="transition", object_id=str(value.pk)).count() == 1
    with pytest.raises((StaleVersion, ValidationFailed)):  # the second decider loses
        services.value_decide(actor=setup["approver"], value=stale, version=stale.version,
                              approve=True)
    assert CaseEvent.objects.filter(case_id=value.pk).count() == 1


def test_entry_refuses_a_bad_period_and_a_clerk_cannot_approve(setup):
    with pytest.raises(ValidationFailed) as err:
        services.value_enter(actor=setup["entry"], element=setup["element"],
                             area=setup["areas"]["s1"], period="2026-13", value=10)
    assert err.value.details["field"] == "period"
    value = services.value_enter(actor=setup["entry"], element=setup["element"],
                                 area=setup["areas"]["s1"], period="2026-10", value=10)
    with pytest.raises(PermissionDenied):
        services.value_decide(actor=setup["entry"], value=value, version=value.version,
                              approve=True)
    revised = services.value_enter(actor=setup["entry"], element=setup["element"],
                                   area=setup["areas"]["s1"], period="2026-10", value=11,
                                   version=value.version)
    value.refresh_from_db()
    with pytest.raises(ValidationFailed):  # superseded by a newer vintage
        services.value_decide(actor=setup["approver"], value=value, version=value.version,
                              approve=True)
    assert revised.version == value.version + 1


def test_compute_is_one_transaction_with_its_audit_row(setup, monkeypatch):
    def good(start, end):
        yield setup["areas"]["c11"].id, D(2026, 10, 1), 5.0

    def broken(start, end):
        raise RuntimeError("source failed")

    sources = {"test.good": Source("test.good", "好", "人", "month", "sum", good),
               "test.broken": Source("test.broken", "坏", "人", "month", "sum", broken)}
    monkeypatch.setattr(registry, "SOURCES", sources)
    audits = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        services.values_compute(actor=system_actor(), start=D(2026, 10, 1),
                                end=D(2026, 10, 1))
    assert not DataValue.objects.filter(element__code="test.good").exists()
    assert AuditEntry.objects.count() == audits  # nothing half-done, nothing audited
    del sources["test.broken"]
    report = services.values_compute(actor=system_actor(), start=D(2026, 10, 1),
                                     end=D(2026, 10, 1))
    assert report.computed["test.good"]["new"] == 3  # community, subdistrict, district
    entry = AuditEntry.objects.filter(object_type="indicators.datavalue").latest("id")
    assert entry.changes["test.good"][1]["new"] == 3
    assert set(DataValue.objects.filter(element__code="test.good")
               .values_list("state", flat=True)) == {"approved"}


def test_compute_needs_the_manage_permission(setup):
    with pytest.raises(PermissionDenied):
        services.values_compute(actor=setup["approver"], start=D(2026, 10, 1),
                                end=D(2026, 10, 1))
