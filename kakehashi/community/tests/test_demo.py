import pytest

from kakehashi.community.matching import suggestions_for
from kakehashi.community.models import Member, PostReport, Project, Thread
from kakehashi.community.selectors import community_kpis


@pytest.fixture
def demo(db):
    from django.utils import timezone

    from kakehashi.demo.community import seed_community
    from kakehashi.demo.seed import seed_programmes, seed_users
    from kakehashi.outreach.tests.factories import PrefectureFactory
    from kakehashi.reference.loaders import load_codes

    load_codes()
    PrefectureFactory(code="06", name="山形県", kana="やまがたけん", name_en="Yamagata")
    PrefectureFactory(code="04", name="宮城県", kana="みやぎけん", name_en="Miyagi")
    users = seed_users()
    programme = seed_programmes(users, timezone.localdate())
    seed_community(programme=programme, users=users, today=timezone.localdate())
    return users, programme


def test_demo_community_tells_the_story(demo):
    users, _programme = demo
    kpis = community_kpis()
    assert kpis["registrants"] == 12
    assert kpis["new_businesses"] == 1
    assert kpis["projects_by_stage"] == {"idea": 1, "trial": 1, "launched": 1}
    assert kpis["introductions_accepted"] == 4
    assert kpis["introductions_requested"] == 6
    assert Thread.objects.filter(meetup_proposed_at__isnull=False).exists()
    assert PostReport.objects.filter(resolved_at__isnull=True).count() == 1
    company = Member.objects.get(user=users["company"])
    top = suggestions_for(company, limit=3)
    assert top
    assert top[0].reasons
    assert {p.organisation_id for p in Project.objects.get(stage="launched").participants.all()}.__len__() >= 2


def test_demo_step_is_idempotent(demo):
    from kakehashi.demo.community import seed_community

    users, programme = demo
    seed_community(programme=programme, users=users)
    assert Member.objects.count() == 12
