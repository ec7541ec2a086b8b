"""Indicator sources: how domain modules feed the indicator engine.

A domain module registers, from its AppConfig.ready(), one `Source` per data element it
can compute from its own records. The engine calls `compute(start, end)` and stores what it
returns; indicators never import a domain module. Every registered source must be listed in
docs/registries.md (a test checks this).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# (area id, first day of the period, value). Additive sources may return only leaf
# (community) areas: the engine rolls them up the area tree. Non-additive ones
# (rates, life expectancy) return every area level they can be computed for.
SourceRow = tuple[int, datetime.date, float]


@dataclass(frozen=True)
class Source:
    code: str  # data element code, "<module>.<name>", e.g. "employment.new_jobs"
    name: str  # Chinese display name, e.g. "城镇新增就业人数"
    unit: str  # "人", "%", "张", "岁", ...
    period: str  # "month" | "quarter" | "year"
    aggregation: str  # "sum" (roll up areas and periods) | "last" (stock: latest period) | "none"
    compute: Callable[[datetime.date, datetime.date], Iterable[SourceRow]]
    description: str = ""
    # URL name of the page listing the records behind a value ("" = none); the page takes
    # ?area=<area id> and shows that area's records, so a figure opens to what it counts
    records: str = ""


SOURCES: dict[str, Source] = {}
PERIODS = {"month", "quarter", "year"}
AGGREGATIONS = {"sum", "last", "none"}


def register_source(source: Source) -> None:
    if source.period not in PERIODS:
        raise ValueError(f"{source.code}: period must be one of {sorted(PERIODS)}")
    if source.aggregation not in AGGREGATIONS:
        raise ValueError(f"{source.code}: aggregation must be one of {sorted(AGGREGATIONS)}")
    if "." not in source.code:
        raise ValueError(f"{source.code}: code must be '<module>.<name>'")
    SOURCES[source.code] = source
