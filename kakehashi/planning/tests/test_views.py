import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kakehashi.planning import services
from kakehashi.planning.choices import PlanStatus
from kakehashi.planning.models import PlanVisit

from .fakes import fake_solve

TODAY = datetime.date(2026, 3, 20)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def approved(world):
    plan = services.plan_create(actor=world.manager, programme=world.programme, enqueue=False)
    services.plan_run(plan=plan, today=TODAY, solver=fake_solve)
    services.plan_submit(actor=world.manager, plan=plan)
    return services.plan_approve(actor=world.prefecture_user, plan=plan)


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_feed_lists_the_communicators_visits_in_tokyo_time(world, approved):
    profile = world.profiles[0]
    response = Client().get(reverse("planning:ics_feed", args=[profile.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = _unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    events = [line for line in lines if line.startswith("DTSTART;TZID=Asia/Tokyo:")]
    mine = PlanVisit.objects.filter(plan=approved, communicator=world.communicators[0], alternative_kind="")
    assert len(events) == mine.count() > 0
    first = mine.order_by("day", "order").first()
    assert f"DTSTART;TZID=Asia/Tokyo:{first.day:%Y%m%d}T{first.start_time:%H%M%S}" in lines
    assert any(line.startswith("SUMMARY:訪問: ") for line in lines)
    assert Client().get(reverse("planning:ics_feed", args=["wrong-token-" + "x" * 30])).status_code == 404


def test_excel_export_has_every_company_of_the_plan(world, approved):
    response = _client(world.prefecture_user).get(reverse("planning:plan_export", args=[approved.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("版", "状態", "担当コミュニケータ", "訪問日")
    assert len(rows) - 1 == approved.visits.count()


def test_manager_builds_and_prefecture_approves_through_the_screens(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "default_solver", lambda: fake_solve)
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)
    manager = _client(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(reverse("planning:plan_build"))
    plan = world.programme.plans.get()
    assert response.status_code == 302
    assert response.url == reverse("planning:plan_detail", args=[plan.pk])
    page = manager.get(response.url)
    assert "計画の品質" in page.content.decode()
    assert "単純な計画との比較" in page.content.decode()
    # Prefecture staff do not see drafts.
    pref = _client(world.prefecture_user)
    assert pref.get(response.url).status_code == 404
    manager.post(reverse("planning:plan_submit", args=[plan.pk]))
    assert pref.get(response.url).status_code == 200
    pref.post(reverse("planning:plan_decide", args=[plan.pk]), {"decision": "return", "comment": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # a return needs a reason
    pref.post(reverse("planning:plan_decide", args=[plan.pk]), {"decision": "approve", "comment": "OK"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_progress_partial_polls_while_running(world):
    plan = services.plan_create(actor=world.manager, programme=world.programme, enqueue=False)
    response = _client(world.manager).get(reverse("planning:plan_detail", args=[plan.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "<progress" in body
    assert "<html" not in body


def test_my_day_shows_the_ordered_day_with_a_map(world, approved):
    visit = (
        PlanVisit.objects.filter(plan=approved, communicator=world.communicators[0]).order_by("day", "order").first()
    )
    client = _client(world.communicators[0])
    body = client.get(reverse("planning:my_day"), {"date": visit.day.isoformat()}).content.decode()
    assert visit.company.name in body
    assert "<svg" in body
    assert "<polyline" in body
    assert world.profiles[0].feed_token in body  # the feed URL is shown to its owner only
    other = client.get(
        reverse("planning:my_day"), {"date": visit.day.isoformat(), "communicator": world.communicators[1].pk}
    )
    assert world.profiles[1].feed_token not in other.content.decode()
    # Another communicator cannot see this one's day.
    peer = _client(world.communicators[1]).get(reverse("planning:my_day"), {"date": visit.day.isoformat()})
    assert (
        visit.company.name not in peer.content.decode()
        or PlanVisit.objects.filter(plan=approved, communicator=world.communicators[1], company=visit.company).exists()
    )


def test_quota_screen_accepts_numbers_and_shares(world):
    client = _client(world.manager)
    assert client.get(reverse("planning:quotas")).status_code == 200
    rows = list(world.programme.stratum_quotas.filter(kind="business_form").order_by("key"))
    response = client.post(reverse("planning:quotas"), {f"quota-{rows[0].pk}": "60%", f"quota-{rows[1].pk}": "x"})
    assert response.status_code == 200
    assert "読み取れない" in response.content.decode()
    client.post(reverse("planning:quotas"), {f"quota-{rows[0].pk}": "60%"})
    rows[0].refresh_from_db()
    assert rows[0].quota == 6
    assert rows[0].edited


def test_hooks_feed_the_dashboard_and_the_field_home(world, approved):
    from kakehashi.insights.kpis import plan_quotas_for
    from kakehashi.outreach.selectors import planned_visits_for

    quotas = plan_quotas_for(world.programme)
    assert sum(quotas["business_form"].values()) == world.programme.target_count
    assert set(quotas["region"]) == {"murayama", "okitama"}
    first_day = PlanVisit.objects.filter(plan=approved).exclude(day=None).order_by("day").first().day
    planned = planned_visits_for(world.communicators[0], world.programme, today=first_day)
    assert planned
    assert all(v.communicator == world.communicators[0] and v.day >= first_day for v in planned)
    assert planned_visits_for(world.manager, world.programme, today=first_day) == []


def test_plan_visits_command_prints_the_quality_report_with_the_real_engine(world, capsys, monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)  # the programme is Apr–Jun 2026
    call_command("plan_visits", "--programme", world.programme.code, "--seconds", "2", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["designated_selected"] == report["designated_total"] == 3
    assert report["selected"] >= report["target"] == 10
    assert report["baseline"]["travel_km"] > 0
    plan = world.programme.plans.get()
    caps = {p.user_id: p.max_visits_per_day for p in world.profiles}
    from collections import Counter

    per_day = Counter(plan.visits.filter(alternative_kind="").values_list("communicator_id", "day"))
    assert all(n <= caps[c] for (c, _d), n in per_day.items())
    for visit in plan.visits.filter(alternative_kind=""):
        assert datetime.time(9) <= visit.start_time
        assert visit.end_time <= datetime.time(17)
