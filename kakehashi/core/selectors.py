from django.db.models import QuerySet

from .models import ChangeLogEntry


def changelog_for(user, *, query: str = "") -> QuerySet[ChangeLogEntry]:
    """The global change log, for those allowed to search it; empty for everyone else."""
    if not user.has_perm("core.view_changelog"):
        return ChangeLogEntry.objects.none()
    entries = ChangeLogEntry.objects.select_related("actor", "content_type")
    if query:
        entries = entries.filter(object_repr__icontains=query)
    return entries
