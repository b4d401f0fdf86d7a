"""The library on a phone (390×844) and a desktop: the manual is read, edited through HTMX and previewed with its
conditional questions; the content list, an item and the usage page fit the screen."""

import pytest
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    SCREENSHOT_DIR,
    assert_no_horizontal_scroll,
    login,
    screenshot,
    wait_for_htmx,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def library(demo_accounts):
    """The demo's default manual (two versions) and content library, made by the real seeding code."""
    from kakehashi.demo.library import seed_library
    from kakehashi.reference.loaders import load_codes

    load_codes()
    seed_library(programme=demo_accounts.programme, users=demo_accounts.users, today=None)
    return demo_accounts.programme.hearing_manuals.get()


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_library_pages_fit_the_screen(library, browser_page, live_server, viewport, name):
    from kakehashi.outreach.models import ContentItem

    page = browser_page(viewport)
    login(page, live_server, "manager", DEMO_PASSWORD)
    item = ContentItem.objects.get(title="メールマガジン登録方法")
    pages = {
        "manual-list": "/library/manuals/",
        "manual-read": f"/library/manuals/{library.pk}/",
        "manual-stats": f"/library/manuals/{library.pk}/stats/",
        "manual-draft": f"/library/manuals/{library.pk}/draft/",
        "manual-preview": f"/library/manuals/{library.pk}/draft/preview/",
        "content-list": "/library/content/",
        "content-detail": f"/library/content/{item.pk}/",
        "content-edit": f"/library/content/{item.pk}/edit/",
        "content-usage": "/library/content/usage/",
    }
    for label, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert_no_horizontal_scroll(page)
        screenshot(page, f"library-{label}-{name}")


def test_manager_edits_the_draft_and_the_preview_applies_conditions(library, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(live_server.url + f"/library/manuals/{library.pk}/draft/")

    # Add a question to the first section through the HTMX form.
    page.locator("#new-question-profile a", has_text="設問を追加").click()
    form = page.locator("#new-question-profile form.editor-form")
    expect(form).to_be_visible()
    wait_for_htmx(page)
    form.locator('select[name="kind"]').select_option("scale")
    form = page.locator("#new-question-profile form.editor-form")
    expect(form.locator('input[name="scale_max"]')).to_be_visible()  # the form re-rendered for the kind
    wait_for_htmx(page)
    form.locator('input[name="label"]').fill("社内のITへの抵抗感")
    form.locator('input[name="scale_min_label"]').fill("抵抗なし")
    form.locator('input[name="scale_max_label"]').fill("強い抵抗")
    assert_no_horizontal_scroll(page)
    screenshot(page, "library-question-form-phone")
    form.locator('button[type="submit"]').click()
    expect(page.locator("#draft-editor .message--success")).to_contain_text("社内のITへの抵抗感")
    expect(page.locator("#draft-editor")).to_contain_text("未公開の変更あり")
    wait_for_htmx(page)

    # Move it up with the arrow: still one page, no reload.
    question = page.locator(".draft-question", has_text="社内のITへの抵抗感")
    question.get_by_role("button", name="「社内のITへの抵抗感」を上へ").click()
    expect(page.locator("#draft-editor .message--success")).to_contain_text("移動")
    labels = page.locator("#section-profile .draft-question__label").all_inner_texts()
    assert labels.index("社内のITへの抵抗感") == len(labels) - 2

    # The preview hides the conditional question until its condition holds.
    page.goto(live_server.url + f"/library/manuals/{library.pk}/draft/preview/")
    conditional = page.locator("#hearing-q-accounting_product")
    expect(conditional).to_be_hidden()
    page.locator("#hearing-q-accounting_software label", has_text="はい").click()
    expect(conditional).to_be_visible()
    page.locator("#hearing-q-accounting_software label", has_text="いいえ").click()
    expect(conditional).to_be_hidden()
    assert_no_horizontal_scroll(page)


def test_communicator_reads_the_manual_and_opens_the_pdf(library, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "comm1", DEMO_PASSWORD)
    page.goto(live_server.url + "/library/manuals/")
    page.get_by_role("link", name="読む").click()
    expect(page.locator(".manual-question").first).to_be_visible()
    expect(page.get_by_text("次の版を編集")).to_have_count(0)
    response = page.request.get(live_server.url + f"/library/manuals/{library.pk}/pdf/")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert_no_horizontal_scroll(page)


def test_the_visit_form_asks_the_manual_in_force_with_its_conditions(library, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "comm1", DEMO_PASSWORD)
    page.goto(live_server.url + "/outreach/visits/new/")
    hearing = page.locator("#hearing-questions")
    expect(hearing.locator(".hearing-section__title").first).to_have_text("企業概要")
    conditional = page.locator("#hearing-q-accounting_product")
    expect(conditional).to_be_hidden()
    page.locator("#hearing-q-accounting_software label", has_text="はい").click()
    expect(conditional).to_be_visible()
    conditional.scroll_into_view_if_needed()
    assert_no_horizontal_scroll(page)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    hearing.screenshot(path=str(SCREENSHOT_DIR / "library-visit-form-hearing-phone.png"))
