"""Issue #7 done-when, from the demo: publish, three public registrations (one twice, caught), QR check-in at
390×844 through the check-in page's code field, survey answers, KPIs move, a seminar attendee becomes a hearing."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.browser


def _seed(demo_accounts):
    from kakehashi.companies.tests.factories import CompanyFactory, MunicipalityFactory
    from kakehashi.demo.events import seed_events
    from kakehashi.reference.loaders import load_codes
    from kakehashi.reference.models import Prefecture

    load_codes()
    yamagata = Prefecture.objects.get(code="06")
    town = MunicipalityFactory(prefecture=yamagata, code="062014", name="山形市")
    for i in range(30):
        CompanyFactory(name=f"株式会社デモ工業{i}", municipality=town)
    CompanyFactory(name="株式会社蔵王精密", municipality=town)
    programme = demo_accounts.programme
    today = timezone.localdate()
    programme.start_date, programme.end_date = (
        today - datetime.timedelta(days=120),
        today + datetime.timedelta(days=200),
    )
    programme.save()
    seed_events(programme=programme, users=demo_accounts.users, today=today)
    return programme


def _register(page, event, name, organisation, email):
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="参加を申し込む").click()
    page.get_by_label("氏名").fill(name)
    page.get_by_label("所属（企業・団体名）").fill(organisation)
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("個人情報の取扱い（下記）に同意します").check()
    page.get_by_role("button", name="申し込む").click()


def test_publish_register_check_in_by_code_survey_kpis_and_hearing(browser_page, demo_accounts, live_server):
    from kakehashi.demo.users import DEMO_PASSWORD
    from kakehashi.events import services
    from kakehashi.events.kpis import event_kpis
    from kakehashi.events.models import Event, Registration
    from kakehashi.insights.kpis import compute_progress

    programme = _seed(demo_accounts)
    manager = demo_accounts.users["manager"]
    start = timezone.now() + datetime.timedelta(minutes=30)
    event = services.event_create(
        actor=manager,
        programme=programme,
        values={"title": "DX相談会（山形）", "kind": "seminar", "format": "in_person", "venue_name": "山形市役所",
                "venue_address": "山形県山形市旅篭町2-3-25", "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=2), "capacity": 30},
    )  # fmt: skip
    services.event_publish(actor=manager, event=event)
    before = event_kpis(programme)

    public = browser_page(PHONE)
    people = [
        ("木村 亮", "株式会社蔵王精密", "kimura@example.jp"),
        ("林 千尋", "最上ソフトウェア合同会社", "hayashi@example.jp"),
        ("井上 聡", "まだ台帳にない商店", "inoue@example.jp"),
    ]
    for name, org, email in people:
        _register(public, event, name, org, email)
        assert public.get_by_test_id("ticket-code").is_visible()
    screenshot(public, "events-ticket-phone")
    assert_no_horizontal_scroll(public)
    _register(public, event, "木村　亮", "株式会社蔵王精密", "KIMURA@example.jp")  # the same person again
    assert public.get_by_role("alert").filter(has_text="すでにお申し込み済み").is_visible()
    screenshot(public, "events-register-duplicate-phone")
    assert_no_horizontal_scroll(public)
    assert Registration.objects.filter(event=event).count() == 3

    staff = browser_page(PHONE)
    login(staff, live_server, "comm1", DEMO_PASSWORD)
    staff.goto(f"/events/manage/{event.pk}/checkin/")
    for registration in Registration.objects.filter(event=event).order_by("pk"):
        staff.get_by_label("受付コード（QRの読み取り結果、またはチケットのコードを入力）").fill(
            registration.ticket_code
        )
        staff.get_by_role("button", name="受付する").click()
        staff.get_by_text(f"受付しました：{registration.name}").wait_for()
    staff.wait_for_function("document.querySelector('[data-testid=attended]').textContent.trim() === '3'")
    screenshot(staff, "events-checkin-phone")
    assert_no_horizontal_scroll(staff)
    assert Registration.objects.filter(event=event, checked_in_at__isnull=False).count() == 3

    # The survey, answered on the public page by each attendee.
    from kakehashi.events.tickets import SURVEY_SALT, make_token

    for score, registration in zip((5, 4, 4), Registration.objects.filter(event=event).order_by("pk"), strict=True):
        public.goto(f"/events/survey/{make_token(registration, salt=SURVEY_SALT)}/")
        public.locator(f"input[name=overall][value='{score}']").check()
        public.locator("input[name=usefulness][value='4']").check()
        public.get_by_role("button", name="回答を送信").click()
        public.get_by_text("ご回答ありがとうございました。").wait_for()
    screenshot(public, "events-survey-done-phone")

    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    after = event_kpis(programme)
    assert after["events_held"] == before["events_held"] + 1
    assert after["registrations"] == before["registrations"] + 3
    assert after["satisfaction"]["responses"] == before["satisfaction"]["responses"] + 3

    # A seminar attendee matched to the registry becomes a hearing that counts.
    kimura = Registration.objects.get(event=event, email_key="kimura@example.jp")
    assert kimura.company is not None
    counted = compute_progress(programme, today=timezone.localdate())["headline"]["distinct_companies"]
    staff.goto(f"/events/manage/{event.pk}/registrations/?q=木村")
    staff.get_by_role("button", name="ヒアリング記録にする").click()
    staff.wait_for_url("**/outreach/visits/**")
    assert compute_progress(programme, today=timezone.localdate())["headline"]["distinct_companies"] == counted + 1

    desk = browser_page(DESKTOP)
    login(desk, live_server, "manager", DEMO_PASSWORD)
    for path, name in [
        (f"/events/manage/{event.pk}/", "events-detail-desktop"),
        ("/events/manage/kpis/", "events-kpis-desktop"),
        (
            f"/events/manage/{Event.objects.filter(kind='workshop', mixing_runs__isnull=False).first().pk}/tables/",
            "events-tables-desktop",
        ),
        (f"/events/manage/{event.pk}/survey/results/", "events-survey-results-desktop"),
    ]:
        desk.goto(path)
        screenshot(desk, name)
    staff.goto("/events/manage/kpis/")
    screenshot(staff, "events-kpis-phone")
    assert_no_horizontal_scroll(staff)
