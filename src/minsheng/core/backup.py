"""Encrypted backups and tested restores of the whole database.

A backup is one file: a magic line, then length-prefixed Fernet tokens (AES-128-CBC +
HMAC-SHA256 from the `cryptography` package). The first token is the manifest — what the
backup contains: vendor, time, every table with its row count and a content hash; the
rest are the database itself in chunks: an SQLite copy made with SQLite's online backup
API, or a `pg_dump` custom-format archive taken on the same snapshot as the manifest's
figures. A restore decrypts into an *empty* target, then recomputes the figures there
and refuses to report success unless every table's count and hash match.

The key comes from the environment (`MINSHENG_BACKUP_KEY`, made with
`minsheng backup --new-key`); without it there is no backup, never an unencrypted one."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.db import connection
from django.utils import timezone

MAGIC = b"MINSHENG-BACKUP-1\n"
CHUNK = 8 * 1024 * 1024
KEY_VARIABLE = "MINSHENG_BACKUP_KEY"


class BackupError(Exception):
    pass


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet(key: str | None) -> Fernet:
    key = key or os.environ.get(KEY_VARIABLE, "")
    if not key:
        raise BackupError(f"no backup key: set {KEY_VARIABLE} (make one with "
                          "`minsheng backup --new-key`)")
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except ValueError:
        raise BackupError(f"{KEY_VARIABLE} is not a valid key") from None


# --- what a database holds -------------------------------------------------------------

def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                       "ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def summary(cursor, vendor: str) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hash of the rows in key order}} for every table."""
    result = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (catalogue names)
        digest, rows = hashlib.sha256(), 0
        while batch := cursor.fetchmany(5000):
            for row in batch:
                digest.update(repr(tuple(row)).encode("utf-8"))
            rows += len(batch)
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


# --- the file format --------------------------------------------------------------------

def _write_token(out, fernet: Fernet, data: bytes) -> None:
    token = fernet.encrypt(data)
    out.write(struct.pack(">Q", len(token)))
    out.write(token)


def _tokens(path: Path, fernet: Fernet) -> Iterator[bytes]:
    with path.open("rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{path} is not a minsheng backup")
        while header := fh.read(8):
            (size,) = struct.unpack(">Q", header)
            token = fh.read(size)
            if len(token) != size:
                raise BackupError(f"{path} is truncated")
            try:
                yield fernet.decrypt(token)
            except InvalidToken:
                raise BackupError("wrong key, or the backup was altered") from None


def read_manifest(path: Path, key: str | None = None) -> dict:
    return json.loads(next(_tokens(Path(path), _fernet(key))))


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def _pg_url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{auth}{host}:{port}/{settings_dict['NAME']}"


def backup(target: Path, *, key: str | None = None) -> BackupResult:
    """Back up the configured database into `target` (encrypted)."""
    fernet = _fernet(key)
    target = Path(target)
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "dump"
        if vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(dump)
            connection.connection.backup(copy)  # a consistent copy while others write
            figures = summary(copy.cursor(), "sqlite")
            copy.close()
        elif vendor == "postgresql":
            figures = _pg_dump(dump)
        else:
            raise BackupError(f"backups of {vendor} are not supported")
        manifest = {"format": 1, "vendor": vendor, "created_at": timezone.now().isoformat(),
                    "tables": figures, "bytes": dump.stat().st_size}
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as out:
            out.write(MAGIC)
            _write_token(out, fernet, json.dumps(manifest).encode())
            with dump.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    _write_token(out, fernet, chunk)
        partial.replace(target)  # a backup file exists only once it is whole
    return BackupResult(target, manifest)


def _pg_dump(dump: Path) -> dict:
    """pg_dump on a snapshot exported from a repeatable-read transaction in which the
    manifest's figures are computed: both describe the same moment."""
    import psycopg

    url = _pg_url(connection.settings_dict)
    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            figures = summary(cursor, "postgresql")
        run = subprocess.run(["pg_dump", "--format=custom", "--no-owner",
                              f"--snapshot={snapshot}", f"--file={dump}", url],
                             capture_output=True, text=True)
        conn.rollback()
    if run.returncode:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
    return figures


@dataclass
class RestoreResult:
    tables: int
    rows: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def restore(source: Path, into: str, *, key: str | None = None) -> RestoreResult:
    """Restore a backup into an empty database: `into` is an SQLite file path that does
    not exist yet, or a postgresql:// URL of an empty database. Then compare every
    table's row count and content hash with the manifest."""
    fernet = _fernet(key)
    tokens = _tokens(Path(source), fernet)
    manifest = json.loads(next(tokens))
    if manifest["vendor"] == "sqlite":
        target = Path(into)
        if target.exists():
            raise BackupError(f"{target} exists: restore into a new file")
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as out:
            for chunk in tokens:
                out.write(chunk)
        partial.replace(target)
        db = sqlite3.connect(target)
        figures = summary(db.cursor(), "sqlite")
        db.close()
    else:
        if not into.startswith(("postgres://", "postgresql://")):
            raise BackupError("a PostgreSQL backup restores into a postgresql:// URL")
        figures = _pg_restore(tokens, into)
    mismatches = [table for table, expected in manifest["tables"].items()
                  if figures.get(table) != expected]
    mismatches += [table for table in figures if table not in manifest["tables"]]
    return RestoreResult(len(figures), sum(t["rows"] for t in figures.values()), mismatches)


def _pg_restore(tokens, url: str) -> dict:
    import psycopg

    url = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        existing = conn.execute("SELECT count(*) FROM pg_tables "
                                "WHERE schemaname = current_schema()").fetchone()[0]
    if existing:
        raise BackupError("the target database is not empty: restore into an empty one")
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "dump"
        with dump.open("wb") as out:
            for chunk in tokens:
                out.write(chunk)
        run = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                              f"--dbname={url}", str(dump)], capture_output=True, text=True)
    if run.returncode:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()}")
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        return summary(cursor, "postgresql")
