"""Django admin: read-only, for every model of every app.

Records change only through services (permission, scope, one transaction, audit row). The
admin would write around all of that, so it is a place to look, not to edit: every
registration uses `ReadOnlyAdmin` (or `ReadOnlyInline`), and the registrations third-party
apps make (auth's groups, axes' login records, the task results) are replaced by read-only
ones below. `tests/core/test_admin.py` fails on any registration that can add, change or
delete.

Records are edited on the pages (people, organizations, households, disability
certificates, API tokens) or with the CLI (`minsheng createuser`, `minsheng token`,
`minsheng calendar`, `minsheng import`).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from minsheng.core import models


class ReadOnly:
    """No add, change or delete, whoever asks; no bulk actions (delete_selected)."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """The base of every ModelAdmin in the project."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


@admin.register(models.Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent", "path"]
    search_fields = ["code", "name"]
    list_filter = ["level"]


@admin.register(models.Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "uscc", "area", "industry_code"]
    search_fields = ["name", "uscc"]
    list_filter = ["kind"]
    raw_id_fields = ["area"]


class RoleInline(ReadOnlyInline):
    model = models.RoleAssignment
    raw_id_fields = ["area"]


@admin.register(models.User)
class MinshengUserAdmin(ReadOnly, UserAdmin):
    inlines = [RoleInline]
    fieldsets = [*UserAdmin.fieldsets, ("minsheng", {"fields": ["department", "full_name"]})]
    list_display = ["username", "full_name", "department", "is_active"]


@admin.register(models.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log cannot be edited or deleted through the application."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_name", "request_id"]


@admin.register(models.WorkingDayOverride)
class WorkingDayOverrideAdmin(ReadOnlyAdmin):
    list_display = ["date", "is_working_day", "note"]


@admin.register(models.CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "confirmed_by"]


def _replace(model, base) -> None:
    """Re-register a model with a read-only version of its admin class."""
    admin.site.unregister(model)
    admin.site.register(model, type(f"ReadOnly{base.__name__}", (ReadOnly, base), {}))


# Third-party apps (auth's groups, axes' login records, django-tasks-db's results) are
# autodiscovered before this module, since they come first in INSTALLED_APPS.
for _model, _model_admin in list(admin.site._registry.items()):
    if not isinstance(_model_admin, ReadOnly):
        _replace(_model, type(_model_admin))
