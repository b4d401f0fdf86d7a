"""The progress figures on the hand-built programme of conftest.py, worked out by hand."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kakehashi.insights.kpis import compute_progress, definitions, plan_quotas_for, progress_for

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def rows(figures, key=None):
    data = figures if key is None else figures[key]
    return [(r["code"], r["companies"], r["visits"]) for r in data]


@pytest.fixture
def figures(kpi_world):
    return compute_progress(kpi_world["programme"], today=TODAY)


def test_distinct_companies_count_each_company_once_whatever_the_format_or_repeats(figures):
    # c1 three times in three formats, c2 twice; c5 (draft), c6 (returned) and the other programme do not count.
    assert figures["headline"]["distinct_companies"] == 4
    assert figures["headline"]["visits"] == 7
    assert figures["headline"]["target"] == 10
    assert figures["headline"]["remaining"] == 6
    assert figures["headline"]["progress_percent"] == 40.0
    assert figures["headline"]["visits_this_week"] == 1


def test_visits_by_format(figures):
    assert rows(figures, "formats") == [("visit", 3, 4), ("seminar", 1, 1), ("online", 2, 2)]


def test_designated_coverage_counts_only_counted_visits(figures):
    # c1 and c3 heard; c5 has only a draft and c6 only a returned report.
    assert figures["designated"] == {"covered": 2, "total": 4, "percent": 50.0}


def test_breakdowns_use_company_attributes_and_list_unset_last(figures):
    breakdowns = figures["breakdowns"]
    assert rows(breakdowns, "region") == [("r1", 2, 5), ("r2", 1, 1), ("", 1, 1)]
    assert rows(breakdowns, "municipality") == [("062014", 2, 5), ("062022", 1, 1), ("", 1, 1)]
    assert rows(breakdowns, "industry") == [("D", 1, 2), ("E", 2, 4), ("", 1, 1)]
    assert rows(breakdowns, "business_form") == [("manufacturing_own", 2, 4), ("construction", 1, 2), ("", 1, 1)]
    assert rows(breakdowns, "size") == [("0_5", 2, 4), ("6_20", 1, 2), ("", 1, 1)]
    assert breakdowns["region"][0]["label"] == "村山"
    assert breakdowns["region"][-1]["label"] == "未設定・その他"


def test_breakdown_companies_add_up_to_the_distinct_total(figures):
    for name, data in figures["breakdowns"].items():
        assert sum(r["companies"] for r in data) == figures["headline"]["distinct_companies"], name


def test_per_communicator(figures):
    assert [(r["username"], r["companies"], r["visits"], r["visits_this_week"]) for r in figures["communicators"]] == [
        ("u1", 2, 5, 1),
        ("u2", 3, 3, 0),
    ]
    assert figures["communicators"][0]["name"] == "担当 一郎"


def test_communicator_without_visits_is_listed_with_zeros(kpi_world, make_user):
    make_user("communicator", username="u9")
    figures = compute_progress(kpi_world["programme"], today=TODAY)
    assert ("u9", 0, 0, 0) in [
        (r["username"], r["companies"], r["visits"], r["visits_this_week"]) for r in figures["communicators"]
    ]


def test_burnup_counts_companies_in_the_week_of_their_first_hearing(figures):
    weeks = figures["burnup"]["weeks"]
    assert weeks[0]["week_start"] == datetime.date(2026, 3, 30)
    assert weeks[0]["iso_week"] == 14
    assert weeks[-1]["week_start"] == datetime.date(2027, 3, 29)
    assert len(weeks) == 53
    assert [w["new_companies"] for w in weeks[:8]] == [0, 2, 0, 1, 0, 1, 0, None]
    assert [w["cumulative"] for w in weeks[:8]] == [0, 2, 2, 3, 3, 4, 4, None]


def test_pace_required_pace_and_forecast_arithmetic(figures):
    burnup = figures["burnup"]
    # Completed weeks before the week of 5/11; the last four had 0, 1, 0, 1 new companies.
    assert burnup["pace_weeks_used"] == 4
    assert burnup["current_pace_per_week"] == 0.5
    # 6 companies left over 323 days (5/13 to 3/31 inclusive): 6 / 323 × 7.
    assert burnup["days_left"] == 323
    assert burnup["required_pace_per_week"] == round(6 / 323 * 7, 2)
    # 6 left at 0.5 a week: 84 days after 5/13.
    assert burnup["forecast_date"] == datetime.date(2026, 8, 5)
    assert burnup["forecast_within_period"] is True
    assert burnup["reached_target"] is False


def test_projection_lines_start_at_the_current_week(figures):
    weeks = {w["week_start"]: w for w in figures["burnup"]["weeks"]}
    current = weeks[datetime.date(2026, 5, 11)]
    assert current["required_line"] == 4
    assert current["forecast_line"] == 4
    assert weeks[datetime.date(2026, 5, 25)]["forecast_line"] == 5.0
    assert weeks[datetime.date(2027, 3, 29)]["required_line"] == 10
    assert weeks[datetime.date(2026, 5, 4)]["required_line"] is None


def test_target_reached(kpi_world):
    programme = kpi_world["programme"]
    programme.target_count = 3
    programme.save()
    burnup = compute_progress(programme, today=TODAY)["burnup"]
    assert burnup["reached_target"] is True
    assert burnup["remaining"] == 0
    assert burnup["required_pace_per_week"] == 0
    assert burnup["forecast_date"] is None


def test_no_forecast_before_a_week_is_complete(kpi_world):
    figures = compute_progress(kpi_world["programme"], today=datetime.date(2026, 4, 3))
    assert figures["burnup"]["current_pace_per_week"] is None
    assert figures["burnup"]["forecast_date"] is None


def test_short_history_uses_all_completed_weeks(kpi_world):
    # On 4/22 the completed weeks are 3/30 (0) and 4/6 (2), 4/13 (0): three weeks, average 2/3.
    burnup = compute_progress(kpi_world["programme"], today=datetime.date(2026, 4, 22))["burnup"]
    assert burnup["pace_weeks_used"] == 3
    assert burnup["current_pace_per_week"] == round(2 / 3, 2)


def test_after_the_programme_ended_there_is_no_required_pace(kpi_world):
    burnup = compute_progress(kpi_world["programme"], today=datetime.date(2027, 4, 10))["burnup"]
    assert burnup["required_pace_per_week"] is None
    assert burnup["days_left"] == 0
    assert burnup["weeks"][-1]["cumulative"] == 4
    # The last four weeks of the programme had no new companies: no forecast.
    assert burnup["current_pace_per_week"] == 0
    assert burnup["forecast_date"] is None


def test_no_plan_no_quotas(figures, kpi_world):
    assert plan_quotas_for(kpi_world["programme"]) is None
    assert figures["has_quotas"] is False
    assert all(r["quota"] is None for r in figures["breakdowns"]["region"])


def test_quotas_are_shown_when_a_plan_exists(kpi_world, monkeypatch):
    monkeypatch.setattr("kakehashi.insights.kpis.plan_quotas_for", lambda programme: {"region": {"r1": 7}})
    figures = compute_progress(kpi_world["programme"], today=TODAY)
    assert figures["has_quotas"] is True
    assert [r["quota"] for r in figures["breakdowns"]["region"]] == [7, None, None]


def test_every_figure_has_a_definition():
    texts = definitions()
    for key in (
        "distinct_companies",
        "visits",
        "formats",
        "designated",
        "region",
        "municipality",
        "industry",
        "business_form",
        "size",
        "communicators",
        "burnup",
        "required_pace",
        "current_pace",
        "forecast",
    ):
        assert texts[key], key
    assert "{" not in texts["current_pace"]


def test_figures_are_computed_with_a_bounded_number_of_queries(kpi_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        compute_progress(kpi_world["programme"], today=TODAY)


def test_query_count_does_not_grow_with_the_data(kpi_world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        compute_progress(kpi_world["programme"], today=TODAY)
    c1, c2, c3 = kpi_world["companies"][:3]
    u1 = kpi_world["users"]["u1"]
    for day in range(1, 20):
        kpi_world["visit"]((c1, c2, c3)[day % 3], f"2026-04-{day + 10:02d}", "visit", [u1])
    with django_assert_num_queries(len(before.captured_queries)):
        compute_progress(kpi_world["programme"], today=TODAY)


def test_cache_key_changes_when_a_visit_is_submitted(kpi_world, settings):
    from django.core.cache import cache

    settings.KAKEHASHI_PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    programme = kpi_world["programme"]
    assert progress_for(programme, today=TODAY)["headline"]["distinct_companies"] == 4
    draft = kpi_world["companies"][4].visits.get(status="draft")
    draft.status = "submitted"
    draft.save()
    assert progress_for(programme, today=TODAY)["headline"]["distinct_companies"] == 5
    cache.clear()


# --- properties on random visit sets ----------------------------------------------------------

visit_specs = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),  # company
        st.integers(min_value=0, max_value=60),  # days after 4/1
        st.sampled_from(["draft", "submitted", "accepted", "returned"]),
        st.sampled_from(["visit", "seminar", "online"]),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=visit_specs)
def test_distinct_counts_match_a_set_of_counted_companies(kpi_world, specs):
    from kakehashi.outreach.models import Visit

    programme = kpi_world["programme"]
    Visit.objects.filter(programme=programme).delete()
    companies = kpi_world["companies"]
    u1 = kpi_world["users"]["u1"]
    for company_index, offset, status, fmt in specs:
        day = datetime.date(2026, 4, 1) + datetime.timedelta(days=offset)
        kpi_world["visit"](companies[company_index], day.isoformat(), fmt, [u1], status=status)
    counted = [(c, o) for c, o, status, _f in specs if status in ("submitted", "accepted")]
    figures = compute_progress(programme, today=datetime.date(2026, 6, 10))

    assert figures["headline"]["distinct_companies"] == len({c for c, _o in counted})
    assert figures["headline"]["visits"] == len(counted)
    elapsed = [w for w in figures["burnup"]["weeks"] if w["cumulative"] is not None]
    assert elapsed[-1]["cumulative"] == len({c for c, _o in counted})
    assert sum(r["companies"] for r in figures["breakdowns"]["region"]) == len({c for c, _o in counted})
    assert sum(r["visits"] for r in figures["formats"]) == len(counted)
    assert sum(r["companies"] for r in figures["formats"]) >= len({c for c, _o in counted})
