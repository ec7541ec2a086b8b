"""Safe arithmetic formulas over data element codes.

Indicators are defined as formulas such as
``registered_unemployed / (employed + registered_unemployed) * 100``. Formulas come from
administrators' input, so they are parsed by a small recursive-descent parser into a tree
and evaluated by walking that tree: nothing is ever handed to ``eval``/``exec``, and the
grammar has no strings, attributes, subscripts or lambdas to abuse.

Grammar::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | atom
    atom    := NUMBER | NAME | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

Division by zero never raises by default: the affected element becomes NaN and
:attr:`Evaluation.div_by_zero` marks it, so one empty area does not blank a whole table.
Pass ``strict=True`` to :meth:`Formula.evaluate` to get a :class:`FormulaError` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

MAX_LENGTH = 2000
MAX_DEPTH = 40

Number = float | np.ndarray

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[-+*/(),])
    """,
    re.VERBOSE,
)
NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


class FormulaError(ValueError):
    """A formula could not be parsed or evaluated; ``position`` is a 0-based offset."""

    def __init__(self, message: str, position: int | None = None, expr: str | None = None):
        self.position = position
        self.expr = expr
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"{message}{where}")


def _round(x: Number, ndigits: Number = 0.0) -> Number:
    return np.round(x, int(np.asarray(ndigits).item()))


def _sum(*args: Number) -> Number:
    total: Number = 0.0
    for a in args:
        total = total + a
    return total


# name -> (callable, min args, max args or None for variadic)
FUNCTIONS: dict[str, tuple[Callable[..., Number], int, int | None]] = {
    "sum": (_sum, 1, None),
    "min": (lambda *a: np.minimum.reduce(np.broadcast_arrays(*a)) if len(a) > 1 else a[0], 1, None),
    "max": (lambda *a: np.maximum.reduce(np.broadcast_arrays(*a)) if len(a) > 1 else a[0], 1, None),
    "abs": (np.abs, 1, 1),
    "round": (_round, 1, 2),
}


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    code: str
    pos: int


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]
    pos: int


