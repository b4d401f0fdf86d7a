"""The reference pages in Debian's Chromium at 390×844: no sideways scroll, inline HTMX editing.

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


def _reference():
    from kakehashi.reference.jiscode import municipality_code_with_check_digit
    from kakehashi.reference.loaders import load_codes

    from .factories import IndustryFactory, MunicipalityFactory, PrefectureFactory, RegionFactory

    load_codes()
    yamagata = PrefectureFactory()
    names = ["山形市", "米沢市", "鶴岡市", "酒田市", "新庄市", "寒河江市", "真室川町", "大蔵村"]
    municipalities = [
        MunicipalityFactory(
            prefecture=yamagata, code=municipality_code_with_check_digit(f"062{i:02d}"), name=name, kana="よみ"
        )
        for i, name in enumerate(names, start=1)
    ]
    RegionFactory(prefecture=yamagata, code="murayama", name="村山").municipalities.set(municipalities[:3])
    RegionFactory(prefecture=yamagata, code="mogami", name="最上").municipalities.set(municipalities[3:])
    manufacturing = IndustryFactory()
    IndustryFactory(
        code="31", level="middle", parent=manufacturing, name="輸送用機械器具製造業",
        name_en="Manufacture of transportation equipment",
    )  # fmt: skip


def test_reference_pages_fit_a_phone_and_edit_inline(browser, live_server, transactional_db, make_user):
    from playwright.sync_api import expect

    from kakehashi.reference.models import CodeItem
    from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, login, screenshot

    _reference()
    user = make_user("prefecture")
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    login(page, live_server, user.username, "pass-for-tests-123")

    for path, name in [
        ("/reference/", "reference-index"),
        ("/reference/municipalities/?prefecture=06", "reference-municipalities"),
        ("/reference/industries/", "reference-industries"),
        ("/reference/regions/06/mogami/edit/", "reference-region-edit"),
        ("/reference/codes/challenge/", "reference-codes-challenge"),
    ]:
        page.goto(live_server.url + path)
        assert_no_horizontal_scroll(page)
        screenshot(page, name)

    page.goto(live_server.url + "/reference/codes/employees/")
    row = page.locator("#code-0_5")
    row.get_by_role("link", name="編集").click()
    label = page.locator("#id_0_5_label_ja")
    expect(label).to_be_visible()
    assert page.url.endswith("/reference/codes/employees/")  # swapped in place, no navigation
    assert_no_horizontal_scroll(page)
    screenshot(page, "reference-codes-edit-row", full_page=False)
    label.fill("5人以下")
    page.locator("#code-0_5").get_by_role("button", name="保存").click()
    expect(page.locator("#code-0_5")).to_contain_text("5人以下")
    expect(page.locator("#id_0_5_label_ja")).to_have_count(0)
    assert CodeItem.objects.get(list="employees", code="0_5").label_ja == "5人以下"

    # Retire through the row button (confirm dialog accepted), then reactivate.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#code-6_20").get_by_role("button", name="廃止").click()
    expect(page.locator("#code-6_20").get_by_role("button", name="再開")).to_be_visible()
    assert CodeItem.objects.get(list="employees", code="6_20").active is False
    context.close()
