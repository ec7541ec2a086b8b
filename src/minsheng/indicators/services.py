"""Every write of the indicator engine: catalogue, computation from sources, manual entry,
import and approval of data values."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from minsheng.casework.workflow import transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, require_department, system_actor
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.indicators import catalogue, checks, engine, frames, registry
from minsheng.indicators.formula import FormulaError
from minsheng.indicators.models import DataElement, DataGeneration, DataValue, Indicator
from minsheng.indicators.permissions import APPROVE, ENTER, MANAGE

OUTLIER_Z = 3.5  # Iglewicz & Hoaglin's recommended cut-off for the modified z-score


def generation_bump() -> None:
    if not DataGeneration.objects.filter(pk=1).update(counter=F("counter") + 1):
        DataGeneration.objects.get_or_create(pk=1, defaults={"counter": 1})


# -- catalogue -----------------------------------------------------------------------------

def catalogue_ensure(*, actor=None) -> dict[str, DataElement]:
    """Create the standard data elements and indicators, and one element per registered
    source, if missing (idempotent; existing rows are left as administrators edited them).
    What it creates is one audit row (by the platform unless an actor is given)."""
    departments = dict(Organization.objects.filter(kind="department")
                       .exclude(department_code=None).values_list("department_code", "id"))
    existing = {e.code: e for e in DataElement.objects.all()}
    created = []
    with transaction.atomic():
        for d in catalogue.ELEMENTS:
            if d.code not in existing:
                existing[d.code] = DataElement.objects.create(
                    code=d.code, name=d.name, unit=d.unit, aggregation=d.aggregation,
                    period=d.period, department_id=departments.get(d.department),
                    is_rate=d.is_rate)
                created.append(d.code)
        for d in catalogue.ELEMENTS:
            if d.part_of and existing[d.code].part_of_id is None:
                DataElement.objects.filter(pk=existing[d.code].pk).update(
                    part_of=existing[d.part_of])
                existing[d.code].part_of = existing[d.part_of]
        for src in registry.SOURCES.values():
            if src.code not in existing:
                existing[src.code] = DataElement.objects.create(
                    code=src.code, name=src.name, unit=src.unit, aggregation=src.aggregation,
                    period=src.period, description=src.description)
                created.append(src.code)
        known = set(existing)
        have = set(Indicator.objects.values_list("code", flat=True))
        for d in catalogue.INDICATORS:
            if d.code not in have:
                engine.parse_formula(d.formula, known)
                Indicator.objects.create(code=d.code, name=d.name, unit=d.unit,
                                         formula=d.formula, decimals=d.decimals,
                                         published=d.published, description=d.description,
                                         department_id=departments.get(d.department))
                created.append(d.code)
        if created:
            audit.record(actor or system_actor(), AuditEntry.Action.CREATE,
                         object_type="indicators.catalogue", object_repr="catalogue",
                         changes={"created": [None, created]})
    return existing


def _refuse_formula(check: checks.FormulaCheck) -> None:
    """A formula the definition form's check refuses, with the same words and position."""
    if not check.ok:
        raise ValidationFailed(check.message, details={
            "field": "formula", "kind": check.kind, "position": check.position,
            "unknown": check.unknown, "cycle": check.cycle})


def _check_element_formula(code: str, formula: str) -> None:
    """A computed element's formula: known codes only, and no circular definitions. No
    formula (an element entered by hand) needs no check."""
    if formula:
        _refuse_formula(checks.formula_check(formula, element_code=code))


def _check_choices(aggregation: str, period: str) -> None:
    from minsheng.indicators.models import Aggregation, Period

    if aggregation not in Aggregation.values:
        raise ValidationFailed(_("Choose how the element is aggregated"), field="aggregation")
    if period not in Period.values:
        raise ValidationFailed(_("Choose the element's period"), field="period")


def element_create(*, actor, code: str, name: str, unit: str = "", aggregation: str = "sum",
                   period: str = "month", formula: str = "", is_rate: bool = False,
                   department: Organization | None = None,
                   description: str = "") -> DataElement:
    actor = as_actor(actor)
    require(actor, MANAGE)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*", code):
        raise ValidationFailed(_("A code looks like module.name (lower case)"), field="code")
    if not name.strip():
        raise ValidationFailed(_("Enter the data element's name"), field="name")
    _check_choices(aggregation, period)
    if DataElement.objects.filter(code=code).exists():
        raise ValidationFailed(_("The data element code %(code)s is already taken")
                               % {"code": code}, field="code")
    if formula:
        _check_element_formula(code, formula)
    with transaction.atomic():
        element = DataElement.objects.create(code=code, name=name.strip(), unit=unit,
                                             aggregation=aggregation, period=period,
                                             formula=formula, is_rate=is_rate,
                                             department=department, description=description)
        audit.record(actor, AuditEntry.Action.CREATE, obj=element)
    return element


