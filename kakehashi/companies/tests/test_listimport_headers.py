"""Header recognition: Japanese and English names, spacing, brackets and units."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kakehashi.companies.listimport.headers import FIELDS, header_signature, normalise_header, recognise


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("法人番号", "corporate_number"),
        ("Corporate Number", "corporate_number"),
        ("会社名", "name"),
        ("企業名", "name"),
        ("名称", "name"),
        ("商号", "name"),
        ("事業者名", "name"),
        ("Company Name", "name"),
        ("フリガナ", "name_kana"),
        ("ふりがな", "name_kana"),
        ("ｶﾅ", "name_kana"),
        ("企業名（カナ）", "name_kana"),
        ("kana", "name_kana"),
        ("郵便番号", "postal_code"),
        ("〒", "postal_code"),
        ("Postal Code", "postal_code"),
        ("住所", "address"),
        ("所在地", "address"),
        ("Address", "address"),
        ("市区町村", "municipality"),
        ("Municipality", "municipality"),
        ("業種", "industry"),
        ("Industry", "industry"),
        ("業態", "business_form"),
        ("従業員数", "employees"),
        ("従業員", "employees"),
        ("Employees", "employees"),
        ("売上", "revenue"),
        ("売上高", "revenue"),
        ("Revenue", "revenue"),
        ("代表者", "representative"),
        ("電話", "phone"),
        ("TEL", "phone"),
        ("URL", "website"),
        ("ホームページ", "website"),
        ("備考", "note"),
        ("指定日", "designated_on"),
        ("登録日", "designated_on"),
        ("　会社名　", "name"),
        ("【会社名】", "name"),
        ("会社名※", "name"),
        ("ＴＥＬ", "phone"),
        ("従業員数（人）", "employees"),
        ("売上高(千円)", "revenue"),
    ],
)
def test_headers_are_recognised(header, field):
    assert recognise(header).field == field


@pytest.mark.parametrize(
    ("header", "unit"),
    [("売上高（千円）", "千円"), ("売上高(百万円)", "百万円"), ("年商［万円］", "万円"), ("売上高", "")],
)
def test_units_in_headers_are_kept(header, unit):
    assert recognise(header).unit == unit


@pytest.mark.parametrize("header", ["", None, "列1", "担当者メモ欄", "Unnamed: 3"])
def test_unknown_headers_are_not_guessed(header):
    assert recognise(header).field is None


SYNONYMS = [(synonym, key) for key, (_label, synonyms) in FIELDS.items() for synonym in synonyms]


@given(
    pair=st.sampled_from(SYNONYMS),
    left=st.sampled_from(["", " ", "　", "【", "※"]),
    right=st.sampled_from(["", " ", "　", "】", "※", "："]),
)
def test_every_synonym_survives_spacing_and_marks(pair, left, right):
    synonym, key = pair
    assert recognise(f"{left}{synonym}{right}").field == key


def test_normalise_header_is_idempotent():
    for synonym, _key in SYNONYMS:
        assert normalise_header(normalise_header(synonym)) == normalise_header(synonym)


def test_header_signature_ignores_spacing_but_not_columns():
    assert header_signature(["会社名", "住所"]) == header_signature([" 会社名", "住所　"])
    assert header_signature(["会社名", "住所"]) != header_signature(["住所", "会社名"])
