"""Factories for the registry (and the reference rows a company points at). Other apps import these."""

import factory

from kakehashi.companies.models import Company, Contact
from kakehashi.companies.normalise import company_name_key
from kakehashi.outreach.tests.factories import PrefectureFactory
from kakehashi.reference.choices import CodeList, IndustryLevel, MunicipalityKind
from kakehashi.reference.models import CodeItem, Industry, Municipality, Region


def municipality_code(five: str) -> str:
    """The 6-digit 全国地方公共団体コード for a 5-digit code (adds the check digit)."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return f"{five}{(11 - total % 11) % 10}"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: municipality_code(f"06{201 + n % 700:03d}"))
    prefecture = factory.SubFactory(PrefectureFactory)
    name = factory.Sequence(lambda n: f"テスト市{n}")
    kind = MunicipalityKind.CITY


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["prefecture", "code"]
        skip_postgeneration_save = True

    prefecture = factory.SubFactory(PrefectureFactory)
    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"地域{n}")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)


class IndustryFactory(factory.django.DjangoModelFactory):
    """A JSIC 大分類 by default; pass `parent=` and `level=IndustryLevel.MIDDLE` for a 中分類."""

    class Meta:
        model = Industry
        django_get_or_create = ["code"]

    code = "E"
    level = IndustryLevel.MAJOR
    name = "製造業"


class CodeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeItem
        django_get_or_create = ["list", "code"]

    list = CodeList.BUSINESS_FORM
    code = factory.Sequence(lambda n: f"code_{n}")
    label_ja = factory.Sequence(lambda n: f"区分{n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    """A registry company. `name_key` follows `name` unless given."""

    class Meta:
        model = Company
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"株式会社テスト商事{n}")
    name_kana = ""
    name_key = factory.LazyAttribute(lambda o: company_name_key(o.name))
    corporate_number = None
    sources = factory.LazyFunction(lambda: ["manual"])

    @factory.post_generation
    def search_index(self, create, extracted, **kwargs):
        """Keep the matcher's search index in step, as the services do (`search_index=False` skips it)."""
        if create and extracted is not False:
            from kakehashi.companies.matching import index_companies

            index_companies([self.pk])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"山田 太郎{n}")
    title = "総務部長"
    phone = "023-000-0000"
    email = factory.Sequence(lambda n: f"contact{n}@example.jp")
