import factory
from django.utils import timezone

from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.companies.normalise import company_name_key
from kakehashi.reference.models import CodeItem

from ..choices import OrganisationKind
from ..models import Member, Organisation, Post, Thread, Topic


def challenge(code: str, label: str | None = None) -> CodeItem:
    item, _ = CodeItem.objects.get_or_create(list="challenge", code=code, defaults={"label_ja": label or code})
    return item


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.LOCAL
    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    name_key = factory.LazyAttribute(lambda o: company_name_key(o.name))


class MemberFactory(factory.django.DjangoModelFactory):
    """A member; `offers=[codes]` / `needs=[codes]` set the challenge codes."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=["company_member"])
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def offers(self, create, codes, **kwargs):
        if create and codes:
            self.offer_challenges.set([challenge(c) for c in codes])

    @factory.post_generation
    def needs(self, create, codes, **kwargs):
        if create and codes:
            self.need_challenges.set([challenge(c) for c in codes])


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"トピック{n}")


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"スレッド{n}")
    author = factory.SubFactory(MemberFactory)
    last_posted_at = factory.LazyFunction(timezone.now)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.LazyAttribute(lambda o: o.thread.author)
    body = "よろしくお願いします。"
