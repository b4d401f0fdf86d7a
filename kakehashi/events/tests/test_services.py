"""Event services: registration, duplicates, waiting list, emails, check-in, surveys, hearings, KPIs."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from kakehashi.events import services
from kakehashi.events.kpis import event_kpis
from kakehashi.events.models import Registration
from kakehashi.events.tickets import make_token, read_token

pytestmark = pytest.mark.django_db(transaction=False)


def test_registration_sends_ticket_with_qr_and_calendar(event, register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register()
    assert registration.status == "registered"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    names = [a[0] for a in message.attachments]
    assert names == ["ticket-qr.png", "event.ics"]
    assert message.attachments[0][1].startswith(b"\x89PNG")
    ics = message.attachments[1][1]
    assert "BEGIN:VEVENT" in ics
    assert "DTSTART:" in ics
    assert "SUMMARY:はじめてのDXセミナー" in ics
    assert registration.ticket_code in message.body
    assert "https://meet.example.jp/abc" in message.body  # the online URL only goes to registered people
    assert "<svg" in message.alternatives[0][0]


def test_the_same_person_twice_is_caught(event, register):
    register(email="Hanako@Example.jp")
    with pytest.raises(services.DuplicateRegistration):
        register(email=" hanako@example.jp ")  # same email, other case and spaces
    with pytest.raises(services.DuplicateRegistration):
        register(name="山田　花子", email="other@example.jp")  # same name (full-width space) and organisation
    assert Registration.objects.filter(event=event).count() == 1


def test_waiting_list_moves_up_on_cancel_and_on_more_capacity(
    event, register, manager, django_capture_on_commit_callbacks
):
    first = register(name="一番", email="1@example.jp")
    register(name="二番", email="2@example.jp")
    third = register(name="三番", email="3@example.jp")
    fourth = register(name="四番", email="4@example.jp")
    assert (third.status, fourth.status) == ("waitlisted", "waitlisted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    third.refresh_from_db()
    assert third.status == "registered"
    assert third.promoted_at is not None
    assert any("【参加確定】" in m.subject and m.to == ["3@example.jp"] for m in mail.outbox)
    services.event_update(actor=manager, event=event, values={"capacity": 3})
    fourth.refresh_from_db()
    assert fourth.status == "registered"


def test_consent_is_required_and_unpublished_events_take_no_registrations(event, manager):
    with pytest.raises(ValidationError):
        services.registration_create(
            event=event, name="a", organisation="b", is_it_company=False, email="a@example.jp", consent=False
        )
    services.event_publish(actor=manager, event=event, published=False)
    with pytest.raises(ValidationError):
        services.registration_create(
            event=event, name="a", organisation="b", is_it_company=False, email="a@example.jp", consent=True
        )


def test_check_in_by_code_is_idempotent_and_rejects_other_codes(event, register, manager):
    registration = register()
    typed = " " + registration.ticket_code[:5].lower() + "-" + registration.ticket_code[5:] + " "
    checked, newly = services.check_in_by_code(actor=manager, event=event, code=typed)
    assert newly
    assert checked.checked_in_by == manager
    _again, newly = services.check_in_by_code(actor=manager, event=event, code=registration.ticket_code)
    assert not newly
    with pytest.raises(ValidationError):
        services.check_in_by_code(actor=manager, event=event, code="NOSUCHCODE")


def test_walk_in_is_seated_even_when_full(event, register, manager):
    register(name="一番", email="1@example.jp")
    register(name="二番", email="2@example.jp")
    walk_in = services.registration_create(
        event=event, name="飛込 三郎", organisation="株式会社当日", is_it_company=True, email="", consent=False,
        source="walk_in", actor=manager,
    )  # fmt: skip
    assert walk_in.status == "registered"
    assert walk_in.checked_in


def test_tokens_are_signed_per_purpose(register):
    registration = register()
    token = make_token(registration)
    assert read_token(token) == registration.uuid.hex
    assert read_token(token + "x") is None
    assert read_token(token, salt="kakehashi.events.survey") is None


def test_survey_versions_keep_old_answers_and_results(event, register, manager):
    from kakehashi.events.questions import default_survey, statistics

    registration = register()
    services.registration_check_in(actor=manager, registration=registration)
    first = services.survey_answer(registration=registration, answers={"overall": 5, "usefulness": 4, "comment": "良"})
    edited = default_survey()
    edited["questions"][0]["label"] = "全体の満足度（改訂）"
    edited["questions"].append({"key": "venue", "kind": "single", "label": "会場", "options": ["良い", "悪い"]})
    second_version = services.questionnaire_publish(actor=manager, event=event, purpose="survey", definition=edited)
    assert second_version.number == 2
    first.refresh_from_db()
    assert first.version.number == 1
    assert first.version.questions[0]["label"] == "今回のイベントの満足度"
    stats = statistics(first.version.questions, [first.answers])
    assert stats[0]["mean"] == 5
    # A key keeps its kind across versions.
    bad = default_survey()
    bad["questions"][0]["kind"] = "text"
    with pytest.raises(ValidationError):
        services.questionnaire_publish(actor=manager, event=event, purpose="survey", definition=bad)
    with pytest.raises(ValidationError):
        services.survey_answer(registration=registration, answers={"overall": 4, "usefulness": 4})


def test_survey_send_emails_attendees_once(event, register, manager, django_capture_on_commit_callbacks):
    came = register(name="来た", email="came@example.jp")
    register(name="来ない", email="no@example.jp")
    services.registration_check_in(actor=manager, registration=came)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_send(actor=manager, event=event) == 1
    assert mail.outbox[0].to == ["came@example.jp"]
    assert "/events/survey/" in mail.outbox[0].body
    assert services.survey_send(actor=manager, event=event) == 0


def test_seminar_attendee_becomes_a_counted_hearing(event, register, make_user, manager, codes, live_programme):
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.insights.kpis import compute_progress

    company = CompanyFactory(name="株式会社山形精密")
    registration = register()
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    assert registration.company == company  # matched through the registry matcher
    communicator = make_user("communicator")
    with pytest.raises(ValidationError):  # not checked in yet
        services.registration_to_hearing(actor=communicator, registration=registration)
    services.registration_check_in(actor=communicator, registration=registration)
    before = compute_progress(live_programme, today=timezone.localdate())["headline"]["distinct_companies"]
    visit = services.registration_to_hearing(actor=communicator, registration=registration)
    assert visit.status == "submitted"
    assert visit.visit_format.code == "seminar"
    assert visit.company == company
    assert compute_progress(live_programme, today=timezone.localdate())["headline"]["distinct_companies"] == before + 1
    with pytest.raises(ValidationError):
        services.registration_to_hearing(actor=communicator, registration=registration)


def test_unmatched_attendee_must_be_matched_first(event, register, manager, codes):
    from kakehashi.companies.tests.factories import CompanyFactory

    registration = register(organisation="まったく無関係な団体")
    assert registration.company is None
    services.registration_check_in(actor=manager, registration=registration)
    with pytest.raises(ValidationError):
        services.registration_to_hearing(actor=manager, registration=registration)
    company = CompanyFactory(name="株式会社台帳の会社")
    services.registration_match(actor=manager, registration=registration, company=company)
    registration.refresh_from_db()
    assert registration.company == company


def test_kpis_move_with_attendance_surveys_and_tables(event, register, manager):
    it = register(name="IT 一郎", organisation="みやぎソフト合同会社", email="it@example.jp", it=True)
    local = register(name="地域 花子", organisation="株式会社仙台食品", email="local@example.jp")
    empty = event_kpis(event.programme)
    assert empty["attended"] == 0
    assert empty["satisfaction"]["mean"] is None
    for r in (it, local):
        services.registration_check_in(actor=manager, registration=r)
    services.survey_answer(registration=local, answers={"overall": 4, "usefulness": 5})
    services.survey_answer(registration=it, answers={"overall": 2, "usefulness": 3})
    services.mixing_plan(actor=manager, event=event, rounds=1, tables=1, seed=1)
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    kpis = event_kpis(event.programme)
    assert kpis["events_held"] == 1
    assert kpis["attended"] == 2
    assert kpis["attendance_rate"] == 100.0
    assert kpis["participants"]["it"] == 1
    assert kpis["participants"]["local"] == 1
    assert kpis["satisfaction"]["mean"] == 3
    assert kpis["satisfaction"]["distribution"][3]["count"] == 1
    assert kpis["new_cross_pairs"] == 1


def test_mixing_plan_stores_seats_and_met_pairs(event, manager):
    from kakehashi.events.selectors import met_pairs

    regs = [
        services.registration_create(
            event=event,
            name=f"人{i}",
            organisation=f"会社{i}",
            is_it_company=i % 2 == 0,
            email=f"m{i}@example.jp",
            consent=True,
            source="walk_in",
            actor=manager,
        )
        for i in range(8)
    ]
    run = services.mixing_plan(actor=manager, event=event, rounds=2, tables=2, seed=5)
    assert run.seats.count() == 16
    assert run.metrics["optimised"]["hard_violations"] == 0
    pairs = met_pairs()
    assert all(len(p) == 2 for p in pairs)
    assert pairs
    assert met_pairs(by="person")
    assert {regs[0].org_key, regs[1].org_key} <= set().union(*pairs)
