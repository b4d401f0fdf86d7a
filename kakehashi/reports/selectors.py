"""Reads of the periodic reports, narrowed to the programmes the user may report on."""

from django.db.models import QuerySet

from kakehashi.outreach.models import Programme
from kakehashi.outreach.selectors import programmes_for

from .models import Report
from .rules import REPORT_ROLES


def report_programmes_for(user) -> QuerySet[Programme]:
    """Programmes whose reports the user may build and read: members in a report role; superusers all."""
    programmes = programmes_for(user)
    if not user.is_authenticated or user.is_superuser:
        return programmes
    return programmes.filter(memberships__user=user, memberships__role__in=REPORT_ROLES).distinct()


def reports_for(user, *, programme: Programme | None = None) -> QuerySet[Report]:
    """Reports the user may see (optionally of one programme), newest period first."""
    if not user.is_authenticated:
        return Report.objects.none()
    queryset = Report.objects.select_related("programme", "created_by")
    if not user.is_superuser:
        queryset = queryset.filter(programme__in=report_programmes_for(user).values("pk"))
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset
