"""The community on a phone (390×844): a visitor joins, sees suggestions with reasons and posts in a thread; the
main pages fit phone and desktop screens (screenshots under var/screenshots/community-*)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import DESKTOP, PHONE, SCREENSHOT_DIR, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def community(demo_accounts):
    from django.utils import timezone

    from kakehashi.demo.community import seed_community
    from kakehashi.reference.loaders import load_codes

    load_codes()
    seed_community(programme=demo_accounts.programme, users=demo_accounts.users, today=timezone.localdate())
    return demo_accounts


def test_join_see_suggestions_and_post_on_a_phone(community, browser_page, live_server):
    page = browser_page(PHONE)
    page.goto(live_server.url + "/community/")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="参加する（無料）").click()
    page.get_by_label("お名前").fill("蔵王 花子")
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("ユーザー名").fill("hanako")
    page.get_by_label("地域企業").check()
    page.get_by_label("会社・団体名").fill("株式会社蔵王精機")
    page.get_by_label("利用規約と個人情報の取り扱いに同意します").check()
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="確認メールを送る").click()
    expect(page.get_by_text("確認メールを送りました")).to_be_visible()

    link = re.search(r"https?://\S+/community/join/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/community/join/" + link.split("/community/join/")[1])
    page.locator("#id_password1").fill("zao-Seiki-2026!")
    page.locator("#id_password2").fill("zao-Seiki-2026!")
    assert_no_horizontal_scroll(page)
    screenshot(page, "community-verify-phone")
    page.get_by_role("button", name="パスワードを設定して登録を完了").click()

    expect(page.locator("h1")).to_have_text("プロフィール")
    page.locator("fieldset, div").filter(has_text="求めていること（課題カテゴリ）").get_by_label(
        "調達・在庫・物流"
    ).first.check()
    page.get_by_label("求めていること", exact=True).fill("在庫管理を紙から移したい。棚卸しを楽にしたい。")
    assert_no_horizontal_scroll(page)
    screenshot(page, "community-profile-phone")
    page.get_by_role("button", name="保存しておすすめを見る").click()

    expect(page.locator("h1")).to_have_text("おすすめの相手")
    first = page.locator(".match").first
    expect(first).to_contain_text("あなたの課題「調達・在庫・物流」に対応できます")
    assert_no_horizontal_scroll(page)
    screenshot(page, "community-suggestions-phone")

    page.get_by_role("link", name="掲示板").first.click()
    page.get_by_role("link", name=re.compile("在庫・物流")).first.click()
    page.get_by_role("link", name=re.compile("棚卸しに丸一日")).click()
    page.locator("#id_body").fill("@ishinomaki さん、同じ悩みです。情報交換しましょう。")
    page.get_by_role("button", name="返信する").click()
    expect(page.locator(".post").last).to_contain_text("同じ悩みです")
    assert_no_horizontal_scroll(page)
    screenshot(page, "community-thread-phone")


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_community_pages_fit_the_screen(community, browser_page, live_server, viewport, name):
    from kakehashi.community.models import Project, Thread

    public = browser_page(viewport)
    for label, path in {"landing": "/community/", "signup": "/community/join/"}.items():
        public.goto(live_server.url + path)
        expect(public.locator("h1").first).to_be_visible()
        assert_no_horizontal_scroll(public)
        screenshot(public, f"community-{label}-{name}")

    page = browser_page(viewport)
    login(page, live_server, "company", DEMO_PASSWORD)
    launched = Project.objects.get(stage="launched")
    thread = Thread.objects.filter(title__startswith="ECを").get()
    pages = {
        "home": "/community/home/",
        "introductions": "/community/introductions/",
        "topics": "/community/topics/",
        "thread": thread.get_absolute_url(),
        "projects": "/community/projects/",
        "project": launched.get_absolute_url(),
    }
    for label, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert_no_horizontal_scroll(page)
        screenshot(page, f"community-{label}-{name}")

    staff = browser_page(viewport)
    login(staff, live_server, "manager", DEMO_PASSWORD)
    staff.goto(live_server.url + "/community/moderation/")
    assert_no_horizontal_scroll(staff)
    screenshot(staff, f"community-moderation-{name}")
    staff.goto(live_server.url + "/insights/")
    panel = staff.locator("section", has=staff.locator("#community-kpis"))
    expect(panel).to_contain_text("新事業創出")
    assert_no_horizontal_scroll(staff)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOT_DIR / f"community-dashboard-panel-{name}.png"))
