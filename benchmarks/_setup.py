"""Shared set-up for benchmarks: a scratch database chosen by URL, migrated."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def use_database(url: str | None, name: str, *, reuse: bool = False) -> str:
    """Point Django at a scratch database and return its URL: a new SQLite file when no
    URL is given, a recreated PostgreSQL database (kept with reuse=True), or the SQLite
    file named (reused)."""
    if not url:
        folder = Path(tempfile.mkdtemp(prefix=f"minsheng-{name}-"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    elif url.startswith("postgres") and not reuse:
        import psycopg

        base, _, db = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
            conn.execute(f'CREATE DATABASE "{db}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.config.settings.demo")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--no-input", "-v", "0")
    return url
