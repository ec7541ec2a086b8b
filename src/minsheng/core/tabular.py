"""Reading CSV and XLSX files as exported by Chinese office software, row by row.

CSV may be UTF-8, UTF-8 with BOM, or GBK/GB18030; XLSX may carry empty default sheets.
Rows stream: a million-row file is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from minsheng.core.errors import ValidationFailed

SNIFF_BYTES = 256 * 1024
# csv refuses fields above its limit; ours is generous and each column checks its own.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number as the user sees it, cells)
    total_rows: int  # best estimate, for progress


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise ValidationFailed(
            _("The file is neither UTF-8 nor GBK/GB18030 text; save it as CSV (UTF-8) or XLSX")
        ) from None


def open_table(path: str | Path, *, sheet: str | None = None) -> Table:
    path = Path(path)
    if not path.exists():
        raise ValidationFailed(_("File not found: %s") % path)
    if path.stat().st_size == 0:
        raise ValidationFailed(_("The file is empty"))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _open_xlsx(path, sheet)
    if suffix in {".csv", ".txt"}:
        return _open_csv(path)
    raise ValidationFailed(_("Unsupported file type %s: use .csv or .xlsx") % suffix)


def _clean_header(cells: list) -> list[str]:
    header = [str(c).strip() if c is not None else "" for c in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ValidationFailed(_("The file has no header row"))
    for index, name in enumerate(header):
        if not name:
            raise ValidationFailed(
                _("Header cell in column %(col)s is empty. Merged or multi-row headers are "
                  "not supported: put one column name in each cell of the first row.")
                % {"col": column_letter(index)})
    return header


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _open_csv(path: Path) -> Table:
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        total = head.count(b"\n") + sum(chunk.count(b"\n") for chunk in iter(
            lambda: fh.read(1 << 20), b""))
    encoding = detect_encoding(head)
    if not head.decode(encoding, errors="ignore").strip():
        raise ValidationFailed(_("The file is empty"))
    handle = open(path, "rb")  # noqa: SIM115 - closed by the rows generator

    def text_lines():
        """Decode line by line, so a bad byte is reported on its own line (a newline byte
        never occurs inside a UTF-8 or GB18030 character, so splitting first is safe)."""
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode(encoding if number == 1 else encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                raise ValidationFailed(_("Line %(line)s is not valid %(encoding)s text")
                                       % {"line": number, "encoding": encoding}) from None

    reader = csv.reader(text_lines())
    try:
        header = _clean_header(next(reader))
    except StopIteration:
        handle.close()
        raise ValidationFailed(_("The file is empty")) from None
    except ValidationFailed:
        handle.close()
        raise

    def rows():
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, cells
        finally:
            handle.close()

    return Table(header=header, rows=rows(), total_rows=max(total - 1, 0))


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ValidationFailed(_("The file is not a readable XLSX workbook")) from None
    if sheet:
        if sheet not in book.sheetnames:
            raise ValidationFailed(_("The workbook has no sheet named %s") % sheet)
        ws = book[sheet]
    else:
        used = [name for name in book.sheetnames if _has_data(book[name])]
        if not used:
            raise ValidationFailed(_("The file is empty"))
        if len(used) > 1:
            raise ValidationFailed(
                _("The workbook has data on several sheets (%s). Name the sheet to import, "
                  "so that nothing is imported by mistake or left out.") % ", ".join(used),
                details={"sheets": used})
        ws = book[used[0]]
    merged = getattr(ws, "merged_cells", None)
    iterator = ws.iter_rows(values_only=True)
    try:
        header = _clean_header(list(next(iterator)))
    except StopIteration:
        raise ValidationFailed(_("The file is empty")) from None
    if merged and any(r.min_row == 1 for r in merged.ranges):
        raise ValidationFailed(_("The header row has merged cells; unmerge them"))
    first = next(iterator, None)
    if first is not None and any(v not in (None, "") for v in first[len(header):]):
        # typical of a merged title row above the real header (read-only mode cannot
        # see merges, but it sees data wider than the header)
        raise ValidationFailed(
            _("Row 2 has values beyond the header's %(n)s column(s). Merged or multi-row "
              "headers are not supported: the first row must hold one column name per "
              "column.") % {"n": len(header)})

    def rows():
        pending = [] if first is None else [first]
        for number, values in enumerate(itertools.chain(pending, iterator), start=2):
            cells = ["" if v is None else _cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                yield number, cells
        book.close()

    return Table(header=header, rows=rows(), total_rows=max((ws.max_row or 1) - 1, 0))


def _has_data(ws) -> bool:
    for row in ws.iter_rows(max_row=2, values_only=True):
        if any(v not in (None, "") for v in row):
            return True
    return False


def _cell_text(value) -> str:
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    """Small helper for tests and downloads: a CSV document as bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
