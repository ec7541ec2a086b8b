"""Record linkage of people across registries (plain Python; no Django, no other minsheng
module).

``link_people(left, right, *, threshold=0.9, backend="duckdb", max_pairs=None)`` ->
``LinkResult`` with ``exact`` (same valid resident ID), ``probable`` (Fellegi-Sunter
suggestions from Splink on DuckDB, m and u estimated from the data, for a caseworker to
confirm), ``unmatched_left`` and ``model`` (what was estimated). See docs/linkage.md.
"""

from .api import link_people
from .errors import LinkageInputError, LinkageTooLargeError, UnsupportedBackendError
from .result import LinkModel, LinkResult

__all__ = ["LinkModel", "LinkResult", "LinkageInputError", "LinkageTooLargeError",
           "UnsupportedBackendError", "link_people"]
