"""The demo sharing step: referrals in every state, threads, weights, a list; coordinators see only consent."""

import pytest

from kakehashi.sharing.models import AdviceThread, PriorityDecision, Referral

from .test_visits import _seed, demo  # noqa: F401 — the demo world fixture

pytestmark = pytest.mark.django_db


def test_demo_sharing_covers_every_state_and_is_idempotent(demo):  # noqa: F811
    from kakehashi.companies.selectors import companies_for
    from kakehashi.demo.sharing import seed_sharing
    from kakehashi.sharing.selectors import referral_funnel

    _seed(demo)
    result = seed_sharing(programme=demo["programme"], users=demo["users"], today=demo["today"])

    referrals = Referral.objects.filter(programme=demo["programme"])
    assert result["referrals"] == referrals.count() > 10
    assert set(referrals.values_list("status", flat=True)) == {
        "referred",
        "contacted",
        "consulting",
        "supporting",
        "completed",
        "declined",
    }
    assert AdviceThread.objects.filter(programme=demo["programme"]).count() == result["threads"] > 0
    assert PriorityDecision.objects.exists()
    counts = [s["count"] for s in referral_funnel(programme=demo["programme"])]
    assert counts == sorted(counts, reverse=True)
    assert counts[-1] > 0

    visible = set(companies_for(demo["users"]["coord1"]).values_list("pk", flat=True))
    shared = set(
        demo["programme"]
        .visits.filter(consent_share_foundation=True, status__in=("submitted", "accepted"))
        .values_list("company_id", flat=True)
    )
    assert visible == shared | set(referrals.values_list("company_id", flat=True))
    assert seed_sharing(programme=demo["programme"], users=demo["users"], today=demo["today"]) == {"referrals": 0}
