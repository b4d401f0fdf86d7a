import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kakehashi.core.japanese_dates import (
    fiscal_year_of,
    format_fiscal_year,
    format_japanese,
    format_wareki,
    parse_date,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 22), "令和8年11月22日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
        (datetime.date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_format_wareki(value, expected):
    assert format_wareki(value) == expected


def test_format_with_weekday():
    assert format_wareki(datetime.date(2026, 11, 22), weekday=True) == "令和8年11月22日（日）"
    assert format_japanese(datetime.date(2026, 11, 23), weekday=True) == "2026年11月23日（月）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年4月1日", datetime.date(2024, 4, 1)),
        ("R6.4.1", datetime.date(2024, 4, 1)),
        ("r6.4.1", datetime.date(2024, 4, 1)),
        ("H31/4/30", datetime.date(2019, 4, 30)),
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("Ｒ６．４．１", datetime.date(2024, 4, 1)),
        ("2024/4/1", datetime.date(2024, 4, 1)),
        ("2024-04-01", datetime.date(2024, 4, 1)),
        ("２０２４年４月１日", datetime.date(2024, 4, 1)),
        ("20240401", datetime.date(2024, 4, 1)),
        (45383, datetime.date(2024, 4, 1)),  # Excel serial
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["令和6年13月1日", "平成32年1月1日x", "R1.4.1", "あした", "2024/2/30"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError, match=r"日付|元号"):
        parse_date(text)


@given(st.dates(min_value=datetime.date(1989, 1, 8), max_value=datetime.date(2100, 12, 31)))
def test_wareki_round_trip(value):
    assert parse_date(format_wareki(value)) == value


def test_fiscal_year():
    assert fiscal_year_of(datetime.date(2027, 2, 1)) == 2026
    assert fiscal_year_of(datetime.date(2026, 4, 1)) == 2026
    assert format_fiscal_year(2026) == "令和8年度"
    assert format_fiscal_year(2019) == "令和元年度"
