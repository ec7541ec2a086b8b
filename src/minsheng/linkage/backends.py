"""Where Splink runs. DuckDB in-process now; Spark is issue 19's (it will return a
``SparkAPI`` here and reuse ``definition`` and ``model`` unchanged)."""

from __future__ import annotations

import contextlib

from .errors import UnsupportedBackendError

BACKENDS = ("duckdb",)


def check(backend: str) -> None:
    """Raise UnsupportedBackendError unless ``backend`` is implemented."""
    if backend not in BACKENDS:
        raise UnsupportedBackendError(
            f"backend {backend!r} is not available; supported: {', '.join(BACKENDS)} "
            "(the Spark backend is planned in issue 19)")


@contextlib.contextmanager
def session(backend: str):
    """A Splink database API for ``backend`` -- a fresh in-memory DuckDB connection,
    closed (its memory freed) when the block ends."""
    check(backend)
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(":memory:")
    try:
        yield DuckDBAPI(connection=connection)
    finally:
        connection.close()
