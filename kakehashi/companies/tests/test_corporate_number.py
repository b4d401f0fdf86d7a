import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.companies.corporate_number import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    make_corporate_number,
    normalise_corporate_number,
)

# Published corporate numbers: 国税庁, 内閣府 (a 国の機関) and トヨタ自動車株式会社.
REAL_NUMBERS = ["7000012050002", "2000012010019", "1180301018771"]


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_numbers_are_valid(number):
    assert is_valid_corporate_number(number)
    assert corporate_number_check_digit(number[1:]) == int(number[0])


def test_check_digit_worked_example():
    # 国税庁 000012050002: digits from the right 2,0,0,0,5,0,2,1,0,0,0,0 weighted 1,2,1,2…: 2+5+2+2 = 11;
    # 11 mod 9 = 2; 9 − 2 = 7
    assert corporate_number_check_digit("000012050002") == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("７０００ー０１２０ー５０００２", "7000012050002"),
        ("7000-0120-50002", "7000012050002"),
        (" 7 0000 1205 0002 ", "7000012050002"),
        ("７０００－０１２０－５０００２", "7000012050002"),
        (None, ""),
    ],
)
def test_normalise_corporate_number(text, expected):
    assert normalise_corporate_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["7000012050002", "７００００１２０５０００２", "7000-0120-50002"],
)
def test_valid_in_any_spelling(text):
    assert is_valid_corporate_number(text)


@pytest.mark.parametrize(
    "text",
    ["6000012050002", "8000012050002", "700001205000", "70000120500021", "700001205000a", "", None, "٧000012050002"],
)
def test_invalid(text):
    assert not is_valid_corporate_number(text)


def test_check_digit_rejects_a_bad_base():
    with pytest.raises(ValueError, match="12 ASCII digits"):
        corporate_number_check_digit("12345")


twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@settings(max_examples=200)
@given(twelve_digits)
def test_round_trip(base):
    number = make_corporate_number(base)
    assert len(number) == 13
    assert number[0] != "0"
    assert is_valid_corporate_number(number)
    assert normalise_corporate_number("-".join([number[:4], number[4:8], number[8:]])) == number


@settings(max_examples=200)
@given(twelve_digits, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_a_single_changed_digit_is_caught(base, position, delta):
    number = make_corporate_number(base)
    digits = list(number[1:])
    old = int(digits[position])
    new = (old + delta) % 10
    digits[position] = str(new)
    changed = number[0] + "".join(digits)
    # the sum is taken mod 9, so a change is caught unless (new − old) × weight is a multiple of 9 (0 ↔ 9)
    weight = 1 if (11 - position) % 2 == 0 else 2
    assert is_valid_corporate_number(changed) == ((new - old) * weight % 9 == 0)
