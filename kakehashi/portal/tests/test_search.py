"""Japanese full-text search with one- and two-character queries, over articles and the directory."""

import pytest

from kakehashi.portal.search import search_queryset
from kakehashi.portal.selectors import directory_for_public, published_articles

from .factories import ArticleFactory, ITCompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {
        "subsidy": ArticleFactory(title="IT導入補助金2026の公募開始", body="在庫管理や会計ソフトが対象です。"),
        "ai": ArticleFactory(title="生成AIで見積書づくりを半分に", body="ＡＩ活用の事例。"),
        "draft": ArticleFactory(title="補助金（下書き）", status="draft", published_at=None),
        "crm": ITCompanyFactory(name="青葉ソリューションズ", summary="顧客管理（CRM）と在庫の見える化"),
        "kana": ITCompanyFactory(name="みちのくデータ", name_kana="ミチノクデータ", summary="データ分析"),
        "hidden": ITCompanyFactory(name="在庫ラボ", summary="在庫", approved=False, approved_at=None),
    }


def _articles(q):
    return set(search_queryset(published_articles(), q))


def _companies(q):
    return set(search_queryset(directory_for_public(), q))


def test_one_character_query(corpus):
    assert _articles("在") == {corpus["subsidy"]}
    assert _companies("在") == {corpus["crm"]}  # the unlisted company is never found


def test_two_character_queries(corpus):
    assert _articles("補助") == {corpus["subsidy"]}  # the draft is not public
    assert _articles("AI") == {corpus["ai"]}
    assert _articles("ai") == {corpus["ai"]}  # case-insensitive
    assert _articles("ＡＩ") == {corpus["ai"]}  # full-width folds to half-width
    assert _companies("顧客") == {corpus["crm"]}


def test_hiragana_finds_katakana_reading(corpus):
    assert _companies("みちのく") == {corpus["kana"]}
    assert _companies("ミチノク") == {corpus["kana"]}


def test_every_term_must_match(corpus):
    assert _articles("補助金 会計") == {corpus["subsidy"]}
    assert _articles("補助金 AI") == set()


def test_like_wildcards_are_literal(corpus):
    assert _articles("%") == set()
    assert _articles("_") == set()


def test_empty_query_returns_everything(corpus):
    assert len(_articles("  ")) == 2
