"""The generator of realistic 法人番号公表サイト rows used by tests, demos and the benchmark."""

from kakehashi.companies.nta import layout
from kakehashi.companies.nta.generator import Generator, format_row, places
from kakehashi.reference.jiscode import municipality_code_with_check_digit


def test_rows_are_in_the_exact_layout_with_valid_numbers():
    generator = Generator(seed=5, count=500)
    rows = list(generator.full_rows(500))

    assert all(len(row) == layout.COLUMN_COUNT for row in rows)
    assert all(layout.is_valid_corporate_number(row[layout.CORPORATE_NUMBER]) for row in rows)
    assert len({row[layout.CORPORATE_NUMBER] for row in rows}) == 500
    assert [int(row[layout.SEQUENCE_NUMBER]) for row in rows] == list(range(1, 501))
    assert {row[layout.PROCESS] for row in rows} >= {"01", "21", "71"}
    assert all(format_row(row).encode("cp932") for row in rows)


def test_municipalities_are_real_and_consistent():
    yamagata = {(p.city_code, p.city_name) for p in places("06")}

    assert ("201", "山形市") in yamagata
    assert ("203", "鶴岡市") in yamagata
    assert municipality_code_with_check_digit("06201") == "062014"
    for row in Generator(seed=2, prefecture="06", count=200).full_rows(200):
        assert (row[layout.CITY_CODE], row[layout.CITY_NAME]) in yamagata
        assert row[layout.PREFECTURE_NAME] == "山形県"
        assert len(row[layout.POST_CODE]) == 7


def test_merged_companies_name_an_active_successor_in_the_same_file():
    generator = Generator(seed=9, count=400)
    rows = list(generator.full_rows(400))
    numbers = {row[layout.CORPORATE_NUMBER]: row for row in rows}
    merged = [row for row in rows if row[layout.PROCESS] == layout.PROCESS_MERGER]

    assert merged
    for row in merged:
        successor = numbers[row[layout.SUCCESSOR_CORPORATE_NUMBER]]
        assert successor[layout.CLOSE_DATE] == ""
        assert row[layout.CLOSE_CAUSE] == layout.CLOSE_CAUSE_MERGED


def test_the_same_seed_gives_the_same_companies():
    assert list(Generator(seed=4, count=50).full_rows(50)) == list(Generator(seed=4, count=50).full_rows(50))
    assert list(Generator(seed=4, count=50).full_rows(50)) != list(Generator(seed=5, count=50).full_rows(50))


def test_diff_rows_change_companies_of_the_full_file():
    generator = Generator(seed=3, count=300)
    full = {row[layout.CORPORATE_NUMBER] for row in generator.full_rows(300)}
    diff = list(generator.diff_rows(200, base_count=300))

    changed = [row for row in diff if row[layout.PROCESS] != layout.PROCESS_NEW]
    new = [row for row in diff if row[layout.PROCESS] == layout.PROCESS_NEW]
    assert changed
    assert new
    assert all(row[layout.CORPORATE_NUMBER] in full for row in changed)
    assert not any(row[layout.CORPORATE_NUMBER] in full for row in new)
    numbers = [row[layout.CORPORATE_NUMBER] for row in diff]
    twice = {n for n in numbers if numbers.count(n) > 1}
    for n in twice:
        versions = [row for row in diff if row[layout.CORPORATE_NUMBER] == n]
        assert [row[layout.LATEST] for row in versions][-1] == "1"
