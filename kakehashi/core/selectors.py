from django.db.models import Q, QuerySet

from .models import ChangeLogEntry


def changelog_for(user, *, query: str = "", model: str = "", actor: str = "") -> QuerySet[ChangeLogEntry]:
    """The global change log, for those allowed to search it; empty for everyone else.

    `query` matches the record's name or its id, `model` is "app_label.model" (any app, so new apps' records are
    searchable without a change here), `actor` matches the user name or display name.
    """
    if not user.has_perm("core.view_changelog"):
        return ChangeLogEntry.objects.none()
    entries = ChangeLogEntry.objects.select_related("actor", "content_type")
    if query:
        entries = entries.filter(Q(object_repr__icontains=query) | Q(object_id=query))
    if model and "." in model:
        app_label, model_name = model.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    if actor:
        entries = entries.filter(Q(actor__username__icontains=actor) | Q(actor__display_name__icontains=actor))
    return entries


def changelog_models() -> list[tuple[str, str]]:
    """("app_label.model", verbose name) of every model that has change-log entries, for the filter."""
    from django.contrib.contenttypes.models import ContentType

    used = ChangeLogEntry.objects.values_list("content_type_id", flat=True).distinct()
    choices = []
    for content_type in ContentType.objects.filter(pk__in=used):
        model = content_type.model_class()
        label = str(model._meta.verbose_name) if model else content_type.model
        choices.append((f"{content_type.app_label}.{content_type.model}", label))
    return sorted(choices, key=lambda item: item[1])
