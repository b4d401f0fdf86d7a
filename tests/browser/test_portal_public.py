"""The public portal at phone and desktop size: a visitor reads news, finds an IT company in the directory, sends a
consultation request and signs up for the mail magazine; no page scrolls sideways. Staff screens fit too."""

import pytest
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(demo_accounts):
    """The demo portal (articles, 62 IT companies, leads, subscribers) made by the real seeding code."""
    from django.utils import timezone

    from kakehashi.demo.portal import seed_portal
    from kakehashi.reference.loaders import load_codes, load_industries

    load_codes()
    load_industries()
    seed_portal(programme=demo_accounts.programme, users=demo_accounts.users, today=timezone.localdate())
    return demo_accounts


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_visitor_reads_finds_asks_and_subscribes(portal, browser_page, live_server, viewport, name):
    from kakehashi.portal.models import ConsultationRequest, Subscriber

    page = browser_page(viewport)
    page.goto(live_server.url + "/portal/")
    expect(page.locator("h1")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, f"portal-home-{name}")

    # Read news
    page.get_by_role("link", name="お知らせ", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("お知らせ・記事")
    page.locator(".portal-card__link").first.click()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator(".prose h2").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, f"portal-article-{name}")

    # Find an IT company: type a keyword, the list narrows without a reload
    page.goto(live_server.url + "/portal/it-companies/")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"portal-directory-{name}")
    page.locator("#id_q").fill("在庫")
    page.wait_for_function("() => location.search.includes('q=')")
    first = page.locator("#directory-results .portal-card__link").first
    expect(first).to_contain_text("在庫")
    first.click()
    expect(page.locator("article h1")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, f"portal-itcompany-{name}")

    # Ask for a consultation
    page.get_by_role("link", name="相談を申し込む").first.click()
    expect(page.locator("h1")).to_have_text("DX相談の申込み")
    page.get_by_label("会社名・団体名").fill("株式会社ブラウザ商店")
    page.get_by_label("お名前").fill("試験 花子")
    page.get_by_label("メールアドレス").fill(f"hanako-{name}@example.jp")
    page.get_by_label("顧客対応・販売(HP/SNS/EC/CRM)").check()
    page.get_by_label("ご相談内容").fill("ネットショップを始めたいので相談したいです。")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"portal-consultation-{name}")
    page.get_by_label("入力した個人情報を").check()
    page.get_by_role("button", name="相談を申し込む").click()
    expect(page.locator("h1")).to_have_text("相談の申込みを受け付けました")
    assert ConsultationRequest.objects.filter(email=f"hanako-{name}@example.jp").exists()

    # Sign up for the mail magazine
    page.get_by_role("link", name="メールマガジンにも登録する").click()
    page.get_by_label("メールアドレス").fill(f"reader-{name}@example.jp")
    page.get_by_role("button", name="確認メールを送る").click()
    expect(page.locator("h1")).to_have_text("確認メールを送りました")
    assert Subscriber.objects.get(email=f"reader-{name}@example.jp").status == "pending"
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_staff_portal_screens_fit(portal, browser_page, live_server, viewport, name):
    from kakehashi.portal.models import Article, ConsultationRequest, ITCompanyRevision

    page = browser_page(viewport)
    login(page, live_server, "manager", DEMO_PASSWORD)
    pages = {
        "articles": "/portal/manage/articles/",
        "article-edit": f"/portal/manage/articles/{Article.objects.first().pk}/edit/",
        "directory": "/portal/manage/it-companies/",
        "revision": f"/portal/manage/revisions/{ITCompanyRevision.objects.first().pk}/",
        "consultations": "/portal/manage/consultations/",
        "consultation": f"/portal/manage/consultations/{ConsultationRequest.objects.first().pk}/",
        "subscribers": "/portal/manage/subscribers/",
        "page-views": "/portal/manage/page-views/",
    }
    for label, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert_no_horizontal_scroll(page)
        screenshot(page, f"portal-staff-{label}-{name}")
