"""Each demo role signs in through the login form and lands on a home page that fits a phone."""

import pytest
from playwright.sync_api import expect

from kakehashi.accounts.choices import STAFF_ROLES, Role
from kakehashi.demo.users import DEMO_PASSWORD, DEMO_USERS
from tests.browser.helpers import (
    DESKTOP,
    LOGIN_PATH,
    PHONE,
    assert_no_horizontal_scroll,
    login,
    screenshot,
    submit_login,
)

pytestmark = pytest.mark.browser

# The first demo account holding each role: pref, manager, comm1, coord1, partner, company, itco.
ROLE_ACCOUNTS = {}
for _username, _name, _org, _roles in DEMO_USERS:
    for _role in _roles:
        ROLE_ACCOUNTS.setdefault(Role(_role), _username)


def test_every_role_has_a_demo_account():
    assert set(ROLE_ACCOUNTS) == set(Role)


@pytest.mark.parametrize(("role", "username"), ROLE_ACCOUNTS.items(), ids=[r.value for r in ROLE_ACCOUNTS])
def test_home_shows_name_and_programme(role, username, demo_accounts, browser_page, live_server):
    user = demo_accounts.users[username]
    page = browser_page(PHONE)

    login(page, live_server, username, DEMO_PASSWORD)

    assert page.url == live_server.url + "/"
    expect(page.locator("h1")).to_contain_text(user.display_name)
    if role in STAFF_ROLES:
        expect(page.locator("#programme-heading")).to_have_text(demo_accounts.programme.name)
        expect(page.locator(".attributes .badge").first).to_have_text(str(role.label))
    else:
        # Company accounts belong to no programme; they get the welcome card for company features.
        expect(page.get_by_role("heading", name="ようこそ")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, f"home-{role.value}-phone")

    page.set_viewport_size(DESKTOP)
    expect(page.locator("h1")).to_contain_text(user.display_name)
    screenshot(page, f"home-{role.value}-desktop")


def test_wrong_password_shows_japanese_error(demo_accounts, browser_page, live_server):
    page = browser_page(PHONE)

    submit_login(page, live_server, "manager", "not-the-password")

    assert page.url.startswith(live_server.url + LOGIN_PATH)
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("パスワードを入力してください")
    expect(alert).not_to_contain_text("Please enter")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    assert_no_horizontal_scroll(page)
    screenshot(page, "login-wrong-password-phone")
