"""Hearing-manual screens: reading (HTML, PDF), statistics, and the draft editor through HTMX and plain posts."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse

from kakehashi.outreach import manuals
from kakehashi.outreach.manual_pdf import font_candidates, japanese_font
from kakehashi.outreach.manuals import iter_questions
from kakehashi.outreach.tests.library_factories import counted_visit, manual_with_version

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def manual(programme, codes):
    manual, _version = manual_with_version(programme)
    return manual


def _keys(manual):
    manual.refresh_from_db()
    return [q["key"] for _s, q in iter_questions(manual.draft_definition)]


# --- Reading -------------------------------------------------------------------------------------------------------


def test_communicator_reads_the_version_in_force_with_help(client_for, manual):
    response = client_for("communicator").get(reverse("library:manual_detail", args=[manual.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "クラウドを使っていますか" in html
    assert "メールだけなら「いいえ」。" in html
    assert "「クラウドを使っていますか」が「はい」のとき" in html
    assert reverse("library:manual_draft", args=[manual.pk]) not in html  # no editing for communicators


def test_version_selector_shows_older_versions_and_unknown_versions_are_404(client_for, manual):
    client = client_for("coordinator")
    url = reverse("library:manual_detail", args=[manual.pk])
    assert client.get(url, {"version": "1"}).status_code == 200
    assert client.get(url, {"version": "9"}).status_code == 404
    assert client.get(url, {"version": "x"}).status_code == 404


def test_list_shows_the_programmes_manuals(client_for, manual, other_programme):
    manual_with_version(other_programme)
    response = client_for("partner").get(reverse("library:manual_list"))
    assert response.status_code == 200
    assert list(response.context["manuals"]) == [manual]


def test_pdf_is_a4_with_the_japanese_questions_and_help(client_for, manual):
    response = client_for("communicator").get(reverse("library:manual_pdf", args=[manual.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")
    assert body.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in body  # A4
    _font, embedded = japanese_font()
    assert embedded == bool(font_candidates())
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
        assert "クラウドを使っていますか" in text
        assert "メールだけなら「いいえ」。" in text
        assert "Google Workspace" in text


def test_statistics_page_shows_counts_for_the_chosen_version(client_for, programme, manual):
    version = manual.versions.get()
    answers, _errors = manuals.validate_answers(version, {"uses_cloud": "no", "interest": 4})
    manuals.answers_save(actor=None, visit=counted_visit(programme), version=version, answers=answers)
    response = client_for("prefecture").get(reverse("library:manual_stats", args=[manual.pk]), {"version": "1"})
    assert response.status_code == 200
    assert response.context["stats"].visits == 1
    assert "定義" in response.content.decode()


def test_statistics_are_not_for_coordinators(client_for, manual):
    assert client_for("coordinator").get(reverse("library:manual_stats", args=[manual.pk])).status_code == 404


# --- Editing -------------------------------------------------------------------------------------------------------


def _question_post(**extra):
    return {
        "section": "s1",
        "kind": "single",
        "label": "FAXを使っていますか",
        "help": "受発注で",
        "options": "yes=はい\nいいえ",
        "required": "on",
        **extra,
    }


def test_add_a_question_with_htmx_returns_the_editor(client_for, manual):
    client = client_for("manager")
    url = reverse("library:manual_question_new", args=[manual.pk, "s1"])
    form = client.get(url, **HTMX)
    assert form.status_code == 200
    assert b"<form" in form.content
    assert b"<html" not in form.content
    response = client.post(url, _question_post(), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#draft-editor"
    assert "FAXを使っていますか" in response.content.decode()
    manual.refresh_from_db()
    question = manuals.question_map(manual.draft_definition)["q1"]
    assert question["options"] == [{"value": "yes", "label": "はい"}, {"value": "o1", "label": "いいえ"}]
    assert question["required"] is True


def test_invalid_question_shows_errors_in_the_form(client_for, manual):
    client = client_for("manager")
    url = reverse("library:manual_question_new", args=[manual.pk, "s1"])
    response = client.post(url, _question_post(options="", label=""), **HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert "選択肢を1つ以上入力してください。" in response.content.decode()
    response = client.post(url, _question_post(key="note"), **HTMX)  # a key already used
    assert "このキーは使われたことがあります" in response.content.decode()
    assert _keys(manual) == ["uses_cloud", "cloud_name", "tools", "interest", "it_staff", "note", "top_challenge"]


def test_the_form_rerenders_for_the_chosen_kind(client_for, manual):
    url = reverse("library:manual_question_new", args=[manual.pk, "s1"])
    response = client_for("manager").get(url, {"refresh": "1", "kind": "scale", "label": "関心"}, **HTMX)
    html = response.content.decode()
    assert 'name="scale_max"' in html
    assert 'name="options"' not in html
    assert 'value="関心"' in html


def test_edit_move_and_remove_without_javascript(client_for, manual):
    client = client_for("prefecture")
    edit = reverse("library:manual_question_edit", args=[manual.pk, "note"])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"section": "s2", "kind": "text", "label": "困っていること", "help": "具体的に"})
    assert response.status_code == 302
    assert manuals.question_map(_draft(manual))["note"]["label"] == "困っていること"
    action = reverse("library:manual_question_action", args=[manual.pk, "note"])
    assert client.post(action, {"action": "up"}).status_code == 302
    assert _keys(manual).index("note") == _keys(manual).index("it_staff") - 1
    assert client.post(action, {"action": "remove"}).status_code == 302
    assert "note" not in _keys(manual)
    assert client.post(action, {"action": "up"}).status_code == 404  # gone from the draft


def test_removing_a_question_others_depend_on_shows_why(client_for, manual):
    response = client_for("manager").post(
        reverse("library:manual_question_action", args=[manual.pk, "uses_cloud"]), {"action": "remove"}, **HTMX
    )
    assert response.status_code == 200
    assert "表示条件にしている設問があります" in response.content.decode()
    assert "uses_cloud" in _keys(manual)


def test_sections_are_added_and_edited(client_for, manual):
    client = client_for("manager")
    response = client.post(reverse("library:manual_section_new", args=[manual.pk]), {"title": "次のステップ"}, **HTMX)
    assert response.status_code == 200
    assert [s["title"] for s in _draft(manual)["sections"]][-1] == "次のステップ"
    client.post(reverse("library:manual_section_edit", args=[manual.pk, "s3"]), {"title": "今後", "help": "最後に"})
    assert _draft(manual)["sections"][-1]["help"] == "最後に"
    client.post(reverse("library:manual_section_action", args=[manual.pk, "s3"]), {"action": "up"})
    assert [s["key"] for s in _draft(manual)["sections"]] == ["s1", "s3", "s2"]


def _draft(manual):
    manual.refresh_from_db()
    return manual.draft_definition


def test_preview_renders_the_draft_as_the_visit_form(client_for, manual):
    response = client_for("manager").get(reverse("library:manual_preview", args=[manual.pk]))
    assert response.status_code == 200
    assert 'name="hearing-uses_cloud"' in response.content.decode()


def _future() -> datetime.date:
    """A start date a new version may take: not in the past, not before the first version (the programme start)."""
    from django.utils import timezone

    return max(timezone.localdate(), datetime.date(2026, 4, 1)) + datetime.timedelta(days=1)


def test_publish_creates_the_next_version(client_for, manual):
    client = client_for("manager")
    client.post(reverse("library:manual_question_new", args=[manual.pk, "s1"]), _question_post())
    start = _future()
    response = client.post(
        reverse("library:manual_publish", args=[manual.pk]),
        {"valid_from": start.isoformat(), "change_note": "FAXの設問"},
    )
    assert response.status_code == 302
    version = manual.versions.get(number=2)
    assert version.valid_from == start
    assert version.change_note == "FAXの設問"
    assert response["Location"].endswith("?version=2")
    # Nothing changed since: publishing again is refused with the reason.
    later = (start + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("library:manual_publish", args=[manual.pk]), {"valid_from": later})
    assert response.status_code == 200
    assert "前の版から変更がありません" in response.content.decode()
    assert manual.versions.count() == 2


def test_reset_discards_the_draft(client_for, manual):
    client = client_for("manager")
    client.post(reverse("library:manual_question_new", args=[manual.pk, "s1"]), _question_post())
    client.post(reverse("library:manual_reset", args=[manual.pk]))
    assert "q1" not in _keys(manual)


def test_create_a_manual(client_for, programme):
    response = client_for("manager").post(reverse("library:manual_create"), {"name": "簡易版", "description": ""})
    assert response.status_code == 302
    assert programme.hearing_manuals.get().name == "簡易版"


def test_editing_is_for_editors_of_that_programme(client_for, manual, other_programme):
    for actor in ("communicator", "coordinator", "partner"):
        assert client_for(actor).get(reverse("library:manual_draft", args=[manual.pk])).status_code == 404
    other, _v = manual_with_version(other_programme)
    assert client_for("manager").get(reverse("library:manual_draft", args=[other.pk])).status_code == 404
    assert client_for("manager").get(reverse("library:manual_detail", args=[other.pk])).status_code == 404


def test_pdf_of_a_choice_question_without_choices_still_renders(client_for, programme):
    # No code list loaded: the code-list question has nothing to offer, the PDF says so instead of failing.
    manual, _version = manual_with_version(programme)
    response = client_for("partner").get(reverse("library:manual_pdf", args=[manual.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


# --- Inside the visit form (the visit screens call outreach/manuals.py) ----------------------------------------------


def test_visit_form_shows_the_version_in_force_and_saves_its_answers(client_for, visit_programme, codes):
    import uuid

    from kakehashi.outreach.models import HearingAnswer, Visit

    _manual, version = manual_with_version(visit_programme)
    client = client_for("communicator")
    url = reverse("outreach:visit_edit", args=[uuid.uuid4()])
    html = client.get(url).content.decode()
    assert 'name="hearing-uses_cloud"' in html
    assert "メールだけなら「いいえ」。" in html
    response = client.post(
        url,
        {
            "action": "draft",
            "visit_date": visit_programme.start_date + datetime.timedelta(days=3),
            "hearing-uses_cloud": "yes",
            "hearing-cloud_name": "gws",
            "hearing-tools": ["email", "chat"],
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    answers = {a.question_key: (a.version_id, a.value) for a in HearingAnswer.objects.filter(visit=visit)}
    assert answers == {
        "uses_cloud": (version.pk, "yes"),
        "cloud_name": (version.pk, "gws"),
        "tools": (version.pk, ["email", "chat"]),
    }
    detail = client.get(reverse("outreach:visit_detail", args=[visit.uuid])).content.decode()
    assert "Google Workspace" in detail
