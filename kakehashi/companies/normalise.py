"""Company-name normalisation. FIRST VERSION: the matching work replaces this with the full rules
(old kanji table, every legal-form spelling, kana unification). Keep the function names."""

import re
import unicodedata

_LEGAL_FORMS = re.compile(r"(株式会社|有限会社|合同会社|合資会社|合名会社|\(株\)|\(有\)|\(同\))")
_SPACES = re.compile(r"[\s\u3000・.,、。\-‐－―]+")


def normalise_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def company_name_key(name: str) -> str:
    """The key two spellings of one company's name share."""
    text = normalise_text(name)
    text = _LEGAL_FORMS.sub("", text)
    text = _SPACES.sub("", text)
    return text.lower()
