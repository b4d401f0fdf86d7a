"""Cleaning one row: corporate numbers, formulas, dates (和暦), places, codes and bands."""

import datetime

import pytest

from kakehashi.companies.listimport.cleaning import ReferenceIndex, clean_row, parse_amount
from kakehashi.companies.listimport.mapping import plan_columns
from kakehashi.companies.listimport.reader import Formula, Table

from .listimport_support import CN_A, CN_BAD, make_reference

pytestmark = pytest.mark.django_db


def clean(headers: list[str], cells: list[object], *, prefecture_id=None):
    table = Table(rows=[(1, headers), (2, cells)])
    plan = plan_columns(table)
    return clean_row(2, cells, plan, ReferenceIndex(prefecture_id=prefecture_id))


def errors_of(row) -> dict[str, str]:
    return {error["field"]: error["reason"] for error in row.errors}


@pytest.fixture
def ref():
    return make_reference()


def test_a_clean_row(ref):
    row = clean(
        ["法人番号", "会社名", "フリガナ", "郵便番号", "住所", "業種", "業態", "従業員数", "売上高（千円）", "URL"],
        [
            CN_A,
            "株式会社　山形精密",
            "やまがたせいみつ",
            "990-0031",
            "山形県山形市十日町1-1",
            "E",
            "製造(受託)",
            "25人",
            "120,000",
            "www.example.jp",
        ],
    )

    assert row.errors == []
    assert row.values["corporate_number"] == CN_A
    assert row.values["name"] == "株式会社 山形精密"
    assert row.values["name_kana"] == "ヤマガタセイミツ"
    assert row.values["postal_code"] == "9900031"
    assert row.values["municipality"] == "062014"
    assert row.values["industry"] == "E"
    assert row.values["business_form"] == "manufacturing_contract"
    assert row.values["employees"] == "21_50"
    assert row.values["revenue"] == "100m_500m"  # 120,000千円 = 1.2億円
    assert row.values["website"] == "https://www.example.jp"


@pytest.mark.parametrize(
    "number",
    [CN_A, f"{CN_A[:4]}-{CN_A[4:8]}-{CN_A[8:]}", CN_A.translate(str.maketrans("0123456789", "０１２３４５６７８９"))],
)
def test_corporate_number_spellings(ref, number):
    assert clean(["法人番号", "会社名"], [number, "山形精密"]).values["corporate_number"] == CN_A


def test_xlsx_numeric_corporate_number(ref):
    assert clean(["法人番号", "会社名"], [float(CN_A), "山形精密"]).values["corporate_number"] == CN_A


def test_bad_check_digit_is_rejected(ref):
    row = clean(["法人番号", "会社名"], [CN_BAD, "山形精密"])

    assert "チェックデジット" in errors_of(row)["corporate_number"]


def test_wrong_length_corporate_number_is_rejected(ref):
    assert "13 桁" in errors_of(clean(["法人番号", "会社名"], ["12345", "山形精密"]))["corporate_number"]


def test_missing_name_is_rejected(ref):
    assert errors_of(clean(["会社名", "住所"], ["", "山形市"]))["name"] == "名称がありません"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+81-23-000", "-1+2", "@SUM(A1)", "＝1+1"])
def test_values_that_look_like_formulas_are_rejected(ref, value):
    row = clean(["会社名", "住所"], ["山形精密", value])

    assert "数式" in errors_of(row)["address"]


def test_formula_cell_from_xlsx_is_rejected(ref):
    row = clean(["会社名", "従業員数"], ["山形精密", Formula("=10*3")])

    assert "数式が入っています" in errors_of(row)["employees"]


def test_a_lone_dash_is_blank_not_a_formula(ref):
    row = clean(["会社名", "URL", "従業員数"], ["山形精密", "-", "－"])

    assert row.errors == []
    assert "website" not in row.values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("令和6年4月1日", "2024-04-01"),
        ("R6.4.1", "2024-04-01"),
        ("H31/4/30", "2019-04-30"),
        ("令和元年5月1日", "2019-05-01"),
        ("2024/4/1", "2024-04-01"),
        (datetime.date(2024, 4, 1), "2024-04-01"),
    ],
)
def test_wareki_and_other_dates(ref, value, expected):
    row = clean(["会社名", "指定日"], ["山形精密", value])

    assert row.errors == []
    assert row.values["designated_on"] == expected


