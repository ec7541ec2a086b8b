"""Read the text of an uploaded plan document (.txt, .docx, text-layer .pdf).

Output is plain text, one paragraph per line, ready for :func:`minsheng.plans.textparse.parse_plan`.
Table cells in .docx files become their own lines in document order, because plan annexes
often put targets in tables.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

SUPPORTED = (".txt", ".docx", ".pdf")


class PlanDocumentError(ValueError):
    """The file cannot be turned into plan text; the message says why and what to do."""


def read_plan_text(path: str | Path) -> str:
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
    if suffix == ".txt":
        text = _read_txt(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_pdf(path)
    if not text.strip():
        raise PlanDocumentError(f"{path.name} contains no text")
    return text


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    # utf-8-sig also strips a BOM; GB18030 covers files saved by older Chinese Windows tools.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanDocumentError(f"{path.name} is neither UTF-8 nor GB18030 text")


def _docx_lines(container: object) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    # Merged cells are returned once per grid column; read each only once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from _docx_lines(cell)
        else:
            yield block.text


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanDocumentError(f"{path.name} is not a readable .docx file ({exc})") from exc
    return "\n".join(line for line in _docx_lines(document) if line.strip())


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
