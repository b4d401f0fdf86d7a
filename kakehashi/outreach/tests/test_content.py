"""Content suggestions for a visit and the usage figures (outreach/content.py)."""

import pytest

from kakehashi.outreach.content import REFERRAL_LIMIT, content_for, content_usage, suggest_content
from kakehashi.outreach.models import ContentItem
from kakehashi.outreach.tests.library_factories import ContentItemFactory, counted_visit

pytestmark = pytest.mark.django_db


def test_suggestions_rank_by_shared_challenges_then_add_referrals(programme, other_programme, codes):
    security, production, accounting = (codes("challenge", c) for c in ("security", "production", "accounting_finance"))
    both = ContentItemFactory(programme=programme, title="B 両方", challenges=[security, production])
    one = ContentItemFactory(programme=programme, title="A 片方", challenges=[security])
    ContentItemFactory(programme=programme, title="会計", challenges=[accounting])
    ContentItemFactory(programme=programme, title="無効", challenges=[security, production], active=False)
    ContentItemFactory(programme=programme, title="支援者向け", challenges=[security], audience="staff")
    ContentItemFactory(programme=other_programme, title="他事業", challenges=[security, production])
    referral = ContentItemFactory(programme=programme, title="相談窓口", kind="referral")
    suggested = suggest_content(programme, ["security", "production"])
    assert suggested == [both, one, referral]
    assert suggest_content(programme, ["security", "production"], limit=1) == [both, referral]
    # No challenge heard yet: the referral items are still offered.
    assert suggest_content(programme, []) == [referral]
    assert suggest_content(None, ["security"]) == []


def test_referral_items_are_capped(programme, codes):
    for index in range(REFERRAL_LIMIT + 2):
        ContentItemFactory(programme=programme, title=f"紹介{index}", kind="referral")
    assert len(suggest_content(programme, ["security"])) == REFERRAL_LIMIT


def test_a_referral_that_matches_counts_once(programme, codes):
    centre = ContentItemFactory(programme=programme, kind="referral", challenges=[codes("challenge", "production")])
    assert suggest_content(programme, ["production"]) == [centre]


def test_usage_counts_counted_visits_their_outcomes_and_high_interest(programme, codes, django_assert_max_num_queries):
    item = ContentItemFactory(programme=programme, title="事例集")
    unused = ContentItemFactory(programme=programme, title="未使用")
    high, low = codes("interest_level", "high"), codes("interest_level", "low")
    mail, consult = codes("outcome", "mail_magazine"), codes("outcome", "foundation_consultation")
    for interest, outcomes in ((high, [mail, consult]), (low, [mail]), (high, [])):
        visit = counted_visit(programme, interest_level=interest)
        visit.contents_shown.add(item)
        visit.outcomes.set(outcomes)
    draft = counted_visit(programme, status="draft", interest_level=high)
    draft.contents_shown.add(item)
    draft.outcomes.set([consult])
    with django_assert_max_num_queries(3):
        rows = content_usage(ContentItem.objects.filter(programme=programme).order_by("title"))
    usage = {row.item.title: row for row in rows}
    assert usage["事例集"].visits == 3
    assert usage["事例集"].high_interest == 2
    assert usage["事例集"].high_share == pytest.approx(2 / 3)
    assert [(code, n) for code, _label, n in usage["事例集"].outcomes] == [
        ("foundation_consultation", 1),
        ("mail_magazine", 2),
    ]
    assert usage["未使用"].visits == 0
    assert usage["未使用"].high_share is None
    assert unused in [row.item for row in rows]


def test_content_for_narrows_to_the_users_programmes(programme, other_programme, make_user):
    mine = ContentItemFactory(programme=programme)
    ContentItemFactory(programme=other_programme)
    assert list(content_for(make_user("coordinator"))) == [mine]
    assert list(content_for(make_user("no_role"))) == []
    assert content_for(make_user("superuser")).count() == 2
