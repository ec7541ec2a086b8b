"""Backups are encrypted and a restore is checked table by table (issue 20 backups; issue
21 item 6). On PostgreSQL the restore goes into a new empty database on the same server."""

import uuid

import pytest
from django.db import connection

from minsheng.core import backup as backups
from minsheng.core.models import Person
from tests import factories

KEY = backups.new_key()


@pytest.fixture
def filled(transactional_db):
    areas = factories.district()
    for i in range(30):
        factories.person(areas["c11"], name=f"居民{i}", phone="13812345678")
    return areas


@pytest.fixture
def empty_target(tmp_path):
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    import psycopg

    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = backups._pg_url({**connection.settings_dict, "NAME": "postgres"})
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield backups._pg_url({**connection.settings_dict, "NAME": name})
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_an_empty_database_with_equal_content(filled, tmp_path,
                                                                   empty_target):
    path = tmp_path / "district.backup"
    result = backups.backup(path, key=KEY)
    assert result.manifest["tables"]["core_person"]["rows"] == 30
    # encrypted: no resident's name or number in the file
    raw = path.read_bytes()
    assert "居民1".encode() not in raw and b"13812345678" not in raw
    restored = backups.restore(path, empty_target, key=KEY)
    assert restored.ok, restored.mismatches
    assert restored.rows >= 30 and restored.tables == len(result.manifest["tables"])


def test_restore_refuses_wrong_key_and_nonempty_target(filled, tmp_path, empty_target):
    path = tmp_path / "district.backup"
    backups.backup(path, key=KEY)
    with pytest.raises(backups.BackupError, match="wrong key"):
        backups.restore(path, empty_target, key=backups.new_key())
    backups.restore(path, empty_target, key=KEY)
    with pytest.raises(backups.BackupError):
        backups.restore(path, empty_target, key=KEY)  # now it is not empty


def test_no_key_no_backup(filled, tmp_path, monkeypatch):
    monkeypatch.delenv(backups.KEY_VARIABLE, raising=False)
    with pytest.raises(backups.BackupError, match="no backup key"):
        backups.backup(tmp_path / "x.backup")
    assert not (tmp_path / "x.backup").exists()


def test_tampered_backup_is_refused(filled, tmp_path, empty_target):
    path = tmp_path / "district.backup"
    backups.backup(path, key=KEY)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(backups.BackupError):
        backups.restore(path, empty_target, key=KEY)


def test_cli_backup_and_restore(filled, tmp_path, empty_target, monkeypatch):
    from typer.testing import CliRunner

    from minsheng.cli import app

    monkeypatch.setenv(backups.KEY_VARIABLE, KEY)
    path = tmp_path / "cli.backup"
    out = CliRunner().invoke(app, ["backup", str(path)])
    assert out.exit_code == 0, out.output
    assert "encrypted" in out.output
    out = CliRunner().invoke(app, ["restore", str(path), "--into", empty_target])
    assert out.exit_code == 0, out.output
    assert "every count and content hash matches" in out.output
    assert Person.objects.count() == 30
