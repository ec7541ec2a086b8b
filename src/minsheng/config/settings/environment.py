"""The one place that reads the process environment for settings."""

import os
from pathlib import Path

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_WORDS


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def integer(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None


def listing(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def data_dir() -> Path:
    """Where the embedded database, uploads and logs live unless configured otherwise."""
    return Path(os.environ.get("MINSHENG_DATA_DIR", Path.cwd() / "var")).resolve()


def database(default_sqlite: Path) -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    config = dj_database_url.parse(url, conn_max_age=60 if not url.startswith("sqlite") else 0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web process read while the worker writes; IMMEDIATE transactions
        # avoid "database is locked" upgrades from read to write locks.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;",
        }
    return config
