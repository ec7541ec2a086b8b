"""The staff second factor (TOTP): who needs it, enrolment, verification, the middleware
that holds unverified sessions (pages and API), bearer tokens unaffected, and the password
policy on every path that creates an account."""

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from minsheng import cli
from minsheng.core import access, services
from minsheng.core.access import actor_for
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.core.models import AuditEntry, User
from minsheng.core.services import second_factor
from tests import factories


@pytest.fixture
def required(settings):
    settings.MINSHENG_REQUIRE_SECOND_FACTOR = True


def code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset * device.step
    return f"{totp.token():06d}"


def device_for(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("role, needed", [
    ("system_admin", True), ("caseworker", True), ("reviewer", True), ("approver", True),
    ("security_admin", True), ("department_admin", True), ("plan_supervisor", False),
    ("data_entry", False), ("auditor", False)])
def test_roles_that_reveal_or_approve_need_a_second_factor(areas, role, needed):
    assert access.needs_second_factor(factories.actor("u", role, areas["district"])) is needed


def test_department_admin_needs_it_for_approving_indicator_values():
    # department_admin reveals nothing but approves indicator values (indicators module)
    assert "indicators.approve_values" in access.ROLE_PERMISSIONS["department_admin"]


def test_decisive_permissions():
    assert access.is_decisive("indicators.approve_values")
    assert access.is_decisive("assistance.decide")
    assert access.is_decisive("core.decide_role_change")
    assert not access.is_decisive("assistance.decided_within_limit_share_view")
    assert not access.is_decisive("core.view_registry")


# --- the middleware ---------------------------------------------------------------------

def test_unverified_staff_are_sent_to_enrol_then_verify(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    client = logged_in(user)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/?next=/people/")
    device_for(user)
    response = client.get("/people/")
    assert response["Location"].startswith("/account/2fa/verify/?next=/people/")


def test_staff_who_neither_reveal_nor_approve_are_not_held(areas, required):
    client = logged_in(factories.user("entry", "data_entry", areas["s1"]))
    assert client.get("/").status_code == 200


def test_off_by_setting(areas, settings):
    settings.MINSHENG_REQUIRE_SECOND_FACTOR = False
    client = logged_in(factories.user("cw", "caseworker", areas["s1"]))
    assert client.get("/people/").status_code == 200


def test_api_session_of_unverified_user_gets_json_403(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    response = logged_in(user).get("/api/core/people")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_bearer_tokens_are_not_held(areas, required):
    user = factories.user("script", "caseworker", areas["s1"])
    key = services.api_token_create(actor=actor_for(user), name="script")
    response = Client().get("/api/core/people", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    # a bad token does not open a way around the held session
    response = logged_in(user).get("/api/core/people", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 403


# --- enrolment --------------------------------------------------------------------------

def test_enrol_page_shows_qr_and_key_and_a_right_code_confirms(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    client = logged_in(user)
    page = client.get("/account/2fa/?next=/people/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and 'id="totp-secret"' in html
    assert "<script" not in html.split("<main>")[1]  # CSP: no inline script
    assert "动态验证码" in html and "第二因素" in html  # Chinese first
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    response = client.post("/account/2fa/", {"token": code(device), "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/people/").status_code == 200  # this session is verified
    assert AuditEntry.objects.filter(object_type="otp_totp.totpdevice",
                                     action=AuditEntry.Action.UPDATE).count() == 1


@pytest.mark.parametrize("token", ["000000", "abc", "12345678901", ""])
def test_wrong_or_bad_code_on_enrol_changes_nothing(areas, required, token):
    user = factories.user("cw", "caseworker", areas["s1"])
    client = logged_in(user)
    client.get("/account/2fa/")
    device = TOTPDevice.objects.get(user=user)
    if token == "000000" and code(device) == "000000":
        token = "000001"
    response = client.post("/account/2fa/", {"token": token})
    assert response.status_code == 422
    assert f'value="{token}"' in response.content.decode() or not token
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/people/").status_code == 302  # still held


def test_a_password_alone_cannot_replace_an_enrolled_device(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    device_for(user)
    with pytest.raises(PermissionDenied):
        second_factor.second_factor_enrol_start(actor=actor_for(user), verified=False)
    assert logged_in(user).get("/account/2fa/").status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_verified_user_replaces_their_device(areas):
    user = factories.user("cw", "caseworker", areas["s1"])
    old = device_for(user)
    a = actor_for(user)
    new = second_factor.second_factor_enrol_start(actor=a, verified=True)
    second_factor.second_factor_enrol_confirm(actor=a, token=code(new), verified=True)
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


# --- verification -----------------------------------------------------------------------

def test_verify_page_right_code_lets_the_session_in(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    device = device_for(user)
    client = logged_in(user)
    assert client.get("/account/2fa/verify/").status_code == 200
    response = client.post("/account/2fa/verify/", {"token": code(device),
                                                    "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert client.get("/api/core/people").status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).latest("id")
    assert entry.changes == {"second_factor": "verified"}


def test_verify_refuses_wrong_code_audits_and_throttles(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    device = device_for(user)
    client = logged_in(user)
    wrong = code(device, offset=10)
    response = client.post("/account/2fa/verify/", {"token": wrong, "next": "https://evil.example/"})
    assert response.status_code == 422
    assert client.get("/people/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).latest("id")
    assert entry.changes == {"second_factor": "refused"}


def test_verify_never_redirects_off_site(areas, required):
    user = factories.user("cw", "caseworker", areas["s1"])
    device = device_for(user)
    response = logged_in(user).post("/account/2fa/verify/",
                                    {"token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_code_is_not_accepted_twice(areas):
    user = factories.user("cw", "caseworker", areas["s1"])
    device = device_for(user)
    token = code(device)
    second_factor.second_factor_verify(actor=actor_for(user), token=token)
    with pytest.raises(ValidationFailed):
        second_factor.second_factor_verify(actor=actor_for(user), token=token)


# --- reset by a security administrator --------------------------------------------------

def test_security_admin_resets_a_lost_device_never_their_own(areas):
    sec = factories.user("sec", "security_admin", areas["district"])
    user = factories.user("cw", "caseworker", areas["s1"])
    device_for(user)
    device_for(sec)
    with pytest.raises(PermissionDenied):
        second_factor.second_factor_reset(actor=actor_for(user), user=sec)
    with pytest.raises(PermissionDenied):
        second_factor.second_factor_reset(actor=actor_for(sec), user=sec)
    assert TOTPDevice.objects.count() == 2
    assert second_factor.second_factor_reset(actor=actor_for(sec), user=user) == 1
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE,
                                     object_id=str(user.pk)).exists()


def test_the_reset_page_for_security_administrators(areas):
    sec = factories.user("sec", "security_admin", areas["district"])
    user = factories.user("cw", "caseworker", areas["s1"])
    device_for(user)
    device_for(sec)
    page = logged_in(sec)
    assert "重置第二因素" in page.get("/").content.decode()  # in the menu
    unknown = page.post("/account/2fa/reset/", {"username": "nobody"})
    assert unknown.status_code == 422 and 'value="nobody"' in unknown.content.decode()
    own = page.post("/account/2fa/reset/", {"username": "sec"})
    assert own.status_code == 422 and TOTPDevice.objects.filter(user=sec).exists()
    done = page.post("/account/2fa/reset/", {"username": "cw"})
    assert done.status_code == 302 and not TOTPDevice.objects.filter(user=user).exists()
    for other in ("cw", "admin"):
        someone = factories.user(other + "2", "system_admin" if other == "admin"
                                 else "caseworker", areas["district"])
        assert logged_in(someone).get("/account/2fa/reset/").status_code == 403


# --- the password policy ----------------------------------------------------------------

def test_user_create_enforces_the_password_policy(areas):
    admin = factories.actor("admin", "system_admin", areas["district"])
    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=admin, username="weak", password="password1")
    assert refused.value.details["field"] == "password"
    assert not User.objects.filter(username="weak").exists()
    services.user_create(actor=admin, username="strong", password="Qz7!vorlauf-2026")
    assert User.objects.filter(username="strong").exists()


def test_cli_createuser_enforces_the_password_policy(areas):
    runner = CliRunner()
    result = runner.invoke(cli.app, ["createuser", "op", "--password", "12345678",
                                     "--area", "120199"])
    assert result.exit_code == 1
    assert not User.objects.filter(username="op").exists()
    result = runner.invoke(cli.app, ["createuser", "op", "--password", "Qz7!vorlauf-2026",
                                     "--area", "120199"])
    assert result.exit_code == 0, result.output
    assert User.objects.get(username="op").roles.get().role == "system_admin"
