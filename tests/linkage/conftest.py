"""A small synthetic registry and extract with planted hard cases; the truth is written by
the generator (which registry person each extract record is), never by the engine.

IDs get their check character from python-stdnum, an implementation independent of the
engine's.
"""

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from stdnum.cn import ric

# The linkage tests need no Django; make src importable when the package is not installed.
_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
SURNAME_WEIGHTS = np.array([7, 7, 7, 5, 4.6] + [1.0] * (len(SURNAMES) - 5))
GIVEN_CHARS = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏辉建国志文博宇"
                   "浩然子轩梓涵欣怡雨泽晨佳琪思远嘉")
REGIONS = ["120101", "120102", "120103", "120104", "120105", "120106"]
# characters with a homophone (same toneless pinyin), for planted variants
HOMOPHONES = {"伟": "玮", "明": "鸣", "静": "婧", "丽": "莉", "军": "君", "华": "桦",
              "张": "章", "红": "虹", "杰": "洁", "涛": "韬"}


def make_id(region: str, born: dt.date, male: bool, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:02d}{(seq % 5) * 2 + (1 if male else 0)}"
    return body + ric.calc_check_digit(body + "0")


def mistype(number: str, rng) -> str:
    """One of the 17 body digits changed: the check character then fails (a MOD 11-2
    check catches every single-digit change)."""
    p = int(rng.integers(0, 17))
    digit = (int(number[p]) + int(rng.integers(1, 10))) % 10
    out = number[:p] + str(digit) + number[p + 1:]
    assert not ric.is_valid(out)
    return out


@dataclass
class Planted:
    registry: pd.DataFrame
    extract: pd.DataFrame
    truth: dict  # extract record_id -> registry record_id (absent: not in the registry)
    groups: dict = field(default_factory=dict)  # case name -> extract record_ids


def build(seed: int = 11, size: int = 1500) -> Planted:
    rng = np.random.default_rng(seed)
    p = SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum()
    surname = rng.choice(SURNAMES, size, p=p)
    given = np.where(rng.random(size) < 0.7,
                     np.char.add(rng.choice(GIVEN_CHARS, size), rng.choice(GIVEN_CHARS, size)),
                     rng.choice(GIVEN_CHARS, size))
    born = [dt.date(1950, 1, 1) + dt.timedelta(days=int(d))
            for d in rng.integers(0, 25000, size)]
    male = rng.random(size) < 0.5
    region = rng.choice(REGIONS, size)
    registry = pd.DataFrame({
        "record_id": np.arange(1000, 1000 + size),
        "id_number": [make_id(r, b, m, i % 100) for i, (r, b, m) in
                      enumerate(zip(region, born, male, strict=True))],
        "name": np.char.add(surname, given),
        "birth_date": born,
        "sex": np.where(male, "M", "F"),
        "guardian_name": np.char.add(rng.choice(SURNAMES, size), rng.choice(GIVEN_CHARS, size)),
        "address": [f"幸福路{n}号{b}栋" for n, b in zip(rng.integers(1, 200, size),
                                                   rng.integers(1, 9, size), strict=True)],
    }).drop_duplicates("id_number").reset_index(drop=True)
    assert registry["id_number"].map(ric.is_valid).all()

    rows, truth, groups = [], {}, {}
    order = rng.permutation(len(registry))
    taken = iter(order)

    def copy(case: str, n: int, change=None, where=None):
        ids = []
        count = 0
        while count < n:
            i = next(taken)
            person = registry.iloc[i].to_dict()
            if where is not None and not where(person):
                continue
            rec = dict(person)
            rec["record_id"] = f"{case}-{count}"
            if change:
                change(rec)
            rows.append(rec)
            truth[rec["record_id"]] = person["record_id"]
            ids.append(rec["record_id"])
            count += 1
        groups[case] = ids

    copy("clean", 200)

    def mistyped(rec):
        rec["id_number"] = mistype(rec["id_number"], rng)
    copy("mistyped", 12, mistyped)

    def missing(rec):
        rec["id_number"] = ""
    copy("missing_id", 10, missing)

    def homophone(rec):
        rec["id_number"] = ""
        name = rec["name"]
        p = next(k for k, c in enumerate(name) if c in HOMOPHONES)
        rec["name"] = name[:p] + HOMOPHONES[name[p]] + name[p + 1:]
    copy("homophone", 6, homophone,
         where=lambda r: any(c in HOMOPHONES for c in r["name"]))

    def dropped(rec):
        rec["id_number"] = ""
        rec["name"] = rec["name"][:-1]
    copy("missing_character", 6, dropped, where=lambda r: len(r["name"]) == 3)

    def transposed(rec):
        rec["id_number"] = ""
        b = rec["birth_date"]
        rec["birth_date"] = dt.date(b.year, b.day, b.month)
    copy("transposed_date", 6, transposed,
         where=lambda r: r["birth_date"].day <= 12 and r["birth_date"].day != r[
             "birth_date"].month)

    # same name, different people: a namesake born another year (same sex), or of the
    # other sex born another day; no ID, another address
    decoys = []
    for k in range(12):
        person = registry.iloc[next(taken)].to_dict()
        other_sex = k % 2 == 1
        b = person["birth_date"]
        born = (dt.date(b.year - 7, b.month, min(b.day, 28)) if not other_sex
                else b + dt.timedelta(days=40))
        decoys.append({**person, "record_id": f"decoy-{k}", "id_number": "",
                       "birth_date": born,
                       "sex": ("F" if person["sex"] == "M" else "M") if other_sex
                       else person["sex"],
                       "guardian_name": "", "address": f"胜利街{k}号"})
    rows.extend(decoys)
    groups["decoy"] = [d["record_id"] for d in decoys]

    # people the registry does not hold, with valid IDs of their own
    outsiders = []
    for k in range(30):
        b = dt.date(1960, 1, 1) + dt.timedelta(days=int(rng.integers(0, 20000)))
        m = bool(rng.random() < 0.5)
        number = make_id("120199", b, m, k)
        outsiders.append({"record_id": f"outsider-{k}", "id_number": number,
                          "name": str(rng.choice(SURNAMES)) + str(rng.choice(GIVEN_CHARS)) * 2,
                          "birth_date": b, "sex": "M" if m else "F", "guardian_name": "",
                          "address": f"红旗路{k}号"})
    rows.extend(outsiders)
    groups["outsider"] = [o["record_id"] for o in outsiders]

    extract = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    extract["source_row"] = np.arange(len(extract))  # an extra column, to be ignored
    return Planted(registry, extract, truth, groups)


@pytest.fixture(scope="session")
def planted() -> Planted:
    return build()


@pytest.fixture(scope="session")
def linked(planted):
    from minsheng.linkage import link_people

    return link_people(planted.extract, planted.registry)


@pytest.fixture(scope="session")
def linked_without_birth_date(planted):
    """The extract has no birth-date column; the registry has no guardian column."""
    from minsheng.linkage import link_people

    return link_people(planted.extract.drop(columns=["birth_date"]),
                       planted.registry.drop(columns=["guardian_name"]))