def element_update(*, actor, element: DataElement, name: str, unit: str = "",
                   aggregation: str = "sum", period: str = "month", formula: str = "",
                   is_rate: bool = False, department: Organization | None = None,
                   description: str = "") -> DataElement:
    """Edit an element defined here (not one computed by a registered source). The code
    stays (formulas and values refer to it); the period cannot change once values exist."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    if element.code in registry.SOURCES:
        raise ValidationFailed(_("%(code)s is computed by a registered source; its module "
                                 "defines it") % {"code": element.code})
    if not name.strip():
        raise ValidationFailed(_("Enter the data element's name"), field="name")
    _check_choices(aggregation, period)
    if period != element.period and DataValue.objects.filter(element=element).exists():
        raise ValidationFailed(_("The period cannot change once values have been stored"),
                               field="period")
    if formula or element.formula:
        _check_element_formula(element.code, formula)
    changes = {}
    new = {"name": name.strip(), "unit": unit, "aggregation": aggregation, "period": period,
           "formula": formula, "is_rate": is_rate,
           "department_id": department.pk if department else None, "description": description}
    for f, v in new.items():
        if getattr(element, f) != v:
            changes[f.removesuffix("_id")] = [getattr(element, f), v]
            setattr(element, f, v)
    if changes:
        with transaction.atomic():
            element.save(update_fields=list(new))
            audit.record(actor, AuditEntry.Action.UPDATE, obj=element, changes=changes)
    return element


def _check_indicator_formula(formula: str) -> None:
    _refuse_formula(checks.formula_check(formula))


def indicator_create(*, actor, code: str, name: str, formula: str, unit: str = "",
                     decimals: int = 1, published: bool = False, description: str = "",
                     department: Organization | None = None) -> Indicator:
    actor = as_actor(actor)
    require(actor, MANAGE)
    if not re.fullmatch(r"[a-z_][a-z0-9_.]*", code or ""):
        raise ValidationFailed(_("An indicator code uses lower-case letters, digits and "
                                 "underscores"), field="code")
    if not name.strip():
        raise ValidationFailed(_("Enter the indicator's name"), field="name")
    if Indicator.objects.filter(code=code).exists():
        raise ValidationFailed(_("The indicator code %(code)s is already taken")
                               % {"code": code}, field="code")
    _check_indicator_formula(formula)
    with transaction.atomic():
        indicator = Indicator.objects.create(code=code, name=name.strip(), formula=formula,
                                             unit=unit, decimals=decimals, published=published,
                                             description=description, department=department)
        audit.record(actor, AuditEntry.Action.CREATE, obj=indicator)
    return indicator


def indicator_update(*, actor, indicator: Indicator, name: str, formula: str, unit: str = "",
                     decimals: int = 1, published: bool = False, description: str = "",
                     department: Organization | None = None) -> Indicator:
    """Edit an indicator (its code stays: targets and open data refer to it)."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    if not name.strip():
        raise ValidationFailed(_("Enter the indicator's name"), field="name")
    _check_indicator_formula(formula)
    new = {"name": name.strip(), "formula": formula, "unit": unit, "decimals": decimals,
           "published": published, "description": description,
           "department_id": department.pk if department else None}
    changes = {}
    for f, v in new.items():
        if getattr(indicator, f) != v:
            changes[f.removesuffix("_id")] = [getattr(indicator, f), v]
            setattr(indicator, f, v)
    if changes:
        with transaction.atomic():
            indicator.save(update_fields=list(new))
            audit.record(actor, AuditEntry.Action.UPDATE, obj=indicator, changes=changes)
    return indicator


# -- storing values set-based --------------------------------------------------------------

def _area_tree() -> tuple[dict[int, int | None], dict[int, int]]:
    rows = list(Area.objects.values_list("id", "parent_id", "path"))
    return {a: p for a, p, _ in rows}, {a: path.count("/") for a, _, path in rows}


