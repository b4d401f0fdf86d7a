"""Coordinator screens on a phone and a desktop: priority list with reasons, a referral, an advice thread."""

import pytest
from playwright.sync_api import expect

from kakehashi.demo.users import DEMO_PASSWORD
from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def shared_world(demo_accounts):
    from kakehashi.sharing import services
    from kakehashi.sharing.tests.factories import company_in, referral_for_visit, shared_visit

    programme = demo_accounts.programme
    users = demo_accounts.users
    visits = [
        shared_visit(
            programme,
            company=company_in(programme, name=f"株式会社みちのく精密加工製作所{i}"),
            recorded_by=users["comm1"],
            interest="high" if i % 2 == 0 else "medium",
            stage="1" if i % 3 == 0 else "2",
            outcomes=["coordinator_support"] if i < 3 else ["seminar"],
            challenges=["security", "production", "sales_customer"][: 1 + i % 3],
            barriers=["budget", "where_to_start"][: 1 + i % 2],
        )
        for i in range(8)
    ]
    referral = referral_for_visit(visits[0], actor=users["comm1"], with_contact=True)
    services.referral_transition(actor=users["coord1"], referral=referral, to_status="contacted", note="電話で日程調整")
    thread = services.advice_thread_open(
        actor=users["coord1"],
        programme=programme,
        company=visits[1].company,
        subject="受発注の現状",
        body="取引先の数は？",
    )
    services.advice_reply(actor=users["comm1"], thread=thread, body="約30社、月200件ほどです。")
    services.priority_recompute(actor=users["coord1"], programme=programme)
    return {"referral": referral, "thread": thread}


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_coordinator_pages(browser_page, live_server, shared_world, viewport, label):
    page = browser_page(viewport)
    login(page, live_server, "coord1", DEMO_PASSWORD)
    pages = {
        "priority": "/sharing/priority/",
        "referral": f"/sharing/referrals/{shared_world['referral'].pk}/",
        "advice": f"/sharing/advice/{shared_world['thread'].pk}/",
        "referrals": "/sharing/referrals/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert_no_horizontal_scroll(page)
        screenshot(page, f"sharing-{name}-{label}")
    page.goto(live_server.url + pages["priority"])
    expect(page.get_by_text("伴走支援を希望（+25）").first).to_be_visible()
