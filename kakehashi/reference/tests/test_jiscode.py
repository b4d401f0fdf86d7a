import json
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kakehashi.reference.jiscode import check_digit, is_valid_municipality_code, municipality_code_with_check_digit

KNOWN = {
    "01100": "011002",  # 札幌市
    "01101": "011011",  # 札幌市中央区 (remainder 0 → check digit 1)
    "06201": "062014",  # 山形市
    "04101": "041017",  # 仙台市青葉区
    "13101": "131016",  # 千代田区
    "06000": "060003",  # 山形県
}


@pytest.mark.parametrize(("five", "six"), KNOWN.items())
def test_known_codes(five, six):
    assert municipality_code_with_check_digit(five) == six
    assert is_valid_municipality_code(six)


def test_every_code_japancode_ships_agrees():
    """japancode carries the official 6-digit codes of 1,916 municipalities and wards."""
    rows = json.loads(files("japancode").joinpath("data", "municipalities.json").read_text(encoding="utf-8"))
    prefectures = json.loads(files("japancode").joinpath("data", "prefectures.json").read_text(encoding="utf-8"))
    official = {row["cid"].zfill(5): row["lgcode"].zfill(6) for row in rows}
    official.update({p["lgcode"][:5]: p["lgcode"] for p in prefectures})
    assert len(official) > 1900
    wrong = {five: six for five, six in official.items() if municipality_code_with_check_digit(five) != six}
    assert wrong == {}


@pytest.mark.parametrize("six", ["011001", "062015", "131010", "06201", "0620140", "abcdef", "", "０６２０１４", None])
def test_invalid_codes(six):
    assert not is_valid_municipality_code(six)


@pytest.mark.parametrize("five", ["0620", "062011", "6201a", "", "０６２０１"])
def test_check_digit_refuses_malformed_input(five):
    with pytest.raises(ValueError, match="5-digit"):
        check_digit(five)


@given(st.from_regex(r"\A[0-9]{5}\Z"))
def test_every_five_digit_code_round_trips(five):
    six = municipality_code_with_check_digit(five)
    assert len(six) == 6
    assert six[:5] == five
    assert is_valid_municipality_code(six)


@given(st.from_regex(r"\A[0-9]{5}\Z"), st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_rejected(five, shift):
    six = municipality_code_with_check_digit(five)
    wrong = six[:5] + str((int(six[5]) + shift) % 10)
    assert not is_valid_municipality_code(wrong)
