import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kakehashi.companies.choices import CompanyStatus
from kakehashi.companies.matching import (
    TOTAL_GRAM,
    MatchCandidate,
    company_match,
    company_search,
    index_companies,
    reindex_all,
)
from kakehashi.companies.models import Company, CompanyGram, CompanyGramStat, CompanySearchKey
from kakehashi.companies.services import company_create, company_update
from kakehashi.companies.tests.factories import CompanyFactory, MunicipalityFactory, municipality_code
from kakehashi.outreach.tests.factories import PrefectureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    miyagi = PrefectureFactory(code="04", name="宮城県", kana="みやぎけん", name_en="Miyagi")
    return {
        "yamagata": MunicipalityFactory(code=municipality_code("06201"), name="山形市"),
        "yonezawa": MunicipalityFactory(code=municipality_code("06202"), name="米沢市"),
        "sendai": MunicipalityFactory(code=municipality_code("04101"), name="仙台市青葉区", prefecture=miyagi),
    }


@pytest.fixture
def registry(places):
    """A small registry written through the services, so the index is kept in step as in production."""
    made = {
        "seimitsu": company_create(
            actor=None,
            name="株式会社山形精密",
            name_kana="ヤマガタセイミツ",
            municipality=places["yamagata"],
            corporate_number="7000012050002",
            postal_code="9900001",
        ),
        "seiki": company_create(
            actor=None, name="山形精機有限会社", name_kana="ヤマガタセイキ", municipality=places["yamagata"]
        ),
        "sato_yamagata": company_create(
            actor=None, name="佐藤建設株式会社", name_kana="サトウケンセツ", municipality=places["yamagata"]
        ),
        "sato_yonezawa": company_create(
            actor=None,
            name="有限会社佐藤建設",
            name_kana="サトウケンセツ",
            municipality=places["yonezawa"],
            postal_code="9920001",
        ),
        "sato_sendai": company_create(
            actor=None, name="佐藤建設株式会社", name_kana="サトウケンセツ", municipality=places["sendai"]
        ),
        "abc": company_create(actor=None, name="ABCソフト合同会社", name_kana="エービーシーソフト"),
        "takahashi": company_create(
            actor=None, name="髙橋工業株式会社", name_kana="タカハシコウギョウ", municipality=places["yonezawa"]
        ),
    }
    return made


def _stats() -> dict[str, int]:
    return dict(CompanyGramStat.objects.values_list("gram", "companies"))


def _postings() -> set[tuple]:
    return set(CompanyGram.objects.values_list("company_id", "gram", "municipality_id"))


# --- The index ------------------------------------------------------------------------------------------------------


def test_services_keep_the_index_in_step(registry, places):
    company = registry["seimitsu"]
    assert company.search_key.name_key == "山形精密"
    assert company.search_key.kana_key == "ヤマガタセイミツ"
    grams = set(CompanyGram.objects.filter(company=company).values_list("gram", flat=True))
    assert {"山形", "形精", "精密", "^山", "=山形精密", "ヤマ", "=ヤマガタセイミツ"} <= grams
    assert _stats()[TOTAL_GRAM] == len(registry)

    company_update(actor=None, company=company, name="株式会社出羽精密", municipality=places["yonezawa"])
    grams = set(CompanyGram.objects.filter(company=company).values_list("gram", "municipality_id"))
    assert ("出羽", places["yonezawa"].pk) in grams
    assert not {g for g, _ in grams} & {"山形", "=山形精密"}
    assert _stats()["形精"] == 1  # only 山形精機 now


def test_incremental_index_equals_a_full_rebuild(registry, places):
    company_update(actor=None, company=registry["seiki"], name="山形精機工業(有)", name_kana="やまがたせいきこうぎょう")
    company_update(actor=None, company=registry["abc"], municipality=places["sendai"], name_kana="")
    company_update(actor=None, company=registry["takahashi"], name="株式会社佐藤建設")
    incremental_stats, incremental_postings = _stats(), _postings()

    assert reindex_all() == len(registry)
    assert _stats() == incremental_stats
    assert _postings() == incremental_postings


def test_deleting_a_company_removes_its_postings(registry):
    pk = registry["takahashi"].pk
    registry["takahashi"].delete()
    assert not CompanyGram.objects.filter(company_id=pk).exists()
    assert company_match("高橋工業") == []


