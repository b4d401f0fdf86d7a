import datetime

import factory
from django.utils import timezone

from kakehashi.outreach.models import Programme, ProgrammeMembership
from kakehashi.reference.models import Prefecture


class PrefectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefecture
        django_get_or_create = ["code"]

    code = "06"
    name = "山形県"
    kana = "やまがたけん"
    name_en = "Yamagata"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"令和8年度 DXコミュニケート事業 {n}")
    prefecture = factory.SubFactory(PrefectureFactory)
    fiscal_year = 2026
    start_date = datetime.date(2026, 4, 1)
    end_date = datetime.date(2027, 3, 31)
    target_count = 400


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeMembership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory("kakehashi.accounts.tests.factories.UserFactory")
    role = "communicator"


class VisitFactory(factory.django.DjangoModelFactory):
    """A visit report (a draft unless `status` and the fields a submission needs are given)."""

    class Meta:
        model = "outreach.Visit"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    recorded_by = factory.SubFactory("kakehashi.accounts.tests.factories.UserFactory")
    status = "draft"
    visit_date = factory.LazyFunction(timezone.localdate)
    summary = ""

    @factory.post_generation
    def challenges(self, create, extracted, **kwargs):
        if create and extracted:
            self.challenges.set(extracted)

    @factory.post_generation
    def communicators(self, create, extracted, **kwargs):
        if create:
            self.communicators.set(extracted or [self.recorded_by])
