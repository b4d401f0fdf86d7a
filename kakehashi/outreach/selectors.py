"""Reads for programmes, narrowed to what the user may see."""

from django.db.models import QuerySet

from .models import Programme


def programmes_for(user) -> QuerySet[Programme]:
    """Programmes the user works on; superusers see all."""
    if not user.is_authenticated:
        return Programme.objects.none()
    queryset = Programme.objects.select_related("prefecture")
    if user.is_superuser:
        return queryset
    return queryset.filter(memberships__user=user).distinct()


def programme_roles(user, programme: Programme) -> set[str]:
    if programme is None or not user.is_authenticated:
        return set()
    return set(programme.memberships.filter(user=user).values_list("role", flat=True))
