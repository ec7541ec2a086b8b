"""Reading an enrolment extract (CSV or XLSX) into clean rows, all or nothing: every bad
row is reported by line and reason and nothing is stored while one remains."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from minsheng.core.errors import ValidationFailed
from minsheng.core.identifiers import clean_id_number
from minsheng.core.tabular import open_table
from minsheng.primarycare.config import setting

# header (Chinese as exported by the social insurance system, or English) -> field
COLUMNS = {
    "证件号码": "id_number", "公民身份号码": "id_number", "身份证号": "id_number",
    "id_number": "id_number",
    "姓名": "name", "name": "name",
    "险种类型": "scheme_code", "scheme_code": "scheme_code",
    "参保日期": "start_date", "start_date": "start_date",
    "终止日期": "end_date", "end_date": "end_date",
    "单位统一社会信用代码": "employer_uscc", "employer_uscc": "employer_uscc",
}
REQUIRED = ("id_number", "name", "scheme_code", "start_date")
MAX_ERRORS = 200


def _date(text: str) -> datetime.date | None:
    text = (text or "").strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return datetime.date.fromisoformat(text[:10])


def read(path: str) -> tuple[list[dict], list[dict]]:
    """(rows, errors). Each error: line, field, reason. Duplicates are the same person in
    the same scheme twice in one extract."""
    table = open_table(path)
    fields = {i: COLUMNS.get(h.strip().lower() if h.isascii() else h.strip())
              for i, h in enumerate(table.header)}
    missing = [c for c in REQUIRED if c not in fields.values()]
    if missing:
        raise ValidationFailed(_("The extract lacks the columns: %s") % ", ".join(missing),
                               field="file")
    schemes = setting("SCHEMES")
    rows, errors, seen = [], [], {}
    for line, cells in table.rows:
        raw = {f: (cells[i] if i < len(cells) else "").strip()
               for i, f in fields.items() if f}
        if not any(raw.values()):
            continue

        def bad(field, reason, line=line):
            errors.append({"line": line, "field": field, "reason": str(reason)})

        try:
            number = clean_id_number(raw.get("id_number", ""))
        except ValidationFailed as e:
            bad("id_number", e.message)
            number = None
        code = raw.get("scheme_code", "")
        if code not in schemes:
            bad("scheme_code", _("Unknown insurance type code %s") % (code or "—"))
        if not raw.get("name"):
            bad("name", _("Name is required"))
        try:
            start = _date(raw.get("start_date", ""))
            end = _date(raw.get("end_date", ""))
            if start is None:
                bad("start_date", _("Enrolment date is required"))
            elif end is not None and end < start:
                bad("end_date", _("Ends before it starts"))
        except ValueError:
            bad("start_date", _("Unreadable date"))
            start = end = None
        if number and code in schemes:
            key = (number, schemes[code])
            if key in seen:
                bad("id_number", _("Same person and scheme as line %s") % seen[key])
            else:
                seen[key] = line
        if len(errors) >= MAX_ERRORS:
            break
        if not errors:
            rows.append({"line": line, "id_number": number, "name": raw["name"][:60],
                         "scheme_code": code, "scheme": schemes.get(code),
                         "start_date": start, "end_date": end,
                         "employer_uscc": raw.get("employer_uscc", "")[:18]})
    return rows, errors
