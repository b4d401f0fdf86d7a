"""Who may plan, approve and see visit plans.

Managers (事業責任者) edit the planner's inputs, build plans, fix visits and submit a plan; prefecture
staff (所管課) see submitted plans and approve or return them; communicators see their own planned days.
Roles are those held *in the plan's programme* (`ProgrammeMembership`), so a manager of another
programme sees nothing here.
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser
from kakehashi.outreach.rules import has_programme_role, of_record

from .choices import EDITABLE_PLAN_STATES, PlanStatus, RunStatus


@rules.predicate
def is_plan_draft(user, plan) -> bool:
    return plan is not None and plan.status == PlanStatus.DRAFT


@rules.predicate
def is_plan_editable(user, plan) -> bool:
    return plan is not None and plan.status in EDITABLE_PLAN_STATES


@rules.predicate
def is_plan_submitted(user, plan) -> bool:
    return plan is not None and plan.status == PlanStatus.SUBMITTED


@rules.predicate
def is_plan_computed(user, plan) -> bool:
    return plan is not None and plan.run_status == RunStatus.DONE


@rules.predicate
def is_plan_fixable(user, plan) -> bool:
    return plan is not None and plan.run_status == RunStatus.DONE and plan.status != PlanStatus.SUPERSEDED


is_programme_manager = has_programme_role(Role.MANAGER)
is_programme_prefecture = has_programme_role(Role.PREFECTURE)
is_programme_communicator = has_programme_role(Role.COMMUNICATOR)
is_plan_manager = has_programme_role(Role.MANAGER, programme_of=of_record)
is_plan_prefecture = has_programme_role(Role.PREFECTURE, programme_of=of_record)

# Programme level (obj: Programme)
can_view_plans = is_superuser | is_programme_manager | is_programme_prefecture
can_manage_planning = is_superuser | is_programme_manager
can_view_planned_days = is_superuser | is_programme_manager | is_programme_communicator
# Plan level (obj: Plan)
can_view_plan = is_superuser | is_plan_manager | (is_plan_prefecture & ~is_plan_draft)
can_submit_plan = (is_superuser | is_plan_manager) & is_plan_editable & is_plan_computed
can_decide_plan = (is_superuser | is_plan_prefecture) & is_plan_submitted
can_fix_plan_visit = (is_superuser | is_plan_manager) & is_plan_fixable
# Screen level (no object): who may open the planning screens at all; objects are narrowed by selectors.
can_use_planning = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER)
can_use_planned_days = is_superuser | has_role(Role.MANAGER, Role.COMMUNICATOR)

rules.add_perm("planning.use_planning", can_use_planning)
rules.add_perm("planning.use_planned_days", can_use_planned_days)
rules.add_perm("planning.view_plans", can_view_plans)
rules.add_perm("planning.manage_planning", can_manage_planning)
rules.add_perm("planning.view_planned_days", can_view_planned_days)
rules.add_perm("planning.view_plan", can_view_plan)
rules.add_perm("planning.submit_plan", can_submit_plan)
rules.add_perm("planning.decide_plan", can_decide_plan)
rules.add_perm("planning.fix_plan_visit", can_fix_plan_visit)
