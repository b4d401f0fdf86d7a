import pytest
from django.http import QueryDict

from kakehashi.companies.choices import CompanyStatus
from kakehashi.companies.filters import CompanyFilterForm, filter_companies
from kakehashi.companies.models import Company
from kakehashi.companies.tests.factories import (
    CodeItemFactory,
    CompanyFactory,
    IndustryFactory,
    MunicipalityFactory,
    RegionFactory,
)
from kakehashi.outreach.services import designation_add
from kakehashi.outreach.tests.factories import PrefectureFactory
from kakehashi.reference.choices import IndustryLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(programme):
    yamagata = MunicipalityFactory(code="062014", name="山形市", prefecture=programme.prefecture)
    tendo = MunicipalityFactory(code="062103", name="天童市", prefecture=programme.prefecture)
    sakata = MunicipalityFactory(code="062049", name="酒田市", prefecture=programme.prefecture)
    murayama = RegionFactory(
        prefecture=programme.prefecture, code="murayama", name="村山", municipalities=[yamagata, tendo]
    )
    RegionFactory(prefecture=programme.prefecture, code="shonai", name="庄内", municipalities=[sakata])
    return {"yamagata": yamagata, "tendo": tendo, "sakata": sakata, "murayama": murayama}


def names(result) -> set[str]:
    return set(result.queryset.values_list("name", flat=True))


def run(data, programme):
    return filter_companies(Company.objects.all(), QueryDict(data), programme=programme)


def test_no_filters_lists_live_records_and_leaves_merged_ones_out(programme):
    CompanyFactory(name="存続商事")
    CompanyFactory(name="閉鎖商事", status=CompanyStatus.CLOSED)
    CompanyFactory(name="統合済商事", status=CompanyStatus.MERGED)

    result = run("", programme)

    assert names(result) == {"存続商事", "閉鎖商事"}
    assert result.ignored == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", {"存続商事"}),
        ("closed", {"閉鎖商事"}),
        ("merged", {"統合済商事"}),
        ("all", {"存続商事", "閉鎖商事", "統合済商事"}),
    ],
)
def test_status_filter(programme, status, expected):
    CompanyFactory(name="存続商事")
    CompanyFactory(name="閉鎖商事", status=CompanyStatus.CLOSED)
    CompanyFactory(name="統合済商事", status=CompanyStatus.MERGED)

    assert names(run(f"status={status}", programme)) == expected


def test_region_and_municipality(programme, places):
    CompanyFactory(name="山形の会社", municipality=places["yamagata"])
    CompanyFactory(name="天童の会社", municipality=places["tendo"])
    CompanyFactory(name="酒田の会社", municipality=places["sakata"])

    assert names(run("region=murayama", programme)) == {"山形の会社", "天童の会社"}
    assert names(run("municipality=062049", programme)) == {"酒田の会社"}
    assert names(run("region=murayama&municipality=062049", programme)) == set()


def test_region_of_another_prefecture_is_ignored_with_a_message(programme, places):
    miyagi = PrefectureFactory(code="04", name="宮城県")
    RegionFactory(prefecture=miyagi, code="sendai", name="仙台")
    CompanyFactory(name="山形の会社", municipality=places["yamagata"])

    result = run("region=sendai", programme)

    assert names(result) == {"山形の会社"}
    assert len(result.ignored) == 1
    assert "地域" in result.ignored[0]


def test_industry_major_includes_its_middle_classes(programme):
    manufacturing = IndustryFactory(code="E", name="製造業")
    food = IndustryFactory(code="09", name="食料品製造業", level=IndustryLevel.MIDDLE, parent=manufacturing)
    retail = IndustryFactory(code="I", name="卸売業，小売業")
    CompanyFactory(name="製造業の会社", industry=manufacturing)
    CompanyFactory(name="食品の会社", industry=food)
    CompanyFactory(name="小売の会社", industry=retail)

    assert names(run("industry=E", programme)) == {"製造業の会社", "食品の会社"}
    assert names(run("industry=09", programme)) == {"食品の会社"}


def test_code_list_filters(programme):
    own = CodeItemFactory(list="business_form", code="manufacturing_own", label_ja="製造(自社製品)")
    small = CodeItemFactory(list="employees", code="0_5", label_ja="0〜5人")
    mid = CodeItemFactory(list="revenue", code="100m_500m", label_ja="1億〜5億円")
    CompanyFactory(name="A社", business_form=own, employees_band=small, revenue_band=mid)
    CompanyFactory(name="B社", business_form=own)
    CompanyFactory(name="C社")

    assert names(run("business_form=manufacturing_own", programme)) == {"A社", "B社"}
    assert names(run("business_form=manufacturing_own&employees=0_5", programme)) == {"A社"}
    assert names(run("revenue=100m_500m", programme)) == {"A社"}


