"""Factories for the portal. Other apps (community) may import `ITCompanyFactory`."""

import factory
from django.utils import timezone

from kakehashi.companies.tests.factories import CodeItemFactory
from kakehashi.portal.choices import ArticleKind, ArticleStatus, SubscriberStatus
from kakehashi.portal.models import Article, ConsultationRequest, ITCompany, Subscriber
from kakehashi.portal.rendering import render_markdown
from kakehashi.portal.search import article_search_text, itcompany_search_text


def challenge(code: str = "sales", label: str = "顧客対応・販売") -> object:
    return CodeItemFactory(list="challenge", code=code, label_ja=label)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (search text and HTML kept in step like the services do)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    kind = ArticleKind.DX_INFO
    title = factory.Sequence(lambda n: f"DXニュース{n}")
    summary = "中小企業のデジタル化に役立つ情報です。"
    body = "## はじめに\n\n本文です。"
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    status = ArticleStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            self.search_text = article_search_text(self)
            Article.objects.filter(pk=self.pk).update(search_text=self.search_text)


class ITCompanyFactory(factory.django.DjangoModelFactory):
    """An approved (listed) IT company; pass `approved=False, approved_at=None` for an unlisted one."""

    class Meta:
        model = ITCompany
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"テストシステムズ{n}株式会社")
    name_kana = factory.Sequence(lambda n: f"テストシステムズ{n}")
    summary = "業務システムの受託開発とクラウド導入支援"
    approved = True
    approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            self.search_text = itcompany_search_text(self)
            ITCompany.objects.filter(pk=self.pk).update(search_text=self.search_text)


class ConsultationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationRequest

    company_name = "株式会社テスト商事"
    person_name = "山田 太郎"
    email = factory.Sequence(lambda n: f"lead{n}@example.jp")
    message = "在庫管理をデジタル化したい。"
    consent = True


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.jp")
    status = SubscriberStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
