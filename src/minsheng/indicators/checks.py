"""Checking a formula as it is typed into a definition form (nothing is saved): syntax with
the position of the error, unknown data element codes, circular definitions. The definition
services refuse a formula with the same words."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from minsheng.indicators import engine
from minsheng.indicators.models import DataElement


def _with_offsets(expr: str) -> tuple[str, list[int]]:
    """The formula with dotted codes as parser names, and for each of its characters the
    offset of the character it came from in ``expr`` (so errors point at what was typed)."""
    out, origin, last = [], [], 0
    for m in engine._DOTTED.finditer(expr):
        out.append(expr[last:m.start()])
        origin.extend(range(last, m.start()))
        left, right = m.group(1), m.group(2)
        out.append(f"{left}__{right}")
        origin.extend(range(m.start(), m.start() + len(left)))
        origin.extend([m.start() + len(left)] * 2)
        origin.extend(range(m.start() + len(left) + 1, m.end()))
        last = m.end()
    out.append(expr[last:])
    origin.extend(range(last, len(expr)))
    return "".join(out), origin


@dataclass
class FormulaCheck:
    """The outcome of checking a formula typed into a form (nothing is saved)."""

    formula: str
    ok: bool = True
    kind: str = ""  # "", "empty", "syntax", "unknown", "cycle"
    message: str = ""
    position: int | None = None  # 0-based offset in ``formula``
    detail: str = ""  # the parser's own words
    unknown: list[str] = field(default_factory=list)
    cycle: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @property
    def before(self) -> str:
        return self.formula[:self.position] if self.position is not None else ""

    @property
    def at(self) -> str:
        return self.formula[self.position:self.position + 1] if self.position is not None \
            else ""

    @property
    def after(self) -> str:
        return self.formula[self.position + 1:] if self.position is not None else ""


def formula_check(expr: str, *, element_code: str = "") -> FormulaCheck:
    """Check a formula as a form would save it: syntax (with the position), unknown data
    element codes, and, for a computed element ``element_code``, circular definitions."""
    from minsheng.indicators import formula as formulas

    expr = (expr or "").strip()
    check = FormulaCheck(formula=expr)
    if not expr:
        return dataclasses.replace(check, ok=False, kind="empty",
                                   message=_("Enter a formula"))
    translated, origin = _with_offsets(expr)
    try:
        parsed = formulas.parse(translated)
    except formulas.FormulaError as exc:
        pos = exc.position
        position = (origin[pos] if pos is not None and pos < len(origin)
                    else len(expr) if pos is not None else None)
        # the parser's own words, without its offset (counted in the translated formula)
        detail = str(exc).replace("__", ".").split(" at position ")[0]
        if position is None:
            message = _("The formula cannot be read: %(detail)s") % {"detail": detail}
        else:
            message = _("Syntax error in the formula at character %(n)d") % {"n": position + 1}
        return dataclasses.replace(check, ok=False, kind="syntax", message=message,
                                   position=position, detail=detail)
    codes = sorted(n.replace("__", ".") for n in parsed.names)
    check.codes = codes
    known = set(DataElement.objects.filter(code__in=codes).values_list("code", flat=True))
    if element_code:
        known.add(element_code)
    unknown = [c for c in codes if c not in known]
    if unknown:
        return dataclasses.replace(
            check, ok=False, kind="unknown", unknown=unknown, position=expr.find(unknown[0]),
            message=_("Unknown data element code(s): %(codes)s") % {"codes": ", ".join(unknown)})
    if element_code:
        definitions = dict(DataElement.objects.exclude(formula="").exclude(code=element_code)
                           .values_list("code", "formula"))
        definitions[element_code] = expr
        try:
            engine.dependency_order(definitions)
        except formulas.FormulaError as exc:
            text = str(exc)
            cycle = text.split("circular definition:", 1)[1].strip().split(" -> ") \
                if "circular definition:" in text else []
            if cycle:
                return dataclasses.replace(
                    check, ok=False, kind="cycle", cycle=cycle,
                    message=_("Circular definition: %(cycle)s") % {"cycle": " → ".join(cycle)})
            return dataclasses.replace(check, ok=False, kind="syntax", detail=text,
                                       message=_("The formula cannot be read: %(detail)s")
                                       % {"detail": text})
    return check