def test_designated_for_the_current_programme(programme, other_programme, make_user):
    actor = make_user("prefecture")
    designated = CompanyFactory(name="指定の会社")
    elsewhere = CompanyFactory(name="別事業で指定の会社")
    CompanyFactory(name="指定なしの会社")
    designation_add(actor=actor, programme=programme, company=designated)
    designation_add(actor=actor, programme=other_programme, company=elsewhere)

    assert names(run("designated=yes", programme)) == {"指定の会社"}
    assert names(run("designated=no", programme)) == {"別事業で指定の会社", "指定なしの会社"}


@pytest.mark.parametrize("query", ["ＡＢ", "AB", "ab"])
def test_two_character_latin_query_in_any_width(programme, query):
    CompanyFactory(name="ＡＢＣ工業株式会社")
    CompanyFactory(name="株式会社XYZ")

    assert names(run(f"q={query}", programme)) == {"ＡＢＣ工業株式会社"}


def test_two_kanji_query(programme):
    CompanyFactory(name="佐藤建設株式会社")
    CompanyFactory(name="有限会社佐藤商店")
    CompanyFactory(name="鈴木工務店")

    assert names(run("q=佐藤", programme)) == {"佐藤建設株式会社", "有限会社佐藤商店"}


def test_kana_query_finds_the_reading(programme):
    CompanyFactory(name="山形精機株式会社", name_kana="ヤマガタセイキ")
    CompanyFactory(name="庄内物産", name_kana="ショウナイブッサン")

    assert names(run("q=ヤマガタ", programme)) == {"山形精機株式会社"}


def test_sort_orders(programme, places):
    CompanyFactory(name="い社", name_kana="イ", municipality=places["sakata"])
    CompanyFactory(name="あ社", name_kana="ア", municipality=places["tendo"])
    CompanyFactory(name="う社", name_kana="ウ", municipality=places["yamagata"])

    def ordered(sort):
        return list(run(f"sort={sort}", programme).queryset.values_list("name", flat=True))

    assert ordered("kana") == ["あ社", "い社", "う社"]
    assert ordered("municipality") == ["う社", "い社", "あ社"]  # 062014 山形, 062049 酒田, 062103 天童
    assert ordered("-created")[0] == "う社"


@pytest.mark.parametrize(
    "data",
    [
        "sort=drop table",
        "status=deleted",
        "designated=maybe",
        "municipality=999999",
        "industry=<script>",
        "employees=1e9",
        "q=" + "長" * 101,
        "heard=maybe",
    ],
)
def test_bad_values_are_ignored_not_errors(programme, data, heard_hook):
    CompanyFactory(name="存続商事")

    result = run(data, programme)

    assert names(result) == {"存続商事"}
    assert len(result.ignored) == 1


def test_without_a_programme_programme_filters_are_not_offered(programme):
    form = CompanyFilterForm({}, programme=None)
    assert "region" not in form.fields
    assert "designated" not in form.fields
    assert "heard" not in form.fields
    CompanyFactory(name="存続商事")
    assert names(filter_companies(Company.objects.all(), QueryDict("designated=yes"), programme=None)) == {"存続商事"}


def test_heard_filter_is_hidden_and_unused_without_the_visits_hook(programme, monkeypatch):
    from kakehashi.outreach import selectors as outreach_selectors

    monkeypatch.delattr(outreach_selectors, "companies_heard_in", raising=False)
    CompanyFactory(name="存続商事")

    assert "heard" not in CompanyFilterForm({}, programme=programme).fields
    result = run("heard=yes", programme)
    assert names(result) == {"存続商事"}
    assert result.ignored == []


@pytest.fixture
def heard_hook(monkeypatch):
    """Stand-in for the visits app's `companies_heard_in(programme)`: the companies named 「ヒアリング済…」."""
    from kakehashi.outreach import selectors as outreach_selectors

    monkeypatch.setattr(
        outreach_selectors,
        "companies_heard_in",
        lambda programme: Company.objects.filter(name__startswith="ヒアリング済"),
        raising=False,
    )


def test_heard_filter_uses_the_visits_hook_when_present(programme, heard_hook):
    from kakehashi.companies import filters

    CompanyFactory(name="ヒアリング済の会社")
    CompanyFactory(name="未訪問の会社")

    assert filters.heard_filter_available()
    assert "heard" in CompanyFilterForm({}, programme=programme).fields
    assert names(run("heard=yes", programme)) == {"ヒアリング済の会社"}
    assert names(run("heard=no", programme)) == {"未訪問の会社"}
