"""The synthetic Yamagata instance: real municipalities, a real working calendar, quotas that add up."""

import datetime

import jpholiday

from kakehashi.planning.engine.synthetic import (
    fiscal_year_days,
    proportional_quotas,
    yamagata_instance,
    yamagata_municipalities,
)


def test_the_35_municipalities_of_yamagata_in_four_regions():
    towns = yamagata_municipalities()
    assert len(towns) == 35
    assert {t["region"] for t in towns} == {"murayama", "mogami", "okitama", "shonai"}
    assert all(37.7 < t["lat"] < 39.2 and 139.5 < t["lng"] < 140.7 for t in towns)


def test_fiscal_year_days_run_april_to_february_without_weekends_holidays_or_year_end():
    days = fiscal_year_days(2026)
    assert days[0] == datetime.date(2026, 4, 1)
    assert days[-1] <= datetime.date(2027, 2, 28)
    assert days[-1].month == 2
    assert all(d.weekday() < 5 and not jpholiday.is_holiday(d) for d in days)
    assert datetime.date(2026, 5, 4) not in days  # みどりの日
    assert datetime.date(2026, 12, 29) not in days
    assert datetime.date(2027, 1, 4) in days


def test_quotas_add_up_to_the_target_and_cover_the_designated():
    quotas = proportional_quotas({"a": 50, "b": 30, "c": 20}, 10, {"c": 4})
    assert sum(quotas.values()) == 10
    assert quotas["c"] >= 4


def test_instance_shape():
    problem = yamagata_instance(candidates=300, designated=20, target=60, communicators=6)
    assert len(problem.candidates) == 300
    assert sum(c.designated for c in problem.candidates) == 20
    assert len(problem.communicators) == 6
    assert len({c.home for c in problem.communicators}) == 6
    for family, quotas in problem.settings.quotas.items():
        assert sum(quotas.values()) == 60, family
    assert not any(c.designated and c.online_only for c in problem.candidates)
