"""The registry screens in Debian's Chromium at 390×844: no sideways scroll, search-as-you-type, filters.

Marked `browser` (`-m "not browser"` leaves it out); skipped when /usr/bin/chromium is missing.
"""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# live_server runs in a thread while sync Playwright keeps an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    }


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_registry_fits_a_phone_and_searches_as_you_type(browser, live_server, transactional_db, make_user, programme):
    from playwright.sync_api import expect

    from kakehashi.companies.corporate_number import make_corporate_number
    from kakehashi.reference.loaders import load_codes
    from kakehashi.reference.models import CodeItem
    from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, login, screenshot

    from .factories import CompanyFactory, ContactFactory, IndustryFactory, MunicipalityFactory

    load_codes()
    city = MunicipalityFactory(code="062014", name="山形市", prefecture=programme.prefecture)
    industry = IndustryFactory(code="E", name="製造業")
    form = CodeItem.objects.get(list="business_form", code="manufacturing_own")
    long_name = "株式会社やまがたデジタルトランスフォーメーション推進ソリューションズホールディングス"
    company = CompanyFactory(
        name=long_name,
        name_kana="ヤマガタデジタルトランスフォーメーションスイシンソリューションズホールディングス",
        municipality=city,
        industry=industry,
        business_form=form,
        corporate_number=make_corporate_number("000012050002"),
        address="旅篭町二丁目3番25号 山形県庁舎内 長い住所のビル 12階 1201号室",
    )
    ContactFactory(company=company, name="山田 花子", email="hanako.yamada.with.a.long.address@example.jp")
    sato = CompanyFactory(name="佐藤商店", municipality=city)
    CompanyFactory(name="鈴木工業", municipality=city)
    twin = CompanyFactory(name="(有)佐藤商店", municipality=city)  # a probable duplicate for the review page
    user = make_user("manager")

    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    login(page, live_server, user.username, "pass-for-tests-123")

    page.goto(live_server.url + "/companies/")
    assert_no_horizontal_scroll(page)
    expect(page.locator("details.filter-panel")).not_to_have_attribute("open", "")
    screenshot(page, "companies-list-phone")

    page.locator("#id_q").press_sequentially("佐藤", delay=50)
    expect(page.locator("#company-results")).not_to_contain_text("鈴木工業")
    expect(page.locator("#company-results")).to_contain_text("佐藤商店")
    assert "q=" in page.url, "the search is kept in the address"
    assert_no_horizontal_scroll(page)

    page.locator("details.filter-panel summary").click()
    assert_no_horizontal_scroll(page)
    screenshot(page, "companies-list-filters-phone")

    for path, name in [
        (f"/companies/{company.pk}/", "companies-detail-phone"),
        (f"/companies/{company.pk}/edit/", "companies-edit-phone"),
        ("/companies/new/", "companies-create-phone"),
        ("/companies/duplicates/", "companies-duplicates-phone"),
        (f"/companies/{sato.pk}/merge/{twin.pk}/", "companies-merge-phone"),
    ]:
        page.goto(live_server.url + path)
        assert_no_horizontal_scroll(page)
        screenshot(page, name)

    page.goto(live_server.url + "/companies/new/")
    page.locator("#id_name").fill("佐藤商店")
    page.locator("#id_municipality").select_option(str(city.pk))
    page.get_by_role("button", name="登録").click()
    expect(page.locator("#probable-matches")).to_contain_text("佐藤商店")
    assert_no_horizontal_scroll(page)
    screenshot(page, "companies-create-matches-phone")
    page.get_by_role("button", name="別の企業として登録").click()
    expect(page.locator("h1")).to_have_text("佐藤商店")
    # No request may still be running when the live server stops.
    page.wait_for_load_state("networkidle")
    context.close()
