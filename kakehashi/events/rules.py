"""Who may see and run events.

Prefecture staff, programme managers and communicators of a programme see its events and run check-in (the
people at the reception desk); managers and prefecture staff create, edit and publish events, send surveys and
plan tables. Coordinators and partner staff have no access to registrations (personal information) yet.
Public pages (registration, ticket, survey) need no account: they are reached by the event's public id or a
signed personal link.
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser
from kakehashi.outreach.rules import has_programme_role, of_record

EVENT_STAFF = (Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)
EVENT_OWNERS = (Role.PREFECTURE, Role.MANAGER)


can_use_events = is_superuser | has_role(*EVENT_STAFF)
can_view_event = is_superuser | has_programme_role(*EVENT_STAFF, programme_of=of_record)
can_change_event = is_superuser | has_programme_role(*EVENT_OWNERS, programme_of=of_record)
can_check_in = can_view_event
can_add_event = is_superuser | has_programme_role(*EVENT_OWNERS)
can_view_event_kpis = is_superuser | has_programme_role(*EVENT_STAFF)

rules.add_perm("events.use_events", can_use_events)
rules.add_perm("events.view_event", can_view_event)
rules.add_perm("events.change_event", can_change_event)
rules.add_perm("events.check_in", can_check_in)
rules.add_perm("events.add_event", can_add_event)
rules.add_perm("events.view_kpis", can_view_event_kpis)
