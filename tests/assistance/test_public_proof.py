"""The public dibao application proves who applies (issue 20, item 1): a one-time code to
the phone registered for the resident, one answer for everyone who asks, rate limits, and
nothing about anyone else in any answer."""

import datetime
import json
import re

import pytest

from minsheng.assistance.models import DibaoCase
from minsheng.core import proof
from minsheng.core.sms import MemoryGateway
from tests import factories
from tests.assistance.conftest import members, public_apply, sent_code

pytestmark = pytest.mark.django_db


def ask(client, name, number):
    return client.post("/assistance/apply/", {"applicant_name": name,
                                              "applicant_id_number": number})


def api(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def application(world, **extra):
    data = {"applicant_name": world["head"].name,
            "applicant_id_number": world["head"].id_number}
    for i, p in enumerate((world["head"], world["son"])):
        data.update({f"m{i}_id": p.id_number, f"m{i}_wages": "300", f"m{i}_authorised": "on"})
    return {**data, **extra}


def test_asking_for_a_code_tells_nobody_who_is_registered(client, world, areas):
    no_phone = factories.person(areas["c11"], "赵无机")
    unregistered = factories.id_number(datetime.date(1970, 1, 1), True)
    pages = []
    for name, number in ((world["head"].name, world["head"].id_number),  # has a phone
                         (no_phone.name, no_phone.id_number),  # registered, no phone
                         ("王秀英", unregistered),  # nobody with this ID
                         ("李错名", world["head"].id_number)):  # the wrong name
        c = client.__class__()
        first = ask(c, name, number)
        assert first.status_code == 302 and first["Location"] == "/assistance/apply/details/"
        pages.append(c.get(first["Location"]).content.decode().replace(name, "NAME"))
        bodies = api(c, "/api/assistance/apply/code", {"applicant_name": name,
                                                      "applicant_id_number": number})
        assert bodies.status_code == 202 and set(bodies.json()) == {"challenge", "detail"}
    # the same page for all four, but for what the asker typed (and the form's tokens)
    same = {re.sub(r'<p id="applicant">.*?</p>|value="[^"]*"|"X-CSRFToken": "\w+"', "", p)
            for p in pages}
    assert len(same) == 1
    # only the resident with a registered phone got a text (one per ask: page and API)
    assert [phone for phone, _ in MemoryGateway.outbox] == ["13800001111"] * 2
    assert "13800001111" not in "".join(pages)


def test_a_code_proves_one_resident_and_one_submission(client, world, areas):
    ask(client, world["head"].name, world["head"].id_number)
    code = sent_code()
    # the applicant fields are taken from the first step, whatever is posted
    other = factories.person(areas["c11"], "钱多多")
    r = client.post("/assistance/apply/details/", application(
        world, code=code, applicant_name=other.name, applicant_id_number=other.id_number))
    assert r.status_code == 302
    assert DibaoCase.objects.get().applicant == world["head"]
    # through the API a code for one resident does not apply as another
    challenge = api(client, "/api/assistance/apply/code", {
        "applicant_name": world["son"].name, "applicant_id_number": world["son"].id_number})
    r = api(client, "/api/assistance/apply", {
        "applicant_name": other.name, "applicant_id_number": other.id_number,
        "members": [], "challenge": challenge.json()["challenge"], "code": "000000"})
    assert r.status_code == 422 and DibaoCase.objects.count() == 1


def test_wrong_codes_end_the_challenge(client, world):
    ask(client, world["head"].name, world["head"].id_number)
    right = sent_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(proof.MAX_TRIES):
        r = client.post("/assistance/apply/details/", application(world, code=wrong))
        assert r.status_code == 422 and "验证码不正确或已过期" in r.content.decode()
    r = client.post("/assistance/apply/details/", application(world, code=right))
    assert r.status_code == 422 and not DibaoCase.objects.exists()


def test_codes_are_rate_limited_per_address_and_per_id(client, world, areas):
    for _ in range(proof.CODES_PER_ID_PER_HOUR):
        assert ask(client, world["head"].name, world["head"].id_number).status_code == 302
    r = ask(client, world["head"].name, world["head"].id_number)
    assert r.status_code == 422 and "请求过于频繁" in r.content.decode()
    assert len(MemoryGateway.outbox) == proof.CODES_PER_ID_PER_HOUR
    people = [factories.person(areas["c11"], f"甲{i}", phone=f"139000000{i:02d}")
              for i in range(proof.CODES_PER_ADDRESS_PER_HOUR)]
    sent = [ask(client, p.name, p.id_number).status_code for p in people]
    # the ID's refused ask counted against the address too
    assert sent.count(302) == proof.CODES_PER_ADDRESS_PER_HOUR - proof.CODES_PER_ID_PER_HOUR - 1
    # another address is not held up
    other = client.__class__(REMOTE_ADDR="10.1.2.3")
    assert ask(other, people[-1].name, people[-1].id_number).status_code == 302


def test_someone_elses_form_key_returns_nothing(client, world, areas):
    public_apply(client, world["head"], application(world, idempotency_key="guessable-1"))
    case = DibaoCase.objects.get()
    stranger = factories.person(areas["c12"], "孙某", phone="13700000000")
    factories.household(areas["c12"], [(stranger, "head")])
    r = public_apply(client, stranger, {"m0_id": stranger.id_number, "m0_authorised": "on",
                                        "idempotency_key": "guessable-1"})
    assert r.status_code == 422 and case.reference not in r.content.decode()
    assert DibaoCase.objects.count() == 1


def test_status_lookups_are_rate_limited(client, world):
    from minsheng.assistance.config import setting

    data = {"reference": "DB20260000", "id_number": world["head"].id_number}
    for _ in range(setting("PUBLIC_STATUS_LOOKUPS_PER_HOUR")):
        assert client.post("/assistance/apply/status/", data).status_code == 404
    assert client.post("/assistance/apply/status/", data).status_code == 429
    r = api(client, "/api/assistance/status", data)
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"


def test_the_api_applicant_proves_the_phone(client, world):
    body = {"applicant_id_number": world["head"].id_number, "applicant_name": "王秀英",
            "members": members(world)}
    for m in body["members"]:
        m["assets"] = {k: str(v) for k, v in m.get("assets", {}).items()}
    challenge = api(client, "/api/assistance/apply/code", body).json()["challenge"]
    r = api(client, "/api/assistance/apply", {**body, "challenge": challenge, "code": "12"})
    assert r.status_code == 422 and r.json()["details"]["field"] == "code"
    r = api(client, "/api/assistance/apply", {**body, "challenge": challenge,
                                              "code": sent_code()})
    assert r.status_code == 201
