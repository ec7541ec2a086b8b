"""Every read of the indicator engine, scoped to the actor where it concerns areas."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.access import as_actor, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Area
from minsheng.indicators import engine
from minsheng.indicators.models import DataElement, DataGeneration, DataValue, Indicator

VIEW = "indicators.view"


def generation() -> int:
    return DataGeneration.objects.filter(pk=1).values_list("counter", flat=True).first() or 0


def element_meta(codes=None) -> dict[str, tuple[str, str]]:
    """code -> (aggregation, period)."""
    qs = DataElement.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {c: (a, p) for c, a, p in qs.values_list("code", "aggregation", "period")}


def element_frames(codes, *, area_ids=None, start: datetime.date | None = None,
                   end: datetime.date | None = None) -> dict[str, pd.DataFrame]:
    """Current values that count (approved, not flagged) of several elements: ONE query."""
    qs = DataValue.objects.filter(element__code__in=list(codes), current=True,
                                  state=DataValue.State.APPROVED, flag="")
    if area_ids is not None:
        qs = qs.filter(area_id__in=list(area_ids))
    if start is not None:
        qs = qs.filter(period_start__gte=start)
    if end is not None:
        qs = qs.filter(period_start__lte=end)
    rows = list(qs.values_list("element__code", "area_id", "period_start", "value"))
    frames = {c: engine.empty_frame() for c in codes}
    if rows:
        df = pd.DataFrame(rows, columns=["code", "area", "period", "value"])
        for code, part in df.groupby("code"):
            frames[code] = part[["area", "period", "value"]].reset_index(drop=True)
    return frames


def evaluate_formula(expr: str, *, area_ids=None, start=None, end=None) -> pd.DataFrame:
    codes = engine.formula_codes(expr)
    meta = element_meta(codes)
    missing = codes - set(meta)
    if missing:
        from minsheng.indicators.formula import FormulaError

        raise FormulaError(f"unknown data element {', '.join(sorted(missing))}")
    frames = element_frames(codes, area_ids=area_ids, start=start, end=end)
    frame, _ = engine.evaluate(expr, frames, {c: m[0] for c, m in meta.items()},
                               {c: m[1] for c, m in meta.items()})
    return frame


def indicator_frames(indicators, *, area_ids=None, start=None,
                     end=None) -> dict[str, tuple[pd.DataFrame, str]]:
    """Series of several indicators for several areas: one query for the element metadata
    and one for all values, whatever the number of indicators or areas."""
    codes_by = {i.code: engine.formula_codes(i.formula) for i in indicators}
    all_codes = set().union(*codes_by.values()) if codes_by else set()
    meta = element_meta(all_codes)
    frames = element_frames(all_codes, area_ids=area_ids, start=start, end=end)
    out = {}
    for i in indicators:
        if codes_by[i.code] - set(meta):
            out[i.code] = (engine.empty_frame(), "month")
            continue
        frame, kind = engine.evaluate(i.formula, frames, {c: m[0] for c, m in meta.items()},
                                      {c: m[1] for c, m in meta.items()})
        out[i.code] = (frame, kind)
    return out


def indicator_list(actor=None, *, published: bool | None = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("department")
    if published is not None:
        qs = qs.filter(published=published)
    return qs


def indicator_get(actor, *, code: str) -> Indicator:
    actor = as_actor(actor)
    require(actor, VIEW)
    try:
        return Indicator.objects.get(code=code)
    except Indicator.DoesNotExist:
        raise NotFound() from None


def element_list() -> QuerySet[DataElement]:
    return DataElement.objects.select_related("department", "part_of")


def element_get(*, code: str) -> DataElement:
    try:
        return DataElement.objects.select_related("department", "part_of").get(code=code)
    except DataElement.DoesNotExist:
        raise NotFound() from None


def value_list(actor, *, element: DataElement | None = None, area=None, state: str = "",
               current_only: bool = True) -> QuerySet[DataValue]:
    actor = as_actor(actor)
    qs = scoped(DataValue.objects.select_related("element", "area", "author"), actor, VIEW)
    if element is not None:
        qs = qs.filter(element=element)
    if area is not None:
        qs = qs.filter(area=area)
    if state:
        qs = qs.filter(state=state)
    if current_only:
        qs = qs.filter(current=True)
    return qs.order_by("-period_start", "area__code")


def value_get(actor, *, pk: int) -> DataValue:
    actor = as_actor(actor)
    try:
        return value_list(actor, current_only=False).get(pk=pk)
    except DataValue.DoesNotExist:
        raise NotFound() from None


def value_history(value: DataValue) -> QuerySet[DataValue]:
    return (DataValue.objects.filter(element=value.element_id, area=value.area_id,
                                     period_start=value.period_start)
            .select_related("author").order_by("-vintage"))


def values_not_counted(actor, *, element_codes, area_ids) -> QuerySet[DataValue]:
    """Current values that do not count yet (pending, rejected or flagged), for display."""
    from django.db.models import Q

    return (scoped(DataValue.objects.filter(element__code__in=list(element_codes),
                                            area_id__in=list(area_ids), current=True)
                   .filter(~Q(state=DataValue.State.APPROVED) | ~Q(flag="")),
                   as_actor(actor), VIEW)
            .select_related("element", "area"))


# -- definition pages ----------------------------------------------------------------------

def element_rows() -> list[dict]:
    """Every data element with where its values come from: a registered source (which), a
    formula over other elements, or manual entry and import."""
    from minsheng.indicators import registry

    rows = []
    for e in element_list():
        source = registry.SOURCES.get(e.code)
        origin = "source" if source else ("formula" if e.formula else "manual")
        rows.append({"element": e, "origin": origin, "source": source,
                     "module": e.code.split(".", 1)[0]})
    return rows


def element_choices(*, exclude: str = "") -> QuerySet[DataElement]:
    return DataElement.objects.exclude(code=exclude).only("code", "name")


def district_for(actor) -> Area | None:
    """The top area the actor sees (the district, for a district-wide role)."""
    actor = as_actor(actor)
    return (Area.objects.filter(id__in=actor.area_ids(VIEW)).order_by("path").first())


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


def formula_preview(actor, expr: str, *, years: int = 3) -> dict | None:
    """The formula's latest value for the actor's district (over the last ``years`` years of
    values that count), or None when there is nothing to show."""
    district = district_for(actor)
    if district is None:
        return None
    codes = engine.formula_codes(expr)
    meta = element_meta(codes)
    if codes - set(meta):
        return None
    start = datetime.date(timezone.localdate().year - years, 1, 1)
    frames = element_frames(codes, area_ids=[district.id], start=start)
    frame, kind = engine.evaluate(expr, frames, {c: m[0] for c, m in meta.items()},
                                  {c: m[1] for c, m in meta.items()})
    preview = {"area": district, "value": None, "period": "", "div_by_zero": False}
    if frame.empty:
        return preview
    last = frame.iloc[-1]
    preview["period"] = engine.period_label(last["period"], kind)
    if bool(last["div_by_zero"]):
        preview["div_by_zero"] = True
    elif last["value"] == last["value"]:
        preview["value"] = float(last["value"])
    return preview
