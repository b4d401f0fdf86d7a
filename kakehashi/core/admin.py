from django.contrib import admin

from .changelog import log_change, snapshot
from .choices import ChangeAction
from .models import ChangeLogEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits go to the same change log as service writes."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous) if previous else {}
        super().save_model(request, obj, form, change)
        log_change(
            actor=request.user,
            instance=obj,
            action=ChangeAction.UPDATE if change else ChangeAction.CREATE,
            before=before,
            note="admin",
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        log_change(actor=request.user, instance=obj, action=ChangeAction.DELETE, before=before, after={}, note="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "note"]
    readonly_fields = [f.name for f in ChangeLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
