"""National Occupational Classification (职业分类大典, 2022 edition) reference table.

The package ships a realistic subset (`data/occupations.csv`: the six civilian major groups
and about 100 occupations that a district's public employment service handles most). A
code has the form ``X-XX-XX-XX``: major group (大类) ``X``, middle group (中类) ``X-XX``,
minor group (小类) ``X-XX-XX``, occupation (细类) ``X-XX-XX-XX``. Districts that load the full
table replace the CSV; nothing else changes.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from django.utils.translation import gettext_lazy as _

from minsheng.core.errors import ValidationFailed

CODE = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}$")


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """code -> Chinese name, major groups included (single-digit codes)."""
    text = resources.files("minsheng.employment").joinpath("data/occupations.csv").read_text(
        encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def occupations() -> dict[str, str]:
    """Only the occupation (细类) codes."""
    return {c: n for c, n in table().items() if CODE.match(c)}


def name(code: str) -> str:
    """The name, or for a code the shipped table lacks, its minor or major group's."""
    t = table()
    return t.get(code) or t.get(code[:7]) or code


def minor_group(code: str) -> str:
    return code[:7]


def major_group(code: str) -> str:
    return code[:1]


def clean_code(value: str, *, field: str = "occupation_code",
               allow_unlisted: bool = False) -> str:
    """A valid code. `allow_unlisted`: a well-formed code of a known major group that the
    shipped table lacks is accepted (incoming postings use the full classification)."""
    code = (value or "").strip()
    if not CODE.match(code):
        raise ValidationFailed(_("Occupation code must look like 4-02-07-02"), field=field)
    if allow_unlisted and code[:1] in table():
        return code
    if code not in table():
        raise ValidationFailed(_("Unknown occupation code: %(code)s") % {"code": code},
                               field=field)
    return code


def clean_codes(values, *, field: str = "occupation_codes") -> list[str]:
    codes = []
    for value in values or []:
        code = clean_code(value, field=field)
        if code not in codes:
            codes.append(code)
    return codes