def test_merged_companies_are_not_indexed(registry):
    merged = registry["seiki"]
    Company.objects.filter(pk=merged.pk).update(status=CompanyStatus.MERGED, merged_into=registry["seimitsu"])
    index_companies([merged.pk])
    assert not CompanySearchKey.objects.filter(company=merged).exists()
    assert not CompanyGram.objects.filter(company=merged).exists()
    reindex_all()
    assert not CompanyGram.objects.filter(company=merged).exists()
    assert CompanyGram.objects.filter(company=registry["seimitsu"]).exists()


def test_reindex_all_indexes_bulk_inserted_companies(places):
    CompanyFactory.create_batch(3, municipality=places["yamagata"], search_index=False)
    CompanyFactory(name="(株)ヤマガタ", name_kana="", search_index=False)
    assert not CompanyGram.objects.exists()
    assert reindex_all() == 4
    assert CompanySearchKey.objects.get(company__name="(株)ヤマガタ").kana_key == ""
    assert CompanyGram.objects.filter(gram="=ヤマガタ").count() == 1
    assert _stats()[TOTAL_GRAM] == 4


# --- company_match -------------------------------------------------------------------------------------------------


def _top(results: list[MatchCandidate]) -> MatchCandidate:
    assert results, "no candidate found"
    return results[0]


@pytest.mark.parametrize(
    "spelling", ["(株)山形精密", "株式会社 山形精密", "山形精密㈱", "山形精密 株式會社", "ｶ)山形精密"]
)
def test_every_spelling_finds_the_company(registry, spelling):
    top = _top(company_match(spelling, municipality=registry["seimitsu"].municipality.code))
    assert top.company == registry["seimitsu"]
    assert top.reasons[0] == "正規化名称が一致（同じ市区町村）"
    assert top.score == 99


def test_a_reading_finds_the_company_through_its_furigana(registry):
    top = _top(company_match("ﾔﾏｶﾞﾀｾｲﾐﾂ"))
    assert top.company == registry["seimitsu"]
    assert "フリガナが一致" in top.reasons
    top = _top(company_match("山形精密工業", kana="ﾔﾏｶﾞﾀｾｲﾐﾂ"))
    assert top.company == registry["seimitsu"]


def test_the_corporate_number_wins(registry):
    results = company_match("全然違う名前", corporate_number="７０００-０１２０-５０００２")
    assert results[0].company == registry["seimitsu"]
    assert results[0].score == 100
    assert results[0].reasons == ["法人番号が一致"]


def test_a_merged_holder_of_the_number_leads_to_the_survivor(registry):
    survivor, merged = registry["seiki"], registry["seimitsu"]
    Company.objects.filter(pk=merged.pk).update(merged_into=survivor, status=CompanyStatus.MERGED)
    results = company_match("何か", corporate_number="7000012050002")
    assert results[0].company == survivor
    assert results[0].score == 100


def test_an_invalid_corporate_number_is_ignored(registry):
    results = company_match("山形精密", corporate_number="7000012050003")
    assert results[0].company == registry["seimitsu"]
    assert results[0].score < 100


def test_a_different_corporate_number_caps_the_score(registry):
    results = company_match("山形精密", corporate_number="1180301018771")
    seimitsu = next(r for r in results if r.company == registry["seimitsu"])
    assert seimitsu.score <= 40
    assert "法人番号が異なる" in seimitsu.reasons


def test_location_decides_between_namesakes(registry, places):
    results = company_match("佐藤建設", municipality=places["yonezawa"].code)
    assert [r.company for r in results[:3]] == [
        registry["sato_yonezawa"],
        registry["sato_yamagata"],  # same prefecture: near
        registry["sato_sendai"],
    ]
    assert results[0].reasons == ["正規化名称が一致（同じ市区町村）"]
    assert results[1].reasons == ["正規化名称が一致（近隣）"]
    assert results[0].score > results[1].score > results[2].score
    # a Municipality instance works as well as its code, and a postal code alone places the company
    assert _top(company_match("佐藤建設", municipality=places["yamagata"])).company == registry["sato_yamagata"]
    assert _top(company_match("佐藤建設", postal_code="〒992-0001")).company == registry["sato_yonezawa"]


def test_a_typo_still_finds_the_company_and_says_how_similar(registry, places):
    top = _top(company_match("山形精蜜株式会社", municipality=places["yamagata"].code))
    assert top.company == registry["seimitsu"]
    assert top.reasons[0] == "名称が類似（75%）・同じ市区町村"
    assert 60 < top.score < 90


