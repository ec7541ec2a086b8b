"""The `minsheng` command as an operator uses it."""

import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng import cli
from minsheng.core.models import Person
from minsheng.core.tabular import csv_bytes
from tests import factories

runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def module_commands():
    cli._add_module_commands()


def test_import_persons_reports_bad_rows_and_exits_nonzero(areas, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes(["身份证号", "姓名", "居住地区划代码"],
                               [[factories.id_number(), "甲", "120199001001"],
                                ["110105198001011235", "乙", "120199001001"]], "gb18030"))
    result = runner.invoke(cli.app, ["import", "persons", str(path)])
    assert result.exit_code == 1
    assert "line 3" in result.output and "nothing was imported" in result.output
    assert not Person.objects.exists()


def test_import_then_export_persons(areas, tmp_path):
    path = tmp_path / "p.csv"
    number = factories.id_number()
    path.write_bytes(csv_bytes(["身份证号", "姓名", "居住地区划代码"],
                               [[number, "甲", "120199001001"]]))
    result = runner.invoke(cli.app, ["import", "persons", str(path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.xlsx"
    assert runner.invoke(cli.app, ["export", "persons", str(out)]).exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][0] == "甲" and rows[1][1] != number and "*" in rows[1][1]


def test_detect_writes_alarms(tmp_path):
    counts = tmp_path / "counts.csv"
    import datetime

    start = datetime.date(2026, 1, 1)
    lines = ["date,count"] + [f"{start + datetime.timedelta(days=i)},{2 + i % 2 if i < 60 else 30}"
                              for i in range(64)]
    counts.write_text("\n".join(lines) + "\n")
    out = tmp_path / "alarms.csv"
    result = runner.invoke(cli.app, ["detect", "--method", "ears_c1", "--input", str(counts),
                                     "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text().splitlines()
    assert text[0] == "date,count,expected,upper,alarm"
    first_spike = text[61]  # day 60, the first day of the jump
    assert first_spike.startswith("2026-03-02,30,") and first_spike.endswith("true")
    assert not any(line.endswith("true") for line in text[8:61])


def test_detect_explains_bad_input(tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text("date,count\n2026-01-02,3\n2026-01-01,4\n")
    result = runner.invoke(cli.app, ["detect", "--method", "ears_c1", "--input", str(counts),
                                     "--output", str(tmp_path / "o.csv")])
    assert result.exit_code == 1


def test_check_passes_on_migrated_database(db):
    result = runner.invoke(cli.app, ["check"])
    assert result.exit_code == 0, result.output


def test_import_disabilities(areas, tmp_path):
    from minsheng.core.models import DisabilityCertificate

    person = factories.person(areas["c11"])
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes(["身份证号", "残疾类别", "残疾等级", "发证日期", "有效期至"],
                               [[person.id_number, "肢体", "二级", "2021-06-01", "2031-05-31"]]))
    result = runner.invoke(cli.app, ["import", "disabilities", str(path)])
    assert result.exit_code == 0, result.output
    assert DisabilityCertificate.objects.get().number == person.id_number + "42"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["身份证号", "残疾类别", "残疾等级", "发证日期"],
                              [[person.id_number, "飞行", "二级", "2021-06-01"]]))
    result = runner.invoke(cli.app, ["import", "disabilities", str(bad)])
    assert result.exit_code == 1 and "line 2" in result.output


def test_token_create_list_revoke(areas):
    from minsheng.core import services
    from minsheng.core.models import ApiToken, AuditEntry

    factories.user("script_owner", "caseworker", areas["s1"])
    result = runner.invoke(cli.app, ["token", "create", "script_owner", "--name", "nightly"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert services.api_token_use(key=key).username == "script_owner"
    assert key not in token.key_hash and token.name == "nightly"
    listed = runner.invoke(cli.app, ["token", "list", "script_owner"])
    assert token.prefix in listed.output and "active" in listed.output
    assert runner.invoke(cli.app, ["token", "revoke", "script_owner", "zz"]).exit_code == 1
    result = runner.invoke(cli.app, ["token", "revoke", "script_owner", token.prefix[:4]])
    assert result.exit_code == 0, result.output
    assert services.api_token_use(key=key) is None
    assert AuditEntry.objects.filter(object_type="core.apitoken").count() == 2
    missing = runner.invoke(cli.app, ["token", "create", "nobody", "--name", "x"])
    assert missing.exit_code == 1


def test_calendar_set_and_confirm(db):
    import datetime

    from minsheng.core import workdays
    from minsheng.core.models import AuditEntry

    result = runner.invoke(cli.app, ["calendar", "set", "2031-01-01", "--holiday",
                                     "--note", "元旦"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli.app, ["calendar", "set", "2031-13-01", "--holiday"]
                         ).exit_code == 2
    result = runner.invoke(cli.app, ["calendar", "confirm", "2031", "--source",
                                     "国务院办公厅通知"])
    assert result.exit_code == 0, result.output
    assert not workdays.is_working_day(datetime.date(2031, 1, 1))
    assert workdays.is_working_day(datetime.date(2031, 1, 2))
    assert AuditEntry.objects.filter(object_type="core.calendaryear").exists()


def test_token_prefixes_can_be_typed_on_a_command_line(areas):
    from minsheng.core import services
    from minsheng.core.access import system_actor

    owner = factories.user("script_owner2", "caseworker", areas["s1"])
    keys = [services.api_token_create(actor=system_actor(), user=owner, name=f"t{i}")
            for i in range(200)]
    assert all(key[0].isalnum() for key in keys)  # never "-abc…", never "_abc…"
