"""Editing the draft of the next version and publishing it (outreach/services/manuals.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.manuals import iter_questions, question_map
from kakehashi.outreach.services import manuals as services
from kakehashi.outreach.tests.library_factories import manual_with_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def manual(programme, codes):
    manual, _version = manual_with_version(programme)
    return manual


def _keys(manual) -> list[str]:
    manual.refresh_from_db()
    return [q["key"] for _s, q in iter_questions(manual.draft_definition)]


TEXT = {"kind": "text", "label": "自由記述", "help": "聞き方"}


def test_add_question_gives_a_fresh_key_and_never_reuses_a_retired_one(manual):
    question = services.manual_question_save(actor=None, manual=manual, section_key="s1", values=TEXT)
    assert question["key"] == "q1"
    services.manual_question_remove(actor=None, manual=manual, question_key="q1")
    manual.refresh_from_db()
    assert "q1" in manual.draft_definition["retired_keys"]
    again = services.manual_question_save(actor=None, manual=manual, section_key="s1", values=TEXT)
    assert again["key"] == "q2"
    with pytest.raises(ValidationError) as error:
        services.manual_question_save(actor=None, manual=manual, section_key="s1", values={**TEXT, "key": "q1"})
    assert "key" in error.value.message_dict
    # A published key removed from the draft stays taken as well.
    services.manual_question_remove(actor=None, manual=manual, question_key="note")
    with pytest.raises(ValidationError):
        services.manual_question_save(actor=None, manual=manual, section_key="s1", values={**TEXT, "key": "note"})
    with pytest.raises(ValidationError):
        services.manual_question_save(actor=None, manual=manual, section_key="s1", values={**TEXT, "key": "Bad Key"})


def test_a_published_question_keeps_its_kind_and_code_list(manual):
    with pytest.raises(ValidationError) as error:
        services.manual_question_save(
            actor=None, manual=manual, section_key="s2", question_key="interest", values={**TEXT, "label": "関心"}
        )
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.manual_question_save(
            actor=None,
            manual=manual,
            section_key="s2",
            question_key="top_challenge",
            values={"kind": "single", "label": "最優先の障壁", "code_list": "barrier"},
        )
    # Labels, help and options may change.
    services.manual_question_save(
        actor=None,
        manual=manual,
        section_key="s2",
        question_key="top_challenge",
        values={"kind": "single", "label": "一番の課題", "code_list": "challenge", "help": "1つだけ"},
    )
    manual.refresh_from_db()
    assert question_map(manual.draft_definition)["top_challenge"]["label"] == "一番の課題"


def test_moving_a_question_to_another_section_puts_it_last(manual):
    question = question_map(manual.draft_definition)["tools"]
    services.manual_question_save(actor=None, manual=manual, section_key="s2", question_key="tools", values=question)
    assert _keys(manual)[-1] == "tools"


def test_conditions_must_point_at_an_earlier_choice_question_and_block_removal(manual):
    with pytest.raises(ValidationError):
        services.manual_question_move(actor=None, manual=manual, question_key="cloud_name", direction=-1)
    with pytest.raises(ValidationError):
        services.manual_question_save(
            actor=None,
            manual=manual,
            section_key="s1",
            values={**TEXT, "show_if": {"question": "note", "in": ["x"]}},
        )
    with pytest.raises(ValidationError):
        services.manual_question_save(
            actor=None,
            manual=manual,
            section_key="s2",
            values={**TEXT, "show_if": {"question": "uses_cloud", "in": ["maybe"]}},
        )
    with pytest.raises(ValidationError) as error:
        services.manual_question_remove(actor=None, manual=manual, question_key="uses_cloud")
    assert "どのクラウドですか" in error.value.messages[0]
    services.manual_question_save(
        actor=None,
        manual=manual,
        section_key="s2",
        values={**TEXT, "show_if": {"question": "interest", "in": ["4", "5"]}},
    )


def test_sections_add_edit_move_and_remove_retiring_their_keys(manual):
    section = services.manual_section_save(actor=None, manual=manual, title="追加の区分", help="説明")
    assert section["key"] == "s3"
    services.manual_section_save(actor=None, manual=manual, section_key="s3", title="改名した区分")
    services.manual_section_move(actor=None, manual=manual, section_key="s3", direction=-1)
    manual.refresh_from_db()
    assert [s["key"] for s in manual.draft_definition["sections"]] == ["s1", "s3", "s2"]
    assert manual.draft_definition["sections"][1]["title"] == "改名した区分"
    services.manual_section_remove(actor=None, manual=manual, section_key="s2")
    manual.refresh_from_db()
    assert {"s2", "interest", "it_staff", "note", "top_challenge"} <= set(manual.draft_definition["retired_keys"])
    with pytest.raises(ValidationError):  # a section's key is retired too
        services.manual_question_save(actor=None, manual=manual, section_key="s3", values={**TEXT, "key": "s2"})


def test_publish_freezes_the_draft_as_the_next_version(manual, codes):
    services.manual_question_save(actor=None, manual=manual, section_key="s1", values=TEXT)
    manual.refresh_from_db()
    version = services.manual_publish(
        actor=None, manual=manual, valid_from=datetime.date(2026, 6, 1), change_note="追加", backdate=True
    )
    assert version.number == 2
    assert "retired_keys" not in version.definition
    assert "q1" in question_map(version.definition)
    # A code-list question carries a snapshot of the list's labels.
    options = question_map(version.definition)["top_challenge"]["options"]
    assert {"value": "security", "label": "情報セキュリティ"} in options
    assert ChangeLogEntry.objects.filter(object_id=str(version.pk), action="create").exists()
    # Editing the draft afterwards never touches the published version.
    services.manual_question_remove(actor=None, manual=manual, question_key="q1")
    version.refresh_from_db()
    assert "q1" in question_map(version.definition)


def test_publish_refuses_no_change_an_earlier_date_and_an_empty_manual(programme, manual, codes):
    with pytest.raises(ValidationError):
        services.manual_publish(actor=None, manual=manual, valid_from=datetime.date(2026, 6, 1))
    services.manual_question_save(actor=None, manual=manual, section_key="s1", values=TEXT)
    with pytest.raises(ValidationError) as error:
        services.manual_publish(actor=None, manual=manual, valid_from=datetime.date(2026, 3, 1))
    assert "valid_from" in error.value.message_dict
    empty = services.manual_create(actor=None, programme=programme, name="空")
    with pytest.raises(ValidationError):
        services.manual_publish(actor=None, manual=empty, valid_from=datetime.date(2026, 6, 1))


def test_a_new_version_cannot_start_in_the_past_unless_backdated_on_purpose(manual):
    from django.utils import timezone

    services.manual_question_save(actor=None, manual=manual, section_key="s1", values=TEXT)
    today = max(timezone.localdate(), datetime.date(2026, 4, 2))
    with pytest.raises(ValidationError) as error:
        services.manual_publish(actor=None, manual=manual, valid_from=today - datetime.timedelta(days=1))
    assert "今日以降" in error.value.message_dict["valid_from"][0]
    assert services.manual_publish(actor=None, manual=manual, valid_from=today + datetime.timedelta(days=1)).number == 2


def test_reset_returns_the_draft_to_the_latest_version_keeping_retired_keys(manual):
    services.manual_question_remove(actor=None, manual=manual, question_key="note")
    services.manual_question_save(actor=None, manual=manual, section_key="s1", values=TEXT)
    manual.refresh_from_db()
    assert services.draft_changed(manual)
    services.manual_draft_reset(actor=None, manual=manual)
    manual.refresh_from_db()
    assert not services.draft_changed(manual)
    assert "note" in _keys(manual)
    assert "q1" in manual.draft_definition["retired_keys"]  # given once, never again
    assert "note" not in manual.draft_definition["retired_keys"]  # live again


def test_only_editors_may_change_the_manual(manual, make_user):
    communicator = make_user("communicator")
    with pytest.raises(PermissionDenied):
        services.manual_question_save(actor=communicator, manual=manual, section_key="s1", values=TEXT)
    with pytest.raises(PermissionDenied):
        services.manual_publish(actor=communicator, manual=manual, valid_from=datetime.date(2026, 6, 1))
    services.manual_question_save(actor=make_user("prefecture"), manual=manual, section_key="s1", values=TEXT)
    entry = ChangeLogEntry.objects.filter(object_id=str(manual.pk), note__startswith="設問を追加").get()
    assert entry.actor.has_role("prefecture")
