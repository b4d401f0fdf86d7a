"""The community's permission matrix: public sign-up pages, member pages, moderation, the KPI endpoint."""

import pytest

from kakehashi.core.testing import STAFF, Case, matrix_params

EVERYONE = {
    "anonymous",
    "no_role",
    "prefecture",
    "manager",
    "communicator",
    "coordinator",
    "partner",
    "company_member",
    "it_company_member",
    "superuser",
}
MEMBERS = {"company_member", "it_company_member"}
VIEWERS = MEMBERS | STAFF
MODERATORS = {"prefecture", "manager", "coordinator", "superuser"}


def _me(ctx):
    """A community profile for the acting user when they hold a member role."""
    from .factories import MemberFactory, OrganisationFactory

    user = ctx["user"]
    if user is None or not user.has_role("company_member", "it_company_member"):
        return None
    kind = "it" if user.has_role("it_company_member") else "local"
    return MemberFactory(user=user, organisation=OrganisationFactory(kind=kind), needs=["procurement"])


def _world(ctx):
    from kakehashi.community.services import signup_token

    from .factories import MemberFactory, PostFactory, TopicFactory

    me = _me(ctx)
    other = MemberFactory(offers=["procurement"])
    post = PostFactory(thread__author=other, author=other, thread__topic=TopicFactory(slug="dx-soudan"))
    context = {"me": me, "other": other, "post": post, "thread": post.thread}
    context["token"] = signup_token(
        {
            "email": "new@example.jp",
            "username": "newcomer",
            "display_name": "新規 太郎",
            "kind": "local",
            "organisation_name": "株式会社新規",
            "it_company_id": None,
        }
    )
    if me is not None:
        from kakehashi.community.models import Introduction

        context["introduction"] = Introduction.objects.create(requester=other, recipient=me, message="よろしく")
    else:
        from kakehashi.community.models import Introduction

        context["introduction"] = Introduction.objects.create(
            requester=other, recipient=MemberFactory(), message="よろしく"
        )
    from kakehashi.community.services import project_create

    partner = MemberFactory()
    participants = [partner] + ([me] if me else [])
    context["project"] = project_create(
        actor=other.user, creator=other, title="在庫の見える化", summary="", participants=participants
    )
    return context


def _pk(name):
    return lambda ctx: {"pk": ctx[name].pk}


CASES = [
    Case("community:landing", EVERYONE),
    Case("community:signup", EVERYONE),
    Case("community:verify", EVERYONE, kwargs=lambda ctx: {"token": ctx["token"]}, setup=_world),
    Case("community:home", VIEWERS, setup=_world),
    Case("community:profile_edit", MEMBERS, setup=_world),
    Case("community:suggestions", MEMBERS, setup=_world),
    Case("community:member_detail", VIEWERS, kwargs=_pk("other"), setup=_world),
    Case("community:introduction_create", MEMBERS, kwargs=_pk("other"), setup=_world),
    Case(
        "community:member_ban",
        MODERATORS,
        method="post",
        kwargs=_pk("other"),
        data={"reason": "テスト"},
        setup=_world,
        ok_status={302},
    ),
    Case("community:introduction_list", MEMBERS, setup=_world),
    Case(
        "community:introduction_answer",
        MEMBERS,
        method="post",
        kwargs=_pk("introduction"),
        data={"decision": "accept"},
        setup=_world,
        ok_status={302},
    ),
    Case("community:notification_list", MEMBERS, setup=_world),
    Case("community:topic_list", VIEWERS, setup=_world),
    Case("community:topic_detail", VIEWERS, kwargs={"slug": "dx-soudan"}, setup=_world),
    Case("community:thread_create", MEMBERS, kwargs={"slug": "dx-soudan"}, setup=_world),
    Case("community:thread_detail", VIEWERS, kwargs=_pk("thread"), setup=_world),
    Case("community:thread_meetup", MEMBERS, method="post", kwargs=_pk("thread"), setup=_world, ok_status={302}),
    Case(
        "community:post_report",
        MEMBERS,
        method="post",
        kwargs=_pk("post"),
        data={"reason": "宣伝"},
        setup=_world,
        ok_status={302},
    ),
    Case(
        "community:post_moderate",
        MODERATORS,
        method="post",
        kwargs=_pk("post"),
        data={"action": "hide", "reason": "宣伝"},
        setup=_world,
        ok_status={302},
    ),
    Case("community:moderation", MODERATORS, setup=_world),
    # Drafting an event needs the events app's "add event" in the current programme too.
    Case(
        "community:thread_meetup_draft",
        {"prefecture", "manager", "superuser"},
        method="post",
        kwargs=_pk("thread"),
        data={"starts_at": "2026-12-10T18:00"},
        setup=_world,
        ok_status={302},
    ),
    Case("community:project_list", VIEWERS, setup=_world),
    Case("community:project_create", MEMBERS, setup=_world),
    Case("community:project_detail", VIEWERS, kwargs=_pk("project"), setup=_world),
    Case(
        "community:project_advance",
        MEMBERS | MODERATORS,
        method="post",
        kwargs=_pk("project"),
        data={"on": "2026-01-05"},
        setup=_world,
        ok_status={302},
    ),
    Case("api:community_kpis", STAFF, api=True),
]


@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_permission_matrix(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
