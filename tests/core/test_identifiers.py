import datetime

import pytest

from minsheng.core import identifiers
from minsheng.core.errors import ValidationFailed
from tests.factories import credit_code, id_number


def test_valid_id_gives_birth_date_and_sex():
    number = id_number(datetime.date(1975, 3, 9), male=False)
    assert identifiers.clean_id_number(number) == number
    assert identifiers.facts_from_id(number) == (datetime.date(1975, 3, 9), "F")


def test_wrong_check_digit_is_named():
    number = id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationFailed, match="check digit"):
        identifiers.clean_id_number(wrong)


def test_impossible_birth_date_is_named():
    from stdnum.cn import ric

    body = "12019919990231001"  # 31 February
    with pytest.raises(ValidationFailed, match="impossible birth date"):
        identifiers.clean_id_number(body + ric.calc_check_digit(body + "0"))


def test_short_id_is_refused():
    with pytest.raises(ValidationFailed, match="18 characters"):
        identifiers.clean_id_number("1201991980")


def test_credit_code_validated():
    code = credit_code()
    assert identifiers.clean_uscc(code) == code
    with pytest.raises(ValidationFailed):
        identifiers.clean_uscc(code[:-1] + ("0" if code[-1] != "0" else "1"))


def test_masking_keeps_only_the_ends():
    assert identifiers.mask("110105198001011234") == "110105********1234"
    assert identifiers.mask_phone("13812345678") == "138****5678"
    assert identifiers.mask("") == ""


def test_industry_code_format():
    assert identifiers.clean_industry_code("c3011") == "C3011"
    with pytest.raises(ValidationFailed):
        identifiers.clean_industry_code("3011")
