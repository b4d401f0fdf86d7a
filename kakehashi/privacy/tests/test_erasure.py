"""A deletion request erases one person everywhere, keeps the visit facts and the counts, and is logged."""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse

from kakehashi.privacy.choices import ERASED_TEXT, ErasureStatus
from kakehashi.privacy.erasure import person_terms, register_eraser, registered_erasers, scrub_text
from kakehashi.privacy.models import AccessLogEntry, ErasureRequest
from kakehashi.privacy.services import erasure_request_execute, erasure_request_register, erasure_request_review

pytestmark = pytest.mark.django_db
VALUES = ["山田 太郎", "山田太郎", "ヤマダ タロウ", "taro.yamada@example.jp", "023-630-2211", "0236302211"]


def _traces(values) -> list[str]:
    """Every text or JSON column of every table (and the SQLite search index) that still holds one of `values`."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.EmailField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *[f.attname for f in fields]).iterator():
            for field_obj, value in zip(fields, row[1:], strict=True):
                text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
                for needle in values:
                    if text and needle.lower() in text.lower():
                        found.append(f"{model._meta.label}.{field_obj.name}#{row[0]}: {needle}")
    if connection.vendor == "sqlite":
        from kakehashi.outreach.search import FTS_TABLE, fts_available

        if fts_available():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT rowid, search_text FROM {FTS_TABLE}")  # noqa: S608
                for rowid, text in cursor.fetchall():
                    found += [f"fts#{rowid}: {v}" for v in values if text and v.lower() in text.lower()]
    return found


@pytest.fixture
def person(demo_data):
    """The demo contact, also named in the visit's summary, a hearing answer, a draft and the change log."""
    from kakehashi.companies.services import contact_update
    from kakehashi.outreach.models import HearingAnswer, Visit
    from kakehashi.outreach.search import visit_search_refresh

    contact, visit = demo_data["contact"], demo_data["visit"]
    manager = demo_data["users"]["manager"]
    contact_update(actor=manager, contact=contact, name_kana="ヤマダ タロウ", phone="023-630-2211")
    Visit.objects.filter(pk=visit.pk).update(
        summary=visit.summary + "\n山田太郎 総務課長（taro.yamada@example.jp、0236302211）と面談。在庫管理に関心。",
        next_action="山田 太郎様へ補助金資料を送付",
        draft_data={"contact": {"name": "山田 太郎", "email": "taro.yamada@example.jp"}},
    )
    answer = HearingAnswer.objects.filter(visit=visit).first()
    if answer is not None:
        HearingAnswer.objects.filter(pk=answer.pk).update(text="窓口は山田太郎さん")
    visit_search_refresh(Visit.objects.get(pk=visit.pk))
    return demo_data


def _approved(person):
    users = person["users"]
    erasure = erasure_request_register(
        actor=users["manager"], contact=person["contact"], channel="email", received_on=person["today"]
    )
    return erasure_request_review(actor=users["pref"], erasure=erasure, approve=True, comment="本人確認済み")


def test_execution_leaves_no_trace_and_keeps_the_counts(person):
    from kakehashi.insights.kpis import compute_progress
    from kakehashi.outreach.models import Visit

    programme, today = person["programme"], person["today"]
    assert _traces(VALUES), "the fixture put the values in"
    figures = compute_progress(programme, today=today)
    figures.pop("computed_at")
    visits = Visit.objects.count()
    facts = list(Visit.objects.order_by("pk").values_list("pk", "company_id", "visit_date", "status", "contact_id"))
    erasure = _approved(person)

    erasure = erasure_request_execute(actor=person["users"]["pref"], erasure=erasure)

    assert _traces(VALUES) == []
    after = compute_progress(programme, today=today)
    after.pop("computed_at")
    assert after == figures, "the dashboard's counts do not change"
    assert Visit.objects.count() == visits
    assert (
        list(Visit.objects.order_by("pk").values_list("pk", "company_id", "visit_date", "status", "contact_id"))
        == facts
    )
    visit = Visit.objects.get(pk=person["visit"].pk)
    assert ERASED_TEXT in visit.summary
    assert "在庫管理に関心" in visit.summary, "the rest of the summary stays"
    assert visit.contact.name == ERASED_TEXT
    assert (visit.contact.email, visit.contact.phone, visit.contact.title) == ("", "", "")
    assert erasure.status == ErasureStatus.EXECUTED
    assert erasure.result["companies.contact:contact"] == 1
    assert erasure.result["outreach.visit:visit"] >= 1
    assert erasure.result["core.changelog"] >= 1
    entry = AccessLogEntry.objects.get(action="erasure_execute")
    assert entry.actor == person["users"]["pref"]
    from kakehashi.core.changelog import history_for

    assert history_for(erasure).filter(note="erasure executed").exists()


