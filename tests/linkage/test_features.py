"""The derived columns: ID parts, names, dates -- checked against python-stdnum and
pypinyin directly, not against the engine."""

import datetime as dt

import numpy as np
import pandas as pd
from stdnum.cn import ric

from minsheng.linkage import identifiers, names, prepare
from minsheng.linkage.blocking import candidate_pairs_upper_bound
from minsheng.linkage.definition import Block


def test_check_digit_agrees_with_stdnum_on_random_numbers():
    rng = np.random.default_rng(3)
    regions = ["110105", "120101", "310104", "440106", "510104"]
    bodies = [f"{rng.choice(regions)}"
              f"{dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 25000))):%Y%m%d}"
              f"{rng.integers(0, 999):03d}" for _ in range(300)]
    full = [b + ric.calc_check_digit(b + "0") for b in bodies]
    wrong = [b + ("0" if f[-1] != "0" else "1") for b, f in zip(bodies, full, strict=True)]
    parts = identifiers.id_parts(pd.Series(full + wrong))
    assert parts["id_valid"].tolist() == [True] * 300 + [False] * 300
    # where stdnum accepts the whole number (date and place too), so do we
    accepted = [_stdnum_accepts(x) for x in full]
    assert any(accepted) and parts["id_valid"][:300][accepted].all()


def _stdnum_accepts(number):
    try:
        return ric.is_valid(number)
    except KeyError:  # stdnum's place table lacks a county entry for some prefixes
        return False


def test_normalisation_and_upgrade_of_first_generation_numbers():
    s = pd.Series([" 11010519491231002x ", "１１０１０５１９４９１２３１００２Ｘ",
                   "110105491231002", "", None, "12345"])
    parts = identifiers.id_parts(s)
    assert parts["id"].tolist()[:3] == ["11010519491231002X"] * 3
    assert parts["id_valid"].tolist() == [True, True, True, False, False, False]
    assert ric.is_valid(parts["id"].iloc[2])
    assert parts["id"].isna().tolist()[3:5] == [True, True]
    assert len(set(parts["id_key"].iloc[:3])) == 1 and (parts["id_key"].iloc[3:] == -1).all()


def test_a_mistyped_number_still_gives_its_plausible_parts():
    good = "11010519491231002X"
    wrong_seq = good[:16] + "7" + good[17:]       # check digit now fails
    wrong_month = good[:10] + "13" + good[12:]    # month 13: no birth date from it
    wrong_region = "99" + good[2:]                # no province 99: no region from it
    parts = identifiers.id_parts(pd.Series([wrong_seq, wrong_month, wrong_region]),
                                 today=dt.date(2024, 1, 1))
    assert not parts["id_valid"].any()
    assert parts["id_region"].tolist() == ["110105", "110105", pd.NA]
    assert parts["id_birth"].tolist() == ["19491231", pd.NA, "19491231"]
    assert parts["id_sex"].tolist() == ["M", "F", "F"]  # 17th digit 7 (odd) / 2 (even)
    assert parts["id_last4"].tolist() == ["007X", "002X", "002X"]


def test_a_birth_date_in_the_future_or_before_1900_is_not_believed():
    future = "110105" + "20990101" + "0011"
    old = "110105" + "18800101" + "0011"
    parts = identifiers.id_parts(pd.Series([future, old]), today=dt.date(2024, 1, 1))
    assert parts["id_birth"].isna().all()


def test_names_split_and_pinyin():
    s = names.normalise(pd.Series(["张伟", " 欧阳 娜娜 ", "章玮", "阿依·古丽", "王", ""]))
    surname, given = names.split(s)
    assert surname.tolist()[:5] == ["张", "欧阳", "章", "阿", "王"]
    assert given.tolist()[:4] == ["伟", "娜娜", "玮", "依古丽"]
    assert given.isna().tolist()[4:] == [True, True]
    py = names.pinyin(s)
    assert py.iloc[0] == py.iloc[2] == "zhang wei"  # homophones meet
    assert py.isna().iloc[5]


def test_birth_date_and_sex_come_from_the_id_when_there_is_no_column():
    frame = pd.DataFrame({"record_id": [1, 2], "id_number": ["11010519491231002X", ""],
                          "name": ["张伟", "李娜"]})
    f = prepare.features(frame)
    assert f["dob"].tolist() == ["19491231", pd.NA]
    assert f["sex"].tolist() == ["F", pd.NA]
    with_columns = frame.assign(birth_date=[dt.date(1950, 3, 4), "1960-05-06"],
                                sex=["男", "F"])
    f = prepare.features(with_columns)
    assert f["dob"].tolist() == ["19500304", "19600506"]  # the column wins
    assert f["dob_swap"].tolist() == ["19500403", "19600605"]
    assert f["sex"].tolist() == ["M", "F"]


def test_candidate_pair_count_is_the_sum_over_rules():
    left = pd.DataFrame({"a": ["x", "x", "y", None], "dob": ["1", None, "2", "3"]})
    right = pd.DataFrame({"a": ["x", "y", "y"], "dob": ["1", "2", None]})
    assert candidate_pairs_upper_bound(left, right, (Block("a", ("a",), ("a",)),)) == 4
    # the without-dob rule counts only pairs where one side lacks a birth date
    rule = Block("a", ("a",), ("a",), without_dob=True)
    assert candidate_pairs_upper_bound(left, right, (rule,)) == 2
