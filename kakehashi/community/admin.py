"""Admin for the community: topics are kept here by staff; organisations get their registry link here.

Members, posts and projects are changed through the community screens (services), so they are read-only here.
"""

from django.contrib import admin

from kakehashi.core.admin import AuditedModelAdmin

from .models import Member, Organisation, Project, Thread, Topic


@admin.register(Topic)
class TopicAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "order", "active"]
    list_editable = ["order", "active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "company", "it_company", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "name_key"]
    raw_id_fields = ["company", "it_company", "municipality"]
    readonly_fields = ["name_key"]

    def save_model(self, request, obj, form, change):
        from kakehashi.companies.normalise import company_name_key

        obj.name_key = company_name_key(obj.name)
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "notify_frequency", "banned_at"]
    search_fields = ["user__username", "user__display_name", "organisation__name"]


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "author", "last_posted_at", "meetup_proposed_at"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "stage", "started_on", "launched_on"]
    list_filter = ["stage"]
