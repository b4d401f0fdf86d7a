"""The progress dashboard on a phone: figures, charts drawn from the tables' data, no sideways scroll."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def heard(demo_accounts):
    """Twelve companies heard by comm1 and comm2 over the last weeks (one of them twice)."""
    from kakehashi.companies.tests.factories import CodeItemFactory, CompanyFactory, MunicipalityFactory
    from kakehashi.outreach.models import Visit

    programme = demo_accounts.programme
    today = timezone.localdate()
    programme.start_date = min(programme.start_date, today - datetime.timedelta(days=60))
    programme.save()
    visit_format = CodeItemFactory(list="visit_format", code="visit", label_ja="訪問")
    town = MunicipalityFactory(prefecture=programme.prefecture, name="山形市")
    users = [demo_accounts.users["comm1"], demo_accounts.users["comm2"]]
    for i in range(12):
        company = CompanyFactory(name=f"株式会社ダッシュボード{i}", municipality=town, search_index=False)
        for repeat in range(2 if i == 0 else 1):
            visit = Visit.objects.create(
                programme=programme,
                company=company,
                status="accepted",
                visit_date=today - datetime.timedelta(days=4 * i + 7 * repeat + 1),
                visit_format=visit_format,
                recorded_by=users[i % 2],
            )
            visit.communicators.set([users[i % 2]])
    return programme


def test_dashboard_on_a_phone(heard, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "manager", DEMO_PASSWORD)

    page.get_by_role("navigation").get_by_role("link", name="進捗", exact=True).click()

    expect(page.locator("h1")).to_have_text("進捗ダッシュボード")
    expect(page.locator("#heading-companies + .stat__value")).to_contain_text("12")
    # Every chart is drawn by Chart.js from its JSON, and hidden from assistive technology.
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() == 8
    assert page.evaluate("[...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))")
    assert page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.closest('[aria-hidden=true]'))"
    )
    assert page.locator("p.definition").count() == 14
    assert_no_horizontal_scroll(page)
    for summary in page.locator("details.table-details > summary").all():
        summary.click()
    assert_no_horizontal_scroll(page)
    screenshot(page, "insights-dashboard-phone")

    page.set_viewport_size(DESKTOP)
    assert_no_horizontal_scroll(page)
    screenshot(page, "insights-dashboard-desktop", full_page=False)


def test_coordinator_has_no_progress_link(demo_accounts, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "coord1", DEMO_PASSWORD)
    expect(page.get_by_role("link", name="進捗", exact=True)).to_have_count(0)
    response = page.goto(live_server.url + "/insights/")
    assert response.status == 403