def test_it_takes_two_people_and_an_approval(person):
    users = person["users"]
    erasure = erasure_request_register(
        actor=users["manager"], contact=person["contact"], channel="phone", received_on=person["today"]
    )
    with pytest.raises(ValidationError):
        erasure_request_execute(actor=users["manager"], erasure=erasure)
    with pytest.raises(ValidationError):
        erasure_request_review(actor=users["manager"], erasure=erasure, approve=True)
    with pytest.raises(ValidationError):
        erasure_request_register(
            actor=users["pref"], contact=person["contact"], channel="phone", received_on=person["today"]
        )
    rejected = erasure_request_review(actor=users["pref"], erasure=erasure, approve=False, comment="本人確認できず")
    assert rejected.status == ErasureStatus.REJECTED
    with pytest.raises(ValidationError):
        erasure_request_execute(actor=users["pref"], erasure=rejected)
    assert person["contact"].__class__.objects.get(pk=person["contact"].pk).name == "山田 太郎"


def test_the_request_itself_keeps_no_name(person):
    erasure = _approved(person)
    assert "山田" not in erasure.subject_label
    assert erasure.subject_label.startswith("担当者 #")


def test_later_apps_plug_in_their_eraser(person):
    seen = []

    def erase_events(subject, *, actor):
        seen.append(subject.terms)
        return {"registration": 2}

    from kakehashi.privacy import erasure as registry

    before = list(registry._ERASERS)
    register_eraser("later.app", erase_events)
    try:
        assert "later.app" in registered_erasers()
        erasure = erasure_request_execute(actor=person["users"]["pref"], erasure=_approved(person))
    finally:
        registry._ERASERS[:] = before
    assert erasure.result["later.app:registration"] == 2
    assert "taro.yamada@example.jp" in seen[0]
    assert registered_erasers()[-1] == "core.changelog", "the change-log scrubber runs last"


def test_events_and_portal_forget_the_person_but_keep_their_counts(person):
    from kakehashi.events.models import Registration, SurveyResponse
    from kakehashi.events.tests.factories import RegistrationFactory
    from kakehashi.portal.models import ConsultationRequest, Subscriber
    from kakehashi.portal.tests.factories import ConsultationRequestFactory, SubscriberFactory

    contact = person["contact"]
    registration = RegistrationFactory(
        event__programme=person["programme"],
        name="山田　太郎",
        name_key="山田太郎",
        company_id=contact.company_id,
        email="",
        email_key="",
        role_title="総務課長",
        answers={"note": "山田太郎です。車で伺います"},
    )
    by_email = RegistrationFactory(
        name="ヤマダ タロウ", email="Taro.Yamada@example.jp", email_key="taro.yamada@example.jp"
    )
    SurveyResponse.objects.create(
        registration=by_email, version=_survey_version(by_email), answers={"comment": "山田太郎：とても参考になった"}
    )
    someone_else = RegistrationFactory(event=registration.event, name="佐藤 花子", name_key="佐藤花子")
    ConsultationRequestFactory(
        person_name="山田太郎", email="taro.yamada@example.jp", phone="023-630-2211", message="山田太郎より相談"
    )
    other_request = ConsultationRequestFactory(person_name="鈴木 一郎")
    SubscriberFactory(email="taro.yamada@example.jp")
    SubscriberFactory(email="someone@example.jp")

    erasure = erasure_request_execute(actor=person["users"]["pref"], erasure=_approved(person))

    assert _traces(VALUES) == []
    assert erasure.result["events.registrations:registration"] == 2
    assert erasure.result["portal.consultations:consultation"] == 1
    assert erasure.result["portal.subscribers:subscriber"] == 1
    assert Registration.objects.count() == 3, "attendance counts stay"
    assert Registration.objects.get(pk=registration.pk).name == ERASED_TEXT
    assert Registration.objects.get(pk=someone_else.pk).name == "佐藤 花子"
    assert ConsultationRequest.objects.get(pk=other_request.pk).person_name == "鈴木 一郎"
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone@example.jp"]


def _survey_version(registration):
    from kakehashi.events.models import Questionnaire, QuestionnaireVersion

    questionnaire = Questionnaire.objects.create(event=registration.event, purpose="survey")
    return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, definition=[])


def test_terms_cover_spellings_and_do_not_over_match():
    terms = person_terms(names=["山田 太郎"], emails=["Taro@Example.jp"], phones=["023-630-2211"])
    assert (
        scrub_text("山田　太郎さん、TARO@example.jp、0236302211", terms)
        == "（削除済み）さん、（削除済み）、（削除済み）"
    )
    assert scrub_text("山田町の工場", terms) == "山田町の工場"


def test_the_screens_walk_through_register_review_execute(person, client):
    from kakehashi.privacy.models import ErasureRequest as Model

    users = person["users"]
    client.force_login(users["manager"])
    found = client.get(reverse("privacy:erasure_create"), {"q": "山田"}).content.decode()
    assert "山田 太郎" in found
    response = client.post(
        reverse("privacy:erasure_create"),
        {"contact": person["contact"].pk, "channel": "written", "received_on": "2026-07-30", "note": "書面で受付"},
    )
    erasure = Model.objects.get()
    assert response.url == reverse("privacy:erasure_detail", args=[erasure.pk])
    client.force_login(users["pref"])
    client.post(reverse("privacy:erasure_review", args=[erasure.pk]), {"decision": "approve"})
    client.post(reverse("privacy:erasure_execute", args=[erasure.pk]))
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.EXECUTED
    page = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()
    assert "削除済み" in page
    assert "山田 太郎" not in page
    assert ErasureRequest.objects.count() == 1
