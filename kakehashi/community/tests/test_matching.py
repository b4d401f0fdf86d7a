import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..matching import Profile, rank, score, suggestions_for, text_similarity
from .factories import MemberFactory, OrganisationFactory

CODES = ["sales", "payment", "procurement", "hr", "production", "accounting", "automation", "security"]
LABELS = {"procurement": "調達・在庫・物流", "automation": "自動化・データ分析", "sales": "顧客対応・販売"}


def profile(
    pk, org=None, *, offers=(), needs=(), kind="it", offers_text="", needs_text="", regions=(), pref="04", keys=()
):
    return Profile(
        member_id=pk,
        organisation_id=org if org is not None else pk,
        kind=kind,
        offers=frozenset(offers),
        needs=frozenset(needs),
        offers_text=offers_text,
        needs_text=needs_text,
        region_ids=frozenset(regions),
        region_names=("仙台",) if regions else (),
        prefecture_code=pref,
        keys=frozenset(keys),
    )


SEEKER = profile(
    1, kind="local", needs={"procurement", "automation"}, needs_text="在庫管理を紙からシステムに移したい", regions={7}
)


def test_shared_codes_are_the_reason_shown_in_japanese():
    points, reasons = score(SEEKER, profile(2, offers={"procurement"}), labels=LABELS)
    assert points > 0
    assert reasons[0] == "あなたの課題「調達・在庫・物流」に対応できます"
    assert "地域企業とIT企業の組み合わせ" in reasons


def test_region_alone_is_no_match():
    assert score(SEEKER, profile(2, regions={7}, offers={"hr"}), labels=LABELS) == (0, [])


def test_text_similarity_counts_for_japanese_without_spaces():
    close = text_similarity("在庫管理を紙からシステムに移したい", "在庫管理システムの導入支援")
    far = text_similarity("在庫管理を紙からシステムに移したい", "ホームページ制作とSNS運用")
    assert close > 0.2 > far
    points, reasons = score(SEEKER, profile(2, offers_text="在庫管理システムの導入支援"), labels=LABELS)
    assert points > 0
    assert any("記述の内容が近い" in r for r in reasons)


def test_meeting_at_an_event_is_a_reason():
    seeker = profile(1, kind="local", keys={"c10"})
    met = frozenset({frozenset({"c10", "n:さくらit"})})
    points, reasons = score(seeker, profile(2, keys={"n:さくらit"}), labels=LABELS, met=met)
    assert points > 0
    assert "交流イベントで同じテーブルになったことがあります" in reasons


def test_ranking_orders_by_strength_and_excludes_self_and_own_organisation():
    strong = profile(2, offers={"procurement", "automation"}, regions={7})
    weak = profile(3, offers={"procurement"})
    colleague = profile(4, org=1, offers={"procurement", "automation"})
    unrelated = profile(5, offers={"hr"})
    ranked = rank(SEEKER, [unrelated, weak, colleague, strong, SEEKER], labels=LABELS)
    assert [pk for pk, _, _ in ranked] == [2, 3]
    assert ranked[0][1] > ranked[1][1]


def test_ties_are_broken_by_member_id():
    a, b = profile(9, offers={"procurement"}), profile(8, offers={"procurement"})
    assert [pk for pk, _, _ in rank(SEEKER, [a, b], labels=LABELS)] == [8, 9]


code_sets = st.frozensets(st.sampled_from(CODES))


@given(needs=code_sets, offers=code_sets, extra=st.sampled_from(CODES), text=st.text(max_size=30))
def test_covering_one_more_need_never_lowers_the_score(needs, offers, extra, text):
    seeker = profile(1, kind="local", needs=needs | {extra}, needs_text=text)
    before, _ = score(seeker, profile(2, offers=offers - {extra}), labels={})
    after, _ = score(seeker, profile(2, offers=offers | {extra}), labels={})
    assert after >= before
    assert 0 <= after <= 100


@given(st.lists(st.tuples(code_sets, code_sets), min_size=0, max_size=8))
def test_ranking_is_deterministic_and_sorted(rows):
    candidates = [profile(i + 2, offers=o, needs=n) for i, (o, n) in enumerate(rows)]
    first = rank(SEEKER, candidates, labels={})
    assert first == rank(SEEKER, list(reversed(candidates)), labels={})
    assert [(-s, pk) for pk, s, _ in first] == sorted((-s, pk) for pk, s, _ in first)


@pytest.mark.django_db
def test_suggestions_from_the_database(django_assert_max_num_queries):
    local = MemberFactory(needs=["procurement"], needs_text="在庫管理を見直したい")
    it = MemberFactory(organisation=OrganisationFactory(kind="it"), offers=["procurement"])
    MemberFactory(organisation=local.organisation, offers=["procurement"])  # colleague: never suggested
    banned = MemberFactory(offers=["procurement"])
    banned.banned_at = banned.created_at
    banned.save()
    MemberFactory(offers=["hr"])
    with django_assert_max_num_queries(15):
        result = suggestions_for(local)
    assert [s.member for s in result] == [it]
    assert result[0].reasons[0].startswith("あなたの課題「")
