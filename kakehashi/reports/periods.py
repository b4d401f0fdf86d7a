"""Report periods: a month, a fiscal quarter or a fiscal year, written as `2026-10`, `2026-Q3` or `2026`.

Japanese fiscal years run April to March, and so do the prefecture's quarters (四半期):
Q1 = April–June, Q2 = July–September, Q3 = October–December, Q4 = January–March of the next
calendar year. `2026-Q3` is therefore 2026-10-01 – 2026-12-31 and `2026-Q4` is 2027-01-01 –
2027-03-31 (both in 令和8年度). `2026` is the fiscal year 令和8年度, 2026-04-01 – 2027-03-31.
A month is the calendar month. The exact date range is printed on every report's cover
(docs/decisions/011-periodic-reports.md).
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from kakehashi.core.japanese_dates import (
    era_year,
    fiscal_year_of,
    format_fiscal_year,
    format_japanese,
    format_wareki,
)

from .choices import PeriodKind

_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")
_QUARTER = re.compile(r"^(?:FY)?(?P<year>\d{4})-?Q(?P<quarter>[1-4])$")
_YEAR = re.compile(r"^(?:FY)?(?P<year>\d{4})$")
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(ValueError):
    """The text is not a period this module understands (the message says what is accepted)."""


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range a report covers, with its canonical key (`2026-10`, `2026-Q3`, `2026`)."""

    start: datetime.date
    end: datetime.date
    kind: str
    key: str

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.start)

    @property
    def label(self) -> str:
        """The period as a Japanese heading: 2026年10月 / 2026年度 第3四半期 / 2026年度."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.fiscal_year}年度 第{self.key[-1]}四半期"
        return f"{self.fiscal_year}年度"

    @property
    def wareki_label(self) -> str:
        """The same in the Japanese calendar: 令和8年10月 / 令和8年度 第3四半期 / 令和8年度."""
        if self.kind == PeriodKind.MONTH:
            era, year = era_year(self.start)
            return f"{era}{'元' if year == 1 else year}年{self.start.month}月"
        fiscal = format_fiscal_year(self.fiscal_year)
        if self.kind == PeriodKind.QUARTER:
            return f"{fiscal} 第{self.key[-1]}四半期"
        return fiscal

    @property
    def range_label(self) -> str:
        """2026年10月1日〜2026年12月31日."""
        return f"{format_japanese(self.start)}〜{format_japanese(self.end)}"

    @property
    def wareki_range_label(self) -> str:
        return f"{format_wareki(self.start)}〜{format_wareki(self.end)}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return self.key


def month_period(year: int, month: int) -> Period:
    _check_year(year)
    if not 1 <= month <= 12:
        raise PeriodError(f"{year}-{month}: 月は1〜12で指定してください。")
    last = calendar.monthrange(year, month)[1]
    return Period(
        datetime.date(year, month, 1), datetime.date(year, month, last), PeriodKind.MONTH, f"{year}-{month:02d}"
    )


def quarter_period(fiscal_year: int, quarter: int) -> Period:
    """Fiscal quarter `quarter` (1–4) of the fiscal year starting in April of `fiscal_year`."""
    _check_year(fiscal_year)
    if not 1 <= quarter <= 4:
        raise PeriodError(f"{fiscal_year}-Q{quarter}: 四半期は Q1〜Q4 で指定してください。")
    first_month = 4 + (quarter - 1) * 3  # 4, 7, 10, 13
    year = fiscal_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = datetime.date(year, month, 1)
    end_month = month + 2
    end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
    return Period(start, end, PeriodKind.QUARTER, f"{fiscal_year}-Q{quarter}")


def fiscal_year_period(fiscal_year: int) -> Period:
    _check_year(fiscal_year)
    return Period(
        datetime.date(fiscal_year, 4, 1),
        datetime.date(fiscal_year + 1, 3, 31),
        PeriodKind.FISCAL_YEAR,
        str(fiscal_year),
    )


def parse_period(text: str) -> Period:
    """`2026-10` (month), `2026-Q3` (fiscal quarter), `2026` (fiscal year); full-width digits are fine."""
    cleaned = unicodedata.normalize("NFKC", str(text or "")).strip().upper().replace(" ", "").replace("/", "-")
    if match := _MONTH.match(cleaned):
        return month_period(int(match["year"]), int(match["month"]))
    if match := _QUARTER.match(cleaned):
        return quarter_period(int(match["year"]), int(match["quarter"]))
    if match := _YEAR.match(cleaned):
        return fiscal_year_period(int(match["year"]))
    raise PeriodError(
        f"{text}: 期間は 2026-10（月）、2026-Q3（年度の四半期）、2026（年度）のいずれかで指定してください。"
    )


def period_containing(day: datetime.date, kind: str) -> Period:
    """The month, fiscal quarter or fiscal year that contains `day`."""
    if kind == PeriodKind.MONTH:
        return month_period(day.year, day.month)
    fiscal_year = fiscal_year_of(day)
    if kind == PeriodKind.QUARTER:
        return quarter_period(fiscal_year, (day.month - 4) % 12 // 3 + 1)
    return fiscal_year_period(fiscal_year)


def periods_for_programme(start: datetime.date, end: datetime.date, *, today: datetime.date) -> list[Period]:
    """The periods a report can be asked for, newest first: months, quarters and fiscal years the
    programme overlaps, up to the one containing `today`."""
    last = min(end, today)
    if last < start:
        last = start
    result: dict[str, Period] = {}
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.FISCAL_YEAR):
        day = start
        while day <= last:
            period = period_containing(day, kind)
            result[period.key] = period
            day = period.end + datetime.timedelta(days=1)
    return sorted(result.values(), key=lambda p: (p.end, -p.days), reverse=True)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"{year}: 年は{MIN_YEAR}〜{MAX_YEAR}で指定してください。")
