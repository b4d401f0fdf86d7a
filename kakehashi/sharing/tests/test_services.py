import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kakehashi.core.changelog import history_for
from kakehashi.sharing import services
from kakehashi.sharing.choices import AdviceStatus, ReferralStatus
from kakehashi.sharing.models import PriorityDecision, PriorityWeights, ReferralEvent

from .factories import member, referral_for_visit, shared_visit

pytestmark = pytest.mark.django_db


# --- Referrals ----------------------------------------------------------------------------------------------------


def test_referral_create_records_event_log_and_notifies_coordinators(
    programme, coordinator, django_capture_on_commit_callbacks
):
    visit = shared_visit(programme)
    manager = member(programme, "manager")

    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_for_visit(visit, actor=manager, urgency="high")

    assert referral.status == ReferralStatus.REFERRED
    assert referral.company == visit.company
    assert referral.programme == programme
    event = referral.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", "referred", manager)
    assert history_for(referral).get().action == "create"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert visit.company.name in mail.outbox[0].subject
    assert "受発注" not in mail.outbox[0].body, "the purpose stays in Kakehashi"


@pytest.mark.parametrize("role", ["prefecture", "coordinator", "partner"])
def test_only_recorders_refer(programme, role):
    visit = shared_visit(programme)
    with pytest.raises(PermissionDenied):
        referral_for_visit(visit, actor=member(programme, role))


def test_draft_visits_cannot_be_referred(programme):
    visit = shared_visit(programme, status="draft")
    with pytest.raises(PermissionDenied):
        referral_for_visit(visit)


def test_one_open_referral_per_destination(programme):
    visit = shared_visit(programme)
    referral_for_visit(visit)
    with pytest.raises(ValidationError):
        referral_for_visit(visit)
    referral_for_visit(visit, destination="technology_centre")


def test_contact_consent_needs_a_contact_of_the_company(programme):
    from kakehashi.companies.tests.factories import ContactFactory

    visit = shared_visit(programme)
    manager = member(programme, "manager")
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=manager, visit=visit, destination="foundation", purpose="x", consent_scope="contact"
        )
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=manager,
            visit=visit,
            destination="foundation",
            purpose="x",
            consent_scope="contact",
            contact=ContactFactory(),
        )


def test_referral_moves_along_the_path_with_history(programme, coordinator):
    referral = referral_for_visit(
        shared_visit(programme), referred_on=timezone.localdate() - datetime.timedelta(days=5)
    )
    today = timezone.localdate()

    services.referral_transition(actor=coordinator, referral=referral, to_status="contacted", note="電話しました")
    services.referral_transition(actor=coordinator, referral=referral, to_status="consulting", occurred_on=today)
    referral.refresh_from_db()

    assert referral.status == "consulting"
    assert referral.coordinator == coordinator, "the first coordinator to move it takes it on"
    assert list(referral.events.values_list("to_status", flat=True)) == ["referred", "contacted", "consulting"]
    assert referral.events.get(to_status="contacted").note == "電話しました"
    assert history_for(referral).filter(action="status").count() == 2


def test_referral_moves_are_checked(programme, coordinator):
    referral = referral_for_visit(shared_visit(programme))
    with pytest.raises(ValidationError):
        services.referral_transition(actor=coordinator, referral=referral, to_status="completed")
    with pytest.raises(ValidationError):
        services.referral_transition(actor=coordinator, referral=referral, to_status="referred")
    with pytest.raises(ValidationError, match="理由"):
        services.referral_transition(actor=coordinator, referral=referral, to_status="declined")
    with pytest.raises(ValidationError):
        services.referral_transition(
            actor=coordinator,
            referral=referral,
            to_status="contacted",
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    services.referral_transition(actor=coordinator, referral=referral, to_status="declined", note="今は時期でない")
    referral.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.referral_transition(actor=coordinator, referral=referral, to_status="contacted")


@pytest.mark.parametrize("role", ["prefecture", "communicator", "partner"])
def test_only_coordinators_and_managers_move_referrals(programme, role):
    referral = referral_for_visit(shared_visit(programme))
    with pytest.raises(PermissionDenied):
        services.referral_transition(actor=member(programme, role), referral=referral, to_status="contacted")


def test_coordinator_of_another_programme_cannot_move(programme, other_programme):
    referral = referral_for_visit(shared_visit(programme))
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            actor=member(other_programme, "coordinator"), referral=referral, to_status="contacted"
        )


def test_allowed_moves():
    assert services.allowed_moves("referred") == ["contacted", "consulting", "supporting", "declined"]
    assert services.allowed_moves("consulting") == ["supporting", "completed", "declined"]
    assert services.allowed_moves("completed") == []


# --- Advice threads -----------------------------------------------------------------------------------------------


