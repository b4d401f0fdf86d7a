"""The hearing manual at work (outreach/manuals.py): the version in force, the form, validation, saving and reading
answers, statistics — and the guarantee that old answers and statistics never change when the manual does."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import QueryDict

from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach import manuals
from kakehashi.outreach.models import HearingAnswer
from kakehashi.outreach.services.manuals import manual_publish, manual_question_remove, manual_question_save
from kakehashi.outreach.tests.library_factories import counted_visit, manual_with_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def manual(programme, codes):
    return manual_with_version(programme)


def _answer(visit, version, data: dict, actor=None):
    answers, errors = manuals.validate_answers(version, data)
    assert errors == {}
    return manuals.answers_save(actor=actor, visit=visit, version=version, answers=answers)


# --- The version in force ------------------------------------------------------------------------------------------


def test_version_for_a_date_is_the_latest_valid_from_on_or_before_it(programme, manual):
    manual_obj, v1 = manual
    v2 = manual_publish(
        actor=None, manual=_edited(manual_obj, label="変更後"), valid_from=datetime.date(2026, 8, 1), backdate=True
    )
    assert manuals.manual_version_for(programme, datetime.date(2026, 3, 31)) is None
    assert manuals.manual_version_for(programme, datetime.date(2026, 4, 1)) == v1
    assert manuals.manual_version_for(programme, datetime.date(2026, 7, 31)) == v1
    assert manuals.manual_version_for(programme, datetime.date(2026, 8, 1)) == v2
    assert manuals.manual_version_for(programme, None) is None


def test_version_for_ignores_other_programmes(programme, other_programme, codes):
    manual_with_version(other_programme)
    assert manuals.manual_version_for(programme, datetime.date(2026, 6, 1)) is None


def _edited(manual_obj, *, label: str):
    question = next(
        q for s in manual_obj.draft_definition["sections"] for q in s["questions"] if q["key"] == "interest"
    )
    manual_question_save(
        actor=None, manual=manual_obj, section_key="s2", question_key="interest", values={**question, "label": label}
    )
    manual_obj.refresh_from_db()
    return manual_obj


# --- The form and validation ---------------------------------------------------------------------------------------


def test_form_has_a_field_per_question_with_help_and_required_mark(manual):
    _manual, version = manual
    form = manuals.HearingAnswersForm(version)
    assert list(form.fields) == ["uses_cloud", "cloud_name", "tools", "interest", "it_staff", "note", "top_challenge"]
    assert form["uses_cloud"].html_name == "hearing-uses_cloud"
    assert form.fields["uses_cloud"].help_text == "メールだけなら「いいえ」。"
    assert form.fields["uses_cloud"].required_on_submit is True
    assert form.fields["uses_cloud"].required is False  # drafts keep whatever is valid
    # A code list offers its active codes.
    assert ("security", "情報セキュリティ") in form.fields["top_challenge"].choices
    assert form.fields["cloud_name"].show_if_name == "hearing-uses_cloud"
    html = form.as_div()
    assert 'data-show-if-name="hearing-uses_cloud"' in html
    assert "メールだけなら「いいえ」。" in html


def test_conditional_question_is_hidden_initially_and_shown_when_its_condition_holds(manual):
    _manual, version = manual
    form = manuals.HearingAnswersForm(version)
    assert 'id="hearing-q-cloud_name"' in (html := form.as_div())
    assert html.split('id="hearing-q-cloud_name"')[1].split(">")[0].rstrip().endswith("hidden")
    shown = manuals.HearingAnswersForm(version, initial={"uses_cloud": "yes"}).as_div()
    assert not shown.split('id="hearing-q-cloud_name"')[1].split(">")[0].rstrip().endswith("hidden")


def test_validate_posted_form_data(manual):
    _manual, version = manual
    data = QueryDict(mutable=True)
    data.update({"hearing-uses_cloud": "yes", "hearing-cloud_name": "gws", "hearing-interest": "4"})
    data.setlist("hearing-tools", ["email", "chat"])
    data["hearing-it_staff"] = "2"
    data["hearing-note"] = "  受注がFAX  "
    data["company"] = "123"  # other fields of the visit form are ignored
    answers, errors = manuals.validate_answers(version, data)
    assert errors == {}
    assert answers == {
        "uses_cloud": "yes",
        "cloud_name": "gws",
        "tools": ["email", "chat"],
        "interest": 4,
        "it_staff": 2,
        "note": "受注がFAX",
        "top_challenge": None,
    }


def test_required_questions_and_invalid_values_are_errors_naming_the_question(manual):
    _manual, version = manual
    answers, errors = manuals.validate_answers(version, {"it_staff": 500, "tools": ["fax"]})
    assert set(errors) == {"uses_cloud", "it_staff", "tools"}
    assert errors["uses_cloud"][0].startswith("クラウドを使っていますか：")
    # An empty required answer is dropped (None); an invalid one is left out so a stored answer is kept.
    assert answers["uses_cloud"] is None
    assert "it_staff" not in answers
    assert "tools" not in answers


def test_hidden_question_is_not_required_and_its_answer_is_dropped(manual):
    _manual, version = manual
    answers, errors = manuals.validate_answers(version, {"uses_cloud": "no", "cloud_name": "gws"})
    assert errors == {}
    assert answers["cloud_name"] is None
    answers, errors = manuals.validate_answers(version, {"uses_cloud": "yes"})
    assert set(errors) == {"cloud_name"}


def test_api_dict_rejects_unknown_questions_and_wrong_shapes(manual):
    _manual, version = manual
    _answers, errors = manuals.validate_answers(version, {"uses_cloud": "no", "nope": 1, "interest": [1, 2]})
    assert set(errors) == {"nope", "interest"}


# --- Saving and reading ---------------------------------------------------------------------------------------------


def test_answers_save_upserts_with_labels_as_text_and_logs_once(programme, manual, make_user):
    _manual, version = manual
    user = make_user("communicator")
    visit = counted_visit(programme)
    _answer(
        visit,
        version,
        {
            "uses_cloud": "yes",
            "cloud_name": "m365",
            "tools": ["email", "erp"],
            "it_staff": 3,
            "top_challenge": "security",
        },
        actor=user,
    )
    texts = dict(HearingAnswer.objects.filter(visit=visit).values_list("question_key", "text"))
    assert texts == {
        "uses_cloud": "はい",
        "cloud_name": "Microsoft 365",
        "tools": "メール、基幹システム",
        "it_staff": "3人",
        "top_challenge": "情報セキュリティ",
    }
    entries = ChangeLogEntry.objects.filter(object_id=str(visit.pk), note="ヒアリング回答")
    assert entries.count() == 1
    assert entries[0].actor == user
    # Saving the same answers again changes nothing and logs nothing; an emptied answer is deleted.
    _answer(
        visit,
        version,
        {
            "uses_cloud": "yes",
            "cloud_name": "m365",
            "tools": ["email", "erp"],
            "it_staff": 3,
            "top_challenge": "security",
        },
        actor=user,
    )
    assert entries.count() == 1
    _answer(visit, version, {"uses_cloud": "no"}, actor=user)
    assert dict(HearingAnswer.objects.filter(visit=visit).values_list("question_key", "value")) == {"uses_cloud": "no"}
    assert entries.count() == 2


def test_answers_save_refuses_another_programmes_version_and_unknown_keys(programme, other_programme, codes):
    from django.core.exceptions import ValidationError

    _m, version = manual_with_version(other_programme)
    visit = counted_visit(programme)
    with pytest.raises(ValidationError):
        manuals.answers_save(actor=None, visit=visit, version=version, answers={"uses_cloud": "yes"})
    _m2, own = manual_with_version(programme)
    with pytest.raises(ValidationError):
        manuals.answers_save(actor=None, visit=visit, version=own, answers={"ghost": "x"})
    with pytest.raises(ValidationError):
        manuals.answers_save(actor=None, visit=visit, version=own, answers={"uses_cloud": "maybe"})


def test_answers_for_reads_labels_of_the_version_given_in(programme, manual):
    _manual, version = manual
    visit = counted_visit(programme)
    _answer(visit, version, {"uses_cloud": "yes", "cloud_name": "gws", "interest": 5})
    rows = manuals.answers_for(visit)
    assert [(r.question["label"], r.display) for r in rows] == [
        ("クラウドを使っていますか", "はい"),
        ("どのクラウドですか", "Google Workspace"),
        ("経営者のDXへの関心", "5 強い関心（5段階中5）"),
    ]
    _question, value, _display = rows[0]  # unpacks as (question, value, display)
    assert value == "yes"


def test_hearing_form_fields_are_filled_from_the_visit(programme, manual):
    _manual, version = manual
    visit = counted_visit(programme)
    _answer(visit, version, {"uses_cloud": "yes", "cloud_name": "gws", "tools": ["chat"]})
    form = manuals.hearing_form_fields(version, visit)
    assert form["uses_cloud"].value() == "yes"
    assert form["tools"].value() == ["chat"]
    bound = manuals.hearing_form_fields(version, visit, data=QueryDict("hearing-uses_cloud=no"))
    assert bound.is_bound
    assert bound["uses_cloud"].value() == "no"


# --- Statistics ------------------------------------------------------------------------------------------------------


def _stats_by_key(version):
    return {q.question["key"]: q for q in manuals.version_statistics(version).questions}


def test_statistics_count_in_the_database_for_counted_visits_only(programme, manual):
    _manual, version = manual
    for data in (
        {
            "uses_cloud": "yes",
            "cloud_name": "gws",
            "tools": ["email", "chat"],
            "interest": 5,
            "it_staff": 2,
            "note": "紙が多い",
        },
        {"uses_cloud": "yes", "cloud_name": "m365", "tools": ["email"], "interest": 3, "it_staff": 0},
        {"uses_cloud": "no", "tools": ["chat"], "interest": 4},
    ):
        _answer(counted_visit(programme), version, data)
    _answer(counted_visit(programme, status="draft"), version, {"uses_cloud": "no", "interest": 1})
    stats = manuals.version_statistics(version)
    assert stats.visits == 3
    by_key = {q.question["key"]: q for q in stats.questions}
    assert by_key["uses_cloud"].options == [("yes", "はい", 2), ("no", "いいえ", 1)]
    assert by_key["tools"].options == [("email", "メール", 2), ("chat", "チャット", 2), ("erp", "基幹システム", 0)]
    assert by_key["interest"].mean == pytest.approx(4.0)
    assert by_key["interest"].distribution == [("1 関心なし", 0), ("2", 0), ("3", 1), ("4", 1), ("5 強い関心", 1)]
    assert (by_key["it_staff"].mean, by_key["it_staff"].minimum, by_key["it_staff"].maximum) == (1.0, 0.0, 2.0)
    assert by_key["note"].answered == 1
    assert by_key["top_challenge"].answered == 0


def test_statistics_query_count_does_not_grow_with_answers(programme, manual, django_assert_max_num_queries):
    _manual, version = manual
    for index in range(6):
        _answer(counted_visit(programme), version, {"uses_cloud": "no", "tools": ["email"], "interest": 1 + index % 5})
    with django_assert_max_num_queries(8):
        manuals.version_statistics(version)


# --- The versioning guarantee ---------------------------------------------------------------------------------------


def test_old_answers_and_statistics_never_change_when_the_manual_changes(programme, manual):
    """Answer v1; publish v2 that renames a question, removes an option and adds a question. v1 answers still read
    with v1 labels, v1 statistics are unchanged, and v2 answers are counted under v2 only."""
    manual_obj, v1 = manual
    visit = counted_visit(programme)
    _answer(visit, v1, {"uses_cloud": "yes", "cloud_name": "other", "tools": ["erp"], "interest": 4})
    before_rows = manuals.answers_for(visit)
    before_stats = manuals.version_statistics(v1)

    draft = manual_obj.draft_definition
    cloud = next(q for q in draft["sections"][0]["questions"] if q["key"] == "cloud_name")
    interest = next(q for q in draft["sections"][1]["questions"] if q["key"] == "interest")
    manual_question_save(
        actor=None,
        manual=manual_obj,
        section_key="s2",
        question_key="interest",
        values={**interest, "label": "経営者の関心度（印象）"},
    )
    manual_question_save(
        actor=None,
        manual=manual_obj,
        section_key="s1",
        question_key="cloud_name",
        values={**cloud, "options": [o for o in cloud["options"] if o["value"] != "other"]},
    )
    manual_question_save(
        actor=None,
        manual=manual_obj,
        section_key="s1",
        values={
            "key": "telework",
            "kind": "single",
            "label": "テレワーク",
            "options": [{"value": "yes", "label": "実施"}, {"value": "no", "label": "未実施"}],
        },
    )
    manual_question_remove(actor=None, manual=manual_obj, question_key="note")
    manual_obj.refresh_from_db()
    v2 = manual_publish(
        actor=None, manual=manual_obj, valid_from=datetime.date(2026, 9, 1), change_note="改訂", backdate=True
    )

    v1.refresh_from_db()
    assert [q["label"] for _s, q in manuals.iter_questions(v1.definition)][3] == "経営者のDXへの関心"
    assert manuals.answers_for(visit) == before_rows
    assert [(r.question["label"], r.display) for r in manuals.answers_for(visit)] == [
        ("クラウドを使っていますか", "はい"),
        ("どのクラウドですか", "その他"),  # an option v2 removed still reads with its v1 label
        ("使っている道具", "基幹システム"),
        ("経営者のDXへの関心", "4（5段階）"),  # v1's label, not v2's
    ]
    assert manuals.version_statistics(v1) == before_stats

    later = counted_visit(programme, visit_date=datetime.date(2026, 9, 10))
    assert manuals.manual_version_for(programme, later.visit_date) == v2
    _, errors = manuals.validate_answers(v2, {"uses_cloud": "yes", "cloud_name": "other"})
    assert "cloud_name" in errors  # the removed option cannot be answered in v2
    _answer(later, v2, {"uses_cloud": "yes", "cloud_name": "gws", "telework": "yes", "interest": 2})
    assert manuals.version_statistics(v1) == before_stats
    v2_stats = _stats_by_key(v2)
    assert v2_stats["interest"].question["label"] == "経営者の関心度（印象）"
    assert v2_stats["interest"].mean == 2.0
    assert "note" not in v2_stats
    assert v2_stats["telework"].answered == 1
    assert [value for value, _label, _n in v2_stats["cloud_name"].options] == ["m365", "gws"]


def test_code_list_labels_are_frozen_in_the_version(programme, manual, codes):
    _manual, version = manual
    visit = counted_visit(programme)
    _answer(visit, version, {"uses_cloud": "no", "top_challenge": "security"})
    item = codes("challenge", "security")
    item.label_ja = "サイバーセキュリティ"
    item.save()
    assert manuals.answers_for(visit)[-1].display == "情報セキュリティ"
    assert ("security", "情報セキュリティ", 1) in _stats_by_key(version)["top_challenge"].options


@pytest.mark.skipif(connection.vendor not in ("sqlite", "postgresql"), reason="the trigger exists on these only")
def test_the_database_refuses_to_change_a_published_version(manual):
    _manual, version = manual
    version.definition = {"sections": []}
    with pytest.raises(DatabaseError), transaction.atomic():
        version.save()
    version.refresh_from_db()
    with pytest.raises(DatabaseError), transaction.atomic():
        type(version).objects.filter(pk=version.pk).update(valid_from=datetime.date(2020, 1, 1))
    # The change note may still be corrected.
    type(version).objects.filter(pk=version.pk).update(change_note="誤字を修正")
    version.refresh_from_db()
    assert version.change_note == "誤字を修正"
    assert version.definition["sections"]
