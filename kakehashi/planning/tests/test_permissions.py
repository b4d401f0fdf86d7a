"""The permission matrix of the planning screens and API (see kakehashi/core/testing.py).

Managers edit the inputs, build and submit; prefecture staff see non-draft plans and approve or return
them; communicators see their planned days. Object URLs answer 404 whether missing, out of the
programme or not allowed.
"""

import datetime

import pytest

from kakehashi.core.testing import ACTORS, Case, matrix_params

OWNERS = {"prefecture", "manager", "superuser"}
MANAGERS = {"manager", "superuser"}
DAY_VIEWERS = {"manager", "communicator", "superuser"}
EVERYONE = set(ACTORS)


def _plan(ctx, *, status="draft", programme_key="programme"):
    from .factories import PlanFactory

    programme = ctx[programme_key]
    return {"plan": PlanFactory(programme=programme, status=status, version=1)}


def _draft(ctx):
    return _plan(ctx)


def _submitted(ctx):
    return _plan(ctx, status="submitted")


def _elsewhere(ctx):
    return _plan(ctx, status="submitted", programme_key="other_programme")


def _plan_with_visit(ctx):
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.planning.models import PlanVisit

    data = _plan(ctx, status="approved")
    from kakehashi.accounts.tests.factories import UserFactory

    visit = PlanVisit.objects.create(
        plan=data["plan"],
        company=CompanyFactory(),
        communicator=UserFactory(),
        day=datetime.date(2026, 5, 1),
        order=1,
        start_time=datetime.time(9, 30),
        end_time=datetime.time(10, 30),
    )
    return {**data, "visit": visit}


def _profile(ctx):
    from kakehashi.accounts.tests.factories import UserFactory
    from kakehashi.planning.models import CommunicatorProfile

    return {"profile": CommunicatorProfile.objects.create(programme=ctx["programme"], user=UserFactory())}


def _constraint(ctx):
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.planning.models import CompanyConstraint

    return {"constraint": CompanyConstraint.objects.create(programme=ctx["programme"], company=CompanyFactory())}


def _companion(ctx):
    from kakehashi.accounts.tests.factories import UserFactory
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.planning.models import CompanionRequest

    request = CompanionRequest.objects.create(
        programme=ctx["programme"], company=CompanyFactory(), companion=UserFactory()
    )
    return {"companion": request}


def _pk(name):
    return lambda ctx: {"pk": ctx[name].pk}


CASES = [
    Case("planning:index", OWNERS),
    Case("planning:settings", MANAGERS),
    Case("planning:quotas", MANAGERS),
    Case("planning:communicators", MANAGERS),
    Case("planning:communicator_edit", MANAGERS, setup=_profile, kwargs=_pk("profile"), denied_status=403),
    Case(
        "planning:feed_token_reset",
        MANAGERS,
        method="post",
        setup=_profile,
        kwargs=_pk("profile"),
        ok_status={302},
        denied_status=404,
    ),
    Case("planning:constraints", MANAGERS),
    Case("planning:constraint_edit", MANAGERS, setup=_constraint, kwargs=_pk("constraint")),
    Case(
        "planning:constraint_delete",
        MANAGERS,
        method="post",
        setup=_constraint,
        kwargs=_pk("constraint"),
        ok_status={302},
    ),
    Case("planning:companions", MANAGERS),
    Case(
        "planning:companion_delete", MANAGERS, method="post", setup=_companion, kwargs=_pk("companion"), ok_status={302}
    ),
    # Building runs the planner in the background (inline in tests, after the commit that never comes here).
    Case("planning:plan_build", MANAGERS, method="post", ok_status={302}),
    Case("planning:plan_detail", MANAGERS, setup=_draft, kwargs=_pk("plan"), denied_status=404),
    Case("planning:plan_detail", OWNERS, setup=_submitted, kwargs=_pk("plan"), denied_status=404),
    Case("planning:plan_detail", {"superuser"}, setup=_elsewhere, kwargs=_pk("plan"), denied_status=404),
    Case("planning:plan_schedule", OWNERS, setup=_submitted, kwargs=_pk("plan"), denied_status=404),
    Case("planning:plan_export", OWNERS, setup=_submitted, kwargs=_pk("plan"), denied_status=404),
    Case(
        "planning:plan_submit",
        MANAGERS,
        method="post",
        setup=_draft,
        kwargs=_pk("plan"),
        ok_status={302},
        denied_status=404,
    ),
    # A plan already submitted cannot be submitted again, by anyone: fetched and authorised in one step.
    # (Superusers pass every permission check; the service then refuses and the page says why.)
    Case(
        "planning:plan_submit",
        {"superuser"},
        method="post",
        setup=_submitted,
        kwargs=_pk("plan"),
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "planning:plan_decide",
        {"prefecture", "superuser"},
        method="post",
        setup=_submitted,
        kwargs=_pk("plan"),
        data={"decision": "approve"},
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "planning:plan_visit_fix",
        MANAGERS,
        method="post",
        setup=_plan_with_visit,
        kwargs=lambda ctx: {"pk": ctx["plan"].pk, "visit_pk": ctx["visit"].pk},
        data={"fixed": "1"},
        ok_status={302},
        denied_status=404,
    ),
    Case("planning:my_day", DAY_VIEWERS),
    # The feed's credential is the token in its URL: anyone holding it may read; a wrong token is 404 for all.
    Case("planning:ics_feed", EVERYONE, setup=_profile, kwargs=lambda ctx: {"token": ctx["profile"].feed_token}),
    Case("planning:ics_feed", EVERYONE, kwargs={"token": "x" * 43}, ok_status={404}),
    # API
    Case("api:list_plans", OWNERS, api=True, kwargs=lambda ctx: {"code": ctx["programme"].code}),
    Case(
        "api:get_plan",
        OWNERS,
        api=True,
        setup=_submitted,
        kwargs=lambda ctx: {"plan_id": ctx["plan"].pk},
        denied_status=404,
    ),
    Case(
        "api:get_plan",
        MANAGERS,
        api=True,
        setup=_draft,
        kwargs=lambda ctx: {"plan_id": ctx["plan"].pk},
        denied_status=404,
    ),
    Case(
        "api:list_plan_visits",
        OWNERS,
        api=True,
        setup=_submitted,
        kwargs=lambda ctx: {"plan_id": ctx["plan"].pk},
        denied_status=404,
    ),
    Case("api:my_day", DAY_VIEWERS, api=True, kwargs=lambda ctx: {"code": ctx["programme"].code}),
]


@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_permission_matrix(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
