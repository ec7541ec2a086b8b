from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from minsheng.core import models


@admin.register(models.Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]
    list_filter = ["level"]
    readonly_fields = ["path"]


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "uscc", "area", "industry_code"]
    search_fields = ["name", "uscc"]
    list_filter = ["kind"]
    raw_id_fields = ["area"]


class RoleInline(admin.TabularInline):
    model = models.RoleAssignment
    extra = 0
    raw_id_fields = ["area"]


@admin.register(models.User)
class MinshengUserAdmin(UserAdmin):
    inlines = [RoleInline]
    fieldsets = [*UserAdmin.fieldsets, ("minsheng", {"fields": ["department", "full_name"]})]
    list_display = ["username", "full_name", "department", "is_active"]


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited or deleted through the application."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_name", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
