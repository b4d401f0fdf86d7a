"""The portal's screens end to end through the test client: what a visitor, a member and staff do."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kakehashi.companies.tests.factories import CodeItemFactory, CompanyFactory, IndustryFactory, RegionFactory
from kakehashi.portal.choices import RevisionStatus, SubscriberStatus
from kakehashi.portal.models import Article, ArticleImage, ConsultationRequest, ITCompany, Subscriber

from .factories import ArticleFactory, ConsultationRequestFactory, ITCompanyFactory, SubscriberFactory, challenge

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- Public pages --------------------------------------------------------------------------------------------------


def test_home_lists_published_news_and_has_seo_tags(client):
    ArticleFactory(title="公開中の記事")
    ArticleFactory(title="下書きの記事", status="draft", published_at=None)
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert "公開中の記事" in html
    assert "下書きの記事" not in html
    assert '<meta name="description"' in html
    assert 'property="og:title"' in html
    assert 'class="skip-link"' in html
    assert 'href="#main"' in html
    assert reverse("portal:directory") in html
    assert reverse("portal:magazine") in html


def test_article_page_shows_sanitised_body_and_meta(client):
    article = ArticleFactory(title="事例：在庫管理", summary="紙の台帳からの移行", body="本文<script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>事例：在庫管理 |" in html
    assert '<meta name="description" content="紙の台帳からの移行">' in html
    assert 'property="og:type" content="article"' in html
    assert "<script>alert(1)" not in html


def test_article_list_filters_by_kind_and_tag(client):
    subsidy = ArticleFactory(kind="subsidy", title="補助金の記事")
    ArticleFactory(kind="policy", title="施策の記事")
    response = client.get(reverse("portal:article_list"), {"kind": "subsidy"})
    assert list(response.context["page"]) == [subsidy]
    subsidy.tags.create(name="IT導入")
    response = client.get(reverse("portal:article_list"), {"tag": "IT導入"})
    assert list(response.context["page"]) == [subsidy]


def test_directory_filters_and_htmx_partial(client, django_assert_max_num_queries):
    ai = challenge("automation", "自動化・データ分析")
    manufacturing = IndustryFactory(code="E", name="製造業")
    region = RegionFactory(name="仙台")
    size = CodeItemFactory(list="employees", code="e6_20", label_ja="6〜20人")
    match = ITCompanyFactory(name="杜の都AI", region=region, employees_band=size)
    match.challenges.add(ai)
    match.industries.add(manufacturing)
    ITCompanyFactory(name="別の会社")
    ITCompanyFactory(name="非公開のAI", approved=False, approved_at=None)
    for i in range(25):
        ITCompanyFactory(name=f"埋め草{i}").challenges.add(challenge(f"c{i}", f"課題{i}"))
    url = reverse("portal:directory")
    query = {"challenge": "automation", "industry": "E", "region": region.code, "size": "e6_20"}
    response = client.get(url, query)
    assert list(response.context["page"]) == [match]
    with django_assert_max_num_queries(12):
        response = client.get(url)  # a full page of 20 cards with their challenges
    assert response.context["page"].paginator.count == 27
    partial = client.get(url, {"q": "AI"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "杜の都AI" in body
    assert "非公開のAI" not in body
    assert "<html" not in body


def test_unknown_filter_codes_are_ignored(client):
    ITCompanyFactory()
    response = client.get(reverse("portal:directory"), {"challenge": "no_such_code"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def test_search_page_finds_articles_and_companies_with_two_characters(client):
    ArticleFactory(title="在庫を減らした事例")
    ITCompanyFactory(name="在庫クラウド", summary="在庫管理SaaS")
    response = client.get(reverse("portal:search"), {"q": "在庫"})
    assert len(response.context["articles"]) == 1
    assert len(response.context["companies"]) == 1
    assert b"noindex" in response.content


def test_sitemap_and_robots(client):
    public = ArticleFactory()
    draft = ArticleFactory(status="draft", published_at=None)
    listed = ITCompanyFactory()
    hidden = ITCompanyFactory(approved=False, approved_at=None)
    xml = client.get("/sitemap.xml").content.decode()
    assert xml.startswith("<?xml")
    assert f"http://testserver{public.get_absolute_url()}" in xml
    assert f"{listed.get_absolute_url()}<" in xml
    assert f"/news/{draft.pk}/<" not in xml
    assert f"/it-companies/{hidden.pk}/<" not in xml
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /portal/manage/" in robots


def test_consultation_form_creates_a_matched_lead(client):
    registry = CompanyFactory(name="株式会社仙台精工")
    challenge()
    response = client.post(
        reverse("portal:consultation"),
        {
            "company_name": "（株）仙台精工",
            "person_name": "佐藤 花子",
            "email": "hanako@example.jp",
            "phone": "022-111-2222",
            "challenges": ["sales"],
            "message": "ECサイトを始めたい",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:consultation_thanks")
    lead = ConsultationRequest.objects.get()
    assert lead.company == registry
    assert [c.code for c in lead.challenges.all()] == ["sales"]


def test_consultation_form_shows_errors_and_needs_consent(client):
    response = client.post(reverse("portal:consultation"), {"company_name": "商店", "email": "bad"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"person_name", "email", "message", "consent"} <= set(form.errors)
    assert not ConsultationRequest.objects.exists()


def test_consultation_honeypot_is_accepted_silently_but_stores_nothing(client):
    data = {"company_name": "ボット", "person_name": "x", "email": "x@example.jp", "message": "spam", "consent": "on"}
    response = client.post(reverse("portal:consultation"), {**data, "homepage": "http://spam.example"})
    assert response.status_code == 302
    assert not ConsultationRequest.objects.exists()


def test_magazine_double_opt_in_through_the_pages(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:magazine"), {"email": "Reader@Example.jp"})
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    path = link.replace("http://testserver", "")
    page = client.get(path)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200
    assert "登録を確定する" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    client.post(path)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert client.get(reverse("portal:magazine_confirm", kwargs={"token": "forged:token"})).status_code == 404


def test_one_click_unsubscribe_needs_no_csrf_token():
    from kakehashi.portal.services import unsubscribe_token

    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)
    url = reverse("portal:magazine_unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_unsubscribe_link_in_a_browser_asks_first(client):
    from kakehashi.portal.services import unsubscribe_token

    subscriber = SubscriberFactory()
    url = reverse("portal:magazine_unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})
    assert "配信を停止する" in client.get(url).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


# --- Staff and members ---------------------------------------------------------------------------------------------


def test_editor_writes_previews_and_publishes_an_article(client_for):
    client = client_for("coordinator")
    preview = client.post(reverse("portal:article_preview"), {"body": "## 見出し\n<script>x</script>"})
    assert "<h2>見出し</h2>" in preview.content.decode()
    assert "<script>" not in preview.content.decode()
    response = client.post(
        reverse("portal:article_create"),
        {
            "title": "IT導入補助金の説明会",
            "kind": "subsidy",
            "summary": "12月に説明会を開きます",
            "body": "## 日時\n\n12月10日",
            "tags": "補助金、説明会",
            "status": "published",
            "published_at": "",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.published_at is not None
    assert sorted(article.tags.values_list("name", flat=True)) == sorted(["補助金", "説明会"])
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_image_upload_and_safe_serving(client_for):
    client = client_for("manager")
    client.post(reverse("portal:image_upload"), {"file": SimpleUploadedFile("a.png", PNG), "alt": "図"})
    image = ArticleImage.objects.get()
    response = Client().get(image.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    refused = client.post(
        reverse("portal:image_upload"), {"file": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>"), "alt": "x"}
    )
    assert refused.context["image_form"].errors
    assert ArticleImage.objects.count() == 1


def test_member_proposes_and_staff_approve_through_the_screens(client, make_user):
    member = make_user("it_company_member")
    company = ITCompanyFactory(name="広瀬川ソフト", summary="旧", members=[member])
    client.force_login(member)
    data = {"name": "広瀬川ソフト", "summary": "農業向けIoTセンサー", "description": "圃場の見える化"}
    response = client.post(reverse("portal:profile_propose", kwargs={"pk": company.pk}), data)
    assert response.status_code == 302
    revision = company.revisions.get()
    assert Client().get(company.get_absolute_url()).content.decode().count("農業向けIoTセンサー") == 0

    staff = Client()
    staff.force_login(make_user("prefecture"))
    review = staff.get(reverse("portal:revision_review", kwargs={"pk": revision.pk}))
    assert "農業向けIoTセンサー" in review.content.decode()
    staff.post(reverse("portal:revision_review", kwargs={"pk": revision.pk}), {"decision": "approve", "note": ""})
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert "農業向けIoTセンサー" in Client().get(company.get_absolute_url()).content.decode()


def test_staff_register_an_it_company(client_for):
    client = client_for("manager")
    response = client.post(
        reverse("portal:itcompany_create"), {"name": "新規システム", "summary": "受託開発", "approved": "on"}
    )
    assert response.status_code == 302
    assert ITCompany.objects.get().approved


def test_consultation_contact_is_only_shown_to_handlers(client_for):
    lead = ConsultationRequestFactory(email="secret@example.jp", person_name="非公開 太郎")
    url = reverse("portal:consultation_detail", kwargs={"pk": lead.pk})
    assert "secret@example.jp" in client_for("coordinator").get(url).content.decode()
    prefecture_view = client_for("prefecture").get(url).content.decode()
    assert "secret@example.jp" not in prefecture_view
    assert "非公開 太郎" not in prefecture_view
    api = client_for("prefecture").get("/api/v1/portal/consultations").json()
    assert api["items"][0]["email"] is None
    assert api["items"][0]["company_name"] == lead.company_name
    api = client_for("manager").get("/api/v1/portal/consultations").json()
    assert api["items"][0]["email"] == "secret@example.jp"


def test_subscriber_export_is_formula_safe_and_only_confirmed(client_for):
    SubscriberFactory(email="=cmd@example.jp")
    SubscriberFactory(email="pending@example.jp", status="pending", confirmed_at=None)
    response = client_for("coordinator").get(reverse("portal:subscriber_export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=cmd@example.jp" in body
    assert "pending@example.jp" not in body


def test_page_views_on_dashboard_and_api(client_for, programme):
    visitor = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/130")
    visitor.get(reverse("portal:home"))
    visitor.get(reverse("portal:home"))
    client = client_for("manager")
    dashboard = client.get(reverse("insights:dashboard")).content.decode()
    assert "今月のページビュー" in dashboard
    assert "/portal/" in dashboard
    report = client.get("/api/v1/portal/page-views").json()
    assert report["total"] == 2
    assert report["pages"] == [{"path": "/portal/", "views": 2}]
    assert client.get("/api/v1/portal/page-views", {"month": "2026/01"}).status_code == 422


def test_public_api_reads_articles_and_directory():
    ArticleFactory(title="API記事")
    ITCompanyFactory(name="APIシステムズ")
    ITCompanyFactory(name="非公開", approved=False, approved_at=None)
    client = Client()
    articles = client.get("/api/v1/portal/articles").json()
    assert [a["title"] for a in articles["items"]] == ["API記事"]
    companies = client.get("/api/v1/portal/it-companies", {"q": "シス"}).json()
    assert [c["name"] for c in companies["items"]] == ["APIシステムズ"]
