"""Resident identity numbers (居民身份证号码, GB 11643-1999), vectorised.

An 18-character number is 6 region digits (行政区划代码), 8 birth-date digits (YYYYMMDD),
3 sequence digits (the last one odd for men, even for women) and an ISO 7064 MOD 11-2
check character (0-9 or X). Everything here works on whole columns (pandas string
methods and numpy over a uint8 view of the digits), never a Python loop per record.

`id_parts` gives, per record: the normalised number, whether it is well formed and passes
the check digit, an int64 key for the exact join, and the parts that stay useful when the
number is mistyped -- region, birth date, sex, last four characters -- each only when it
is plausible on its own (a known province code; a real calendar date in a plausible
range), so that a number with one wrong digit still tells where and when the person was
born.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import text

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)
# Province-level codes of GB/T 2260 (11 Beijing ... 65 Xinjiang; 71 Taiwan, 81 Hong Kong,
# 82 Macao, 83 for the residence permits of Hong Kong, Macao and Taiwan residents).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83"})
# A birth date read from an ID is believed only inside this range.
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def normalise(ids: pd.Series) -> pd.Series:
    """Upper-case, ASCII (full-width digits folded by NFKC), no spaces or hyphens, empty as
    missing; a 15-digit first-generation number is upgraded to its 18-digit form (``19``
    inserted before the year, check character computed) -- the same person's number."""
    s = text.clean(ids, r"[\s\-]", upper=True)
    old = s.str.fullmatch(r"[0-9]{15}").fillna(False).to_numpy(dtype=bool)
    if old.any():
        body = (s[old].str.slice(0, 6) + "19" + s[old].str.slice(6, 15)).to_numpy(dtype="U17")
        s.loc[old] = np.char.add(body, check_characters(body))
    return s


def _digit_matrix(strings: np.ndarray, width: int) -> np.ndarray:
    """(n, width) uint8 matrix of the ASCII bytes of fixed-width digit strings."""
    n = len(strings)
    if not n:
        return np.zeros((0, width), np.uint8)
    return np.frombuffer(strings.astype(f"S{width}").tobytes(), np.uint8).reshape(n, width)


def check_characters(bodies: np.ndarray) -> np.ndarray:
    """The check character ('0'-'9' or 'X') of each 17-digit body."""
    digits = _digit_matrix(np.asarray(bodies, dtype="U17"), 17).astype(np.int64) - 48
    return CHECK[(digits * WEIGHTS).sum(axis=1) % 11].view("S1").astype("U1")


def id_parts(ids: pd.Series, *, today: dt.date | None = None) -> pd.DataFrame:
    """Per record (same index as ``ids``): ``id`` (normalised or <NA>), ``id_valid`` (well
    formed and check digit right), ``id_key`` (int64 of the 17 body digits when valid,
    else -1), and the plausible-on-their-own parts ``id_region`` (6 digits),
    ``id_birth`` (YYYYMMDD), ``id_sex`` ('M'/'F'), ``id_last4``."""
    today = today or dt.date.today()
    s = normalise(ids)
    formed = s.str.fullmatch(r"[0-9]{17}[0-9X]").fillna(False).to_numpy(dtype=bool)
    valid = np.zeros(len(s), dtype=bool)
    key = np.full(len(s), -1, dtype=np.int64)
    if formed.any():
        strings = s[formed].to_numpy(dtype="U18")
        mat = _digit_matrix(strings, 18)
        digits = mat[:, :17].astype(np.int64) - 48
        ok = CHECK[(digits * WEIGHTS).sum(axis=1) % 11] == mat[:, 17]
        valid[formed] = ok
        key[np.nonzero(formed)[0][ok]] = (digits[ok] * POW10).sum(axis=1)

    region = s.str.slice(0, 6)
    region_ok = (region.str.fullmatch(r"[0-9]{6}").fillna(False)
                 & region.str.slice(0, 2).isin(PROVINCES)).to_numpy(dtype=bool)
    birth = s.str.slice(6, 14)
    parsed = pd.to_datetime(birth.where(birth.str.fullmatch(r"[0-9]{8}").fillna(False)),
                            format="%Y%m%d", errors="coerce")
    birth_ok = (parsed >= pd.Timestamp(EARLIEST_BIRTH)) & (parsed <= pd.Timestamp(today))
    birth_ok = birth_ok.fillna(False).to_numpy(dtype=bool)
    length = s.str.len().fillna(0).to_numpy(dtype=np.int64)
    seq = s.str.slice(16, 17)
    sex_ok = ((length == 18) & seq.str.fullmatch(r"[0-9]").fillna(False).to_numpy(dtype=bool))
    seq_digit = pd.to_numeric(seq.where(sex_ok), errors="coerce")
    last4 = s.str.slice(14, 18)
    last4_ok = (length == 18) & last4.str.fullmatch(r"[0-9]{3}[0-9X]").fillna(False).to_numpy(
        dtype=bool)

    na = pd.array([pd.NA] * len(s), dtype="string")
    return pd.DataFrame({
        "id": s,
        "id_valid": valid,
        "id_key": key,
        "id_region": region.where(region_ok, na),
        "id_birth": birth.where(birth_ok, na),
        "id_sex": pd.Series(np.where(seq_digit.to_numpy() % 2 == 1, "M", "F"), index=s.index,
                            dtype="string").where(sex_ok, na),
        "id_last4": last4.where(last4_ok, na),
    }, index=ids.index)


def sorted_characters(ids: pd.Series) -> pd.Series:
    """The characters of each 18-character number in sorted order (two numbers that differ
    by a swap of two digits share it); <NA> for other lengths."""
    out = pd.Series(pd.array([pd.NA] * len(ids), dtype="string"), index=ids.index)
    full = ids.str.fullmatch(r"[0-9X]{18}").fillna(False).to_numpy(dtype=bool)
    if full.any():
        mat = np.sort(_digit_matrix(ids[full].to_numpy(dtype="U18"), 18), axis=1)
        out.loc[full] = np.ascontiguousarray(mat).view("S18").ravel().astype("U18")
    return out
