"""Writing xlsx exports. Every cell that a spreadsheet would read as a formula is
neutralised, so exported data can never run commands on the reader's machine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Prefix text that starts like a formula with an apostrophe (OWASP CSV injection);
    times in the district's local time (Excel has no time zones)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_xlsx(target: str | Path | IO[bytes],
               sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]) -> None:
    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        ws = book.create_sheet(title=title[:31])
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(ws, value=neutralise(str(name)))
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([neutralise(v) for v in row])
    book.save(target)


def xlsx_response(filename: str):
    """An empty download response for an xlsx file; write the workbook into it."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
