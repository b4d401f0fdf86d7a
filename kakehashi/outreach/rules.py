"""Who may see and manage a programme."""

from collections.abc import Callable
from typing import Any

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser

ROLE_CACHE = "_kh_programme_roles"


def remember_programme_roles(user, roles_by_programme: dict[int, frozenset[str]]) -> None:
    """Fill the request's role cache from a query that read them anyway (`selectors.member_programmes`)."""
    _role_cache(user).update(roles_by_programme)


def forget_programme_roles(user) -> None:
    if hasattr(user, ROLE_CACHE):
        delattr(user, ROLE_CACHE)


def _role_cache(user) -> dict:
    # getattr/setattr, not __dict__: request.user is a lazy wrapper that forwards attributes to the real user,
    # while permission checks receive the real user itself; both must see one cache.
    cache = getattr(user, ROLE_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, ROLE_CACHE, cache)
    return cache


def programme_roles_in(user, programme_id: int | None) -> frozenset[str]:
    """The user's roles in one programme, cached on the user object for the request (every app's rules use it)."""
    if programme_id is None or not user.is_authenticated:
        return frozenset()
    cache = _role_cache(user)
    if programme_id not in cache:
        from .models import ProgrammeMembership

        cache[programme_id] = frozenset(
            ProgrammeMembership.objects.filter(programme_id=programme_id, user=user).values_list("role", flat=True)
        )
    return cache[programme_id]


@rules.predicate
def is_programme_member(user, programme) -> bool:
    return programme is not None and bool(programme_roles_in(user, programme.pk))


def _own_pk(programme) -> int:
    return programme.pk


def of_record(obj) -> int | None:
    """For `has_programme_role(…, programme_of=of_record)`: the programme of a record (visit, plan, event …)."""
    return obj.programme_id


def has_programme_role(*roles: str, programme_of: Callable[[Any], int | None] = _own_pk):
    """A predicate: the user holds one of `roles` in the programme of the object checked.

    `programme_of(obj)` gives that programme's id; by default the object is the programme itself. Every app's
    programme-role rules are made here, so they share one per-request role cache (`programme_roles_in`).
    """
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_programme_role:{','.join(roles)}:{programme_of.__name__}")
    def predicate(user, obj) -> bool:
        return obj is not None and bool(programme_roles_in(user, programme_of(obj)) & wanted)

    return predicate


is_programme_owner = has_programme_role(Role.PREFECTURE, Role.MANAGER)

rules.add_perm("outreach.view_programme", is_superuser | is_programme_member)
rules.add_perm("outreach.change_programme", is_superuser | is_programme_owner)


# --- Visit reports (訪問報告書) ----------------------------------------------------------------
#
# Communicators record visits in their programme and edit their own while they are drafts or returned;
# managers see, accept, return and edit every visit of their programme; prefecture staff read the
# programme's visits (not other people's drafts). Coordinators and partners have no access to visit
# reports yet: `can_view_shared_visit` is where consent-based access will be added.

_VISIT_EDITABLE_STATES = frozenset({"draft", "returned"})


@rules.predicate
def is_visit_recorder(user, visit) -> bool:
    return visit is not None and user.is_authenticated and visit.recorded_by_id == user.pk


@rules.predicate
def is_visit_draft(user, visit) -> bool:
    return visit is not None and visit.status == "draft"


@rules.predicate
def is_visit_editable_state(user, visit) -> bool:
    return visit is not None and visit.status in _VISIT_EDITABLE_STATES


@rules.predicate
def is_visit_submitted(user, visit) -> bool:
    return visit is not None and visit.status == "submitted"


@rules.predicate
def can_view_shared_visit(user, visit) -> bool:
    """Coordinators read the counted visits of their programme whose company agreed to share with the foundation
    (`visit.consent_share_foundation`); `kakehashi.sharing.selectors.shared_visits_q` is the same rule as a query.
    Partner staff: no access to visit reports yet (a later issue: the visits they accompanied)."""
    return (
        visit is not None
        and visit.consent_share_foundation
        and visit.status in ("submitted", "accepted")
        and visit.company_id is not None
        and Role.COORDINATOR in programme_roles_in(user, visit.programme_id)
    )


is_visit_manager = has_programme_role(Role.MANAGER, programme_of=of_record)
is_visit_communicator = has_programme_role(Role.COMMUNICATOR, programme_of=of_record)
is_visit_prefecture = has_programme_role(Role.PREFECTURE, programme_of=of_record)

can_view_visit = (
    is_superuser
    | is_visit_manager
    | (is_visit_prefecture & ~is_visit_draft)
    | (is_visit_communicator & (is_visit_recorder | ~is_visit_draft))
    | can_view_shared_visit
)
can_change_visit = is_visit_manager | (is_visit_communicator & is_visit_recorder & is_visit_editable_state)
can_submit_visit = can_change_visit & is_visit_editable_state
can_review_visit = is_visit_manager & is_visit_submitted
can_discard_visit = is_visit_draft & (is_visit_manager | (is_visit_communicator & is_visit_recorder))

# Per programme: who may record a visit in it.
can_add_visit = has_programme_role(Role.MANAGER, Role.COMMUNICATOR)
# Screen level (no object): who may open the visit screens at all; objects are narrowed by selectors.
can_use_visits = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)
can_export_visits = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER)
# The visit list (and its API): also coordinators, who see only the visits shared with the foundation.
can_list_visits = can_use_visits | has_role(Role.COORDINATOR)

rules.add_perm("outreach.use_visits", can_use_visits)
rules.add_perm("outreach.export_visits", can_export_visits)
rules.add_perm("outreach.list_visits", can_list_visits)
rules.add_perm("outreach.add_visit", can_add_visit)
rules.add_perm("outreach.view_visit", can_view_visit)
rules.add_perm("outreach.change_visit", can_change_visit)
rules.add_perm("outreach.submit_visit", can_submit_visit)
rules.add_perm("outreach.review_visit", can_review_visit)
rules.add_perm("outreach.discard_visit", can_discard_visit)

# The library (hearing manual, content): its own module, registered here.
from . import rules_library  # noqa: E402, F401
