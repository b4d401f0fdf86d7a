"""A communicator records a full visit on a phone-sized screen (390×844), and a dropped connection loses nothing."""

import re

import pytest
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def field_setup(demo_accounts):
    """Code lists, a Yamagata municipality, a company to find and a content item for the security challenge."""
    from kakehashi.companies.tests.factories import CompanyFactory, MunicipalityFactory
    from kakehashi.outreach.models import ContentItem
    from kakehashi.reference.loaders import load_codes
    from kakehashi.reference.models import CodeItem

    load_codes()
    yamagata = MunicipalityFactory(code="062014", name="山形市")
    MunicipalityFactory(code="062022", name="米沢市")
    company = CompanyFactory(
        name="株式会社蔵王精密工業",
        name_kana="ザオウセイミツコウギョウ",
        municipality=yamagata,
        employees_band=CodeItem.objects.get(list="employees", code="21_50"),
    )
    CompanyFactory(name="蔵王温泉観光株式会社", name_kana="ザオウオンセンカンコウ", municipality=yamagata)
    item = ContentItem.objects.create(
        programme=demo_accounts.programme,
        title="中小企業の情報セキュリティ対策ガイド",
        kind="interest",
        introduction=CodeItem.objects.get(list="introduction", code="foundation_consultation"),
    )
    item.challenges.add(CodeItem.objects.get(list="challenge", code="security"))
    return {"company": company, "content": item}


def _tick(page, group_id: str, label: str) -> None:
    page.locator(f"#{group_id} label", has_text=label).first.click()


