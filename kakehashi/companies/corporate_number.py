"""法人番号 (corporate number): 13 digits, the FIRST being a check digit over the 12 that follow.

Check digit = 9 − (Σ digit × weight mod 9), the weights alternating 1, 2, 1, 2 … from the rightmost digit
(which has weight 1). 国税庁's own number, 7000012050002, passes.
"""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー－_.]+")


def normalise_corporate_number(text: str | None) -> str:
    """Full-width digits to ASCII; spaces, hyphens and dots removed. Anything else is left for validation."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))


def corporate_number_check_digit(twelve: str) -> int:
    """The check digit for the 12-digit base number (the corporate number without its first digit)."""
    if len(twelve) != 12 or not twelve.isascii() or not twelve.isdigit():
        raise ValueError("the base number must be 12 ASCII digits")
    total = sum(int(digit) * (1 if position % 2 == 0 else 2) for position, digit in enumerate(reversed(twelve)))
    return 9 - total % 9


def is_valid_corporate_number(text: str | None) -> bool:
    """13 digits (after `normalise_corporate_number`) whose first digit is the check digit of the rest."""
    number = normalise_corporate_number(text)
    if len(number) != 13 or not number.isascii() or not number.isdigit():
        return False
    return int(number[0]) == corporate_number_check_digit(number[1:])


def make_corporate_number(twelve: str) -> str:
    """The full 13-digit number for a 12-digit base (test data, demos and benchmarks)."""
    return f"{corporate_number_check_digit(twelve)}{twelve}"
