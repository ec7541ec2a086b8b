"""Separation of duties: a role change is asked for by one person and decided by a
security administrator; nobody decides their own request or one about themselves; the
three duties (system administrator, security administrator, auditor) stay apart; the
auditor reads everything and changes nothing. Every refusal changes nothing."""

import pytest
from django.test import Client
from typer.testing import CliRunner

from minsheng import cli
from minsheng.core import access, services
from minsheng.core.access import actor_for
from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.core.models import AuditEntry, RoleAssignment, RoleChangeRequest, User
from tests import factories


@pytest.fixture
def staff(areas):
    return {"admin": factories.user("admin", "system_admin", areas["district"]),
            "sec": factories.user("sec", "security_admin", areas["district"]),
            "auditor": factories.user("aud", "auditor", areas["district"]),
            "clerk": factories.user("clerk", "data_entry", areas["s1"])}


def state():
    """Everything a role change could touch."""
    return (sorted(RoleAssignment.objects.values_list("user__username", "role", "area__code")),
            sorted(RoleChangeRequest.objects.values_list("pk", "state")))


def ask(staff, areas, role="caseworker", kind="grant", user="clerk", area="s1"):
    return services.role_change_request(actor=actor_for(staff["admin"]), user=staff[user],
                                        role=role, area=areas[area], kind=kind,
                                        reason="新岗位")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services ---------------------------------------------------------------------------

def test_a_request_changes_no_role_until_a_security_admin_approves(areas, staff):
    change = ask(staff, areas)
    assert change.state == "pending"
    assert not RoleAssignment.objects.filter(user=staff["clerk"], role="caseworker").exists()
    services.role_change_approve(actor=actor_for(staff["sec"]), change=change, note="核实")
    assert RoleAssignment.objects.filter(user=staff["clerk"], role="caseworker",
                                         area=areas["s1"]).exists()
    change.refresh_from_db()
    assert change.state == "approved" and change.decided_by == staff["sec"]
    trail = AuditEntry.objects.filter(object_type__in=["core.rolechangerequest",
                                                       "core.roleassignment"])
    assert sorted(trail.values_list("object_type", "action")) == [
        ("core.roleassignment", "create"), ("core.rolechangerequest", "create"),
        ("core.rolechangerequest", "update")]


def test_removal_and_rejection(areas, staff):
    change = ask(staff, areas, role="data_entry", kind="revoke")
    services.role_change_approve(actor=actor_for(staff["sec"]), change=change)
    assert not staff["clerk"].roles.exists()
    change = ask(staff, areas)
    services.role_change_reject(actor=actor_for(staff["sec"]), change=change, note="不需要")
    change.refresh_from_db()
    assert change.state == "rejected" and not staff["clerk"].roles.exists()


@pytest.mark.parametrize("who", ["admin", "auditor", "clerk"])
def test_only_a_security_admin_decides(areas, staff, who):
    change = ask(staff, areas)
    before = state()
    for decide in (services.role_change_approve, services.role_change_reject):
        with pytest.raises(PermissionDenied):
            decide(actor=actor_for(staff[who]), change=change)
    assert state() == before


def test_nobody_decides_their_own_request_or_one_about_themselves(areas, staff):
    # one person holding both duties (set up around the platform) still cannot
    both = factories.user("both", "system_admin", areas["district"])
    RoleAssignment.objects.create(user=both, role="security_admin", area=areas["district"])
    mine = services.role_change_request(actor=actor_for(both), user=staff["clerk"],
                                        role="caseworker", area=areas["s1"])
    about_sec = ask(staff, areas, role="data_entry", user="sec", area="s1")
    before = state()
    with pytest.raises(PermissionDenied):
        services.role_change_approve(actor=actor_for(both), change=mine)
    with pytest.raises(PermissionDenied):
        services.role_change_approve(actor=actor_for(staff["sec"]), change=about_sec)
    assert state() == before


@pytest.mark.parametrize("who", ["sec", "auditor", "clerk"])
def test_only_administrators_ask(areas, staff, who):
    before = state()
    with pytest.raises(PermissionDenied):
        services.role_change_request(actor=actor_for(staff[who]), user=staff["clerk"],
                                     role="caseworker", area=areas["s1"])
    assert state() == before


def test_a_subdistrict_admin_asks_only_in_their_subdistrict(areas, staff):
    local = factories.actor("local", "system_admin", areas["s1"])
    with pytest.raises(PermissionDenied):
        services.role_change_request(actor=local, user=staff["clerk"], role="caseworker",
                                     area=areas["district"])
    assert services.role_change_request(actor=local, user=staff["clerk"], role="caseworker",
                                        area=areas["c11"]).state == "pending"


def test_the_three_duties_are_held_by_different_people(areas, staff):
    before = state()
    for user, role in [("admin", "auditor"), ("admin", "security_admin"),
                       ("sec", "system_admin"), ("auditor", "security_admin")]:
        with pytest.raises(ValidationFailed):
            ask(staff, areas, role=role, user=user, area="district")
    assert state() == before


def test_refused_requests(areas, staff):
    ask(staff, areas)
    before = state()
    with pytest.raises(Conflict):
        ask(staff, areas)  # the same change is already waiting
    with pytest.raises(Conflict):
        ask(staff, areas, role="data_entry")  # already held
    with pytest.raises(ValidationFailed):
        ask(staff, areas, role="caseworker", kind="revoke")  # not held
    with pytest.raises(ValidationFailed):
        ask(staff, areas, role="emperor")
    assert state() == before


