"""Japanese dates: 和暦 formatting for officials, and parsing the ways people type dates.

Era lookup comes from japanera; the compact forms people type in spreadsheets (R6.4.1,
H31/4/30, 令和元年5月1日, 2024/4/1, 2024-04-01, Excel serials) are parsed here.
"""

import datetime
import re
import unicodedata

from japanera import EraDate

# Start dates of the modern eras; the letter is the one used in compact forms (R6.4.1).
ERAS = [
    ("令和", "R", datetime.date(2019, 5, 1)),
    ("平成", "H", datetime.date(1989, 1, 8)),
    ("昭和", "S", datetime.date(1926, 12, 25)),
    ("大正", "T", datetime.date(1912, 7, 30)),
    ("明治", "M", datetime.date(1868, 1, 25)),
]
_ERA_BY_KEY = {key: start for name, letter, start in ERAS for key in (name, letter)}
WEEKDAYS = "月火水木金土日"

_WAREKI = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,2})\s*[年./\-]\s*"
    r"(?P<month>\d{1,2})\s*[月./\-]\s*(?P<day>\d{1,2})\s*日?$"
)
_SEIREKI = re.compile(r"^(?P<year>\d{4})\s*[年./\-]\s*(?P<month>\d{1,2})\s*[月./\-]\s*(?P<day>\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def era_year(value: datetime.date) -> tuple[str, int]:
    era = EraDate.from_date(value)
    return era.strftime("%-K"), int(era.strftime("%-Y"))


def format_wareki(value: datetime.date | None, *, weekday: bool = False) -> str:
    """令和8年11月22日 (元年 for the first year), optionally with the weekday."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    name, year = era_year(value)
    text = f"{name}{'元' if year == 1 else year}年{value.month}月{value.day}日"
    if weekday:
        text += f"（{WEEKDAYS[value.weekday()]}）"
    return text


def format_japanese(value: datetime.date | None, *, weekday: bool = False) -> str:
    """2026年11月22日 — the everyday Japanese style."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = f"{value.year}年{value.month}月{value.day}日"
    if weekday:
        text += f"（{WEEKDAYS[value.weekday()]}）"
    return text


def fiscal_year_of(value: datetime.date) -> int:
    """Japanese fiscal years run April to March: 2027-02-01 belongs to FY2026."""
    return value.year if value.month >= 4 else value.year - 1


def format_fiscal_year(year: int) -> str:
    """令和8年度 for FY2026. FY2019 is 令和元年度 by government practice (the era began on 1 May)."""
    name, era = era_year(datetime.date(year, 5, 1))
    return f"{name}{'元' if era == 1 else era}年度"


def parse_date(text: str | int | float | datetime.date | None) -> datetime.date | None:
    """Parse a date typed by a person or stored by a spreadsheet. Raises ValueError if unreadable."""
    try:
        return _parse_date(text)
    except ValueError as error:
        if "日付" in str(error) or "元号" in str(error):
            raise
        raise ValueError(f"{text}: 存在しない日付です") from error


def _parse_date(text: str | int | float | datetime.date | None) -> datetime.date | None:
    if text is None or text == "":
        return None
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    if isinstance(text, int | float):
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().upper().replace(" ", "")
    if match := _WAREKI.match(cleaned):
        start = _ERA_BY_KEY[match["era"]]
        year = 1 if match["year"] == "元" else int(match["year"])
        result = datetime.date(start.year + year - 1, int(match["month"]), int(match["day"]))
        if result < start:
            raise ValueError(f"{text}: その元号の開始日より前の日付です")
        return result
    for pattern in (_SEIREKI, _COMPACT):
        if match := pattern.match(cleaned):
            return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    raise ValueError(f"{text}: 日付として読めません")
