"""Where Splink runs. DuckDB in-process now; Spark is issue 19's (it will return a
``SparkAPI`` here and reuse ``definition`` and ``model`` unchanged)."""

from __future__ import annotations

from .errors import UnsupportedBackendError

BACKENDS = ("duckdb",)


def check(backend: str) -> None:
    """Raise UnsupportedBackendError unless ``backend`` is implemented."""
    if backend not in BACKENDS:
        raise UnsupportedBackendError(
            f"backend {backend!r} is not available; supported: {', '.join(BACKENDS)} "
            "(the Spark backend is planned in issue 19)")


def database_api(backend: str):
    """A fresh Splink database API for ``backend`` (an in-memory DuckDB connection)."""
    check(backend)
    import duckdb
    from splink import DuckDBAPI

    return DuckDBAPI(connection=duckdb.connect(":memory:"))