def test_advice_question_answer_cycle_with_mail(programme, coordinator, django_capture_on_commit_callbacks):
    communicator = member(programme, "communicator")
    manager = member(programme, "manager")
    visit = shared_visit(programme, recorded_by=communicator)

    with django_capture_on_commit_callbacks(execute=True):
        thread = services.advice_thread_open(
            actor=coordinator, programme=programme, company=visit.company, subject="在庫管理の相談", body="導入状況は？"
        )
    assert thread.status == AdviceStatus.WAITING
    assert sorted(r for m in mail.outbox for r in m.to) == sorted([communicator.email, manager.email])
    assert "導入状況" not in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.advice_reply(actor=communicator, thread=thread, body="Excelで管理しています")
    thread.refresh_from_db()
    assert answer.is_answer
    assert thread.status == AdviceStatus.ANSWERED
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    services.advice_reply(actor=coordinator, thread=thread, body="追加で質問です")
    thread.refresh_from_db()
    assert thread.status == AdviceStatus.WAITING
    services.advice_close(actor=coordinator, thread=thread)
    thread.refresh_from_db()
    assert thread.status == AdviceStatus.CLOSED
    with pytest.raises(ValidationError):
        services.advice_reply(actor=communicator, thread=thread, body="遅れて回答")


def test_advice_only_on_companies_the_coordinator_may_see(programme, coordinator):
    hidden = shared_visit(programme, consent=False)
    with pytest.raises(PermissionDenied):
        services.advice_thread_open(
            actor=coordinator, programme=programme, company=hidden.company, subject="s", body="b"
        )
    with pytest.raises(PermissionDenied):
        services.advice_thread_open(
            actor=member(programme, "communicator"), programme=programme, company=hidden.company, subject="s", body="b"
        )


# --- Priority list ------------------------------------------------------------------------------------------------


def test_weights_update_makes_a_new_version_and_recomputes(programme):
    prefecture = member(programme, "prefecture")
    shared_visit(programme, interest="high")

    weights = services.priority_weights_update(
        actor=prefecture, programme=programme, values={"interest_high": 40}, note="関心度を重視"
    )

    assert (weights.version, weights.interest_high, weights.note) == (2, 40, "関心度を重視")
    assert PriorityWeights.objects.get(programme=programme, version=1).interest_high == 20, "old version kept"
    snapshot = weights.snapshots.get()
    entry = snapshot.entries.get()
    assert entry.score >= 40
    assert "関心度が高い（+40）" in [r["label"] for r in entry.reasons]
    assert (
        services.priority_weights_update(actor=prefecture, programme=programme, values={"interest_high": 40}) == weights
    )


@pytest.mark.parametrize("role", ["manager", "coordinator", "communicator"])
def test_only_prefecture_edits_weights(programme, role):
    with pytest.raises(PermissionDenied):
        services.priority_weights_update(actor=member(programme, role), programme=programme, values={"designated": 1})


def test_weights_are_validated(programme):
    prefecture = member(programme, "prefecture")
    with pytest.raises(ValidationError):
        services.priority_weights_update(actor=prefecture, programme=programme, values={"nonsense": 1})
    with pytest.raises(ValidationError):
        services.priority_weights_update(actor=prefecture, programme=programme, values={"challenge_cap": 99})


def test_decisions_are_kept_as_history(programme, coordinator):
    visit = shared_visit(programme, interest="high")
    services.priority_recompute(actor=coordinator, programme=programme)

    services.priority_decide(
        actor=coordinator, programme=programme, company=visit.company, kind="advice", note="IT導入補助金を案内"
    )
    with pytest.raises(ValidationError):
        services.priority_decide(actor=coordinator, programme=programme, company=visit.company, kind="decline")
    services.priority_decide(
        actor=coordinator, programme=programme, company=visit.company, kind="decline", note="既に他機関が支援"
    )

    decisions = list(PriorityDecision.objects.filter(company=visit.company).order_by("created_at", "id"))
    assert [d.kind for d in decisions] == ["advice", "decline"]
    assert decisions[0].entry.rank == 1


def test_decisions_only_by_coordinators_on_shared_companies(programme, coordinator):
    hidden = shared_visit(programme, consent=False)
    with pytest.raises(PermissionDenied):
        services.priority_decide(actor=coordinator, programme=programme, company=hidden.company, kind="accept")
    shown = shared_visit(programme)
    with pytest.raises(PermissionDenied):
        services.priority_decide(
            actor=member(programme, "manager"), programme=programme, company=shown.company, kind="accept"
        )


def test_referral_events_cascade_only_with_their_referral(programme):
    referral = referral_for_visit(shared_visit(programme))
    assert ReferralEvent.objects.filter(referral=referral).count() == 1
