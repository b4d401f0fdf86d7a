"""Periodic reports on a phone and a desktop: ask for one, see it finish, download it, no sideways scroll."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def heard(demo_accounts):
    from kakehashi.companies.tests.factories import CodeItemFactory, CompanyFactory, MunicipalityFactory
    from kakehashi.outreach.models import Visit

    programme = demo_accounts.programme
    today = timezone.localdate()
    programme.start_date = min(programme.start_date, today - datetime.timedelta(days=70))
    programme.save()
    visit_format = CodeItemFactory(list="visit_format", code="visit", label_ja="訪問")
    town = MunicipalityFactory(prefecture=programme.prefecture, name="山形市")
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    for i in range(6):
        company = CompanyFactory(name=f"株式会社報告テスト{i}", municipality=town, search_index=False)
        Visit.objects.create(
            programme=programme,
            company=company,
            status="accepted",
            visit_date=last_month_end - datetime.timedelta(days=3 * i),
            visit_format=visit_format,
            recorded_by=demo_accounts.users["comm1"],
        )
    return programme


def test_prefecture_builds_and_downloads_a_report(browser_page, live_server, heard, settings):
    settings.KAKEHASHI_MFA_REQUIRED_ROLES = []  # MFA has its own tests; these accounts have no device
    page = browser_page(PHONE)
    login(page, live_server, "pref", DEMO_PASSWORD)
    page.goto("/reports/")
    expect(page.get_by_role("heading", name="報告を作成する")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="作成する").click()  # last complete month, Excel and PDF (tasks run inline)
    expect(page.get_by_text("報告の作成を始めました")).to_be_visible()
    expect(page.locator(".report-item")).to_have_count(2)
    expect(page.get_by_role("link", name="ダウンロード").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "reports-list-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="ダウンロード").first.click()
    assert download.value.suggested_filename.startswith("kakehashi-report-")
    page.locator(".report-item__title").first.click()
    expect(page.get_by_role("heading", name="主な数値")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "reports-detail-phone")

    desktop = browser_page(DESKTOP)
    login(desktop, live_server, "manager", DEMO_PASSWORD)
    desktop.goto("/reports/")
    expect(desktop.locator(".report-item")).to_have_count(2)
    screenshot(desktop, "reports-list-desktop")
