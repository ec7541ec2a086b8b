import math

import numpy as np
import pytest

from minsheng.indicators.formula import FormulaError, dependency_order, parse


def test_unemployment_rate_scalar_and_names():
    f = parse("registered_unemployed / (employed + registered_unemployed) * 100")
    assert f.names == {"registered_unemployed", "employed"}
    assert f.evaluate({"registered_unemployed": 35, "employed": 965}) == pytest.approx(3.5)


def test_vectorised_over_areas():
    f = parse("beds / population * 1000")
    out = f.evaluate({"beds": np.array([430.0, 86.0]), "population": np.array([100000, 20000])})
    assert np.allclose(out, [4.3, 4.3])


def test_precedence_unary_and_functions():
    assert parse("-2 + 3 * 4").evaluate({}) == 10
    assert parse("-(2 + 3) * 4").evaluate({}) == -20
    assert parse("2 - -3").evaluate({}) == 5
    assert parse("1.5e2 / .5").evaluate({}) == 300
    assert parse("sum(a, b, 1)").evaluate({"a": 1, "b": 2}) == 4
    assert parse("max(a, 0) + min(a, 0) + abs(a)").evaluate({"a": -3}) == 0
    assert parse("round(a / 3, 2)").evaluate({"a": 1}) == pytest.approx(0.33)
    out = parse("max(a, b)").evaluate({"a": np.array([1.0, 5.0]), "b": 2})
    assert list(out) == [2, 5]


def test_division_by_zero_is_nan_with_flag():
    f = parse("a / b * 100")
    ev = f.evaluate_detailed({"a": np.array([1.0, 2.0, 3.0]), "b": np.array([2.0, 0.0, 4.0])})
    assert ev.value[0] == 50 and math.isnan(ev.value[1]) and ev.value[2] == 75
    assert list(ev.div_by_zero) == [False, True, False]
    scalar = f.evaluate_detailed({"a": 1, "b": 0})
    assert math.isnan(scalar.value) and scalar.div_by_zero is True
    assert f.evaluate_detailed({"a": 1, "b": 2}).div_by_zero is False
    with pytest.raises(FormulaError, match="division by zero"):
        f.evaluate({"a": 1, "b": 0}, strict=True)


@pytest.mark.parametrize(
    ("expr", "message", "position"),
    [
        ("a +", "end of formula", 3),
        ("(a + b", "expected ')'", 6),
        ("a b", "unexpected 'b'", 2),
        ("a $ b", "unexpected character '$'", 2),
        ("", "empty", None),
        ("foo(1)", "unknown function 'foo'", 0),
        ("abs(1, 2)", "takes 1 argument", 0),
        ("__import__('os')", "not allowed", 0),
        ("os.system('x')", "unexpected character '.'", None),
        ("a.b", None, None),
        ("lambda: 1", "unexpected character ':'", None),
        ("Beds", "lowercase", 0),
        ("x[0]", "unexpected character '['", 1),
    ],
)
def test_syntax_and_hostile_errors(expr, message, position):
    with pytest.raises(FormulaError) as err:
        parse(expr)
    if message:
        assert message in str(err.value)
    if position is not None:
        assert err.value.position == position


def test_size_and_depth_limits():
    with pytest.raises(FormulaError, match="longer than 2000"):
        parse("a+" * 1000 + "a")
    with pytest.raises(FormulaError, match="nested deeper"):
        parse("(" * 200 + "1" + ")" * 200)
    with pytest.raises(FormulaError, match="nested deeper"):
        parse("-" * 500 + "1")
    assert parse("(" * 20 + "1" + ")" * 20).evaluate({}) == 1


def test_unknown_and_missing_names():
    with pytest.raises(FormulaError, match="unknown data element popul") as err:
        parse("beds / popul", known={"beds", "population"})
    assert err.value.position == 7
    with pytest.raises(FormulaError, match="no value given for b"):
        parse("a + b").evaluate({"a": 1})


def test_dependency_order_and_cycles():
    defs = {
        "rate": "unemployed / labour_force * 100",
        "labour_force": "employed + unemployed",
        "gap": "rate - 3.5",
    }
    order = dependency_order(defs)
    assert order.index("labour_force") < order.index("rate") < order.index("gap")
    with pytest.raises(FormulaError, match="circular definition: a -> b -> c -> a"):
        dependency_order({"a": "b + 1", "b": "c * 2", "c": "a - x"})
    with pytest.raises(FormulaError, match="a -> a"):
        dependency_order({"a": "a + 1"})
    with pytest.raises(FormulaError, match="in 'bad'"):
        dependency_order({"bad": "1 +"})
