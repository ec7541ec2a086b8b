"""Security at the edge of every request (issue 20 items 7, 8, 11): token clients can
write without a CSRF token while browser sessions keep the check; the client address is
read through configured proxies only; a lock-out says when to retry and is not restarted
by retrying; a client's request id is stored only when short and plain."""

import pytest
from django.test import Client, RequestFactory, override_settings

from minsheng.core import services
from minsheng.core.access import actor_for
from minsheng.core.models import AuditEntry
from minsheng.core.requestinfo import client_ip, request_id
from tests import factories


def test_token_client_can_write_without_csrf(areas):
    user = factories.user("script", "caseworker", areas["s1"])
    person = factories.person(areas["c11"], address="原址")
    key = services.api_token_create(actor=actor_for(user), name="script")
    client = Client(enforce_csrf_checks=True)
    response = client.patch(f"/api/core/people/{person.pk}",
                            data={"version": person.version, "address": "新址"},
                            content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.address == "新址"


def test_browser_session_still_needs_csrf(areas):
    user = factories.user("clerk", "caseworker", areas["s1"])
    person = factories.person(areas["c11"], address="原址")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch(f"/api/core/people/{person.pk}",
                            data={"version": person.version, "address": "新址"},
                            content_type="application/json")
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.address == "原址"


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_address_believed_only_from_trusted_proxies():
    spoofed = _request("203.0.113.9", "10.0.0.1")
    assert client_ip(spoofed) == "203.0.113.9"  # no proxy configured
    with override_settings(MINSHENG_TRUSTED_PROXIES=["10.1.0.0/16"]):
        assert client_ip(spoofed) == "203.0.113.9"  # not from the proxy
        via_proxy = _request("10.1.0.5", "1.2.3.4, 198.51.100.7")
        assert client_ip(via_proxy) == "198.51.100.7"  # the hop the proxy saw
        assert client_ip(_request("10.1.0.5", "not-an-ip")) == "10.1.0.5"


def test_request_id_kept_only_when_plain():
    rf = RequestFactory()
    assert request_id(rf.get("/", HTTP_X_REQUEST_ID="abc-123")) == "abc-123"
    for bad in ("x" * 65, "<script>", "a b", ""):
        assert request_id(rf.get("/", HTTP_X_REQUEST_ID=bad)) != bad


@pytest.mark.django_db
def test_audit_records_client_behind_proxy(areas, client):
    factories.user("admin", "system_admin", areas["district"])
    with override_settings(MINSHENG_TRUSTED_PROXIES=["127.0.0.1"]):
        client.post("/login/", {"username": "admin", "password": "pw-for-tests-123"})
        person = factories.person(areas["c11"])
        client.post(f"/people/{person.pk}/reveal/id_number/", REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="198.51.100.7", HTTP_X_REQUEST_ID="req-1")
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.ip == "198.51.100.7"
    assert entry.request_id == "req-1"


def test_lockout_says_when_to_retry_and_is_not_restarted(areas, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    factories.user("li", "caseworker", areas["s1"])
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "li", "password": "wrong-password"})
    locked = client.post("/login/", {"username": "li", "password": "wrong-password"})
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "请于" in text or "try again from" in text
    first_retry = locked.context["retry_at"]
    again = client.post("/login/", {"username": "li", "password": "pw-for-tests-123"})
    assert again.status_code == 429
    assert again.context["retry_at"] == first_retry
    # another computer is not locked out
    other = Client(REMOTE_ADDR="192.0.2.44")
    response = other.post("/login/", {"username": "li", "password": "pw-for-tests-123"})
    assert response.status_code == 302


def test_log_lines_mask_id_and_phone_numbers():
    import logging

    from minsheng.core.logmasking import MaskPersonalData

    record = logging.LogRecord("django.server", logging.INFO, __file__, 1,
                               '"GET /people/?q=%s&p=%s HTTP/1.1" 200',
                               ("120199198005170011", "13812345678"), None)
    MaskPersonalData().filter(record)
    line = record.getMessage()
    assert "120199198005170011" not in line and "13812345678" not in line
    assert "120199********0011" in line and "138****5678" in line


def test_idle_session_ends_and_says_why(areas, monkeypatch, settings):
    import time as clock

    settings.MINSHENG_SESSION_IDLE_MINUTES = 30
    factories.user("idle", "caseworker", areas["s1"])
    client = Client()
    assert client.post("/login/", {"username": "idle",
                                   "password": "pw-for-tests-123"}).status_code == 302
    assert client.get("/people/").status_code == 200
    later = clock.time() + 31 * 60
    monkeypatch.setattr("minsheng.core.middleware.time.time", lambda: later)
    response = client.get("/people/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/core/people").status_code == 401
    # active use keeps the session: a request 20 minutes after the last one is fine
    client.post("/login/", {"username": "idle", "password": "pw-for-tests-123"})
    monkeypatch.setattr("minsheng.core.middleware.time.time", lambda: later + 20 * 60)
    assert client.get("/people/").status_code == 200


@pytest.mark.parametrize("password, ok", [
    ("minsheng-demo-2026", True),   # lower, digits, other
    ("Abcdefghij12", True),
    ("abcdefghijkl", False),        # one kind
    ("abcdefgh1234", False),        # two kinds
    ("1234567890", False),
])
def test_password_needs_three_kinds_of_characters(password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok
