"""The registry of erasers: each app that stores personal information registers one.

An eraser is a callable `eraser(subject, *, actor) -> dict[str, int]` that removes the subject's personal
information from that app's tables and returns counts per place it touched. Register it in the app's
`AppConfig.ready()`:

    from kakehashi.privacy.erasure import register_eraser
    register_eraser("events.registration", erase_event_registrations)

Erasers run inside the executing service's transaction, in registration order; the change-log scrubber runs
last (`order=1000`) so it also removes values the other erasers' writes might have logged.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .choices import ERASED_TEXT

Eraser = Callable[..., dict[str, int]]
_ERASERS: list[tuple[int, str, Eraser]] = []
MIN_TERM_CHARS = 2


@dataclass(frozen=True)
class ErasureSubject:
    """The person to erase: the record that holds them and the values to remove from free text."""

    kind: str
    instance: Any
    terms: tuple[str, ...] = field(default_factory=tuple)
    company_id: int | None = None

    @classmethod
    def for_contact(cls, contact) -> "ErasureSubject":
        return cls(
            kind="contact",
            instance=contact,
            terms=person_terms(names=[contact.name, contact.name_kana], emails=[contact.email], phones=[contact.phone]),
            company_id=contact.company_id,
        )


def register_eraser(key: str, eraser: Eraser, *, order: int = 100) -> None:
    """Add (or replace) the eraser called `key`."""
    global _ERASERS
    _ERASERS = sorted([e for e in _ERASERS if e[1] != key] + [(order, key, eraser)], key=lambda e: (e[0], e[1]))


def registered_erasers() -> list[str]:
    return [key for _order, key, _eraser in _ERASERS]


def run_erasers(subject: ErasureSubject, *, actor) -> dict[str, int]:
    result: dict[str, int] = {}
    for _order, key, eraser in list(_ERASERS):
        for place, count in (eraser(subject, actor=actor) or {}).items():
            result[f"{key}:{place}" if place else key] = int(count)
    return result


def _variants(text: str) -> set[str]:
    text = (text or "").strip()
    if not text:
        return set()
    nfkc = unicodedata.normalize("NFKC", text)
    found = {text, nfkc, re.sub(r"\s+", "", text), re.sub(r"\s+", "", nfkc), re.sub(r"\s+", "\u3000", nfkc)}
    return {v for v in found if len(v) >= MIN_TERM_CHARS}


def person_terms(*, names: Iterable[str] = (), emails: Iterable[str] = (), phones: Iterable[str] = ()) -> tuple:
    """Every spelling of the person's values to remove from free text, longest first."""
    terms: set[str] = set()
    for name in names:
        terms |= _variants(name)
    for email in emails:
        if email and email.strip():
            terms |= {email.strip(), email.strip().lower()}
    for phone in phones:
        phone = unicodedata.normalize("NFKC", phone or "").strip()
        if phone:
            terms.add(phone)
            digits = re.sub(r"\D", "", phone)
            if len(digits) >= 8:
                terms.add(digits)
    # The normalised form search indexes keep (lower case, katakana).
    from kakehashi.outreach.search import normalise_search_text

    terms |= {normalise_search_text(t) for t in list(terms) if len(normalise_search_text(t)) >= MIN_TERM_CHARS}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


def same_person_name(a: str, b: str) -> bool:
    """Two spellings of one name (`companies.normalise.person_name_key`); never true for empty names."""
    from kakehashi.companies.normalise import person_name_key

    return bool(person_name_key(a)) and person_name_key(a) == person_name_key(b)


def scrub_text(text: str, terms: Iterable[str]) -> str:
    """`text` with every term replaced by 「（削除済み）」 (case-insensitive for Latin letters)."""
    if not text:
        return text
    for term in terms:
        if term and term.lower() in text.lower():
            text = re.sub(re.escape(term), ERASED_TEXT, text, flags=re.IGNORECASE)
    return text


def scrub_value(value: Any, terms: Iterable[str]) -> Any:
    """`scrub_text` applied to every string inside a JSON-like value."""
    terms = tuple(terms)
    if isinstance(value, str):
        return scrub_text(value, terms)
    if isinstance(value, list):
        return [scrub_value(v, terms) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v, terms) for k, v in value.items()}
    return value