def test_a_typo_among_many_namesakes_of_one_place(places):
    """Dozens of companies named after one place share most grams; first and last characters break the tie."""
    for word in ["商事", "建設", "工業", "電設", "運輸", "印刷", "酒造", "物産", "技研", "設備"] * 5:
        CompanyFactory(name=f"庄内町西{word}", municipality=places["yamagata"])
    target = CompanyFactory(name="株式会社庄内町西機械", municipality=places["yamagata"])
    top = _top(company_match("庄内町西杉械(株)", municipality=places["yamagata"].code))
    assert top.company == target


def test_old_kanji_and_full_width_letters(registry):
    assert _top(company_match("髙橋工業")).company == registry["takahashi"]
    assert _top(company_match("高橋工業(株)")).company == registry["takahashi"]
    assert _top(company_match("ＡＢＣソフト")).company == registry["abc"]


def test_unrelated_names_find_nothing(registry):
    assert company_match("まったく関係のない団体") == []
    assert company_match("") == []


def test_queryset_narrows_the_candidates(registry):
    allowed = Company.objects.exclude(pk=registry["seimitsu"].pk)
    results = company_match("山形精密", queryset=allowed, corporate_number="7000012050002")
    assert registry["seimitsu"] not in [r.company for r in results]


def test_limit(registry):
    assert len(company_match("佐藤建設", limit=2)) == 2


def test_match_reads_the_index_never_every_name(registry, places):
    with CaptureQueriesContext(connection) as queries:
        company_match("佐藤建設", municipality=places["yamagata"].code, corporate_number="7000012050002")
    assert len(queries) <= 8
    gram_queries = [q["sql"] for q in queries if "companies_companygram" in q["sql"] and "GROUP BY" in q["sql"]]
    assert gram_queries
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in gram_queries:
                plan = " ".join(str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
                assert "companygram_lookup_idx" in plan
                assert "SCAN companies_companygram " not in plan + " "
                assert "SCAN companies_company " not in plan + " "


# --- company_search ------------------------------------------------------------------------------------------------


def _names(queryset) -> list[str]:
    return [c.name for c in queryset]


def test_search_one_character_by_prefix(registry):
    assert set(_names(company_search("佐", queryset=Company.objects.all()))) == {"佐藤建設株式会社", "有限会社佐藤建設"}
    # 「サ」 finds the same companies through their reading
    assert len(company_search("さ", queryset=Company.objects.all())) == 3


def test_search_two_characters_anywhere(registry):
    assert len(company_search("佐藤", queryset=Company.objects.all())) == 3
    assert _names(company_search("ＡＢ", queryset=Company.objects.all())) == ["ABCソフト合同会社"]
    assert _names(company_search("精密", queryset=Company.objects.all())) == ["株式会社山形精密"]
    assert _names(company_search("工業", queryset=Company.objects.all())) == ["髙橋工業株式会社"]


def test_search_longer_queries_need_the_whole_string(registry):
    found = company_search("山形精", queryset=Company.objects.all())
    assert set(_names(found)) == {"株式会社山形精密", "山形精機有限会社"}
    assert _names(company_search("形精密", queryset=Company.objects.all())) == ["株式会社山形精密"]
    assert _names(company_search("やまがたせいみ", queryset=Company.objects.all())) == ["株式会社山形精密"]
    assert _names(company_search("髙橋工", queryset=Company.objects.all())) == ["髙橋工業株式会社"]
    assert not company_search("精密山形", queryset=Company.objects.all()).exists()
    assert not company_search("存在しない名前", queryset=Company.objects.all()).exists()


def test_search_ranks_exact_and_prefix_first(registry, places):
    company_create(actor=None, name="南山形精密", municipality=places["yamagata"])
    assert _names(company_search("山形精密", queryset=Company.objects.all())) == ["株式会社山形精密", "南山形精密"]


def test_search_keeps_the_callers_narrowing(registry, places):
    narrowed = Company.objects.filter(municipality=places["yamagata"])
    assert set(_names(company_search("佐藤", queryset=narrowed))) == {"佐藤建設株式会社"}


def test_search_blank_returns_the_queryset(registry):
    assert company_search("  ", queryset=Company.objects.all()).count() == len(registry)
