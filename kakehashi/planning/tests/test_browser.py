"""The plan's whole path in Chromium at 390×844: the manager builds and submits, the prefecture approves,
the communicator opens the ordered day with its map. Marked `browser`; skipped without /usr/bin/chromium."""

import datetime

import pytest

from tests.browser.plugin import _fast_password_hashing, browser_page, browser_type_launch_args  # noqa: F401

pytestmark = pytest.mark.browser
PASSWORD = "pass-for-tests-123"  # UserFactory's
TODAY = datetime.date(2026, 3, 20)


def test_manager_prefecture_communicator_flow(browser_page, live_server, transactional_db, programme, monkeypatch):  # noqa: F811
    from playwright.sync_api import expect

    from kakehashi.planning import services
    from kakehashi.planning.models import PlanVisit
    from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

    from .factories import make_world
    from .fakes import fake_solve

    world = make_world(programme)
    monkeypatch.setattr(services, "default_solver", lambda: fake_solve)
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)

    page = browser_page(PHONE)
    login(page, live_server, world.manager.username, PASSWORD)
    page.goto(live_server.url + "/planning/")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="新しい版を作成する").click()
    expect(page.get_by_role("heading", name="計画の品質")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "planning-plan-manager-phone")
    page.get_by_role("button", name="承認を申請する").click()
    expect(page.locator(".messages")).to_contain_text("申請しました")
    plan_url = page.url

    pref = browser_page(PHONE)
    login(pref, live_server, world.prefecture_user.username, PASSWORD)
    pref.goto(plan_url)
    pref.get_by_label("コメント").fill("承認します。")
    pref.get_by_role("button", name="承認する").click()
    expect(pref.locator(".messages")).to_contain_text("承認しました")
    pref.set_viewport_size(DESKTOP)
    screenshot(pref, "planning-plan-approved-desktop")

    first = PlanVisit.objects.filter(communicator=world.communicators[0]).order_by("day", "order").first()
    comm = browser_page(PHONE)
    login(comm, live_server, world.communicators[0].username, PASSWORD)
    comm.goto(f"{live_server.url}/planning/day/?date={first.day:%Y-%m-%d}")
    expect(comm.locator(".day-visit").first).to_contain_text(first.company.name)
    expect(comm.locator("svg .route-map__stop").first).to_be_visible()
    expect(comm.get_by_role("link", name="この訪問を記録する").first).to_be_visible()
    assert_no_horizontal_scroll(comm)
    screenshot(comm, "planning-my-day-phone")
