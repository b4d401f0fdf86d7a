"""Who may refer, follow up referrals, ask and answer advice, and use the priority list.

Screen-level permissions take no object (lists are narrowed by `selectors`); object permissions check the
user's role *in the object's programme*. Django lets an active superuser pass every `has_perm`: system
administrators see everything except personal information (contact details are checked with
`may_view_shared_contacts`, never with `has_perm`).
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser
from kakehashi.outreach.rules import has_programme_role

from .choices import CLOSED_REFERRAL_STATUSES

COUNTED = ("submitted", "accepted")


def _record_or_programme(obj) -> int | None:
    """Sharing rules are checked on records of a programme and on the programme itself."""
    return getattr(obj, "programme_id", None) or obj.pk


def _role_in_object_programme(*roles: str):
    return has_programme_role(*roles, programme_of=_record_or_programme)


@rules.predicate
def is_counted_visit_with_company(user, visit) -> bool:
    return visit is not None and visit.status in COUNTED and visit.company_id is not None


@rules.predicate
def is_open_referral(user, referral) -> bool:
    return referral is not None and referral.status not in CLOSED_REFERRAL_STATUSES


in_programme_as_recorder = _role_in_object_programme(Role.MANAGER, Role.COMMUNICATOR)
in_programme_as_coordinator = _role_in_object_programme(Role.COORDINATOR)
in_programme_as_follow_up = _role_in_object_programme(Role.COORDINATOR, Role.MANAGER)
in_programme_as_reader = _role_in_object_programme(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR)
in_programme_as_office = _role_in_object_programme(Role.PREFECTURE, Role.MANAGER)
in_programme_as_prefecture = _role_in_object_programme(Role.PREFECTURE)
in_programme_as_priority_user = _role_in_object_programme(Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR)

# Screens (no object).
can_use_referrals = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR)
can_use_advice = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR)
can_use_priority = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR)

# Objects.
can_refer_visit = is_counted_visit_with_company & (is_superuser | in_programme_as_recorder)
can_view_referral = is_superuser | in_programme_as_reader
can_move_referral = is_open_referral & (is_superuser | in_programme_as_follow_up)
can_ask_advice = is_superuser | in_programme_as_coordinator  # object: the programme
can_view_advice = is_superuser | in_programme_as_reader
can_answer_advice = is_superuser | in_programme_as_recorder
can_follow_up_advice = is_superuser | in_programme_as_coordinator | in_programme_as_recorder
can_view_priority = is_superuser | in_programme_as_priority_user  # object: the programme
can_recompute_priority = can_view_priority
can_decide_priority = is_superuser | in_programme_as_coordinator
can_edit_weights = is_superuser | in_programme_as_prefecture
can_export_priority = can_view_priority

rules.add_perm("sharing.use_referrals", can_use_referrals)
rules.add_perm("sharing.use_advice", can_use_advice)
rules.add_perm("sharing.use_priority", can_use_priority)
rules.add_perm("sharing.refer_visit", can_refer_visit)
rules.add_perm("sharing.view_referral", can_view_referral)
rules.add_perm("sharing.move_referral", can_move_referral)
rules.add_perm("sharing.ask_advice", can_ask_advice)
rules.add_perm("sharing.view_advice", can_view_advice)
rules.add_perm("sharing.answer_advice", can_answer_advice)
rules.add_perm("sharing.follow_up_advice", can_follow_up_advice)
rules.add_perm("sharing.view_priority", can_view_priority)
rules.add_perm("sharing.recompute_priority", can_recompute_priority)
rules.add_perm("sharing.decide_priority", can_decide_priority)
rules.add_perm("sharing.edit_weights", can_edit_weights)
rules.add_perm("sharing.export_priority", can_export_priority)
