import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kakehashi.reports.choices import PeriodKind
from kakehashi.reports.periods import (
    PeriodError,
    fiscal_year_period,
    month_period,
    parse_period,
    period_containing,
    periods_for_programme,
    quarter_period,
)

years = st.integers(min_value=2000, max_value=2100)


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026-10", "2026-10-01", "2026-10-31", PeriodKind.MONTH),
        ("2027-02", "2027-02-01", "2027-02-28", PeriodKind.MONTH),
        ("2028-02", "2028-02-01", "2028-02-29", PeriodKind.MONTH),
        ("2026-1", "2026-01-01", "2026-01-31", PeriodKind.MONTH),
        # Fiscal quarters: the fiscal year starts in April.
        ("2026-Q1", "2026-04-01", "2026-06-30", PeriodKind.QUARTER),
        ("2026-Q2", "2026-07-01", "2026-09-30", PeriodKind.QUARTER),
        ("2026-Q3", "2026-10-01", "2026-12-31", PeriodKind.QUARTER),
        ("2026-Q4", "2027-01-01", "2027-03-31", PeriodKind.QUARTER),
        ("fy2026q4", "2027-01-01", "2027-03-31", PeriodKind.QUARTER),
        # "2026" is fiscal year 令和8年度.
        ("2026", "2026-04-01", "2027-03-31", PeriodKind.FISCAL_YEAR),
        ("２０２６－１０", "2026-10-01", "2026-10-31", PeriodKind.MONTH),  # full-width, as typed on a Japanese IME
        (" 2026/10 ", "2026-10-01", "2026-10-31", PeriodKind.MONTH),
    ],
)
def test_parse_period(text, start, end, kind):
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (
        datetime.date.fromisoformat(start),
        datetime.date.fromisoformat(end),
        kind,
    )


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "1999", "26-10", "R8", "2026-10-01"])
def test_parse_period_rejects(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_labels_in_japanese_and_wareki():
    q3 = parse_period("2026-Q3")
    assert q3.label == "2026年度 第3四半期"
    assert q3.wareki_label == "令和8年度 第3四半期"
    assert q3.range_label == "2026年10月1日〜2026年12月31日"
    assert q3.wareki_range_label == "令和8年10月1日〜令和8年12月31日"
    assert parse_period("2026").wareki_label == "令和8年度"
    assert parse_period("2027-02").label == "2027年2月"
    assert parse_period("2027-02").wareki_label == "令和9年2月"
    assert parse_period("2019-05").wareki_label == "令和元年5月"
    assert parse_period("2019").wareki_label == "令和元年度"


@given(years, st.integers(min_value=1, max_value=12))
def test_month_round_trip(year, month):
    period = month_period(year, month)
    assert parse_period(period.key) == period
    assert period.start.day == 1
    assert (period.end + datetime.timedelta(days=1)).day == 1
    assert period_containing(period.end, PeriodKind.MONTH) == period


@given(years, st.integers(min_value=1, max_value=4))
def test_quarter_round_trip(year, quarter):
    period = quarter_period(year, quarter)
    assert parse_period(period.key) == period
    assert period.fiscal_year == year
    assert 90 <= period.days <= 92
    assert period_containing(period.start, PeriodKind.QUARTER) == period


@given(years)
def test_fiscal_year_is_its_four_quarters(year):
    period = fiscal_year_period(year)
    assert parse_period(period.key) == period
    quarters = [quarter_period(year, q) for q in range(1, 5)]
    assert quarters[0].start == period.start
    assert quarters[-1].end == period.end
    for before, after in itertools.pairwise(quarters):
        assert after.start == before.end + datetime.timedelta(days=1)
    assert sum(q.days for q in quarters) == period.days


@given(st.dates(min_value=datetime.date(2000, 4, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_day_is_in_its_periods(day):
    for kind in PeriodKind.values:
        period = period_containing(day, kind)
        assert period.start <= day <= period.end
        assert parse_period(period.key) == period


def test_periods_for_programme_stop_at_today():
    periods = periods_for_programme(
        datetime.date(2026, 4, 1), datetime.date(2027, 3, 31), today=datetime.date(2026, 5, 13)
    )
    keys = [p.key for p in periods]
    assert set(keys) == {"2026-04", "2026-05", "2026-Q1", "2026"}
    assert keys[0] in {"2026", "2026-Q1", "2026-05"}  # newest end first
