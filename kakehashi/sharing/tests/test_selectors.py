import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.sharing import priority, selectors, services

from .factories import member, referral_for_visit, shared_visit

pytestmark = pytest.mark.django_db


def _counts(funnel) -> list[int]:
    return [stage["count"] for stage in funnel]


def test_funnel_counts_distinct_companies_per_stage(programme, coordinator):
    today = timezone.localdate()
    # introduced only (twice to the same company: counted once)
    a = shared_visit(programme, introductions=["foundation_consultation"])
    shared_visit(programme, company=a.company, introductions=["technology_centre"])
    # agreed at the visit
    shared_visit(programme, introductions=["foundation_consultation"], outcomes=["coordinator_support"])
    # referred, then consultation and support
    c = shared_visit(programme, introductions=["foundation_consultation"])
    referral = referral_for_visit(c, referred_on=today - datetime.timedelta(days=3))
    services.referral_transition(actor=coordinator, referral=referral, to_status="consulting")
    d = shared_visit(programme)
    referral_d = referral_for_visit(d)
    services.referral_transition(actor=coordinator, referral=referral_d, to_status="supporting")
    # nothing to do with the funnel; a draft; another programme
    shared_visit(programme, introductions=["mail_magazine"])
    shared_visit(programme, status="draft", introductions=["foundation_consultation"])

    funnel = selectors.referral_funnel(programme=programme)

    assert [s["key"] for s in funnel] == ["introduced", "solicited", "consultation", "support"]
    assert _counts(funnel) == [4, 3, 2, 1]
    assert all(isinstance(s["label"], str) and s["label"] for s in funnel)


def test_funnel_period(programme, coordinator):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=100)
    shared_visit(programme, visit_date=old, introductions=["foundation_consultation"])
    shared_visit(programme, visit_date=today, introductions=["foundation_consultation"])

    assert _counts(selectors.referral_funnel(programme=programme, start=today - datetime.timedelta(days=30)))[0] == 1
    assert _counts(selectors.referral_funnel(programme=programme, end=old))[0] == 1
    assert _counts(selectors.referral_funnel(programme=programme))[0] == 2


def test_referrals_in_period(programme):
    today = timezone.localdate()
    first = referral_for_visit(shared_visit(programme), referred_on=today - datetime.timedelta(days=40))
    second = referral_for_visit(shared_visit(programme), referred_on=today)

    assert list(
        selectors.referrals_in_period(programme=programme, start=today - datetime.timedelta(days=7), end=today)
    ) == [second]
    assert set(selectors.referrals_in_period(programme=programme, start=None, end=None)) == {first, second}


def test_funnel_query_count(programme, django_assert_max_num_queries):
    for _ in range(5):
        shared_visit(programme, introductions=["foundation_consultation"])
    with django_assert_max_num_queries(1):
        selectors.referral_funnel(programme=programme)


def test_waiting_list(programme, coordinator):
    visit = shared_visit(programme)
    waiting = services.advice_thread_open(
        actor=coordinator, programme=programme, company=visit.company, subject="a", body="b"
    )
    answered = services.advice_thread_open(
        actor=coordinator, programme=programme, company=visit.company, subject="c", body="d"
    )
    services.advice_reply(actor=member(programme, "manager"), thread=answered, body="回答")

    assert list(selectors.advice_waiting_for(coordinator, programme=programme)) == [waiting]


# --- Priority score -----------------------------------------------------------------------------------------------


def test_score_reasons_are_plain_japanese_with_points(programme):
    from kakehashi.outreach.services import designation_add

    visit = shared_visit(
        programme,
        interest="high",
        stage="1",
        outcomes=["coordinator_support"],
        challenges=["security", "production"],
        barriers=["budget"],
    )
    designation_add(actor=member(programme, "prefecture"), programme=programme, company=visit.company)

    [scored] = priority.rank(programme, services.default_weights(), today=timezone.localdate())

    labels = [r["label"] for r in scored.reasons]
    assert labels == [
        "伴走支援を希望（+25）",
        "関心度が高い（+20）",
        "指定企業（+10）",
        "30日以内に訪問（+10）",
        "デジタル化の段階1（+10）",
        "課題カテゴリ 2件（+6）",
        "取組の障壁 1件（+4）",
    ]
    assert scored.score == 85


def test_score_ranks_and_skips_unshared(programme, coordinator):
    today = timezone.localdate()
    hot = shared_visit(programme, interest="high", outcomes=["foundation_consultation"])
    warm = shared_visit(programme, interest="medium", visit_date=today - datetime.timedelta(days=60))
    shared_visit(programme, interest="high", consent=False)
    supported = shared_visit(programme, interest="high", outcomes=["foundation_consultation"])
    referral = referral_for_visit(supported)
    services.referral_transition(actor=coordinator, referral=referral, to_status="supporting")

    ranked = priority.rank(programme, services.default_weights(), today=today)

    # hot 45 (20+15+10), supported 15 (the same minus 30 for being in support), warm 13 (8+5)
    assert [(s.company_id, s.score) for s in ranked] == [
        (hot.company_id, 45),
        (supported.company_id, 15),
        (warm.company_id, 13),
    ]
    assert "既に機構で相談・支援中（−30）" in [r["label"] for r in ranked[1].reasons]


def test_gather_uses_a_fixed_number_of_queries(programme, django_assert_max_num_queries):
    for _ in range(30):
        shared_visit(programme, interest="high", challenges=["security"], barriers=["budget"], outcomes=["seminar"])
    with django_assert_max_num_queries(6):
        heard = priority.gather(programme)
    assert len(heard) == 30


@settings(max_examples=60, deadline=None)
@given(
    interest=st.sampled_from([None, "high", "medium", "low"]),
    stage=st.sampled_from([None, "1", "2", "3", "4"]),
    challenges=st.sets(st.sampled_from([f"c{i}" for i in range(13)])),
    barriers=st.sets(st.sampled_from([f"b{i}" for i in range(9)])),
    designated=st.booleans(),
    age=st.integers(min_value=0, max_value=400),
)
def test_score_is_the_sum_of_its_reasons(interest, stage, challenges, barriers, designated, age):
    today = datetime.date(2026, 11, 1)
    heard = priority.Heard(
        company_id=1,
        last_visit=today - datetime.timedelta(days=age),
        interest=interest,
        stage=stage,
        challenges=challenges,
        barriers=barriers,
        designated=designated,
    )
    weights = services.default_weights()
    scored = priority.score(heard, weights, today=today)
    assert scored.score == sum(r["points"] for r in scored.reasons)
    assert all(r["points"] != 0 and r["label"].endswith("）") for r in scored.reasons)
    # More challenges never lower the score.
    more = priority.score(
        priority.Heard(**{**heard.__dict__, "challenges": challenges | {"extra"}}), weights, today=today
    )
    assert more.score >= scored.score