def values_store(element: DataElement, frame: pd.DataFrame, *, actor, source: str,
                 author=None, state: str = DataValue.State.APPROVED) -> dict[str, int]:
    """Store a frame (area, period, value) as the current values of an element, set-based.
    Unchanged values are left alone; changed ones become a new vintage (the old row is
    kept). Computed values are stored approved: the review workflow is for values entered
    by hand. The caller runs it in its transaction and writes the audit row."""
    require(as_actor(actor), MANAGE)
    counts = {"new": 0, "revised": 0, "unchanged": 0}
    if frame.empty:
        return counts
    frame = frame.dropna(subset=["value"])
    lo, hi = min(frame["period"]), max(frame["period"])
    existing = {(a, p): (pk, v, vintage) for pk, a, p, v, vintage in DataValue.objects.filter(
        element=element, current=True, period_start__gte=lo, period_start__lte=hi,
        area_id__in=set(frame["area"].tolist())).values_list(
            "id", "area_id", "period_start", "value", "vintage")}
    superseded, new_rows = [], []
    for a, p, v in zip(frame["area"].tolist(), frame["period"].tolist(),
                       frame["value"].tolist(), strict=True):
        old = existing.get((a, p))
        if old is not None and abs(old[1] - v) <= 1e-9 * max(1.0, abs(v)):
            counts["unchanged"] += 1
            continue
        if old is not None:
            superseded.append(old[0])
            counts["revised"] += 1
        else:
            counts["new"] += 1
        new_rows.append(DataValue(element=element, area_id=a, period_start=p, value=float(v),
                                  source=source, author=author, state=state,
                                  vintage=(old[2] + 1) if old else 1))
    for i in range(0, len(superseded), 900):
        DataValue.objects.filter(pk__in=superseded[i:i + 900]).update(current=False)
    DataValue.objects.bulk_create(new_rows, batch_size=2000)
    if new_rows:
        generation_bump()
    return counts


def frame_from_rows(rows) -> pd.DataFrame:
    data = list(rows)
    if not data:
        return engine.empty_frame()
    return pd.DataFrame(data, columns=["area", "period", "value"])


@dataclass
class ComputeReport:
    computed: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def values_compute(*, actor, start: datetime.date, end: datetime.date,
                   codes: list[str] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> ComputeReport:
    """Call every registered source for the period range, roll additive values up the area
    tree, and store the results; then computed (formula) elements in dependency order.
    One transaction with its audit row: a failure stores nothing. (`progress` is called
    inside the transaction.)"""
    actor = as_actor(actor)
    require(actor, MANAGE)
    report = ComputeReport()
    with transaction.atomic():
        elements = catalogue_ensure(actor=actor)
        parents, depth = _area_tree()
        sources = [s for s in registry.SOURCES.values() if codes is None or s.code in codes]
        computed = {c: e.formula for c, e in elements.items() if e.formula}
        try:
            order = engine.dependency_order(computed)
        except FormulaError as exc:
            report.errors["formulas"] = str(exc)
            order = []
        total = len(sources) + len(order)
        for done, source in enumerate(sources, start=1):
            element = elements[source.code]
            frame = frame_from_rows(source.compute(start, end))
            if source.aggregation != "none":
                frame = engine.rollup_areas(frame, parents, depth)
            report.computed[source.code] = values_store(element, frame, actor=actor,
                                                        source=f"source:{source.code}")
            if progress:
                progress(done, total)
        for done, code in enumerate(order, start=len(sources) + 1):
            element = elements[code]
            try:
                frame = frames.evaluate_formula(element.formula, start=start, end=end)
            except FormulaError as exc:
                report.errors[code] = str(exc)
                continue
            report.computed[code] = values_store(element, frame[["area", "period", "value"]],
                                                 actor=actor, source="formula")
            if progress:
                progress(done, total)
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="indicators.datavalue",
                     object_repr=f"compute {start}..{end}",
                     changes={k: [None, v] for k, v in report.computed.items()})
    return report


# -- manual entry, import, approval --------------------------------------------------------

