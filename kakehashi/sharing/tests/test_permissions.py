"""Permission matrix of the sharing screens and API.

Screens answer 403 to roles without the screen; objects answer 404 whether missing, out of the programme or
not allowed. Objects of `other_programme` are tested in test_views.py / test_api.py (one denied status a case).
"""

import pytest

from kakehashi.core.testing import SIGNED_IN, Case, matrix_params

READERS = {"prefecture", "manager", "communicator", "coordinator", "superuser"}
RECORDERS = {"manager", "communicator", "superuser"}
FOLLOW_UP = {"manager", "coordinator", "superuser"}
ASKERS = {"coordinator", "superuser"}
THREAD_POSTERS = {"manager", "communicator", "coordinator", "superuser"}
PRIORITY_USERS = {"prefecture", "manager", "coordinator", "superuser"}
WEIGHT_EDITORS = {"prefecture", "superuser"}


def _visit(ctx):
    from .factories import shared_visit

    return {"visit": shared_visit(ctx["programme"], interest="high", challenges=["security"])}


def _referral(ctx):
    from .factories import referral_for_visit

    objects = _visit(ctx)
    objects["referral"] = referral_for_visit(objects["visit"])
    return objects


def _thread(ctx):
    from kakehashi.sharing.services import advice_thread_open

    from .factories import member

    objects = _visit(ctx)
    objects["thread"] = advice_thread_open(
        actor=member(ctx["programme"], "coordinator"),
        programme=ctx["programme"],
        company=objects["visit"].company,
        subject="在庫の相談",
        body="状況を教えてください",
    )
    return objects


def _snapshot(ctx):
    from kakehashi.sharing.services import priority_recompute

    objects = _visit(ctx)
    priority_recompute(actor=None, programme=ctx["programme"])
    return objects


def _visit_kwargs(ctx):
    return {"uuid": ctx["visit"].uuid}


def _referral_kwargs(ctx):
    return {"pk": ctx["referral"].pk}


def _thread_kwargs(ctx):
    return {"pk": ctx["thread"].pk}


def _company_kwargs(ctx):
    return {"company_pk": ctx["visit"].company_id}


CASES = [
    Case("sharing:referral_list", READERS),
    Case("sharing:referral_create", RECORDERS, setup=_visit, kwargs=_visit_kwargs, denied_status=404),
    Case(
        "sharing:referral_create",
        RECORDERS,
        method="post",
        setup=_visit,
        kwargs=_visit_kwargs,
        data={"destination": "foundation", "purpose": "受発注の相談", "urgency": "normal", "consent_scope": "company"},
        ok_status={302},
        denied_status=404,
    ),
    Case("sharing:referral_detail", READERS, setup=_referral, kwargs=_referral_kwargs, denied_status=404),
    Case(
        "sharing:referral_move",
        FOLLOW_UP,
        method="post",
        setup=_referral,
        kwargs=_referral_kwargs,
        data={"to_status": "contacted", "occurred_on": "", "note": "電話"},
        ok_status={302},
        denied_status=404,
    ),
    Case("sharing:advice_list", READERS),
    Case("sharing:advice_new", ASKERS, setup=_visit),
    Case(
        "sharing:advice_new",
        ASKERS,
        method="post",
        setup=_visit,
        data=lambda ctx: {"company": ctx["visit"].company_id, "subject": "相談", "body": "教えてください"},
        ok_status={302},
    ),
    Case("sharing:advice_detail", READERS, setup=_thread, kwargs=_thread_kwargs, denied_status=404),
    Case(
        "sharing:advice_detail",
        THREAD_POSTERS,
        method="post",
        setup=_thread,
        kwargs=_thread_kwargs,
        data={"body": "回答します"},
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "sharing:advice_close",
        THREAD_POSTERS,
        method="post",
        setup=_thread,
        kwargs=_thread_kwargs,
        ok_status={302},
        denied_status=404,
    ),
    Case("sharing:priority_list", PRIORITY_USERS, setup=_snapshot),
    Case("sharing:priority_recompute", PRIORITY_USERS, method="post", setup=_visit, ok_status={302}),
    Case("sharing:priority_weights", PRIORITY_USERS),
    Case(
        "sharing:priority_weights",
        WEIGHT_EDITORS,
        method="post",
        data={
            **dict.fromkeys(
                (
                    "interest_high",
                    "interest_medium",
                    "outcome_support",
                    "outcome_consultation",
                    "outcome_technology_centre",
                    "outcome_subsidies",
                    "per_challenge",
                    "challenge_cap",
                    "per_barrier",
                    "barrier_cap",
                    "stage_1",
                    "stage_2",
                    "stage_3",
                    "size_small",
                    "size_medium",
                    "designated",
                    "recent_30",
                    "recent_90",
                    "in_support",
                ),
                5,
            ),
            "note": "テスト",
        },
        ok_status={302},
    ),
    Case("sharing:priority_export", PRIORITY_USERS, setup=_snapshot, kwargs={"fmt": "csv"}),
    Case(
        "sharing:priority_decide",
        ASKERS,
        method="post",
        setup=_snapshot,
        kwargs=_company_kwargs,
        data={"kind": "accept", "note": ""},
        ok_status={302},
    ),
    Case(
        "api:referral_funnel",
        READERS,
        api=True,
        kwargs=lambda ctx: {"code": ctx["programme"].code},
    ),
    Case("api:list_referrals", READERS, api=True, setup=_referral, kwargs=lambda ctx: {"code": ctx["programme"].code}),
    Case(
        "api:get_referral",
        READERS,
        api=True,
        setup=_referral,
        kwargs=lambda ctx: {"referral_id": ctx["referral"].pk},
        denied_status=404,
    ),
    # The JSON body is parsed before the view runs: a form-encoded post is refused for everyone signed in.
    # Who may move a referral is tested with real bodies in test_api.py.
    Case(
        "api:move_referral",
        SIGNED_IN,
        method="post",
        api=True,
        setup=_referral,
        kwargs=lambda ctx: {"referral_id": ctx["referral"].pk},
        ok_status={400, 422},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_sharing_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
