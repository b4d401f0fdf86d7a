import datetime

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.companies.tests.factories import CodeItemFactory, CompanyFactory, IndustryFactory
from kakehashi.core.changelog import history_for
from kakehashi.portal import services
from kakehashi.portal.choices import ArticleStatus, ConsultationStatus, RevisionStatus, SubscriberStatus
from kakehashi.portal.models import ITCompany, Subscriber
from kakehashi.portal.selectors import directory_for_public, published_articles

from .factories import ITCompanyFactory, SubscriberFactory, challenge

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def editor():
    return UserFactory(roles=["manager"])


def _article_values(**overrides):
    values = {
        "kind": "subsidy",
        "title": "ものづくり補助金の公募が始まりました",
        "summary": "第20次公募の概要と申請のポイント",
        "body": "## 概要\n\n補助上限は**1,250万円**です。",
        "status": ArticleStatus.DRAFT,
        "published_at": None,
        "tags": ["補助金", "製造業"],
        "challenges": [],
    }
    values.update(overrides)
    return values


# --- Articles ----------------------------------------------------------------------------------------------------


def test_article_create_renders_sanitised_html_and_logs(editor):
    article = services.article_create(actor=editor, values=_article_values(challenges=[challenge()]))
    assert "<h2>概要</h2>" in article.body_html
    assert "<strong>1,250万円</strong>" in article.body_html
    assert sorted(article.tags.values_list("name", flat=True)) == sorted(["製造業", "補助金"])
    assert "補助金" in article.search_text
    assert "顧客対応・販売" in article.search_text
    assert history_for(article).filter(action="create").exists()
    assert not published_articles().filter(pk=article.pk).exists()  # a draft is not public


def test_publishing_without_a_date_publishes_now(editor):
    article = services.article_create(actor=editor, values=_article_values())
    before = timezone.now()
    services.article_update(actor=editor, article=article, values={"status": ArticleStatus.PUBLISHED})
    article.refresh_from_db()
    assert article.published_at >= before
    assert published_articles().filter(pk=article.pk).exists()
    entry = history_for(article).filter(action="update").first()
    assert entry.changes["status"] == ["draft", "published"]


def test_scheduled_article_is_public_only_from_its_date(editor):
    later = timezone.now() + datetime.timedelta(days=2)
    article = services.article_create(
        actor=editor, values=_article_values(status=ArticleStatus.PUBLISHED, published_at=later)
    )
    assert not published_articles().filter(pk=article.pk).exists()
    assert published_articles(now=later + datetime.timedelta(minutes=1)).filter(pk=article.pk).exists()


def test_article_update_logs_tag_changes(editor):
    article = services.article_create(actor=editor, values=_article_values())
    services.article_update(actor=editor, article=article, values={"tags": ["補助金", "IT導入"]})
    entry = history_for(article).filter(action="update").first()
    assert entry.changes["tags"] == [sorted(["製造業", "補助金"]), sorted(["IT導入", "補助金"])]


def test_article_refuses_too_many_tags(editor):
    with pytest.raises(ValidationError):
        services.article_create(actor=editor, values=_article_values(tags=[f"タグ{i}" for i in range(11)]))


def test_image_upload_sniffs_the_type(editor):
    image = services.article_image_upload(
        actor=editor, upload=SimpleUploadedFile("chart.png", PNG, content_type="text/plain"), alt="グラフ"
    )
    assert image.content_type == "image/png"
    assert image.markdown == f"![グラフ](/portal/images/{image.pk}/)"


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<html><script>x</script>",
        b"%PDF-1.7",
    ],
)
def test_image_upload_refuses_what_is_not_a_raster_image(editor, content):
    upload = SimpleUploadedFile("evil.png", content, content_type="image/png")
    with pytest.raises(ValidationError):
        services.article_image_upload(actor=editor, upload=upload)


def test_image_upload_refuses_oversized_files(editor, settings):
    settings.KAKEHASHI_PORTAL_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        services.article_image_upload(actor=editor, upload=SimpleUploadedFile("big.png", PNG + b"\x00" * 200))


# --- Directory ---------------------------------------------------------------------------------------------------


@pytest.fixture
def member():
    return UserFactory(roles=["it_company_member"])


def test_member_revision_waits_for_approval_then_publishes(editor, member):
    ai = challenge("automation", "自動化・データ分析")
    manufacturing = IndustryFactory(code="E", name="製造業")
    company = ITCompanyFactory(summary="古い紹介文", members=[member])
    revision = services.itcompany_revision_submit(
        actor=member,
        it_company=company,
        values={"summary": "製造業向けのAI画像検査", "challenges": [ai], "industries": [manufacturing]},
    )
    assert revision.status == RevisionStatus.PENDING
    company.refresh_from_db()
    assert company.summary == "古い紹介文"  # the public still sees the approved version
    assert not directory_for_public().filter(challenges=ai).exists()

    services.itcompany_revision_approve(actor=editor, revision=revision)
    company.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert revision.decided_by == editor
    assert company.summary == "製造業向けのAI画像検査"
    assert list(company.challenges.all()) == [ai]
    assert list(company.industries.all()) == [manufacturing]
    assert "ai画像検査" in company.search_text  # normalised (lower case) for search
    assert directory_for_public().filter(challenges=ai, pk=company.pk).exists()


