from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kakehashi.core.admin import AuditedModelAdmin

from .models import ApiToken, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "display_name", "organisation", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Kakehashi", {"fields": ("display_name", "organisation")}))


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
