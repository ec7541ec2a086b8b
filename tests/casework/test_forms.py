"""Bad input on the follow-up form: 422 with the message in place, what was typed kept,
nothing changed — never a 500."""

import datetime

import pytest
from django.test import Client

from minsheng.casework import services
from minsheng.casework.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(areas):
    hrss = factories.department(areas["district"], "hrss", "人社局")
    item = services.followup_open(actor=factories.SYSTEM(), kind="test", title="核查裁员",
                                  area=areas["s1"], department=hrss, source_type="test.x",
                                  source_id=1, due_date=datetime.date(2026, 12, 1))
    client = Client()
    client.force_login(factories.user("rs", "caseworker", areas["district"], department=hrss))
    return {"item": item, "client": client}


@pytest.mark.parametrize("data,kept,message", [
    ({"version": "abc", "outcome": "已电话核实甲"}, ['value="已电话核实甲"'], "请输入整数"),
    ({"version": "9" * 30, "outcome": "已电话核实甲"}, ['value="已电话核实甲"'],
     "确保该值小于或等于2147483647"),
    ({"version": "1", "outcome": " "}, [], "这个字段是必填项"),
    ({"version": "5", "outcome": "已电话核实甲"}, ['value="已电话核实甲"'], "其他人已修改了它"),
    ({"outcome": "x" * 2001, "version": "1"}, [], "2000"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_close_refused_in_place(world, data, kept, message, htmx):
    item = world["item"]
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = world["client"].post(f"/casework/followups/{item.pk}/close/", data, **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    if htmx:  # the messages go to #messages; the page keeps what was typed
        assert response["HX-Retarget"] == "#messages"
    else:
        assert all(k in html for k in kept)
    item.refresh_from_db()
    assert (item.state, item.version) == ("open", 1)


def test_close_and_the_refusal_of_an_item_closed_meanwhile(world):
    item = world["item"]
    client = world["client"]
    response = client.post(f"/casework/followups/{item.pk}/close/",
                           {"version": 1, "outcome": "已核实"})
    assert response.status_code == 302
    assert "督办事项已办结" in client.get(response["Location"]).content.decode()
    again = client.post(f"/casework/followups/{item.pk}/close/",
                        {"version": 2, "outcome": "再次关闭"})
    assert again.status_code == 422 and "此事项已办结" in again.content.decode()
    assert FollowUp.objects.get(pk=item.pk).outcome == "已核实"
