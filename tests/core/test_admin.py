"""The Django admin is read-only for every model of every app: records change only through
services (permission, scope, audit). An area gets its path wherever it is created."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory

from minsheng.core.admin import ReadOnly
from minsheng.core.models import Area, AuditEntry, Organization, User
from tests import factories


@pytest.fixture
def superuser_client(areas):
    user = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-123")
    client = Client()
    client.force_login(user)
    return client, user


def test_every_registered_admin_is_read_only(db):
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert isinstance(model_admin, ReadOnly), f"{label}: use core.admin.ReadOnlyAdmin"
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert not model_admin.get_actions(request), f"{label} offers bulk actions"
        for inline in model_admin.get_inline_instances(request):
            assert isinstance(inline, ReadOnly), f"{label}: inline {type(inline).__name__}"


def test_admin_change_post_changes_nothing(superuser_client, areas):
    client, _user = superuser_client
    org = factories.organization(areas["c11"], name="原名", address="原址")
    url = f"/admin/core/organization/{org.pk}/change/"
    assert client.get(url).status_code == 200  # a place to look
    response = client.post(url, {"name": "改名", "kind": "enterprise", "uscc": org.uscc,
                                 "area": areas["c11"].pk, "address": "改址"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert (org.name, org.address, org.version) == ("原名", "原址", 1)


def test_admin_cannot_add_delete_or_grant(superuser_client, areas):
    client, user = superuser_client
    before = Area.objects.count()
    assert client.post("/admin/core/area/add/", {"code": "120199001009", "name": "新",
                                                 "level": "community",
                                                 "parent": areas["s1"].pk}).status_code == 403
    assert Area.objects.count() == before
    org = factories.organization(areas["c11"])
    assert client.post(f"/admin/core/organization/{org.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=org.pk).exists()
    worker = factories.user("worker", "caseworker", areas["s1"])
    response = client.post(f"/admin/core/user/{worker.pk}/change/", {
        "username": "worker", "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "1",
        "roles-0-id": worker.roles.get().pk, "roles-0-user": worker.pk,
        "roles-0-role": "caseworker", "roles-0-area": areas["district"].pk})
    assert response.status_code == 403
    assert worker.roles.get().area == areas["s1"]  # the role's area was not widened
    assert client.post(f"/admin/core/user/{worker.pk}/password/",
                       {"password1": "x-new-pass-123", "password2": "x-new-pass-123"}
                       ).status_code == 403
    entry = AuditEntry.objects.create(action="read", object_type="x")
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_area_gets_its_path_wherever_it_is_created(areas):
    # a plain model save (what the admin, a factory or a shell would do) ...
    area = Area.objects.create(code="120199001009", name="新社区", level="community",
                               parent=areas["s1"])
    assert area.path == "120199/120199001/120199001009"
    assert Area.objects.get(pk=area.pk).path == area.path
    # ... is in the scope of whoever holds the parent
    worker = factories.actor("w", "caseworker", areas["s1"])
    assert area.pk in worker.area_ids("core.view_registry")
    root = Area.objects.create(code="120198", name="另一区", level="district")
    assert root.path == "120198"
    # a path given by hand is corrected, also when saving only some fields
    area.path = ""
    area.name = "改名社区"
    area.save(update_fields=["name"])
    assert Area.objects.get(pk=area.pk).path == "120199/120199001/120199001009"


def test_a_bulk_insert_with_a_wrong_path_is_refused_by_the_database(areas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.bulk_create([Area(code="120199002009", name="无路径", level="community",
                                       parent=areas["s2"], path="")])
    assert not Area.objects.filter(code="120199002009").exists()
