"""The API end to end (given/when/then) and the CLI."""

import datetime

import pytest
from django.test import Client
from openpyxl import load_workbook
from typer.testing import CliRunner

from minsheng.petitions.commands import app
from minsheng.petitions.models import Petition
from tests import factories
from tests.petitions.conftest import D, register

pytestmark = pytest.mark.django_db


def test_api_register_accept_extend_reply_rate(world):
    # given a department administrator of the handling department
    user = factories.user("api_admin", "department_admin", world["areas"]["district"],
                          department=world["civil"])
    client = Client()
    client.force_login(user)
    # when they register a letter through the API
    r = client.post("/api/petitions/", {
        "channel": "letter", "category": "claim", "petitioner_name": "李秀英",
        "petitioner_id_number": world["resident"].id_number, "area_id": world["areas"]["c11"].pk,
        "subject": "临时救助迟迟未发放",
        "content": "今年三月家中失火，材料交了两个月还没有消息，请求尽快办理。",
        "department_id": world["civil"].pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "registered" and "*" in body["petitioner_id_masked"]
    pk = body["id"]

    def act(action, **data):
        version = Petition.objects.get(pk=pk).version
        return client.post(f"/api/petitions/{pk}/{action}", {"version": version, **data},
                           content_type="application/json")

    # then it moves through acceptance, an approved extension, the reply and the rating
    assert act("accept", note="受理").json()["state"] == "accepted"
    assert act("extend", days=31, reason="复杂").status_code == 422
    assert act("extend", days=20, reason="需要调查").json()["extension_days"] == 20
    assert act("reply", text="").status_code == 422
    assert act("reply", text="已发放").json()["state"] == "replied"
    assert act("rate", satisfaction="satisfied").json()["satisfaction"] == "satisfied"
    assert act("conclude").json()["state"] == "concluded"
    assert act("fly").status_code == 422
    stale = client.post(f"/api/petitions/{pk}/conclude", {"version": 1},
                        content_type="application/json")
    assert stale.status_code in (409, 422)
    assert client.post("/api/petitions/", {"channel": "visit"},
                       content_type="application/json").status_code == 422


def test_cli_sweep_stats_export(world, tmp_path):
    p = register(world)
    runner = CliRunner()
    late = (D + datetime.timedelta(days=16)).isoformat()
    result = runner.invoke(app, ["sweep", "--date", late])
    assert result.exit_code == 0 and "escalated 1" in result.output
    result = runner.invoke(app, ["stats", "--date", late])
    assert result.exit_code == 0 and "overdue" in result.output
    out = tmp_path / "petitions.xlsx"
    result = runner.invoke(app, ["export", str(out), "--state", "open"])
    assert result.exit_code == 0, result.output
    values = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert p.reference in values and world["resident"].id_number not in values