def _settle(page) -> None:
    """Leave the field being typed in and let the pending autosave finish (the live server shares one database
    connection between its threads, so the test does not let two requests overlap)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(2300)
    expect(page.locator("#visit-form")).not_to_have_class(re.compile(r"htmx-request"))


def test_communicator_records_a_full_visit_on_a_phone(demo_accounts, field_setup, browser_page, live_server):
    from kakehashi.outreach.models import Visit

    communicator = demo_accounts.users["comm1"]
    page = browser_page(PHONE)
    login(page, live_server, "comm1", DEMO_PASSWORD)

    page.goto(live_server.url + "/outreach/visits/today/")
    expect(page.get_by_role("heading", name="今日の訪問")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "visit-today-phone")

    page.get_by_role("link", name="訪問を記録する").first.click()
    expect(page).to_have_url(re.compile(r"/outreach/visits/[0-9a-f-]{36}/edit/$"))
    visit_uuid = page.url.rstrip("/").split("/")[-2]

    # (a) company: search as you type, one character is enough
    page.get_by_label("企業等を名称・フリガナで検索").fill("蔵")
    expect(page.locator("#company-results button")).to_have_count(2)
    page.locator("#company-results button", has_text="蔵王精密工業").click()
    expect(page.locator(".company-picked__name")).to_contain_text("株式会社蔵王精密工業")
    expect(page.locator("#id_employees_band")).to_have_value("21_50")
    page.locator("#id_revenue_band").select_option(label="1億〜5億円")
    page.locator("#id_business_form").select_option(label="製造(受託)")

    # (b) time and format
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("11:15")
    _tick(page, "id_visit_format", "訪問")

    # (c) challenges: content for them is suggested in (d)
    _tick(page, "id_challenges", "情報セキュリティ")
    _tick(page, "id_challenges", "生産管理・製造・施工")
    _tick(page, "id_barriers", "IT人材不足")
    _tick(page, "id_digital_stage", "段階2")
    suggestion = page.locator("#content-suggestions label", has_text="情報セキュリティ対策ガイド")
    expect(suggestion).to_be_visible()
    suggestion.click()

    # (e) outcomes, (f) summary, (g) contact, consent, next action
    _tick(page, "id_outcomes", "メルマガ登録")
    _tick(page, "id_interest_level", "高い")
    page.locator("#id_summary").fill(
        "生産計画をExcelで管理。受注の変動に追いつかず、残業が増えている。社内にIT担当者がいない。"
    )
    page.locator("#id_contact_name").fill("山田 太郎")
    page.locator("#id_contact_title").fill("製造部長")
    page.locator("#id_contact_phone").fill("023-630-2211")
    page.locator("#id_contact_email").fill("yamada@example.jp")
    page.locator("label", has_text="やまがた産業支援機構・DX推進コーディネータと共有").click()
    page.locator("#id_next_action").fill("機構の相談窓口を案内し、来週電話で確認")

    # a photo of the business card, checked by content on the server
    page.locator("#id_file").set_input_files(
        files=[{"name": "名刺.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}]
    )
    expect(page.locator("#visit-attachments .attachment-list")).to_contain_text("名刺.png")

    # the draft reaches the server as we go
    _settle(page)
    expect(page.locator("#draft-status")).to_contain_text(re.compile(r"下書きを保存しました \d\d:\d\d"), timeout=15_000)
    assert Visit.objects.get(uuid=visit_uuid).status == "draft"
    assert_no_horizontal_scroll(page)
    screenshot(page, "visit-form-filled-phone")
    height = page.evaluate("document.documentElement.scrollHeight")
    for n, y in enumerate(range(0, height, 760)):
        page.evaluate(f"window.scrollTo(0, {y})")
        screenshot(page, f"visit-form-phone-{n:02d}", full_page=False)

    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_text("訪問報告を提出しました。")).to_be_visible()
    expect(page.locator("h1")).to_have_text("株式会社蔵王精密工業")
    assert_no_horizontal_scroll(page)
    screenshot(page, "visit-detail-phone")

    visit = Visit.objects.get(uuid=visit_uuid)
    assert visit.status == "submitted"
    assert visit.recorded_by == communicator
    assert visit.company == field_setup["company"]
    assert sorted(c.code for c in visit.challenges.all()) == ["production", "security"]
    assert {c.code for c in visit.introductions.all()} == {"foundation_consultation"}
    assert [c.code for c in visit.outcomes.all()] == ["mail_magazine"]
    assert visit.contact.name == "山田 太郎"
    assert visit.contact.company == field_setup["company"]
    assert visit.consent_share_foundation
    assert not visit.consent_contractor_use
    assert [a.original_name for a in visit.attachments.all()] == ["名刺.png"]
    field_setup["company"].refresh_from_db()
    assert field_setup["company"].business_form.label_ja == "製造(受託)", "the correction reached the registry"
    # the local copy is forgotten once the server has the report
    assert page.evaluate(f"localStorage.getItem('kakehashi:visit:{visit_uuid}')") is None

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/outreach/visits/")
    expect(page.locator("#visit-results")).to_contain_text("株式会社蔵王精密工業")
    screenshot(page, "visit-list-desktop")
    page.goto(live_server.url + f"/outreach/visits/{visit_uuid}/")
    screenshot(page, "visit-detail-desktop")


def test_a_refused_submission_keeps_what_was_typed(demo_accounts, field_setup, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "comm1", DEMO_PASSWORD)
    page.goto(live_server.url + "/outreach/visits/new/")
    page.locator("#id_summary").fill("名刺交換のみ。後日連絡。")
    page.get_by_role("button", name="提出する").click()

    alert = page.locator("#error-summary")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("企業等を選んでください。")
    expect(alert).to_contain_text("外訪形態を選んでください。")
    expect(page.locator("#field-visit_format .errorlist")).to_have_text("外訪形態を選んでください。")
    expect(page.locator("#id_summary")).to_have_value("名刺交換のみ。後日連絡。")
    assert_no_horizontal_scroll(page)
    screenshot(page, "visit-form-errors-phone", full_page=False)


def test_a_dropped_connection_loses_nothing(demo_accounts, field_setup, browser_page, live_server):
    page = browser_page(PHONE)
    login(page, live_server, "comm1", DEMO_PASSWORD)
    page.goto(live_server.url + "/outreach/visits/new/")
    page.locator("#id_summary").fill("電波のあるところで書いた部分。")
    expect(page.locator("#draft-status")).to_contain_text("下書きを保存しました", timeout=15_000)

    page.context.set_offline(True)
    page.locator("#id_summary").fill("電波のあるところで書いた部分。圏外で書き足した部分。")
    expect(page.locator("#draft-status")).to_contain_text("この端末に保存しました", timeout=15_000)
    screenshot(page, "visit-form-offline-phone", full_page=False)

    page.context.set_offline(False)
    page.reload()
    prompt = page.locator("#local-restore")
    expect(prompt).to_be_visible()
    expect(page.locator("#id_summary")).to_have_value("電波のあるところで書いた部分。")
    screenshot(page, "visit-form-restore-phone", full_page=False)
    prompt.get_by_role("button", name="復元する").click()
    expect(page.locator("#id_summary")).to_have_value("電波のあるところで書いた部分。圏外で書き足した部分。")
    # the restored text goes to the server at once (the status line is replaced by the autosave's answer)
    expect(page.locator("#draft-status [data-saved-at]")).to_contain_text("下書きを保存しました", timeout=15_000)
    _settle(page)
    page.reload()
    expect(page.locator("#local-restore")).to_be_hidden()

    from kakehashi.outreach.models import Visit

    assert Visit.objects.get().summary.endswith("圏外で書き足した部分。")
