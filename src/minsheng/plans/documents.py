"""Read the text of an uploaded plan document (.txt, .docx, text-layer .pdf).

Output is plain text, one paragraph per line, ready for :func:`minsheng.plans.textparse.parse_plan`.
Table cells in .docx files become their own lines in document order, because plan annexes
often put targets in tables. A task breakdown table (a header with 任务 and 牵头单位 or
责任单位, often 配合单位 and 完成时限) is not text of the plan: its rows are returned as
:class:`TaskRow` so the importer can assign lead units and deadlines to the measures.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED = (".txt", ".docx", ".pdf")


class PlanDocumentError(ValueError):
    """The file cannot be turned into plan text; the message says why and what to do."""


@dataclass
class TaskRow:
    """One row of a task breakdown table (任务分解表), as written."""

    row: int  # 1-based row number in its table, header included
    task: str
    lead: str
    co: str = ""
    deadline: str = ""


@dataclass
class PlanDocument:
    text: str
    tasks: list[TaskRow] = field(default_factory=list)


# Header words of a task breakdown table, by column role.
_TASK_HEADERS = {
    "task": re.compile(r"^(?:重点|主要|具体|工作)?任务(?:内容|措施|名称)?$|^(?:工作|主要)?措施$"),
    "lead": re.compile(r"^(?:牵头|责任|主责)(?:单位|部门)$"),
    "co": re.compile(r"^(?:配合|协办|参与|协同)(?:单位|部门)$"),
    "deadline": re.compile(r"^(?:完成)?(?:时限|时间|期限)$|^时间节点$|^完成时限$"),
}


def read_plan_text(path: str | Path) -> str:
    return read_plan_document(path).text


def read_plan_document(path: str | Path) -> PlanDocument:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise PlanDocumentError(
            f"unsupported file type {suffix or '(none)'!r}; use one of {', '.join(SUPPORTED)}"
            + (" (save .doc files as .docx first)" if suffix == ".doc" else "")
        )
    if not path.is_file():
        raise PlanDocumentError(f"file not found: {path}")
    if path.stat().st_size == 0:
        raise PlanDocumentError(f"{path.name} is empty")
    tasks: list[TaskRow] = []
    if suffix == ".txt":
        text = _read_txt(path)
    elif suffix == ".docx":
        text = _read_docx(path, tasks)
    else:
        text = _read_pdf(path)
    if not text.strip():
        raise PlanDocumentError(f"{path.name} contains no text")
    return PlanDocument(text, tasks)


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    # utf-8-sig also strips a BOM; GB18030 covers files saved by older Chinese Windows tools.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanDocumentError(f"{path.name} is neither UTF-8 nor GB18030 text")


def _row_cells(row) -> list:
    seen: set[int] = set()
    cells = []
    for cell in row.cells:
        # Merged cells are returned once per grid column; read each only once.
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _task_columns(table) -> dict[str, int] | None:
    """Column of each role when the table's first row is a task breakdown header."""
    if not table.rows:
        return None
    header = [re.sub(r"\s+", "", c.text) for c in _row_cells(table.rows[0])]
    columns: dict[str, int] = {}
    for i, words in enumerate(header):
        for role, pattern in _TASK_HEADERS.items():
            if role not in columns and pattern.match(words):
                columns[role] = i
    return columns if {"task", "lead"} <= set(columns) else None


def _docx_lines(container: object, tasks: list[TaskRow]) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table) and (columns := _task_columns(block)):
            for n, row in enumerate(block.rows[1:], start=2):
                texts = [c.text.strip() for c in _row_cells(row)]

                def col(role: str, texts=texts, columns=columns) -> str:
                    i = columns.get(role)
                    return texts[i] if i is not None and i < len(texts) else ""

                if col("task"):
                    tasks.append(TaskRow(n, col("task"), col("lead"), col("co"),
                                         col("deadline")))
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in _row_cells(row):
                    yield from _docx_lines(cell, tasks)
        else:
            yield block.text


def _read_docx(path: Path, tasks: list[TaskRow]) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanDocumentError(f"{path.name} is not a readable .docx file ({exc})") from exc
    return "\n".join(line for line in _docx_lines(document, tasks) if line.strip())


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanDocumentError(f"{path.name} is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise PlanDocumentError(f"{path.name} is not a readable PDF ({exc})") from exc
    if not any(p.strip() for p in pages):
        raise PlanDocumentError(
            f"{path.name}: the PDF has no text layer (probably scanned); run OCR first"
        )
    return "\n".join(p.strip("\n") for p in pages)
