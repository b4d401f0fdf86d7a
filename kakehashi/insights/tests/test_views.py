"""The dashboard page: who sees it, what it shows, and how many queries it takes."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.insights.kpis import compute_progress

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_manager_sees_the_figures_with_their_definitions(kpi_world):
    response = client_as(kpi_world["users"]["manager"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ヒアリング済み企業数" in html
    assert re.search(r'class="stat__value">4 <span class="small">/ 10', html)
    assert re.search(r'class="stat__value">2 <span class="small">/ 4', html)  # designated covered
    # A 「定義」 line under every figure and chart.
    assert html.count("定義：</strong>") == 12
    assert html.count('<p class="definition">') == 14  # with the two pace definitions


def test_charts_are_decorative_and_every_chart_has_a_table(kpi_world):
    html = client_as(kpi_world["users"]["manager"]).get(URL).content.decode()
    charts = re.findall(r'<div class="chart[^"]*" aria-hidden="true"><canvas data-chart="(chart-[a-z_]+)">', html)
    assert set(charts) == {
        "chart-burnup",
        "chart-formats",
        "chart-communicators",
        "chart-region",
        "chart-municipality",
        "chart-industry",
        "chart-business_form",
        "chart-size",
    }
    for chart in charts:
        assert f'<script id="{chart}" type="application/json">' in html
    assert html.count('<table class="kpi-table">') == len(charts)
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "js/charts.js" in html


def test_communicator_reads_the_dashboard(kpi_world):
    response = client_as(kpi_world["users"]["u1"]).get(URL)
    assert response.status_code == 200
    assert "担当 二郎" in response.content.decode()


def test_quota_column_only_when_a_plan_exists(kpi_world, monkeypatch):
    client = client_as(kpi_world["users"]["manager"])
    assert "計画の割当" not in client.get(URL).content.decode()
    monkeypatch.setattr("kakehashi.insights.kpis.plan_quotas_for", lambda programme: {"region": {"r1": 7}})
    assert "計画の割当" in client.get(URL).content.decode()


def test_page_figures_are_the_computed_figures(kpi_world):
    response = client_as(kpi_world["users"]["manager"]).get(URL)
    shown = response.context["progress"]
    expected = compute_progress(kpi_world["programme"], today=shown["as_of"])
    shown = {k: v for k, v in shown.items() if k != "computed_at"}
    assert shown == {k: v for k, v in expected.items() if k != "computed_at"}


@pytest.mark.parametrize("actor", ["coordinator", "partner", "company_member", "it_company_member", "no_role"])
def test_other_roles_are_refused(actor, client_for, programme):
    assert client_for(actor).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_prefecture_user_without_a_programme_sees_an_empty_state(make_user):
    user = make_user("prefecture", member=False)
    response = client_as(user).get(URL)
    assert response.status_code == 200
    assert "対象の事業がありません" in response.content.decode()


def test_member_in_another_role_of_the_current_programme_is_refused(kpi_world, make_user):
    from kakehashi.outreach.models import ProgrammeMembership

    # Holds the manager role somewhere, but is only a coordinator in this programme.
    user = make_user("manager", member=False)
    ProgrammeMembership.objects.create(programme=kpi_world["programme"], user=user, role="coordinator")
    assert client_as(user).get(URL).status_code == 403


def test_navigation_shows_progress_to_the_roles_that_may_read_it(kpi_world, make_user):
    assert ">進捗</a>" in client_as(kpi_world["users"]["manager"]).get("/").content.decode()
    assert ">進捗</a>" not in client_as(make_user("coordinator")).get("/").content.decode()


def test_dashboard_queries_are_bounded(kpi_world, django_assert_max_num_queries):
    # The figures plus the panels of plans, referrals, events, portal and community (each a few queries).
    client = client_as(kpi_world["users"]["manager"])
    with django_assert_max_num_queries(45):
        assert client.get(URL).status_code == 200


def test_cached_dashboard_is_cheap_stated_and_moves_when_a_visit_is_submitted(kpi_world, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.KAKEHASHI_PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    client = client_as(kpi_world["users"]["manager"])
    with CaptureQueriesContext(connection) as first:
        html = client.get(URL).content.decode()
    assert "最長60秒間" in html
    with CaptureQueriesContext(connection) as second:
        assert client.get(URL).status_code == 200
    # The cached request reads no visit at all: one primary-key lookup of the version instead.
    assert any("outreach_visit" in q["sql"] for q in first.captured_queries)
    assert not any("outreach_visit" in q["sql"] for q in second.captured_queries)
    assert len(second.captured_queries) < len(first.captured_queries)
    draft = kpi_world["companies"][4].visits.get(status="draft")
    draft.status = "submitted"
    draft.save()
    assert re.search(r'class="stat__value">5 <span class="small">/ 10', client.get(URL).content.decode())
    cache.clear()


def test_bench_page_is_for_programme_staff(client_for):
    assert client_for("coordinator").get(reverse("insights:bench_trivial")).status_code == 200
    assert client_for("company_member").get(reverse("insights:bench_trivial")).status_code == 403


def test_registered_panels_render_below_the_figures(kpi_world, monkeypatch):
    from kakehashi.insights import panels

    monkeypatch.setattr(panels, "_PANELS", {})
    panels.register_panel("late", lambda request, programme: "<section>panel-late</section>", order=20)
    panels.register_panel("early", lambda request, prog: f"<section>panel-early {prog.code}</section>", order=10)
    panels.register_panel("hidden", lambda request, programme: None, order=5)
    html = client_as(kpi_world["users"]["manager"]).get(URL).content.decode()
    assert html.index(f"panel-early {kpi_world['programme'].code}") < html.index("panel-late")
