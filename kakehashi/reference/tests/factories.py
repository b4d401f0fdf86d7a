import factory

from kakehashi.reference.choices import CodeList, IndustryLevel, MunicipalityKind
from kakehashi.reference.jiscode import municipality_code_with_check_digit
from kakehashi.reference.models import CodeItem, Industry, Municipality, Prefecture, Region


class PrefectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefecture
        django_get_or_create = ["code"]

    code = "06"
    name = "山形県"
    kana = "やまがたけん"
    name_en = "Yamagata"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    prefecture = factory.SubFactory(PrefectureFactory)
    code = factory.Sequence(lambda n: municipality_code_with_check_digit(f"06{201 + n:03d}"))
    name = factory.Sequence(lambda n: f"テスト{n}市")
    kana = factory.Sequence(lambda n: f"てすと{n}し")
    kind = MunicipalityKind.CITY


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["prefecture", "code"]

    prefecture = factory.SubFactory(PrefectureFactory)
    code = factory.Sequence(lambda n: f"region{n}")
    name = factory.Sequence(lambda n: f"地域{n}")
    order = factory.Sequence(lambda n: n * 10)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ["code"]

    code = "E"
    level = IndustryLevel.MAJOR
    name = "製造業"
    name_en = "Manufacturing"


class CodeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeItem
        django_get_or_create = ["list", "code"]

    list = CodeList.EMPLOYEES
    code = factory.Sequence(lambda n: f"code_{n}")
    label_ja = factory.Sequence(lambda n: f"ラベル{n}")
    label_en = factory.Sequence(lambda n: f"Label {n}")
    order = factory.Sequence(lambda n: n * 10)