@pytest.mark.parametrize("value", ["令和6年13月1日", "令和6年2月30日", "いつか"])
def test_unreadable_dates_are_rejected(ref, value):
    assert "designated_on" in errors_of(clean(["会社名", "登録日"], ["山形精密", value]))


def test_municipality_from_postal_code(ref):
    row = clean(["会社名", "郵便番号"], ["山形精密", "9900031"])

    assert row.values["municipality"] == ref.yamagata_city.code


def test_postal_code_with_lost_leading_zero_from_a_spreadsheet(ref):
    row = clean(["会社名", "郵便番号"], ["札幌の会社", 600000])

    assert row.values["postal_code"] == "0600000"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("山形県山形市十日町1-1", "yamagata_city"),
        ("山形市十日町1-1", "yamagata_city"),
        ("宮城県仙台市青葉区一番町1-1", "aoba"),  # the ward, not the city: longest match
        ("山形県東村山郡山辺町大字山辺1", "yamanobe"),  # 郡 is not part of the name
        ("〒992-0012 山形県米沢市金池1-1", "yonezawa"),
    ],
)
def test_municipality_from_address(ref, address, expected):
    row = clean(["会社名", "所在地"], ["会社", address])

    assert row.values["municipality"] == getattr(ref, expected).code


def test_postal_code_inside_the_address_is_taken_out(ref):
    row = clean(["会社名", "所在地"], ["会社", "〒992-0012 山形県米沢市金池1-1"])

    assert row.values["postal_code"] == "9920012"
    assert row.values["address"] == "山形県米沢市金池1-1"


@pytest.mark.parametrize("value", ["山形市", "山形県山形市", "062014", "06201"])
def test_municipality_column(ref, value):
    assert clean(["会社名", "市区町村"], ["会社", value]).values["municipality"] == "062014"


def test_unknown_municipality_is_rejected(ref):
    assert "見つかりません" in errors_of(clean(["会社名", "市区町村"], ["会社", "架空市"]))["municipality"]


@pytest.mark.parametrize(
    ("value", "code"),
    [("E", "E"), ("製造業", "E"), ("製造", "E"), ("09", "09"), ("9", "09"), ("食料品製造業", "09"), ("E 製造業", "E")],
)
def test_industry_by_code_or_name(ref, value, code):
    assert clean(["会社名", "業種"], ["会社", value]).values["industry"] == code


def test_unknown_industry_is_rejected(ref):
    assert "industry" in errors_of(clean(["会社名", "業種"], ["会社", "宇宙開発"]))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (3, "0_5"),
        (5, "0_5"),
        (6, "6_20"),
        ("50名", "21_50"),
        ("1,200人", "1001_plus"),
        ("約30人", "21_50"),
        ("21〜50人", "21_50"),
        ("101-300", "101_300"),
        (25.0, "21_50"),
    ],
)
def test_employees_number_or_band(ref, value, code):
    assert clean(["会社名", "従業員数"], ["会社", value]).values["employees"] == code


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("売上高", "3億円", "100m_500m"),
        ("売上高", "5000万円", "50m_100m"),
        ("売上高", "3億5000万円", "100m_500m"),
        ("売上高", 9_000_000, "lt_10m"),
        ("売上高（千円）", 60_000, "50m_100m"),
        ("売上高（百万円）", "1,200", "1b_5b"),
        ("年商(万円)", 800, "lt_10m"),
        ("売上高", "不明", "unknown"),
        ("売上高", "1億〜5億円", "100m_500m"),
    ],
)
def test_revenue_number_with_units_or_band(ref, header, value, code):
    assert clean(["会社名", header], ["会社", value]).values["revenue"] == code


@pytest.mark.parametrize(("header", "value"), [("従業員数", "たくさん"), ("売上高", "非公開"), ("業態", "宇宙")])
def test_unknown_codes_are_rejected(ref, header, value):
    row = clean(["会社名", header], ["会社", value])

    assert row.errors


def test_bad_url_is_a_warning_not_a_rejection(ref):
    row = clean(["会社名", "URL"], ["会社", "ホームページなし"])

    assert row.errors == []
    assert row.warnings[0]["field"] == "website"


def test_parse_amount():
    assert parse_amount("1.2億") == 120_000_000
    assert parse_amount("12,345") == 12345
    assert parse_amount("非公開") is None
