"""Economic verification: registry extract imports, verification runs (per case, or in
batch for every household under review) and the resolution of their findings (FINDING
workflow). The matching itself is in `linkage` (vectorised); findings and registry rows
are written set-based (bulk inserts), each import and run with its audit row."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance import linkage
from minsheng.assistance.config import setting
from minsheng.assistance.models import (
    DibaoCase,
    DibaoMember,
    Discrepancy,
    RegistryBatch,
    RegistryRecord,
    RegistrySource,
    VerificationRun,
)
from minsheng.assistance.permissions import APPLY, IMPORT
from minsheng.assistance.services.moves import move
from minsheng.assistance.workflows import FINDING_MOVES
from minsheng.casework import workflow
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, Person
from minsheng.core.tabular import open_table

COLUMNS = {
    "id_number": ("身份证号", "公民身份号码", "证件号码", "id_number"),
    "name": ("姓名", "name"),
    "birth_date": ("出生日期", "birth_date"),
    "address": ("地址", "住址", "address"),
    "amount": ("金额", "缴费基数", "月收入", "价值", "余额", "注册资本", "amount"),
    "item": ("项目", "车牌号", "房产地址", "企业名称", "item"),
    "event_date": ("日期", "登记日期", "死亡日期", "event_date"),
}
CHUNK = 5000


def _header_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        for field, aliases in COLUMNS.items():
            if name.strip() in aliases:
                found[field] = index
    return found


def _extract_date(text: str):
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValueError(_("not a date: %s") % text)


def registry_import(*, actor, source: str, path: str | Path) -> RegistryBatch:
    """Import one registry extract. Bad rows are reported by line and reason and left out;
    the good rows go in as one transaction (all of the file's good rows or none)."""
    actor = as_actor(actor)
    require(actor, IMPORT)
    if source not in RegistrySource.values:
        raise ValidationFailed(_("Unknown registry: %s") % source, field="source")
    table = open_table(path)
    cols = _header_map(table.header)
    if "name" not in cols or "id_number" not in cols:
        raise ValidationFailed(_("The extract needs the columns 姓名 and 身份证号"))
    bad: list[dict] = []
    records: list[RegistryRecord] = []
    with transaction.atomic():
        batch = RegistryBatch.objects.create(source=source, file_name=Path(path).name[:200],
                                             imported_by=actor.user if actor.is_authenticated
                                             else None)

        def cell(cells, field):
            index = cols.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        for line, cells in table.rows:
            try:
                raw_id = cell(cells, "id_number").upper()
                name = cell(cells, "name")
                if not name:
                    raise ValueError(_("name is empty"))
                if len(raw_id) > 32 or len(name) > 60:
                    raise ValueError(_("a value is too long"))
                try:
                    amount = Decimal(cell(cells, "amount") or "0")
                except InvalidOperation:
                    raise ValueError(_("amount is not a number")) from None
                if not amount.is_finite() or amount < 0:
                    raise ValueError(_("amount must be a non-negative number"))
                _keys, valid = linkage.id_keys([raw_id])
                birth = _extract_date(cell(cells, "birth_date"))
                if birth is None and valid[0]:
                    birth = datetime.date(int(raw_id[6:10]), int(raw_id[10:12]),
                                          int(raw_id[12:14]))
                records.append(RegistryRecord(
                    batch=batch, source=source, raw_id=raw_id,
                    id_number=raw_id if len(raw_id) == 18 else "", name=name,
                    birth_date=birth, address=cell(cells, "address")[:300],
                    amount=amount.quantize(Decimal("0.01")), item=cell(cells, "item")[:200],
                    event_date=_extract_date(cell(cells, "event_date"))))
            except ValueError as exc:
                bad.append({"line": line, "reason": str(exc)})
            if len(records) >= CHUNK:
                RegistryRecord.objects.bulk_create(records)
                batch.rows += len(records)
                records = []
        RegistryRecord.objects.bulk_create(records)
        batch.rows += len(records)
        batch.bad_rows = bad[:1000]
        batch.save(update_fields=["rows", "bad_rows"])
        audit.record(actor, AuditEntry.Action.IMPORT, obj=batch,
                     object_repr=f"{source}: {batch.file_name}",
                     changes={"rows": [0, batch.rows], "bad_rows": [0, len(bad)]})
    return batch


def _members_frame(cases) -> tuple[pd.DataFrame, list[DibaoMember]]:
    members = list(DibaoMember.objects.filter(case__in=cases).select_related("person", "case"))
    rows = []
    for m in members:
        inc = m.income or {}
        assets = m.assets or {}

        def f(d, k):
            return float(d.get(k, 0) or 0)
        rows.append({
            "id_number": m.person.id_number, "name": m.person.name,
            "birth_date": pd.Timestamp(m.person.birth_date), "address": m.person.address,
            "wages": f(inc, "wages"),
            "income_total": sum(f(inc, k) for k in ("wages", "business", "property",
                                                    "transfers", "other")),
            "properties": f(assets, "properties"), "vehicle_value": f(assets, "vehicle_value"),
            "business_capital": f(assets, "business_capital"), "deposits": f(assets, "deposits")})
    return pd.DataFrame(rows), members


def _records_frame(members: pd.DataFrame) -> pd.DataFrame:
    """Registry rows that can concern these members: their IDs (exact) and, for probable
    links, rows without a usable ID that share with a member the birth date, the name, the
    first 14 ID characters (region and birth date: a mistyped sequence or check digit) or
    the region and last four (a mistyped birth digit)."""
    fields = ("source", "id_number", "name", "birth_date", "address", "amount", "pk")
    ids = [i for i in members["id_number"] if i]
    births = list({d.date() for d in members["birth_date"].dropna()})
    names = list(set(members["name"]))
    heads = list({i[:14] for i in ids if len(i) == 18})
    tails = list({i[:6] + i[14:] for i in ids if len(i) == 18})
    exact = RegistryRecord.objects.filter(id_number__in=ids).values_list(*fields)
    loose = (RegistryRecord.objects.exclude(id_number__in=ids)
             .annotate(head=Substr("raw_id", 1, 14),
                       tail=Concat(Substr("raw_id", 1, 6), Substr("raw_id", 15, 4)))
             .filter(Q(birth_date__in=births) | Q(name__in=names) | Q(head__in=heads)
                     | Q(tail__in=tails))
             .values_list(*fields))
    frame = pd.DataFrame(list(exact) + list(loose), columns=list(fields))
    if frame.empty:
        return frame
    frame = frame.drop_duplicates("pk").reset_index(drop=True)
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    frame["amount"] = frame["amount"].astype(float)
    return frame


def _context(member_rows, records: pd.DataFrame) -> dict:
    """Other people and registry rows for the probable stage to estimate its model on
    (only when some candidate row has no valid ID: otherwise nothing is scored)."""
    _keys, valid = linkage.id_keys(records["id_number"].fillna("").to_numpy())
    if valid.all():
        return {}
    n = setting("VERIFICATION_LINKAGE_CONTEXT")
    people = (Person.objects.exclude(pk__in=[m.person_id for m in member_rows])
              .order_by("pk").values_list("id_number", "name", "birth_date", "address")[:n])
    rows = (RegistryRecord.objects.exclude(pk__in=list(records["pk"])).order_by("pk")
            .values_list("raw_id", "name", "birth_date", "address")[:n])
    cols = ["id_number", "name", "birth_date", "address"]
    return {"context_people": pd.DataFrame(list(people), columns=cols),
            "context_records": pd.DataFrame(list(rows), columns=cols)}


def _detail(pks, row) -> str:
    text = _("registry rows: %s") % ", ".join(str(int(pks[r])) for r in row.records[:10])
    if row.match == "fuzzy":
        text += "; " + _("link weight %(w).1f, probability %(p).3f: %(why)s") % {
            "w": row.score, "p": row.probability, "why": row.explanation}
    return text[:300]


def _checked() -> dict:
    """Which registries the run checks, as of which extract, and which it cannot (no
    extract imported): a run that checked nothing must not read as "no discrepancies"."""
    latest = (RegistryBatch.objects.values("source")
              .annotate(as_of=Max("imported_at"), rows=Sum("rows")).order_by("source"))
    checked = [{"source": b["source"], "as_of": timezone.localtime(b["as_of"]).date()
                .isoformat(), "rows": b["rows"]} for b in latest if b["rows"]]
    done = {c["source"] for c in checked}
    return {"checked": checked,
            "not_checked": [s for s in RegistrySource.values if s not in done]}


def verification_run(*, actor, cases, label: str = "") -> VerificationRun:
    """Verify the households of `cases` against every imported extract and store each
    discrepancy with its source. Fuzzy links are stored as 'to confirm'."""
    actor = as_actor(actor)
    cases = list(cases)
    if not cases:
        raise ValidationFailed(_("Nothing to verify"))
    for case in cases:
        require(actor, APPLY, case.area)
    members, member_rows = _members_frame(cases)
    area = cases[0].area if len(cases) == 1 else Area.objects.filter(parent=None).first()
    with transaction.atomic():
        run = VerificationRun.objects.create(
            area=area, case=cases[0] if len(cases) == 1 else None,
            label=label or _("Batch verification"), households=len(cases),
            persons=len(member_rows), started_by=actor.user if actor.is_authenticated else None)
        found = pd.DataFrame()
        if not members.empty:
            records = _records_frame(members)
            if not records.empty:
                found = linkage.discrepancies(
                    members, records, tolerance=float(setting("VERIFICATION_TOLERANCE")),
                    threshold=float(setting("VERIFICATION_LINK_THRESHOLD")),
                    **_context(member_rows, records))
        pks = records["pk"].to_numpy() if not found.empty else np.array([])
        objs = []
        for row in found.itertuples(index=False):  # one row per finding, not per record
            m = member_rows[int(row.member)]
            objs.append(Discrepancy(
                run=run, area=m.case.area, case=m.case, household_id=m.case.household_id,
                person=m.person, source=row.source, kind=row.kind,
                declared=Decimal(str(round(row.declared, 2))),
                found=Decimal(str(round(row.found, 2))),
                detail=_detail(pks, row), match=row.match, score=float(row.score),
                state="to_confirm" if row.match == "fuzzy" else "open"))
        Discrepancy.objects.bulk_create(objs)
        run.finished_at = timezone.now()
        run.summary = {**_checked(), "discrepancies": len(objs),
                       "fuzzy": sum(1 for o in objs if o.match == "fuzzy"),
                       "by_source": {s: sum(1 for o in objs if o.source == s)
                                     for s in sorted({o.source for o in objs})}}
        notes = found.attrs.get("linkage", {}).get("notes", [])
        if notes:
            run.summary["linkage_notes"] = [str(n)[:300] for n in notes[:10]]
        run.save(update_fields=["finished_at", "summary"])
        audit.record(actor, AuditEntry.Action.CREATE, obj=run, object_repr=run.label,
                     changes={"discrepancies": [0, len(objs)]})
    return run


def verification_batch(*, actor, state: str = "verifying", kind: str | None = None
                       ) -> VerificationRun | None:
    """Batch run for every open case in a state (e.g. all re-review cases verifying)."""
    actor = as_actor(actor)
    qs = DibaoCase.objects.filter(state=state, area_id__in=actor.area_ids(APPLY))
    if kind:
        qs = qs.filter(kind=kind)
    cases = list(qs.select_related("area"))
    return verification_run(actor=actor, cases=cases) if cases else None


def discrepancy_resolve(*, actor, discrepancy: Discrepancy, status: str,
                        resolution: str = "", version: int | None = None) -> Discrepancy:
    """A caseworker confirms or dismisses a finding (fuzzy ones must be decided here), or
    records the applicant's dispute; the reviewer decides a dispute. `status` is the
    outcome asked for (confirmed, dismissed, disputed, upheld)."""
    actor = as_actor(actor)
    name = FINDING_MOVES.get(status)
    if name is None:
        raise ValidationFailed(_("Unknown resolution: %s") % status, field="status")
    resolution = resolution.strip()[:4000]
    with transaction.atomic():
        move(actor, discrepancy, name, version=version, note=resolution,
             data={"resolution": resolution},
             changes={"resolution": resolution,
                      "dispute_text": (resolution if status == "disputed"
                                       else discrepancy.dispute_text),
                      "resolved_by": actor.user if actor.is_authenticated else None})
        if discrepancy.case_id:
            workflow.record_event(discrepancy.case, actor=actor,
                                  note=_("Verification finding %(kind)s (%(source)s): "
                                         "%(status)s") % {
                                      "kind": discrepancy.kind_label,
                                      "source": discrepancy.get_source_display(),
                                      "status": discrepancy.state_label})
    return discrepancy
