"""Reads for the progress figures, narrowed to what the user may see."""

from django.db.models import QuerySet

from kakehashi.outreach.choices import COUNTED_VISIT_STATUSES
from kakehashi.outreach.models import Programme, Visit
from kakehashi.outreach.selectors import programmes_for

from .rules import PROGRESS_ROLES


def progress_programmes_for(user) -> QuerySet[Programme]:
    """Programmes whose progress the user may read: members in a progress role; superusers all."""
    programmes = programmes_for(user)
    if not user.is_authenticated or user.is_superuser:
        return programmes
    return programmes.filter(memberships__user=user, memberships__role__in=PROGRESS_ROLES).distinct()


def counted_visits(programme: Programme) -> QuerySet[Visit]:
    """The visits that count as hearings: submitted or accepted, with a company and a date.

    Not narrowed by user: callers have authorised the programme already. Ordering is cleared so
    grouped aggregates group only by what they ask for.
    """
    return Visit.objects.filter(
        programme=programme,
        status__in=COUNTED_VISIT_STATUSES,
        company__isnull=False,
        visit_date__isnull=False,
    ).order_by()
