"""The demo season of visits: believable, consistent, idempotent and deterministic."""

import datetime

import pytest

from kakehashi.outreach.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    """Demo users and programmes as seed_demo makes them, with 300 plain companies instead of 1,200."""
    from kakehashi.companies.models import Company
    from kakehashi.companies.tests.factories import MunicipalityFactory
    from kakehashi.demo.seed import seed_programmes, seed_users
    from kakehashi.outreach.models import DesignatedCompany
    from kakehashi.outreach.tests.factories import PrefectureFactory
    from kakehashi.reference.loaders import load_codes
    from kakehashi.reference.models import CodeItem

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_codes()
    PrefectureFactory(code="04", name="宮城県")
    yamagata = PrefectureFactory(code="06", name="山形県")
    towns = [MunicipalityFactory(prefecture=yamagata) for _i in range(5)]
    forms = list(CodeItem.objects.filter(list="business_form"))
    companies = Company.objects.bulk_create(
        Company(
            name=f"デモ商事{i}",
            name_key=f"デモ商事{i}",
            municipality=towns[i % len(towns)],
            business_form=forms[i % len(forms)],
        )
        for i in range(300)
    )
    today = datetime.date(2026, 7, 31)
    users = seed_users()
    programme = seed_programmes(users, today)
    DesignatedCompany.objects.bulk_create(DesignatedCompany(programme=programme, company=c) for c in companies[:20])
    return {"programme": programme, "users": users, "today": today}


def _seed(demo) -> int:
    from kakehashi.demo.visits import seed_visits

    return seed_visits(programme=demo["programme"], users=demo["users"], today=demo["today"])


def _fingerprint(programme) -> list[tuple]:
    return list(
        Visit.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("visit_date", "company_id", "status", "visit_format__code", "summary")
    )


def test_a_season_of_visits_with_mixed_formats_and_states(demo):
    created = _seed(demo)
    visits = Visit.objects.filter(programme=demo["programme"])
    assert created == visits.count() > 150
    statuses = {s: visits.filter(status=s).count() for s in ("draft", "submitted", "accepted", "returned")}
    assert statuses["returned"] == 1
    assert statuses["draft"] == 6
    assert statuses["submitted"] + statuses["accepted"] > 0.9 * created
    formats = set(visits.values_list("visit_format__code", flat=True))
    assert formats == {"visit", "online", "seminar"}
    assert visits.filter(visit_format__code="visit").count() > visits.count() * 0.6
    counted = visits.filter(status__in=["submitted", "accepted"])
    distinct = counted.values("company").distinct().count()
    assert 0.6 * counted.count() < distinct < counted.count()
    assert all(day.weekday() < 5 for day in visits.values_list("visit_date", flat=True))
    # Some designated companies are among those heard.
    assert counted.filter(company__designations__programme=demo["programme"]).exists()


def test_recorded_by_the_six_communicators_at_different_paces(demo):
    _seed(demo)
    visits = Visit.objects.filter(programme=demo["programme"])
    per_user = {
        name: visits.filter(communicators__username=name).count()
        for name in ("comm1", "comm2", "comm3", "comm4", "comm5", "comm6")
    }
    assert all(per_user[name] > 0 for name in ("comm1", "comm2", "comm3", "comm4", "comm5", "comm6"))
    assert per_user["comm1"] > per_user["comm5"]
    # comm6 joins in July.
    assert not visits.filter(communicators__username="comm6", visit_date__lt=datetime.date(2026, 7, 1)).exists()


def test_coded_fields_agree_with_the_summary(demo):
    from kakehashi.demo.visits import BARRIER_SENTENCES, CHALLENGE_SENTENCES

    _seed(demo)
    visits = Visit.objects.filter(programme=demo["programme"]).prefetch_related("challenges", "barriers", "outcomes")
    follow_ups = 0
    for visit in visits:
        assert visit.summary.endswith("。")
        challenges = [c.code for c in visit.challenges.all()]
        assert challenges
        if "前回" in visit.summary:
            follow_ups += 1
        else:
            # First visits name each challenge ticked with one of its sentences.
            for code in challenges:
                texts = [sentence.split("{")[0] for sentence, _tool in CHALLENGE_SENTENCES[code]]
                assert any(text in visit.summary for text in texts), (code, visit.summary)
        for barrier in visit.barriers.all():
            assert BARRIER_SENTENCES[barrier.code] in visit.summary
        outcomes = {o.code for o in visit.outcomes.all()}
        if visit.interest_level.code == "none":
            assert outcomes == {"none"}
        if visit.interest_level.code == "high":
            assert "none" not in outcomes
        assert visit.search_text
    assert follow_ups > 10


def test_idempotent_and_deterministic(demo):
    first = _seed(demo)
    fingerprint = _fingerprint(demo["programme"])
    assert _seed(demo) == 0
    assert Visit.objects.filter(programme=demo["programme"]).count() == first
    Visit.objects.filter(programme=demo["programme"]).delete()
    assert _seed(demo) == first
    assert _fingerprint(demo["programme"]) == fingerprint


def test_the_dashboard_tells_a_story(demo):
    from kakehashi.insights.kpis import compute_progress

    _seed(demo)
    figures = compute_progress(demo["programme"], today=demo["today"])
    assert figures["headline"]["distinct_companies"] > 100
    assert 0 < figures["designated"]["covered"] <= 20
    assert figures["burnup"]["current_pace_per_week"] > 5
    assert len([r for r in figures["communicators"] if r["visits"]]) == 6