def test_a_request_is_decided_once(areas, staff):
    change = ask(staff, areas)
    services.role_change_reject(actor=actor_for(staff["sec"]), change=change)
    before = state()
    stale = RoleChangeRequest.objects.get(pk=change.pk)
    stale.state = "pending"  # a page opened before the decision
    with pytest.raises(Conflict):
        services.role_change_approve(actor=actor_for(staff["sec"]), change=stale)
    assert state() == before


def test_user_create_by_an_admin_files_requests_instead_of_granting(areas, staff):
    user = services.user_create(actor=actor_for(staff["admin"]), username="newcw",
                                password="Qz7!vorlauf-2026",
                                roles=[("caseworker", areas["s1"])])
    assert not user.roles.exists()
    assert RoleChangeRequest.objects.get(user=user).state == "pending"


# --- the auditor reads everything and changes nothing -------------------------------------

def test_auditor_holds_only_read_permissions():
    for permission in access.ROLE_PERMISSIONS["auditor"]:
        action = permission.partition(".")[2]
        assert action == "view" or action.startswith("view_"), permission


def test_auditor_reads_role_changes_and_the_audit_log_but_changes_nothing(areas, staff):
    change = ask(staff, areas)
    client = client_of(staff["auditor"])
    page = client.get("/account/roles/")
    assert page.status_code == 200 and "clerk" in page.content.decode()
    assert "approve" not in page.content.decode()  # no buttons
    assert client.get("/audit/").status_code == 200
    before = state()
    for url, data in [("/account/roles/", {"username": "clerk", "kind": "grant",
                                           "role": "approver", "area": "120199001"}),
                      (f"/account/roles/{change.pk}/approve/", {}),
                      (f"/account/roles/{change.pk}/reject/", {})]:
        assert client.post(url, data).status_code in (403, 422)
    assert state() == before
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor_for(staff["auditor"]), username="x",
                             password="Qz7!vorlauf-2026")
    assert not User.objects.filter(username="x").exists()


# --- pages --------------------------------------------------------------------------------

def test_pages_request_then_approve(areas, staff):
    admin = client_of(staff["admin"])
    response = admin.post("/account/roles/", {"username": "clerk", "kind": "grant",
                                              "role": "caseworker", "area": "120199001",
                                              "reason": "新岗位"})
    assert response.status_code == 302
    change = RoleChangeRequest.objects.get()
    sec = client_of(staff["sec"])
    assert f"/account/roles/{change.pk}/approve/" in sec.get("/account/roles/").content.decode()
    assert sec.post(f"/account/roles/{change.pk}/approve/", {"note": "ok"}).status_code == 302
    assert RoleAssignment.objects.filter(user=staff["clerk"], role="caseworker").exists()
    assert sec.post(f"/account/roles/{change.pk}/frobnicate/").status_code == 404


@pytest.mark.parametrize("data, field", [
    ({"username": "nobody", "kind": "grant", "role": "caseworker", "area": "120199001"},
     "nobody"),
    ({"username": "clerk", "kind": "grant", "role": "caseworker", "area": "999999"},
     "999999"),
    ({"username": "clerk", "kind": "grant", "role": "emperor", "area": "120199001"}, "emperor"),
    ({"username": "clerk", "kind": "grant", "role": "data_entry", "area": "120199001"},
     "120199001"),  # already held: the service's refusal, input kept
])
def test_page_refusals_keep_the_input_and_change_nothing(areas, staff, data, field):
    before = state()
    response = client_of(staff["admin"]).post("/account/roles/", data)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert state() == before


def test_page_self_approval_is_refused(areas, staff):
    change = ask(staff, areas, role="data_entry", user="sec", area="s1")
    before = state()
    response = client_of(staff["sec"]).post(f"/account/roles/{change.pk}/approve/")
    assert response.status_code == 403
    assert state() == before


def test_other_users_do_not_see_role_changes(areas, staff):
    ask(staff, areas)
    client = client_of(staff["clerk"])
    page = client.get("/account/roles/")
    assert page.status_code == 200 and "新岗位" not in page.content.decode()
    assert client.post(f"/account/roles/{RoleChangeRequest.objects.get().pk}/approve/"
                       ).status_code == 404


# --- CLI ------------------------------------------------------------------------------------

def test_cli_request_list_approve(areas, staff):
    runner = CliRunner()
    result = runner.invoke(cli.app, ["roles", "request", "clerk", "caseworker",
                                     "--area", "120199001", "--as", "admin"])
    assert result.exit_code == 0, result.output
    change = RoleChangeRequest.objects.get()
    result = runner.invoke(cli.app, ["roles", "approve", str(change.pk), "--as", "admin"])
    assert result.exit_code == 1  # a system administrator does not decide
    assert "clerk" in runner.invoke(cli.app, ["roles", "list", "--as", "sec"]).output
    result = runner.invoke(cli.app, ["roles", "approve", str(change.pk), "--as", "sec"])
    assert result.exit_code == 0, result.output
    assert RoleAssignment.objects.filter(user=staff["clerk"], role="caseworker").exists()