def _check_value(element: DataElement, area: Area, period: datetime.date, value: float,
                 pending: dict | None = None) -> str:
    """Raise on impossible values; return an outlier flag ('' if none)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationFailed(_("The value is not a number"), field="value")
    if value < 0:
        raise ValidationFailed(_("The value cannot be negative"), field="value")
    if (element.is_rate or element.unit == "%") and not 0 <= value <= 100:
        raise ValidationFailed(_("A rate must be between 0 and 100"), field="value")
    if engine.period_start(period, element.period) != period:
        raise ValidationFailed(_("The period must start on the first day of a %(kind)s")
                               % {"kind": element.get_period_display()}, field="period")
    pending = pending or {}
    if element.part_of_id:
        whole = pending.get((element.part_of_id, area.id, period))
        if whole is None:
            whole = (DataValue.objects.filter(element_id=element.part_of_id, area=area,
                                              period_start=period, current=True)
                     .values_list("value", flat=True).first())
        if whole is not None and value > whole:
            raise ValidationFailed(
                _("%(part)s (%(value)s) cannot exceed %(whole)s (%(total)s)")
                % {"part": element.name, "value": f"{value:g}",
                   "whole": element.part_of.name, "total": f"{whole:g}"}, field="value")
    for part in element.parts.all():
        part_value = pending.get((part.id, area.id, period))
        if part_value is None:
            part_value = (DataValue.objects.filter(element=part, area=area, period_start=period,
                                                   current=True)
                          .values_list("value", flat=True).first())
        if part_value is not None and part_value > value:
            raise ValidationFailed(
                _("%(whole)s (%(value)s) cannot be less than its part %(part)s (%(partv)s)")
                % {"whole": element.name, "value": f"{value:g}", "part": part.name,
                   "partv": f"{part_value:g}"}, field="value")
    history = list(DataValue.objects.filter(
        element=element, area=area, current=True, state=DataValue.State.APPROVED,
        period_start__lt=period).order_by("-period_start").values_list("value", flat=True)[:36])
    z = engine.modified_z(history, value)
    if z is not None and abs(z) > OUTLIER_Z:
        return _("outlier: modified z-score %(z).1f against the last %(n)d values") % {
            "z": z, "n": len(history)}
    return ""


def value_enter(*, actor, element: DataElement, area: Area, period: datetime.date | str,
                value: float, version: int | None = None, note: str = "",
                source: str = "manual") -> DataValue:
    """Enter or revise a value; it awaits approval (the review workflow). The period is a
    date or as typed (YYYY, YYYY-MM or YYYYQn). Revising needs the version the editor read:
    if someone else revised it in between, StaleVersion is raised and nothing changes."""
    actor = as_actor(actor)
    require(actor, ENTER, area)
    if element.formula or element.code in registry.SOURCES:
        raise ValidationFailed(_("%(name)s is computed from records and cannot be entered "
                                 "by hand") % {"name": element.name}, field="element")
    if isinstance(period, str):
        try:
            period = parse_period(period, element.period)
        except ValueError as exc:
            raise ValidationFailed(str(exc), field="period") from None
    value = float(value)
    flag = _check_value(element, area, period, value)
    with transaction.atomic():
        old = (DataValue.objects.select_for_update()
               .filter(element=element, area=area, period_start=period, current=True).first())
        if old is not None:
            if version is None:
                raise StaleVersion(_("A value already exists for this period; open it and "
                                     "revise it instead"), details={"current_version":
                                                                     old.version,
                                                                     "field": "version"})
            save_versioned(old, version, values={"current": False})
        elif version is not None:
            raise StaleVersion()
        new = DataValue.objects.create(
            element=element, area=area, period_start=period, value=value, source=source,
            author=actor.user if actor.is_authenticated else None,
            state=DataValue.workflow.initial, flag=flag, note=note[:300],
            vintage=(old.vintage + 1) if old else 1,
            # the version runs on across vintages, so an editor who read an older vintage
            # can never match the new one
            version=(old.version + 1) if old else 1)
        audit.record(actor, AuditEntry.Action.UPDATE if old else AuditEntry.Action.CREATE,
                     obj=new, changes={"value": [old.value if old else None, value]})
        generation_bump()
    return new


def value_decide(*, actor, value: DataValue, version: int, approve: bool,
                 accept_flag: bool = False, note: str = "") -> DataValue:
    """Approve or reject an entered value: approvers in its area who belong to the
    element's department (core.access.require_department), through the review workflow
    (timeline, audit, one conditional update)."""
    actor = as_actor(actor)
    require(actor, APPROVE, value.area)
    department = value.element.department
    try:
        require_department(actor, department)
    except PermissionDenied:
        raise PermissionDenied(_("Only %(dept)s approves these values")
                               % {"dept": department.name}) from None
    if value.state != DataValue.State.PENDING:
        raise ValidationFailed(_("This value has already been decided"))
    if not value.current:
        raise ValidationFailed(_("A newer value was entered for this period; decide that one"))
    changes = {"approved_by": actor.user if actor.is_authenticated else None}
    if approve and accept_flag and value.flag:
        changes["note"] = ((f"{note} " if note else "") + f"[confirmed: {value.flag}]")[:300]
        changes["flag"] = ""
    with transaction.atomic():
        transition(actor=actor, case=value, name="approve" if approve else "reject",
                   version=version, note=note, data={"accept_flag": accept_flag},
                   changes=changes)
        generation_bump()
    return value


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_PERIOD_RE = re.compile(r"^(\d{4})(?:[-/.]?(\d{1,2})|[Qq]([1-4]))?$")

HEADERS = {"code": ("数据元代码", "code"), "area": ("区划代码", "area"),
           "period": ("期间", "period"), "value": ("数值", "value"), "note": ("备注", "note")}


def parse_period(text: str, kind: str) -> datetime.date:
    m = _PERIOD_RE.match(text.strip())
    if not m:
        raise ValueError(_("period %(p)r is not YYYY, YYYY-MM or YYYYQn") % {"p": text})
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(_("month %(m)s does not exist") % {"m": month})
    elif m.group(3):
        month = (int(m.group(3)) - 1) * 3 + 1
    else:
        month = 1
    day = datetime.date(year, month, 1)
    if engine.period_start(day, kind) != day:
        raise ValueError(_("period %(p)r does not fit a %(kind)s element") % {"p": text,
                                                                            "kind": kind})
    return day


def values_import(*, actor, path: str | Path) -> ImportReport:
    """Import values from CSV/XLSX (columns 数据元代码, 区划代码, 期间, 数值[, 备注]).

    All-or-nothing: any bad row (unknown code or area, area outside the user's scope,
    bad period, rule violation) is reported by line and nothing is stored."""
    from minsheng.core.tabular import open_table

    actor = as_actor(actor)
    require(actor, ENTER)
    table = open_table(Path(path))
    header = [h.strip() for h in table.header]
    index = {}
    for key, names in HEADERS.items():
        for name in names:
            if name in header:
                index[key] = header.index(name)
    missing = [HEADERS[k][0] for k in ("code", "area", "period", "value") if k not in index]
    if missing:
        raise ValidationFailed(_("Missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
    elements = {e.code: e for e in DataElement.objects.select_related("part_of")}
    areas = {a.code: a for a in Area.objects.all()}
    allowed = set(actor.area_ids(ENTER))
    report = ImportReport()
    parsed: list[tuple[int, DataElement, Area, datetime.date, float, str]] = []
    pending: dict = {}
    for line, cells in table.rows:
        report.rows += 1
        def cell(k, cells=cells):
            return cells[index[k]].strip() if k in index and index[k] < len(cells) else ""
        try:
            element = elements.get(cell("code"))
            if element is None:
                raise ValueError(_("unknown data element %(c)r") % {"c": cell("code")})
            if element.formula or element.code in registry.SOURCES:
                raise ValueError(_("%(c)s is computed from records") % {"c": element.code})
            area = areas.get(cell("area"))
            if area is None or area.id not in allowed:
                raise ValueError(_("area %(a)r is unknown or outside your scope")
                                 % {"a": cell("area")})
            period = parse_period(cell("period"), element.period)
            try:
                value = float(cell("value").replace(",", ""))
            except ValueError:
                raise ValueError(_("value %(v)r is not a number") % {"v": cell("value")}) from None
            pending[(element.id, area.id, period)] = value
            parsed.append((line, element, area, period, value, cell("note")))
        except ValueError as exc:
            report.errors.append((line, str(exc)))
    checked = []
    for line, element, area, period, value, note in parsed:
        try:
            checked.append((element, area, period, value, note,
                            _check_value(element, area, period, value, pending)))
        except ValidationFailed as exc:
            report.errors.append((line, str(exc.message)))
    if report.errors:
        report.errors.sort()
        return report
    with transaction.atomic():
        for element, area, period, value, note, flag in checked:
            old = (DataValue.objects.select_for_update()
                   .filter(element=element, area=area, period_start=period, current=True)
                   .first())
            if old is not None:
                save_versioned(old, None, values={"current": False})
            DataValue.objects.create(
                element=element, area=area, period_start=period, value=value, source="import",
                author=actor.user if actor.is_authenticated else None,
                state=DataValue.workflow.initial, flag=flag, note=note[:300],
                vintage=(old.vintage + 1) if old else 1, version=old.version + 1 if old else 1)
            report.imported += 1
        audit.record(actor, AuditEntry.Action.IMPORT, object_type="indicators.datavalue",
                     object_repr=Path(path).name, changes={"rows": [None, report.imported]})
        generation_bump()
    return report


def values_import_upload(*, actor, upload) -> ImportReport:
    """Import an uploaded file (the values page). All-or-nothing: when any row is bad,
    nothing is stored and the refusal lists the first rows by line and reason."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        report = values_import(actor=actor, path=tmp.name)
    if not report.ok:
        raise ValidationFailed(_("Nothing was imported: %(errors)s") % {
            "errors": "; ".join(f"{_('line')} {line}: {reason}"
                                for line, reason in report.errors[:20])}, field="file")
    return report