def test_new_profile_is_listed_only_after_first_approval(editor, member):
    company = ITCompanyFactory(approved=False, approved_at=None, members=[member])
    assert not directory_for_public().filter(pk=company.pk).exists()
    revision = services.itcompany_revision_submit(actor=member, it_company=company, values={"summary": "新しい紹介"})
    services.itcompany_revision_approve(actor=editor, revision=revision)
    assert directory_for_public().filter(pk=company.pk).exists()


def test_second_proposal_replaces_the_pending_one(member):
    company = ITCompanyFactory(members=[member])
    first = services.itcompany_revision_submit(actor=member, it_company=company, values={"summary": "案1"})
    second = services.itcompany_revision_submit(actor=member, it_company=company, values={"summary": "案2"})
    assert first.pk == second.pk
    assert company.revisions.count() == 1
    assert company.revisions.get().data["summary"] == "案2"


def test_non_member_cannot_propose(member):
    company = ITCompanyFactory()
    with pytest.raises(ValidationError):
        services.itcompany_revision_submit(actor=member, it_company=company, values={"summary": "乗っ取り"})


def test_invalid_proposal_is_refused(member):
    company = ITCompanyFactory(members=[member])
    with pytest.raises(ValidationError):
        services.itcompany_revision_submit(actor=member, it_company=company, values={"summary": ""})
    assert not company.revisions.exists()


def test_reject_needs_a_reason_and_keeps_the_profile(editor, member):
    company = ITCompanyFactory(summary="承認済み", members=[member])
    revision = services.itcompany_revision_submit(actor=member, it_company=company, values={"summary": "誇大広告"})
    with pytest.raises(ValidationError):
        services.itcompany_revision_reject(actor=editor, revision=revision, note=" ")
    services.itcompany_revision_reject(actor=editor, revision=revision, note="根拠を示してください")
    company.refresh_from_db()
    assert company.summary == "承認済み"
    with pytest.raises(ValidationError):  # decided once
        services.itcompany_revision_approve(actor=editor, revision=revision)


def test_one_directory_profile_per_registry_company(editor):
    registry = CompanyFactory(name="株式会社みやぎソフト")
    services.itcompany_create(actor=editor, values={"name": "みやぎソフト", "summary": "受託開発", "company": registry})
    with pytest.raises(ValidationError):
        services.itcompany_create(
            actor=editor, values={"name": "みやぎソフト2", "summary": "受託", "company": registry}
        )


def test_staff_create_with_members_and_listing(editor, member):
    company = services.itcompany_create(
        actor=editor, values={"name": "青葉クラウド", "summary": "クラウド導入"}, members=[member], approved=True
    )
    assert company.approved
    assert company.approved_at
    assert list(company.members.all()) == [member]
    services.itcompany_update(actor=editor, it_company=company, values={"approved": False})
    company.refresh_from_db()
    assert not company.approved
    assert company.approved_at is None


# --- Consultation requests -----------------------------------------------------------------------------------------


def _consultation(**overrides):
    values = {
        "company_name": "株式会社 山形精密",
        "person_name": "木村 亮",
        "email": "kimura@example.jp",
        "phone": "023-123-4567",
        "municipality": None,
        "message": "受注管理を紙からシステムに移したい",
        "consent": True,
    }
    values.update(overrides)
    return values


def test_consultation_matches_the_registry_company(settings):
    settings.KAKEHASHI_PORTAL_CONSULTATION_NOTIFY = ["foundation@example.jp"]
    registry = CompanyFactory(name="株式会社山形精密")
    CompanyFactory(name="株式会社仙台商事")
    with_challenge = challenge()
    # on_commit runs at the end of the atomic block in tests with captureOnCommitCallbacks
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        request = services.consultation_submit(values=_consultation(), challenges=[with_challenge])
    assert request.company == registry
    assert request.match_score >= services.CONSULTATION_MATCH_SCORE
    assert request.match_reasons
    assert request.status == ConsultationStatus.NEW
    assert list(request.challenges.all()) == [with_challenge]
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["foundation@example.jp"]
    assert "kimura@example.jp" not in notice.body
    assert "木村" not in notice.body
    entry = history_for(request).get()
    assert "email" not in entry.changes
    assert "person_name" not in entry.changes


def test_consultation_without_a_registry_match_is_kept_unlinked():
    CompanyFactory(name="株式会社仙台商事")
    request = services.consultation_submit(values=_consultation(company_name="まったく別の名前の工房"))
    assert request.company is None
    assert request.match_score is None


