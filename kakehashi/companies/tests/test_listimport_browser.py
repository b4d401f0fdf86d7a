"""The import screens in Debian's Chromium at 390×844: upload, choose a candidate (HTMX), commit.

Marked `browser` (`-m "not browser"` leaves it out); skipped when /usr/bin/chromium is missing.
"""

import os
from pathlib import Path

import pytest

from .listimport_support import csv_bytes, make_reference, registry_company

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# live_server runs in a thread while sync Playwright keeps an event loop in the test thread (as tests/browser/).
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
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_import_flow_fits_a_phone(browser, live_server, transactional_db, make_user, programme, tmp_path):
    from playwright.sync_api import expect

    from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, login, screenshot

    ref = make_reference()
    registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    user = make_user("prefecture")
    path = tmp_path / "指定訪問先リスト.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["法人番号", "会社名", "住所", "従業員数", "指定日"],
                [
                    "",
                    "株式会社山形精密工業所グループホールディングス",
                    "山形県山形市十日町一丁目1番1号 山形駅前ビル8階",
                    "25",
                    "R6.4.1",
                ],
                ["", "庄内商店", "", "", ""],
                ["123", "番号違い", "", "", ""],
            ],
            encoding="cp932",
        )
    )
    context = browser.new_context(viewport=PHONE, locale="ja-JP", base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, user.username, "pass-for-tests-123")

    page.goto(live_server.url + "/companies/imports/new/")
    assert_no_horizontal_scroll(page)
    page.set_input_files('input[type="file"]', str(path))
    page.select_option('select[name="programme"]', str(programme.pk))
    page.check('input[name="mark_designated"]')
    with page.expect_navigation():
        page.get_by_role("button", name="ファイルを確認する").click()

    expect(page.locator("h1")).to_have_text("取込の確認")
    commit = page.locator('#commit-box button[type="submit"]')
    expect(commit).to_be_disabled()
    assert_no_horizontal_scroll(page)
    screenshot(page, "listimport-preview-390")

    page.locator('input[name="choice"][value="new"]').check()
    expect(page.get_by_text("保存しました")).to_be_visible()
    expect(commit).to_be_enabled()  # the commit box refreshed itself after the choice
    with page.expect_navigation():
        commit.click()

    expect(page.locator("h1")).to_have_text("取込の結果")
    assert_no_horizontal_scroll(page)
    screenshot(page, "listimport-result-390")
    context.close()
    assert not errors
