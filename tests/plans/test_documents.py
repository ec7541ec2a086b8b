import docx
import pytest
from pypdf import PdfWriter

from minsheng.plans.documents import PlanDocumentError, read_plan_text
from minsheng.plans.textparse import parse_plan

PLAN = "一、总体要求\n（一）主要目标：到2025年，登记失业率控制在3.5%以内。"


def _pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF with a Helvetica text layer, written by hand (ASCII only)."""
    ops = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({s}) Tj T*" for s in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops.encode()),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_txt_utf8_bom_and_gb18030(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    assert read_plan_text(bom) == PLAN
    gb = tmp_path / "gb.txt"
    gb.write_bytes(PLAN.replace("\n", "\r\n").encode("gb18030"))
    text = read_plan_text(gb)
    assert text.startswith("一、总体要求")
    assert parse_plan(text).targets[0].value == 3.5


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    document.add_paragraph("（一）主要目标：到2025年，登记失业率控制在3.5%以内。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "目标值"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "每千常住人口医院床位数4.3张"
    document.add_paragraph("二、重点任务")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    lines = read_plan_text(path).split("\n")
    assert lines == [
        "一、总体要求",
        "（一）主要目标：到2025年，登记失业率控制在3.5%以内。",
        "指标",
        "目标值",
        "每千常住人口医院床位数4.3张",
        "二、重点任务",
    ]


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf_with_text(["Plan for 2025", "1. Create jobs."]))
    text = read_plan_text(path)
    assert "Plan for 2025" in text and "1. Create jobs." in text


def test_scanned_pdf_without_text_layer(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(PlanDocumentError, match="no text layer.*run OCR first"):
        read_plan_text(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.doc", b"x", "unsupported file type '.doc'.*save .doc files as .docx"),
        ("plan.xlsx", b"x", "unsupported file type"),
        ("plan", b"x", r"unsupported file type '\(none\)'"),
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n", "contains no text"),
        ("broken.docx", b"this is not a zip", "not a readable .docx"),
        ("broken.pdf", b"not a pdf at all", "not a readable PDF"),
    ],
)
def test_bad_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanDocumentError, match=message):
        read_plan_text(path)


def test_missing_file(tmp_path):
    with pytest.raises(PlanDocumentError, match="file not found"):
        read_plan_text(tmp_path / "nope.txt")