def test_consultation_requires_consent():
    with pytest.raises(ValidationError) as error:
        services.consultation_submit(values=_consultation(consent=False))
    assert "consent" in error.value.message_dict


def test_consultation_update_closes_and_reopens(editor):
    request = services.consultation_submit(values=_consultation())
    services.consultation_update(
        actor=editor, consultation=request, status=ConsultationStatus.DONE, staff_note="訪問済"
    )
    request.refresh_from_db()
    assert request.closed_at is not None
    services.consultation_update(actor=editor, consultation=request, status=ConsultationStatus.IN_PROGRESS)
    request.refresh_from_db()
    assert request.closed_at is None
    changes = history_for(request).filter(action="update").first().changes
    assert set(changes) <= set(services.CONSULTATION_LOGGED_FIELDS)


# --- Mail magazine: double opt-in, one-click unsubscribe ------------------------------------------------------------


def _subscribe(email="Reader@Example.jp"):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.subscriber_request(email=email, base_url="https://portal.example.jp")


def _link_token(message) -> str:
    line = next(line for line in message.body.splitlines() if "/mail-magazine/confirm/" in line)
    return line.rstrip("/").rsplit("/", 1)[-1]


def test_sign_up_is_pending_until_the_link_is_followed():
    subscriber = _subscribe()
    assert subscriber.email == "reader@example.jp"
    assert subscriber.status == SubscriberStatus.PENDING
    assert len(mail.outbox) == 1
    assert "https://portal.example.jp/portal/mail-magazine/confirm/" in mail.outbox[0].body
    token = _link_token(mail.outbox[0])
    found = services.subscriber_for_confirm_token(token)
    assert found == subscriber
    services.subscriber_confirm(subscriber=found)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.confirmed_at


def test_tampered_or_expired_confirmation_links_are_refused():
    import time
    from unittest import mock

    subscriber = _subscribe()
    token = _link_token(mail.outbox[0])
    assert services.subscriber_for_confirm_token(token[:-2] + "xx") is None
    assert services.subscriber_for_confirm_token(signing.dumps([subscriber.pk, ""], salt="another-salt")) is None
    assert services.subscriber_for_unsubscribe_token(token) is None  # a confirm token is not an unsubscribe token
    eight_days = time.time() + 8 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=eight_days):
        assert services.subscriber_for_confirm_token(token) is None
    assert services.subscriber_for_confirm_token(token) == subscriber


def test_only_the_latest_confirmation_link_works():
    subscriber = _subscribe()
    first = _link_token(mail.outbox[0])
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmation_sent_at=timezone.now() - datetime.timedelta(seconds=services.RESEND_INTERVAL + 1)
    )
    _subscribe()
    assert len(mail.outbox) == 2
    assert services.subscriber_for_confirm_token(first) is None
    assert services.subscriber_for_confirm_token(_link_token(mail.outbox[1])) == subscriber


def test_repeated_sign_up_does_not_flood_or_reveal():
    _subscribe()
    _subscribe()  # within the resend interval: no second mail
    assert len(mail.outbox) == 1
    confirmed = SubscriberFactory(email="known@example.jp")
    again = _subscribe("known@example.jp")
    assert again == confirmed
    assert again.status == SubscriberStatus.CONFIRMED
    assert len(mail.outbox) == 1  # a confirmed address gets nothing


def test_unsubscribe_and_subscribe_again():
    subscriber = SubscriberFactory()
    token = services.unsubscribe_token(subscriber)
    assert services.subscriber_for_unsubscribe_token(token) == subscriber
    services.subscriber_unsubscribe(subscriber=subscriber)
    services.subscriber_unsubscribe(subscriber=subscriber)  # twice is harmless
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at
    again = _subscribe(subscriber.email)
    assert again.status == SubscriberStatus.PENDING
    assert len(mail.outbox) == 1
    assert services.subscriber_for_unsubscribe_token("nonsense") is None


def test_issue_goes_to_confirmed_subscribers_with_one_click_headers(editor):
    reader = SubscriberFactory()
    SubscriberFactory(status=SubscriberStatus.PENDING, confirmed_at=None)
    SubscriberFactory(status=SubscriberStatus.UNSUBSCRIBED)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        issue = services.magazine_issue_send(
            actor=editor, subject="12月号", body="今月の補助金情報", base_url="https://portal.example.jp"
        )
    assert issue.recipients == 1
    assert [m.to for m in mail.outbox] == [[reader.email]]
    message = mail.outbox[0].message()
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://portal.example.jp/portal/mail-magazine/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in mail.outbox[0].body


def test_itcompany_factory_contract():
    """The community app relies on these names (issue #8 contract)."""
    fields = {f.name for f in ITCompany._meta.get_fields()}
    assert {"name", "company", "summary", "challenges", "industries", "region", "employees_band", "approved"} <= fields
    assert "members" in fields
    CodeItemFactory(list="employees", code="e_6_20", label_ja="6〜20人")
