"""Check a caller's table and turn it into the columns the linkage definition compares.

Input (per side): ``record_id`` (unique), ``id_number``, ``name``; optional ``birth_date``,
``sex``, ``guardian_name``, ``address``; other columns are ignored. Output: one row per
record with an integer ``unique_id`` (the row position) and the derived columns listed in
``definition.FEATURES``. Birth date and sex come from their own columns where given and
otherwise from the ID's digits when those are plausible, so a table without a birth-date
column still blocks and compares on the date written in the (possibly mistyped) ID.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import identifiers, names, text
from .errors import LinkageInputError

REQUIRED = ("record_id", "id_number", "name")
OPTIONAL = ("birth_date", "sex", "guardian_name", "address")
_SEX = {"M": "M", "MALE": "M", "男": "M", "1": "M", "F": "F", "FEMALE": "F", "女": "F",
        "2": "F"}


def check(frame: pd.DataFrame, side: str) -> None:
    """Raise LinkageInputError naming what is wrong with one side's table."""
    if not isinstance(frame, pd.DataFrame):
        raise LinkageInputError(f"{side} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise LinkageInputError(
            f"{side} table lacks the required column(s) {', '.join(missing)}; required are "
            f"{', '.join(REQUIRED)} (optional: {', '.join(OPTIONAL)})")
    ids = frame["record_id"]
    if ids.isna().any():
        raise LinkageInputError(f"{side} table has {int(ids.isna().sum())} empty record_id(s)")
    dup = ids.duplicated()
    if dup.any():
        raise LinkageInputError(
            f"{side} table: record_id must be unique; {int(dup.sum())} duplicate(s), e.g. "
            f"{ids[dup].iloc[0]!r}")


def _dates(values: pd.Series) -> pd.Series:
    """Dates (date objects, datetimes or ISO strings) as YYYYMMDD strings, <NA> when
    unreadable."""
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.dt.strftime("%Y%m%d").astype("string")


def _sex(values: pd.Series) -> pd.Series:
    s = values.astype("string").str.strip().str.upper()
    return s.map(_SEX).astype("string")


def features(frame: pd.DataFrame, *, today: dt.date | None = None) -> pd.DataFrame:
    """The derived columns of one side (see module docstring); index 0..n-1 = unique_id."""
    frame = frame.reset_index(drop=True)
    n = len(frame)
    out = identifiers.id_parts(frame["id_number"], today=today)
    na = pd.Series(pd.array([pd.NA] * n, dtype="string"))

    # raw head, tail and sorted characters of the number: cheap guards for its edit
    # distance (see definition._levels)
    out["id_head"] = out["id"].str.slice(0, 6)
    out["id_tail"] = out["id"].str.slice(-4)
    out["id_sorted"] = identifiers.sorted_characters(out["id"])

    full = names.normalise(frame["name"])
    surname, given = names.split(full)
    out["name"] = full
    out["surname"] = surname
    out["given_name"] = given
    out["surname_pinyin"] = names.pinyin(surname)
    out["given_pinyin"] = names.pinyin(given)
    out["name_pinyin"] = (out["surname_pinyin"] + " " + out["given_pinyin"]).fillna(
        out["surname_pinyin"])

    own_dob = _dates(frame["birth_date"]) if "birth_date" in frame.columns else na
    dob = own_dob.fillna(out["id_birth"])
    out["dob"] = dob
    year, month, day = dob.str.slice(0, 4), dob.str.slice(4, 6), dob.str.slice(6, 8)
    day_number = pd.to_numeric(day, errors="coerce").to_numpy(dtype=float)
    swappable = ((day_number <= 12) & (day.fillna("") != month.fillna("")).to_numpy(dtype=bool)
                 & dob.notna().to_numpy(dtype=bool))
    out["dob_swap"] = (year + day + month).where(swappable, na)
    days = pd.to_datetime(dob, format="%Y%m%d", errors="coerce")
    out["dob_md"] = month + day
    out["dob_days"] = ((days - pd.Timestamp("1970-01-01")).dt.days).astype("Int64")
    out["birth_year"] = year.astype("Int64")

    own_sex = _sex(frame["sex"]) if "sex" in frame.columns else na
    out["sex"] = own_sex.fillna(out["id_sex"])

    if "guardian_name" in frame.columns:
        guardian = names.normalise(frame["guardian_name"])
        out["guardian_name"] = guardian
        out["guardian_pinyin"] = names.pinyin(guardian)
    if "address" in frame.columns:
        out["address"] = text.clean(frame["address"], r"\s")
    out.insert(0, "unique_id", np.arange(n, dtype=np.int64))
    return out


def optional_columns(left: pd.DataFrame, right: pd.DataFrame) -> tuple[str, ...]:
    """Optional comparisons both sides can feed (guardian name, address)."""
    return tuple(c for c in ("guardian_name", "address")
                 if c in left.columns and c in right.columns)
