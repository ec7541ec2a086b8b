"""Imports are all or nothing and report every bad row by line, column and reason."""

import datetime

import openpyxl
import pytest

from minsheng.core.access import system_actor
from minsheng.core.models import Household, Organization, Person
from minsheng.core.services.imports import import_households, import_organizations, import_persons
from minsheng.core.tabular import csv_bytes
from tests import factories

HEADER = ["身份证号", "姓名", "出生日期", "性别", "联系电话", "居住地区划代码", "地址"]


def write(tmp_path, rows, header=HEADER, encoding="utf-8-sig", name="people.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(header, rows, encoding))
    return path


def good_row(code="120199001001", birth=datetime.date(1985, 6, 1), male=True, name="赵六"):
    return [factories.id_number(birth, male), name, birth.isoformat(), "男" if male else "女",
            "13900001111", code, "海港路1号"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_office_encoding_imports(areas, tmp_path, encoding):
    path = write(tmp_path, [good_row(name="钱七"), good_row(male=False, name="孙八")],
                 encoding=encoding)
    report = import_persons(actor=system_actor(), path=path)
    assert report.ok, report.as_dict()
    assert sorted(Person.objects.values_list("name", flat=True)) == ["孙八", "钱七"]


def test_every_bad_row_is_reported_and_nothing_imported(areas, tmp_path):
    bad_check = good_row()
    bad_check[0] = bad_check[0][:-1] + ("0" if bad_check[0][-1] != "0" else "1")
    wrong_birth = good_row()
    wrong_birth[2] = "1999-01-01"
    unknown_area = good_row(code="999999999999")
    dup = good_row()
    rows = [good_row(), bad_check, wrong_birth, unknown_area, dup, list(dup)]
    report = import_persons(actor=system_actor(), path=write(tmp_path, rows))
    assert not report.ok and report.imported == 0
    found = {(e.line, e.column.split(" ")[0], e.reason.split(" ")[0]) for e in report.errors}
    assert (3, "A", "ID") in found  # line 3: check digit
    assert any(e.line == 4 and "disagrees" in e.reason for e in report.errors)
    assert any(e.line == 5 and "unknown area" in e.reason for e in report.errors)
    assert any(e.line == 7 and "duplicate" in e.reason for e in report.errors)
    assert Person.objects.count() == 0


def test_duplicate_against_database_rolls_back(areas, tmp_path):
    existing = factories.person(areas["c11"])
    row = good_row()
    row[0], row[2] = existing.id_number, existing.birth_date.isoformat()
    report = import_persons(actor=system_actor(), path=write(tmp_path, [good_row(), row]))
    assert [e.reason for e in report.errors] == ["already registered in the database"]
    assert Person.objects.count() == 1


def test_empty_file_and_missing_column(areas, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in import_persons(actor=system_actor(), path=empty).message
    path = write(tmp_path, [["x", "y"]], header=["身份证号", "地址"])
    report = import_persons(actor=system_actor(), path=path)
    assert "姓名" in report.message and "居住地区划代码" in report.message


def test_ten_megabyte_field_is_refused_cleanly(areas, tmp_path):
    row = good_row()
    row[6] = "长" * 10_000_000
    report = import_persons(actor=system_actor(), path=write(tmp_path, [row]))
    assert report.errors[0].line == 2 and "too long" in report.errors[0].reason
    assert Person.objects.count() == 0


def test_xlsx_with_empty_extra_sheets_imports(areas, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER)
    ws.append(good_row(name="周九"))
    book.create_sheet("Sheet2")
    book.create_sheet("Sheet3")
    path = tmp_path / "people.xlsx"
    book.save(path)
    assert import_persons(actor=system_actor(), path=path).ok
    assert Person.objects.get().name == "周九"


def test_xlsx_with_data_on_two_sheets_asks_which(areas, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(good_row())
    other = book.create_sheet("更多")
    other.append(HEADER)
    other.append(good_row())
    path = tmp_path / "two.xlsx"
    book.save(path)
    report = import_persons(actor=system_actor(), path=path)
    assert "several sheets" in report.message and Person.objects.count() == 0
    assert import_persons(actor=system_actor(), path=path, sheet="更多").ok


def test_xlsx_with_merged_header_is_refused(areas, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["居民信息", None, None, None, None, None, None])
    ws.merge_cells("A1:G1")
    ws.append(good_row())
    path = tmp_path / "merged.xlsx"
    book.save(path)
    report = import_persons(actor=system_actor(), path=path)
    assert "Merged" in report.message or "merged" in report.message
    assert Person.objects.count() == 0


def test_import_outside_scope_is_refused_per_row(areas, tmp_path):
    admin = factories.actor("dept", "department_admin", areas["s1"])
    report = import_persons(actor=admin, path=write(tmp_path, [good_row(code="120199002001")]))
    assert "outside your scope" in report.errors[0].reason


def test_households_import_links_members(areas, tmp_path):
    a, b = factories.person(areas["c11"]), factories.person(areas["c11"])
    path = tmp_path / "hh.csv"
    path.write_bytes(csv_bytes(["户号", "区划代码", "地址", "成员身份证号", "与户主关系"],
                               [["H100", "120199001001", "一号", a.id_number, "户主"],
                                ["H100", "120199001001", "一号", b.id_number, "配偶"]]))
    report = import_households(actor=system_actor(), path=path)
    assert report.ok, report.as_dict()
    household = Household.objects.get(number="H100")
    assert household.head == a and household.members.count() == 2


def test_households_without_head_rejected(areas, tmp_path):
    a = factories.person(areas["c11"])
    path = tmp_path / "hh.csv"
    path.write_bytes(csv_bytes(["户号", "区划代码", "成员身份证号", "与户主关系"],
                               [["H1", "120199001001", a.id_number, "子女"]]))
    report = import_households(actor=system_actor(), path=path)
    assert "exactly one head" in report.errors[0].reason
    assert not Household.objects.exists()


def test_organizations_import_validates_credit_codes(areas, tmp_path):
    path = tmp_path / "orgs.csv"
    code = factories.credit_code()
    path.write_bytes(csv_bytes(["名称", "类型", "统一社会信用代码", "区划代码", "行业代码"],
                               [["甲公司", "企业", code, "120199001001", "C3011"],
                                ["乙公司", "企业", code, "120199001001", "C3011"],
                                ["丙公司", "企业", "", "120199001001", ""]]))
    report = import_organizations(actor=system_actor(), path=path)
    reasons = [e.reason for e in report.errors]
    assert "duplicate credit code in this file" in reasons
    assert any("credit code" in r for r in reasons if "duplicate" not in r)
    assert not Organization.objects.exists()


def test_unreadable_line_midway_rolls_back_cleanly(areas, tmp_path):
    """A line that is not text in the file's encoding stops the import with its line
    number, after rows were already staged; nothing stays and the next import works."""
    # more than the 256 KiB the encoding is sniffed from, so the bad bytes come later
    births = [datetime.date(1950, 1, 1) + datetime.timedelta(days=i) for i in range(4000)]
    good = csv_bytes(HEADER, [good_row(birth=b, name=f"人{i}") for i, b in enumerate(births)],
                     "utf-8")
    assert len(good) > 256 * 1024
    path = tmp_path / "broken.csv"
    path.write_bytes(good + b"\xff\xfe\xfa,bad,row\n" + "\n".join(
        ",".join(r) for r in [good_row()]).encode())
    report = import_persons(actor=system_actor(), path=path)
    assert "Line 4002" in report.message and report.imported == 0
    assert Person.objects.count() == 0
    again = import_persons(actor=system_actor(), path=write(tmp_path, [good_row()]))
    assert again.ok and Person.objects.count() == 1