Node = Num | Name | Neg | BinOp | Call


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(expr: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN_RE.match(expr, pos)
        if m is None:
            raise FormulaError(f"unexpected character {expr[pos]!r}", pos, expr)
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "name":
            if text.startswith("__"):
                raise FormulaError(f"name {text!r} is not allowed", pos, expr)
            if not NAME_RE.match(text):
                raise FormulaError(
                    f"data element code {text!r} must be lowercase letters, digits and _", pos, expr
                )
        if kind != "ws":
            tokens.append(_Token(kind, text, pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(expr)))
    return tokens


class _Parser:
    def __init__(self, expr: str):
        self.expr = expr
        self.tokens = _tokenize(expr)
        self.i = 0
        self.depth = 0

    def _peek(self) -> _Token:
        return self.tokens[self.i]

    def _next(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _expect(self, text: str) -> _Token:
        tok = self._next()
        if tok.text != text:
            found = repr(tok.text) if tok.kind != "end" else "end of formula"
            raise FormulaError(f"expected {text!r} but found {found}", tok.pos, self.expr)
        return tok

    def _enter(self, pos: int) -> None:
        # Bounded recursion keeps hostile "((((...))))" input from exhausting the stack.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"formula is nested deeper than {MAX_DEPTH} levels", pos, self.expr)

    def parse(self) -> Node:
        node = self._expr()
        tok = self._peek()
        if tok.kind != "end":
            raise FormulaError(f"unexpected {tok.text!r}", tok.pos, self.expr)
        return node

    def _expr(self) -> Node:
        self._enter(self._peek().pos)
        node = self._term()
        while self._peek().text in ("+", "-"):
            tok = self._next()
            node = BinOp(tok.text, node, self._term(), tok.pos)
        self.depth -= 1
        return node

    def _term(self) -> Node:
        node = self._unary()
        while self._peek().text in ("*", "/"):
            tok = self._next()
            node = BinOp(tok.text, node, self._unary(), tok.pos)
        return node

    def _unary(self) -> Node:
        tok = self._peek()
        if tok.text in ("-", "+"):
            self._next()
            self._enter(tok.pos)
            operand = self._unary()
            self.depth -= 1
            return Neg(operand) if tok.text == "-" else operand
        return self._atom()

    def _atom(self) -> Node:
        tok = self._next()
        if tok.kind == "number":
            return Num(float(tok.text))
        if tok.kind == "name":
            if self._peek().text == "(":
                return self._call(tok)
            return Name(tok.text, tok.pos)
        if tok.text == "(":
            node = self._expr()
            self._expect(")")
            return node
        found = repr(tok.text) if tok.kind != "end" else "end of formula"
        raise FormulaError(f"expected a number, name or '(' but found {found}", tok.pos, self.expr)

    def _call(self, name_tok: _Token) -> Node:
        spec = FUNCTIONS.get(name_tok.text)
        if spec is None:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise FormulaError(
                f"unknown function {name_tok.text!r} (allowed: {allowed})", name_tok.pos, self.expr
            )
        self._expect("(")
        args: list[Node] = []
        if self._peek().text != ")":
            args.append(self._expr())
            while self._peek().text == ",":
                self._next()
                args.append(self._expr())
        self._expect(")")
        _, lo, hi = spec
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo}" if hi == lo else f"{lo} or more" if hi is None else f"{lo} to {hi}"
            raise FormulaError(
                f"{name_tok.text}() takes {want} argument(s), got {len(args)}",
                name_tok.pos,
                self.expr,
            )
        return Call(name_tok.text, tuple(args), name_tok.pos)


def _collect_names(node: Node, out: set[str]) -> None:
    if isinstance(node, Name):
        out.add(node.code)
    elif isinstance(node, Neg):
        _collect_names(node.operand, out)
    elif isinstance(node, BinOp):
        _collect_names(node.left, out)
        _collect_names(node.right, out)
    elif isinstance(node, Call):
        for a in node.args:
            _collect_names(a, out)


@dataclass
class Evaluation:
    """Result plus where division by zero produced NaN (bool, or bool array)."""

    value: Number
    div_by_zero: bool | np.ndarray

    @property
    def any_div_by_zero(self) -> bool:
        return bool(np.any(self.div_by_zero))


@dataclass(frozen=True)
class Formula:
    expr: str
    tree: Node = field(repr=False)
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Number], *, strict: bool = False) -> Number:
        """Value of the formula; arrays broadcast, so many areas/periods evaluate at once.

        Division by zero gives NaN for that element unless ``strict`` is set.
        """
        return self.evaluate_detailed(values, strict=strict).value

    def evaluate_detailed(
        self, values: Mapping[str, Number], *, strict: bool = False
    ) -> Evaluation:
        missing = sorted(self.names - set(values))
        if missing:
            raise FormulaError(f"no value given for {', '.join(missing)}", None, self.expr)
        flags: list[np.ndarray] = []
        with np.errstate(divide="ignore", invalid="ignore"):
            result = self._eval(self.tree, values, flags, strict)
        result_arr = np.asarray(result, dtype=float)
        zero = np.zeros(result_arr.shape, dtype=bool)
        for f in flags:
            zero |= np.broadcast_to(f, zero.shape)
        if result_arr.ndim == 0:
            return Evaluation(float(result_arr), bool(np.any(zero)))
        return Evaluation(result_arr, zero)

    def _eval(
        self, node: Node, values: Mapping[str, Number], flags: list[np.ndarray], strict: bool
    ) -> Number:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Name):
            v = values[node.code]
            return np.asarray(v, dtype=float) if not isinstance(v, (int, float)) else float(v)
        if isinstance(node, Neg):
            return -self._eval(node.operand, values, flags, strict)
        if isinstance(node, Call):
            args = [self._eval(a, values, flags, strict) for a in node.args]
            return FUNCTIONS[node.func][0](*args)
        left = self._eval(node.left, values, flags, strict)
        right = self._eval(node.right, values, flags, strict)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        zero = np.asarray(right) == 0
        if np.any(zero):
            if strict:
                raise FormulaError("division by zero", node.pos, self.expr)
            flags.append(zero)
            # Force NaN (not ±inf) so a zero denominator reads as "cannot compute".
            return np.where(zero, np.nan, np.asarray(left, dtype=float) / np.where(zero, 1, right))
        return left / right


def parse(expr: str, known: Iterable[str] | None = None) -> Formula:
    """Parse ``expr``; with ``known``, every referenced code must be in it."""
    if not isinstance(expr, str):
        raise FormulaError("formula must be a string")
    if len(expr) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters")
    if not expr.strip():
        raise FormulaError("formula is empty")
    tree = _Parser(expr).parse()
    names: set[str] = set()
    _collect_names(tree, names)
    if known is not None:
        known_set = set(known)
        unknown = sorted(names - known_set)
        if unknown:
            pos = expr.find(unknown[0])
            raise FormulaError(f"unknown data element {', '.join(unknown)}", pos, expr)
    return Formula(expr, tree, frozenset(names))


def dependency_order(definitions: Mapping[str, str]) -> list[str]:
    """Order computed codes so each comes after the computed codes it references.

    Names not defined in ``definitions`` are raw data elements and impose no order.
    Raises :class:`FormulaError` naming the cycle, e.g. ``a -> b -> a``.
    """
    deps: dict[str, list[str]] = {}
    for code, expr in definitions.items():
        try:
            names = parse(expr).names
        except FormulaError as exc:
            raise FormulaError(f"in {code!r}: {exc}") from exc
        deps[code] = sorted(n for n in names if n in definitions)

    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(code: str) -> None:
        # Iterative would avoid recursion limits, but definition graphs are small (< 1000).
        state[code] = 1
        path.append(code)
        for dep in deps[code]:
            if state.get(dep) == 1:
                cycle = path[path.index(dep) :] + [dep]
                raise FormulaError(f"circular definition: {' -> '.join(cycle)}")
            if dep not in state:
                visit(dep)
        path.pop()
        state[code] = 2
        order.append(code)

    for code in sorted(deps):
        if code not in state:
            visit(code)
    return order
