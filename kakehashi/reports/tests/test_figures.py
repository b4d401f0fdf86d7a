"""The report's figures for the hand-checked world of `insights/tests/conftest.py` (see its table)."""

import datetime

import pytest

from kakehashi.insights.kpis import compute_progress
from kakehashi.reports.figures import group_sum, planned_cumulative, report_figures
from kakehashi.reports.periods import parse_period

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _rows(rows):
    return [(r["code"], r["companies"], r["visits"]) for r in rows]


def test_whole_year_report_matches_the_dashboard(kpi_world):
    """Built after the last visit, the fiscal-year report shows exactly the dashboard's figures."""
    programme = kpi_world["programme"]
    dashboard = compute_progress(programme, today=TODAY)
    report = report_figures(programme, parse_period("2026"), today=TODAY)
    summary = report["summary"]
    assert summary["cumulative_companies"] == summary["companies"] == dashboard["headline"]["distinct_companies"] == 4
    assert summary["cumulative_visits"] == summary["visits"] == dashboard["headline"]["visits"] == 7
    assert (summary["designated_covered"], summary["designated_total"]) == (
        dashboard["designated"]["covered"],
        dashboard["designated"]["total"],
    )
    assert summary["progress_percent"] == dashboard["headline"]["progress_percent"] == 40.0
    for key in ("region", "industry", "business_form", "size"):
        assert _rows(report["breakdowns"][key]) == _rows(dashboard["breakdowns"][key]), key
    assert _rows(report["formats"]) == _rows(dashboard["formats"])
    assert [(r["name"], r["companies"], r["visits"]) for r in report["communicators"]] == [
        (r["name"], r["companies"], r["visits"]) for r in dashboard["communicators"]
    ]


def test_month_counts_only_its_visits_and_keeps_the_cumulative(kpi_world):
    programme = kpi_world["programme"]
    april = report_figures(programme, parse_period("2026-04"), today=TODAY)
    s = april["summary"]
    # April: c1 (04-06, 04-20), c2 (04-08), c3 (04-22); drafts/returned and the other programme never count.
    assert (s["companies"], s["visits"], s["new_companies"]) == (3, 4, 3)
    assert (s["cumulative_companies"], s["designated_covered"], s["designated_total"]) == (3, 2, 4)
    assert april["period"]["complete"] is True
    may = report_figures(programme, parse_period("2026-05"), today=TODAY)
    s = may["summary"]
    # May: c1 (05-04), c4 (05-06), c2 (05-12); only c4 is new. Cumulative = the dashboard's 4.
    assert (s["companies"], s["visits"], s["new_companies"], s["cumulative_companies"]) == (3, 3, 1, 4)
    assert may["period"]["complete"] is False  # built on 05-13, before the month ended
    region = {r["label"]: (r["companies"], r["cumulative_companies"]) for r in may["breakdowns"]["region"]}
    assert region == {"村山": (2, 2), "置賜": (0, 1), "未設定・その他": (1, 1)}
    for key in ("region", "industry", "business_form", "size"):
        assert group_sum(may["breakdowns"][key], "companies") == 3
        assert group_sum(may["breakdowns"][key], "cumulative_companies") == 4


def test_trend_and_plan(kpi_world):
    programme = kpi_world["programme"]
    year = report_figures(programme, parse_period("2026"), today=TODAY)
    rows = year["trend"]["rows"]
    assert year["trend"]["unit"] == "month"
    assert len(rows) == 12
    assert [(r["new_companies"], r["visits"], r["cumulative"]) for r in rows[:2]] == [(3, 4, 3), (1, 3, 4)]
    assert all(r["cumulative"] is None for r in rows[2:])  # June onwards lies after "today"
    assert rows[-1]["planned"] == programme.target_count
    month = report_figures(programme, parse_period("2026-05"), today=TODAY)
    weeks = month["trend"]["rows"]
    assert month["trend"]["unit"] == "week"
    assert weeks[0]["start"] == datetime.date(2026, 5, 1)
    assert weeks[-1]["end"] == datetime.date(2026, 5, 31)
    assert sum(w["visits"] or 0 for w in weeks) == 3


def test_planned_cumulative_spreads_the_target_over_the_programme(programme):
    programme.target_count = 365
    assert planned_cumulative(programme, datetime.date(2026, 3, 1)) == 0
    assert planned_cumulative(programme, datetime.date(2026, 4, 1)) == 1
    assert planned_cumulative(programme, datetime.date(2026, 4, 30)) == 30
    assert planned_cumulative(programme, datetime.date(2027, 3, 31)) == 365
    assert planned_cumulative(programme, datetime.date(2027, 6, 1)) == 365


def test_hearing_counts(kpi_world):
    from kakehashi.companies.tests.factories import CodeItemFactory
    from kakehashi.reference.choices import CodeList

    security = CodeItemFactory(list=CodeList.CHALLENGE, code="security", label_ja="情報セキュリティ", order=1)
    sales = CodeItemFactory(list=CodeList.CHALLENGE, code="sales_customer", label_ja="顧客対応・販売", order=0)
    CodeItemFactory(list=CodeList.CHALLENGE, code="iot_equipment", label_ja="IoT・設備データ", order=2)
    visits = kpi_world["programme"].visits.filter(status__in=["submitted", "accepted"]).order_by("visit_date")
    first, second = visits[0], visits[1]  # c1 04-06, c2 04-08
    first.challenges.set([security, sales])
    second.challenges.set([security])
    figures = report_figures(kpi_world["programme"], parse_period("2026-04"), today=TODAY)
    rows = {r["code"]: (r["visits"], r["companies"], r["share"]) for r in figures["hearing"]["challenge"]}
    assert rows == {"sales_customer": (1, 1, 25.0), "security": (2, 2, 50.0), "iot_equipment": (0, 0, 0.0)}
    assert [r["code"] for r in figures["hearing"]["challenge"]] == ["sales_customer", "security", "iot_equipment"]


def test_visit_list_has_no_contact_details(kpi_world):
    from kakehashi.companies.tests.factories import ContactFactory

    visit = kpi_world["programme"].visits.filter(status="submitted").first()
    visit.contact = ContactFactory(company=visit.company, name="秘密 花子", email="secret@example.jp", phone="090-1234")
    visit.summary = "面談相手の携帯 090-1234"
    visit.save()
    figures = report_figures(kpi_world["programme"], parse_period("2026"), today=TODAY)
    assert len(figures["visits"]) == 7
    assert [v["visit_date"] for v in figures["visits"]] == sorted(v["visit_date"] for v in figures["visits"])
    text = repr(figures)
    for secret in ("秘密", "secret@example.jp", "090-1234"):
        assert secret not in text
