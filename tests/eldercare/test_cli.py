"""`minsheng eldercare ...` as an operator uses it: figures for a date, the monthly run
with its xlsx lists."""

import datetime

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from minsheng import cli
from minsheng.core.models import Person
from minsheng.eldercare.models import Allowance, PaymentList
from minsheng.eldercare.services import allowances as svc
from tests.eldercare.conftest import add_beds, elder

runner = CliRunner()
D = datetime.date


@pytest.fixture(scope="module", autouse=True)
def module_commands():
    cli._add_module_commands()


def test_figures_for_a_date(world):
    add_beds(world["inst"], 3, bed_type="nursing")
    result = runner.invoke(cli.app, ["eldercare", "figures", "--on", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "beds 3, nursing 3 (100.0%" in result.output
    result = runner.invoke(cli.app, ["eldercare", "figures", "--on", "2023-06-30"])
    assert "beds 0" in result.output


def test_allowance_run_proposes_checks_and_writes_lists(world, tmp_path):
    p = elder(world["areas"]["c11"], "周奶奶", birth=D(1930, 1, 1))
    a = svc.allowance_apply(actor=world["worker"], person=p, kind="old_age",
                            bank_account="6228480012345678901", applied_on=D(2025, 1, 2))
    svc.allowance_decide(actor=world["approver"], allowance=a, version=a.version,
                         action="approve")
    elder(world["areas"]["c21"], "到龄", birth=D(1945, 2, 10))
    Person.objects.filter(pk=p.pk).update(status="deceased", status_date=D(2025, 3, 5))
    result = runner.invoke(cli.app, ["eldercare", "allowance-run", "2025-04",
                                     "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "proposed: 1" in result.output and "1 stopped" in result.output
    assert Allowance.objects.get(pk=a.pk).stop_month == D(2025, 3, 1)
    assert PaymentList.objects.filter(month=D(2025, 4, 1)).count() == 2
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 2
    assert load_workbook(files[0]).worksheets[0].max_row == 1  # header only: nobody paid
    again = runner.invoke(cli.app, ["eldercare", "allowance-run", "2025-04"])
    assert "exists, kept" in again.output
