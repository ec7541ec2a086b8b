"""The audit log is tamper-evident and keeps sensitive values masked (issue 20)."""

from django.db import connection
from typer.testing import CliRunner

from minsheng.core import audit, auditchain
from minsheng.core.access import system_actor
from minsheng.core.models import AuditEntry
from tests import factories


def _write(n):
    actor = system_actor()
    for i in range(n):
        audit.record(actor, "update", object_type="core.person", object_id=str(i),
                     changes={"address": ["旧", f"新{i}"]})


def _tamper(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies(db):
    _write(5)
    result = auditchain.verify()
    assert result.first_break is None and result.checked == 5


def test_changed_entry_is_found(db):
    _write(5)
    third = AuditEntry.objects.order_by("id")[2]
    _tamper("UPDATE core_auditentry SET changes = %s WHERE id = %s",
            ['{"address": ["旧", "改"]}', third.pk])
    result = auditchain.verify()
    assert result.first_break == third.pk and result.checked == 2
    assert "changed" in result.reason


def test_removed_entry_is_found(db):
    _write(5)
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [ids[1]])
    result = auditchain.verify()
    assert result.first_break == ids[2]
    assert "removed" in result.reason


def test_cli_reports_the_break(db):
    from minsheng.cli import app

    _write(3)
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
    last = AuditEntry.objects.order_by("id").last()
    _tamper("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["mallory", last.pk])
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {last.pk}" in result.output


def test_sensitive_values_are_stored_masked(areas):
    person = factories.person(areas["c11"], phone="13812345678")
    entry = audit.record(system_actor(), "update", obj=person,
                         changes={"phone": ["13812345678", "13987654321"],
                                  "address": ["甲", "乙"]})
    entry.refresh_from_db()
    assert entry.changes["phone"] == ["138****5678", "139****4321"]
    assert entry.changes["address"] == ["甲", "乙"]
    assert "13812345678" not in str(AuditEntry.objects.values_list("changes", flat=True))
