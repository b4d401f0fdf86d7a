"""Reads of the events app. Staff reads take the user and narrow by programme role; public reads take a public id.

Contracts other apps use: `public_events`, `events_attended`, `met_pairs` (portal and community).
"""

from collections import Counter
from itertools import combinations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kakehashi.outreach.models import Programme

from .choices import RegistrationStatus
from .models import Event, MixingRun, Registration, TableSeat
from .rules import EVENT_STAFF


def events_for(user, *, programme: Programme | None = None) -> QuerySet[Event]:
    """Events of the programmes where the user is prefecture staff, manager or communicator (all for superusers)."""
    if not user.is_authenticated:
        return Event.objects.none()
    qs = Event.objects.select_related("programme", "municipality")
    if not user.is_superuser:
        qs = qs.filter(programme__memberships__user=user, programme__memberships__role__in=EVENT_STAFF).distinct()
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("-starts_at", "-id").annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        attended_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


def event_for(user, pk: int) -> Event | None:
    """One event the user may see, or None (missing and forbidden look the same)."""
    return events_for(user).filter(pk=pk).first()


def registrations_for(user, event: Event, *, query: str = "", status: str = "") -> QuerySet[Registration]:
    if not user.has_perm("events.view_event", event):
        return Registration.objects.none()
    qs = Registration.objects.filter(event=event).select_related("company", "visit")
    if status:
        qs = qs.filter(status=status)
    if query.strip():
        from kakehashi.companies.normalise import person_name_key

        key = person_name_key(query)
        qs = qs.filter(
            Q(name_key__contains=key) | Q(organisation__icontains=query.strip()) | Q(ticket_code=key.upper())
        )
    return qs


def registration_for(user, event: Event, pk: int) -> Registration | None:
    return registrations_for(user, event).filter(pk=pk).first()


def attendance_counts(event: Event) -> dict[str, int]:
    row = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        walk_ins=Count("pk", filter=Q(checked_in_at__isnull=False, source="walk_in")),
    )
    return row


# --- Public ------------------------------------------------------------------------------------------------------


def public_events(*, upcoming: bool = True) -> QuerySet[Event]:
    """Published events for the portal listing: upcoming (not yet ended) soonest first, else past ones newest first."""
    qs = Event.objects.filter(published=True).select_related("programme", "municipality")
    now = timezone.now()
    if upcoming:
        return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")


def public_event(uuid) -> Event | None:
    return Event.objects.filter(published=True, uuid=uuid).select_related("municipality").first()


def registration_by_uuid(uuid_hex: str | None) -> Registration | None:
    if not uuid_hex:
        return None
    return Registration.objects.filter(uuid=uuid_hex).select_related("event", "event__municipality").first()


def events_attended(*, email: str) -> QuerySet[Event]:
    """Events where a registration with this (normalised) email was checked in."""
    from .services import email_key

    key = email_key(email)
    if not key:
        return Event.objects.none()
    return Event.objects.filter(registrations__email_key=key, registrations__checked_in_at__isnull=False).distinct()


# --- Who met whom ------------------------------------------------------------------------------------------------


def current_run(event: Event) -> MixingRun | None:
    return event.mixing_runs.order_by("-created_at", "-id").first()


def _latest_runs(events: QuerySet[Event] | None = None) -> QuerySet[MixingRun]:
    """Each event's latest mixing run (the plan in force), optionally for some events only."""
    runs = MixingRun.objects.all()
    if events is not None:
        runs = runs.filter(event__in=events)
    latest: dict[int, int] = {}
    for run_id, event_id in runs.order_by("event_id", "-created_at", "-id").values_list("id", "event_id"):
        latest.setdefault(event_id, run_id)
    return MixingRun.objects.filter(pk__in=latest.values())


def _table_groups(runs: QuerySet[MixingRun], *, attended_only: bool = True) -> list[list[Registration]]:
    seats = TableSeat.objects.filter(run__in=runs).select_related("registration").order_by("run", "round", "table")
    if attended_only:
        seats = seats.filter(registration__checked_in_at__isnull=False)
    groups: dict[tuple, list[Registration]] = {}
    for seat in seats:
        groups.setdefault((seat.run_id, seat.round, seat.table), []).append(seat.registration)
    return list(groups.values())


def met_pairs(*, by: str = "organisation", programme: Programme | None = None) -> set[frozenset]:
    """Pairs who sat at one table at an event: frozenset({org_key_a, org_key_b}) or, with by="person", person keys.

    An organisation key is "c<company id>" for a registry company, else "n:<normalised name>"; a person key is the
    normalised email (else name and organisation). Pairs within one organisation are left out.
    """
    events = Event.objects.filter(programme=programme) if programme is not None else None
    pairs: set[frozenset] = set()
    for group in _table_groups(_latest_runs(events)):
        for a, b in combinations(group, 2):
            ka, kb = (a.person_key, b.person_key) if by == "person" else (a.org_key, b.org_key)
            if ka != kb:
                pairs.add(frozenset((ka, kb)))
    return pairs


def person_pairs_before(event: Event) -> Counter:
    """How often each pair of people (person keys) sat together at events that started before `event`."""
    earlier = Event.objects.filter(starts_at__lt=event.starts_at).exclude(pk=event.pk)
    counts: Counter = Counter()
    for group in _table_groups(_latest_runs(earlier)):
        for a, b in combinations(group, 2):
            if a.person_key != b.person_key:
                counts[frozenset((a.person_key, b.person_key))] += 1
    return counts


def seats_of(run: MixingRun) -> dict[int, list[list[TableSeat]]]:
    """round → tables (1-based order) → seats, with the registrations loaded."""
    rounds: dict[int, dict[int, list[TableSeat]]] = {}
    for seat in run.seats.select_related("registration", "registration__company").order_by("round", "table"):
        rounds.setdefault(seat.round, {}).setdefault(seat.table, []).append(seat)
    return {r: [tables[t] for t in sorted(tables)] for r, tables in sorted(rounds.items())}
