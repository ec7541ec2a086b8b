"""Importing people, households, organizations and disability certificates from CSV/XLSX.

An import is all or nothing: rows are validated and inserted inside one transaction, every
bad row is reported (line, column, reason), and any error rolls the whole file back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit, identifiers
from minsheng.core.access import as_actor, require
from minsheng.core.bulkload import DuplicateKeys, StagedInsert
from minsheng.core.errors import DomainError, ValidationFailed
from minsheng.core.models import (
    Area,
    AuditEntry,
    DisabilityCertificate,
    Household,
    HouseholdMember,
    Organization,
    Person,
)
from minsheng.core.services.disabilities import check_certificate
from minsheng.core.tabular import column_letter, open_table

MAX_REPORTED_ERRORS = 1000
CHUNK = 5000
# Column names as Chinese office files carry them, with English aliases.
COLUMNS = {
    "persons": {
        "id_number": ("身份证号", "公民身份号码", "身份证号码", "id_number"),
        "name": ("姓名", "name"),
        "birth_date": ("出生日期", "birth_date"),
        "sex": ("性别", "sex"),
        "phone": ("联系电话", "手机号", "电话", "phone"),
        "residence_area": ("居住地区划代码", "居住地代码", "residence_area_code"),
        "hukou_area": ("户籍地区划代码", "户籍地代码", "hukou_area_code"),
        "address": ("地址", "住址", "address"),
        "status": ("状态", "status"),
    },
    "households": {
        "number": ("户号", "household_number"),
        "area": ("区划代码", "area_code"),
        "address": ("地址", "住址", "address"),
        "member_id_number": ("成员身份证号", "身份证号", "member_id_number"),
        "relationship": ("与户主关系", "relationship"),
    },
    "disabilities": {
        "id_number": ("身份证号", "公民身份号码", "身份证号码", "id_number"),
        "number": ("残疾人证号", "残疾证号", "证号", "certificate_number"),
        "category": ("残疾类别", "类别", "category"),
        "grade": ("残疾等级", "等级", "grade"),
        "issued_on": ("发证日期", "发证时间", "issued_on"),
        "valid_until": ("有效期至", "有效期截止日期", "有效期", "valid_until"),
    },
    "organizations": {
        "name": ("名称", "单位名称", "name"),
        "kind": ("类型", "kind"),
        "uscc": ("统一社会信用代码", "uscc"),
        "area": ("区划代码", "area_code"),
        "address": ("地址", "address"),
        "industry_code": ("行业代码", "industry_code"),
    },
}
REQUIRED = {
    "persons": {"id_number", "name", "residence_area"},
    "households": {"number", "area", "member_id_number", "relationship"},
    "organizations": {"name", "kind", "area"},
    "disabilities": {"id_number", "category", "grade", "issued_on"},
}
# the model's lengths: a longer value is a bad row, never a truncation or a database error
LIMITS = {"name": 200, "address": 300, "phone": 20, "number": 30}
KIND_LIMITS = {"persons": {"name": 60}, "disabilities": {"number": 20}}
SEX_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F", "male": "M", "female": "F"}
STATUS_WORDS = {"在世": "living", "正常": "living", "死亡": "deceased", "迁出": "moved_out",
                **{v: v for v in Person.Status.values}}
RELATION_WORDS = {"户主": "head", "本人": "head", "配偶": "spouse", "妻": "spouse", "夫": "spouse",
                  "子": "child", "女": "child", "子女": "child", "父亲": "parent",
                  "母亲": "parent", "父母": "parent", "孙子女": "grandchild",
                  "孙子": "grandchild", "孙女": "grandchild", "祖父母": "grandparent",
                  "兄弟姐妹": "sibling", "其他": "other",
                  **{v: v for v in HouseholdMember.Relationship.values}}
CATEGORY_WORDS = {
    **{word: value for value, words in {
        1: ("视力", "视力残疾", "visual"), 2: ("听力", "听力残疾", "hearing"),
        3: ("言语", "言语残疾", "speech"), 4: ("肢体", "肢体残疾", "physical"),
        5: ("智力", "智力残疾", "intellectual"), 6: ("精神", "精神残疾", "mental"),
        7: ("多重", "多重残疾", "multiple")}.items() for word in words},
    **{str(v): v for v in range(1, 8)},
}
GRADE_WORDS = {**{w: v for v, w in enumerate(("一级", "二级", "三级", "四级"), start=1)},
               **{f"{v}级": v for v in range(1, 5)}, **{str(v): v for v in range(1, 5)},
               **{w: v for v, w in enumerate(("一", "二", "三", "四"), start=1)}}
NO_END_WORDS = {"长期", "长期有效", "永久"}
KIND_WORDS = {"政府部门": "department", "企业": "enterprise", "学校": "school",
              "幼儿园": "kindergarten", "医院": "hospital", "诊所": "clinic",
              "卫生服务中心": "clinic", "养老机构": "eldercare", "其他": "other",
              **{v: v for v in Organization.Kind.values}}


@dataclass
class RowError:
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": str(self.reason)}


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and not self.message

    def add(self, line: int, column: str, reason) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, column, str(reason)))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "rows": self.rows, "imported": self.imported,
                "ok": self.ok, "error_count": self.error_count, "message": str(self.message),
                "errors": [e.as_dict() for e in self.errors]}


class _Rollback(Exception):
    """Raised inside the import transaction to undo it after errors were found."""


def _column_map(kind: str, header: list[str]) -> dict[str, int]:
    wanted = COLUMNS[kind]
    found: dict[str, int] = {}
    lowered = [h.strip().lower() for h in header]
    for key, names in wanted.items():
        for name in names:
            if name.lower() in lowered:
                found[key] = lowered.index(name.lower())
                break
    missing = REQUIRED[kind] - set(found)
    if missing:
        names = "、".join(wanted[k][0] for k in sorted(missing))
        raise ValidationFailed(_("Missing required column(s): %s") % names,
                               details={"missing": sorted(missing)})
    return found


class _RowReader:
    """Reads a row's named fields (stripped, length-checked) in one pass; built once per
    file, since per-row objects cost more than the validation itself at a million rows."""

    def __init__(self, columns: dict[str, int], header: list[str], kind: str = ""):
        self.columns, self.header = columns, header
        limits = {**LIMITS, **KIND_LIMITS.get(kind, {})}
        self.fields = [(key, index, limits.get(key, 100)) for key, index in columns.items()]

    def label(self, key: str) -> str:
        index = self.columns.get(key)
        return f"{column_letter(index)} ({self.header[index]})" if index is not None else key

    def read(self, cells: list[str]) -> dict[str, str]:
        count = len(cells)
        values = {}
        for key, index, limit in self.fields:
            value = cells[index].strip() if index < count else ""
            if len(value) > limit:
                raise ValidationFailed(_("value is too long (%(n)s characters, at most %(limit)s)")
                                       % {"n": len(value), "limit": limit}, field=key)
            values[key] = value
        return values


def _parse_date(text: str, field: str = "birth_date") -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed(_("not a date (use YYYY-MM-DD)"), field=field)


def _run(kind: str, actor, path: str | Path, sheet: str | None,
         progress: Callable[[int, int], None] | None, body) -> ImportReport:
    actor = as_actor(actor)
    require(actor, "core.import")
    report = ImportReport(kind=kind)
    try:
        table = open_table(path, sheet=sheet)
        columns = _column_map(kind, table.header)
    except DomainError as exc:
        report.message = str(exc.message)
        return report
    areas = {a.code: a for a in Area.objects.filter(id__in=actor.area_ids("core.import"))}
    try:
        with transaction.atomic():
            body(actor, table, columns, areas, report, progress or (lambda done, total: None))
            if not report.ok:
                raise _Rollback()
            audit.record(actor, AuditEntry.Action.IMPORT, object_type=f"core.{kind}",
                         object_repr=Path(path).name,
                         changes={"rows": report.rows, "imported": report.imported})
    except _Rollback:
        report.imported = 0
    except DomainError as exc:  # a whole-file problem found while streaming
        report.message = str(exc.message)
        report.imported = 0
    return report


def import_persons(*, actor, path, sheet: str | None = None, progress=None) -> ImportReport:
    try:
        return _run("persons", actor, path, sheet, progress, _persons_body(direct=True))
    except DuplicateKeys:
        # some IDs are registered already: read the file again, staged, to report each one
        return _run("persons", actor, path, sheet, progress, _persons_body(direct=False))


PERSON_COLUMNS = ("id_number", "name", "sex", "birth_date", "phone", "residence_area_id",
                  "hukou_area_id", "address", "status", "status_date", "version", "created_at",
                  "updated_at")


def _persons_body(*, direct: bool):
    def body(actor, table, columns, areas, report, progress):
        def duplicate(line: int) -> None:
            report.add(line, "id_number", _("already registered in the database"))

        with StagedInsert(Person._meta.db_table, PERSON_COLUMNS, "id_number", duplicate,
                          direct=direct) as staged:
            _persons_rows(table, columns, areas, report, progress, staged)
    return body


def _persons_rows(table, columns, areas, report, progress, staged) -> None:
    seen: set[str] = set()
    # adapt the timestamp once, not once per row (the driver would convert it every time)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    reader = _RowReader(columns, table.header, "persons")
    for line, cells in table.rows:
        report.rows += 1
        key = "id_number"
        try:
            v = reader.read(cells)
            number, birth, sex = identifiers.parse_id(v["id_number"])
            key = "birth_date"
            given_birth = _parse_date(v.get("birth_date", ""))
            if given_birth and given_birth != birth:
                raise ValidationFailed(_("birth date %(given)s disagrees with the ID number "
                                         "(%(id_birth)s)") % {"given": given_birth,
                                                              "id_birth": birth})
            key = "sex"
            given_sex = v.get("sex")
            if given_sex and SEX_WORDS.get(given_sex) != sex:
                raise ValidationFailed(_("sex disagrees with the ID number"))
            key = "name"
            name = v["name"]
            if not name:
                raise ValidationFailed(_("name is required"))
            key = "phone"
            phone = identifiers.clean_phone(v.get("phone", ""))
            key = "residence_area"
            area = areas.get(v["residence_area"])
            if area is None:
                raise ValidationFailed(_("unknown area code or outside your scope: %s")
                                       % v["residence_area"])
            key = "hukou_area"
            hukou_code = v.get("hukou_area")
            hukou = areas.get(hukou_code) if hukou_code else None
            if hukou_code and hukou is None:
                raise ValidationFailed(_("unknown area code or outside your scope: %s")
                                       % hukou_code)
            key = "status"
            status = STATUS_WORDS.get(v.get("status") or "living")
            if status is None:
                raise ValidationFailed(_("unknown status"))
        except ValidationFailed as exc:
            report.add(line, reader.label(exc.details.get("field") or key), exc.message)
            continue
        if number in seen:
            report.add(line, reader.label("id_number"), _("duplicate ID number in this file"))
            continue
        seen.add(number)
        staged.add(line, (number, name, sex, birth, phone, area.id, hukou.id if hukou else None,
                          v.get("address", ""), status, None, 1, now, now))
        if report.rows % CHUNK == 0:
            progress(report.rows, table.total_rows)
    report.imported = staged.close(keep=report.ok)
    progress(report.rows, table.total_rows)


def import_organizations(*, actor, path, sheet: str | None = None,
                         progress=None) -> ImportReport:
    return _run("organizations", actor, path, sheet, progress, _organizations_body)


def _organizations_body(actor, table, columns, areas, report, progress):
    seen: set[str] = set()
    objects: list[tuple[int, Organization]] = []
    reader = _RowReader(columns, table.header, "organizations")
    for line, cells in table.rows:
        report.rows += 1
        key = "name"
        try:
            v = reader.read(cells)
            name = v.get("name", "")
            if not name:
                raise ValidationFailed(_("name is required"))
            key = "kind"
            kind = KIND_WORDS.get(v.get("kind", ""))
            if kind is None:
                raise ValidationFailed(_("unknown organization type: %s") % v.get("kind", ""))
            key = "uscc"
            code = v.get("uscc", "")
            uscc = identifiers.clean_uscc(code) if code else None
            if kind == "enterprise" and not uscc:
                raise ValidationFailed(_("an enterprise needs its unified social credit code"))
            key = "area"
            area = areas.get(v.get("area", ""))
            if area is None:
                raise ValidationFailed(_("unknown area code or outside your scope: %s")
                                       % v.get("area", ""))
            key = "industry_code"
            industry = identifiers.clean_industry_code(v.get("industry_code", ""))
            key = "address"
            address = v.get("address", "")
        except ValidationFailed as exc:
            report.add(line, reader.label(exc.details.get("field") or key), exc.message)
            continue
        if uscc and uscc in seen:
            report.add(line, reader.label("uscc"), _("duplicate credit code in this file"))
            continue
        if uscc:
            seen.add(uscc)
        objects.append((line, Organization(name=name, kind=kind, uscc=uscc, area=area,
                                           address=address, industry_code=industry)))
    existing = set(Organization.objects.filter(uscc__in=seen).values_list("uscc", flat=True))
    for line, org in objects:
        if org.uscc in existing:
            report.add(line, "uscc", _("already registered in the database"))
    if report.ok:
        Organization.objects.bulk_create([o for _, o in objects], batch_size=2000)
        report.imported = len(objects)
    progress(report.rows, table.total_rows)


def import_households(*, actor, path, sheet: str | None = None, progress=None) -> ImportReport:
    return _run("households", actor, path, sheet, progress, _households_body)


def _households_body(actor, table, columns, areas, report, progress):
    households: dict[str, dict] = {}
    member_ids: dict[str, int] = {}
    reader = _RowReader(columns, table.header, "households")
    for line, cells in table.rows:
        report.rows += 1
        key = "number"
        try:
            v = reader.read(cells)
            number = v.get("number", "")
            if not number:
                raise ValidationFailed(_("household number is required"))
            key = "area"
            area = areas.get(v.get("area", ""))
            if area is None:
                raise ValidationFailed(_("unknown area code or outside your scope: %s")
                                       % v.get("area", ""))
            key = "member_id_number"
            member = identifiers.clean_id_number(v.get("member_id_number", ""))
            key = "relationship"
            relationship = RELATION_WORDS.get(v.get("relationship", ""))
            if relationship is None:
                raise ValidationFailed(_("unknown relationship: %s") % v.get("relationship", ""))
            key = "address"
            address = v.get("address", "")
        except ValidationFailed as exc:
            report.add(line, reader.label(exc.details.get("field") or key), exc.message)
            continue
        if member in member_ids:
            report.add(line, reader.label("member_id_number"),
                       _("this person is listed twice in the file"))
            continue
        member_ids[member] = line
        entry = households.setdefault(number, {"area": area, "address": address,
                                               "members": [], "line": line})
        if entry["area"] != area:
            report.add(line, reader.label("area"),
                       _("area differs from the household's first row"))
        entry["members"].append((line, member, relationship))
    people = dict(Person.objects.filter(id_number__in=list(member_ids))
                  .values_list("id_number", "id"))
    taken = set(HouseholdMember.objects.filter(person_id__in=list(people.values()))
                .values_list("person__id_number", flat=True))
    existing_numbers = set(Household.objects.filter(number__in=list(households))
                           .values_list("number", flat=True))
    for number, entry in households.items():
        if number in existing_numbers:
            report.add(entry["line"], "number", _("household number already exists"))
        heads = [m for m in entry["members"] if m[2] == "head"]
        if len(heads) != 1:
            report.add(entry["line"], "relationship",
                       _("household %s needs exactly one head") % number)
        for line, member, _rel in entry["members"]:
            if member not in people:
                report.add(line, "member_id_number", _("no person with this ID is registered"))
            elif member in taken:
                report.add(line, "member_id_number", _("already a member of another household"))
    if not report.ok:
        return
    created = Household.objects.bulk_create(
        [Household(number=n, area=e["area"], address=e["address"],
                   head_id=people[next(m for m in e["members"] if m[2] == "head")[1]])
         for n, e in households.items()], batch_size=2000)
    by_number = {h.number: h for h in created}
    if not all(h.pk for h in created):  # backends that do not return ids
        by_number = {h.number: h for h in Household.objects.filter(number__in=list(households))}
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(household=by_number[n], person_id=people[m], relationship=rel)
         for n, e in households.items() for _line, m, rel in e["members"]], batch_size=5000)
    report.imported = len(households)
    progress(report.rows, table.total_rows)


def import_disabilities(*, actor, path, sheet: str | None = None,
                        progress=None) -> ImportReport:
    """Disability certificates of registered people (in the importer's scope)."""
    return _run("disabilities", actor, path, sheet, progress, _disabilities_body)


def _disabilities_body(actor, table, columns, areas, report, progress):
    rows: list[tuple[int, dict]] = []
    reader = _RowReader(columns, table.header, "disabilities")
    today = datetime.date.today()
    for line, cells in table.rows:
        report.rows += 1
        key = "id_number"
        try:
            v = reader.read(cells)
            holder = identifiers.clean_id_number(v["id_number"])
            key = "category"
            category = CATEGORY_WORDS.get(v.get("category", "").lower())
            if category is None:
                raise ValidationFailed(_("unknown disability category: %s")
                                       % v.get("category", ""))
            key = "grade"
            grade = GRADE_WORDS.get(v.get("grade", ""))
            if grade is None:
                raise ValidationFailed(_("unknown grade (use 1-4): %s") % v.get("grade", ""))
            key = "issued_on"
            issued_on = _parse_date(v.get("issued_on", ""), "issued_on")
            if issued_on is None:
                raise ValidationFailed(_("issue date is required"))
            key = "valid_until"
            until_text = v.get("valid_until", "")
            valid_until = (None if until_text in NO_END_WORDS
                           else _parse_date(until_text, "valid_until"))
        except ValidationFailed as exc:
            report.add(line, reader.label(exc.details.get("field") or key), exc.message)
            continue
        rows.append((line, {"holder": holder, "number": v.get("number", ""),
                            "category": category, "grade": grade, "issued_on": issued_on,
                            "valid_until": valid_until}))
        if report.rows % CHUNK == 0:
            progress(report.rows, table.total_rows)
    area_ids = [a.id for a in areas.values()]
    holders = sorted({r["holder"] for _line, r in rows})
    people: dict[str, Person] = {}
    for start in range(0, len(holders), CHUNK):
        people.update((p.id_number, p) for p in Person.objects.filter(
            id_number__in=holders[start:start + CHUNK], residence_area_id__in=area_ids)
            .only("id", "id_number", "birth_date"))
    objects: list[tuple[int, DisabilityCertificate]] = []
    seen: set[tuple[str, datetime.date]] = set()
    for line, r in rows:
        person = people.get(r["holder"])
        if person is None:
            report.add(line, reader.label("id_number"),
                       _("no person with this ID is registered in your area"))
            continue
        try:
            number = check_certificate(person=person, number=r["number"],
                                       category=r["category"], grade=r["grade"],
                                       issued_on=r["issued_on"], valid_until=r["valid_until"],
                                       today=today)
        except ValidationFailed as exc:
            report.add(line, reader.label(exc.details.get("field") or "number"), exc.message)
            continue
        if (number, r["issued_on"]) in seen:
            report.add(line, reader.label("number"), _("this certificate is listed twice"))
            continue
        seen.add((number, r["issued_on"]))
        objects.append((line, DisabilityCertificate(
            person_id=person.pk, number=number, category=r["category"], grade=r["grade"],
            issued_on=r["issued_on"], valid_until=r["valid_until"])))
    numbers = sorted({n for n, _day in seen})
    existing: set[tuple[str, datetime.date]] = set()
    for start in range(0, len(numbers), CHUNK):
        existing.update(DisabilityCertificate.objects.filter(
            number__in=numbers[start:start + CHUNK]).values_list("number", "issued_on"))
    for line, certificate in objects:
        if (certificate.number, certificate.issued_on) in existing:
            report.add(line, reader.label("number"), _("already registered in the database"))
    if report.ok:
        DisabilityCertificate.objects.bulk_create([c for _line, c in objects], batch_size=2000)
        report.imported = len(objects)
    progress(report.rows, table.total_rows)


IMPORTERS = {"persons": import_persons, "households": import_households,
             "organizations": import_organizations, "disabilities": import_disabilities}
