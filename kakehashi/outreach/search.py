"""Japanese full-text search over visit summaries and hearing answers (docs/decisions/005-visit-search.md).

Each visit keeps a denormalised, normalised `search_text` (summary, next action, hearing answers), written by
the visit services through `visit_search_refresh`. A query is normalised the same way and split on spaces;
every term must occur. Terms of one or two characters (common in Japanese: 在庫, 予算, AI) are matched with
`LIKE '%…%'`; longer terms use the database's index where there is one:

* PostgreSQL: the pg_trgm GIN index on `search_text` serves the same LIKE (migration 0004);
* SQLite: the FTS5 trigram table `outreach_visit_fts` (rowid = visit id, kept in step here), and the LIKE is
  still applied so a stale index can only miss, never return a wrong visit.

Bulk writers that bypass the services (seeding, benchmarks) call `visit_search_reindex()` afterwards.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import islice

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "outreach_visit_fts"
FTS_MIN_CHARS = 3
MAX_TERMS = 5
_SPACES = re.compile(r"\s+")
# ひらがな → カタカナ, so a reading typed either way finds the other.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}


def normalise_search_text(text: str) -> str:
    """NFKC (full/half width agree), lower case, hiragana folded to katakana, runs of spaces to one."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_HIRAGANA_TO_KATAKANA)
    return _SPACES.sub(" ", text).strip()


def search_terms(query: str) -> list[str]:
    """The normalised terms of a query (at most MAX_TERMS; duplicates dropped)."""
    terms: list[str] = []
    for term in normalise_search_text(query).split(" "):
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def build_search_text(visit, answer_texts: Iterable[str] = ()) -> str:
    parts = [visit.summary, visit.next_action, *answer_texts]
    return normalise_search_text("\n".join(p for p in parts if p))


def _answer_texts(visit) -> list[str]:
    if not visit.pk:
        return []
    texts = []
    for text, value in visit.answers.order_by("question_key").values_list("text", "value"):
        if text:
            texts.append(text)
        elif isinstance(value, str):
            texts.append(value)
    return texts


@cache
def fts_available(alias: str = "default") -> bool:
    """True when the SQLite FTS5 table exists (created by migration 0004 when SQLite has the trigram tokenizer)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def _fts_replace(cursor, visit_id: int, text: str) -> None:
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [visit_id])  # noqa: S608
    cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (%s, %s)", [visit_id, text])  # noqa: S608


def visit_search_refresh(visit) -> str:
    """Recompute `visit.search_text` from its summary, next action and answers; store it and index it.

    Called by the services after every write that may change the text. Returns the new text.
    """
    from .models import Visit

    new_text = build_search_text(visit, _answer_texts(visit))
    old_text = Visit.objects.filter(pk=visit.pk).values_list("search_text", flat=True).first()
    visit.search_text = new_text
    if old_text != new_text:
        Visit.objects.filter(pk=visit.pk).update(search_text=new_text)
    if fts_available() and (old_text != new_text or not _fts_has(visit.pk)):
        with connection.cursor() as cursor:
            _fts_replace(cursor, visit.pk, new_text)
    return new_text


def _fts_has(visit_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {FTS_TABLE} WHERE rowid = %s", [visit_id])  # noqa: S608
        return cursor.fetchone() is not None


def visit_search_forget(visit_id: int) -> None:
    """Remove a deleted visit from the SQLite index."""
    if fts_available():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [visit_id])  # noqa: S608


def _answer_texts_by_visit(ids: list[int]) -> dict[int, list[str]]:
    from .models import HearingAnswer

    texts: dict[int, list[str]] = {}
    rows = HearingAnswer.objects.filter(visit_id__in=ids).order_by("visit_id", "question_key")
    for visit_id, text, value in rows.values_list("visit_id", "text", "value"):
        if text:
            texts.setdefault(visit_id, []).append(text)
        elif isinstance(value, str):
            texts.setdefault(visit_id, []).append(value)
    return texts


REINDEX_CHUNK = 2000


def visit_search_reindex(ids: Iterable[int] | None = None) -> int:
    """Recompute `search_text` (for `ids`, or every visit) and rebuild the SQLite index. Returns visits read.

    For bulk writers that bypass the services (seeding, benchmarks); reads and writes in chunks.
    """
    from .models import Visit

    table = connection.ops.quote_name(Visit._meta.db_table)
    queryset = Visit.objects.order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    count = 0
    fields = ("pk", "summary", "next_action", "search_text")
    rows = queryset.only(*fields).iterator(chunk_size=REINDEX_CHUNK)
    while chunk := list(islice(rows, REINDEX_CHUNK)):
        answers = _answer_texts_by_visit([v.pk for v in chunk])
        changed = []
        for visit in chunk:
            text = build_search_text(visit, answers.get(visit.pk, ()))
            if text != visit.search_text:
                visit.search_text = text
                changed.append(visit)
        if changed:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET search_text = %s WHERE id = %s",  # noqa: S608 - table name only
                    [(v.search_text, v.pk) for v in changed],
                )
        count += len(chunk)
    if fts_available():
        with connection.cursor() as cursor:
            if ids is None:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
                cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text FROM {table}")  # noqa: S608
            else:
                for pk, text in queryset.values_list("pk", "search_text"):
                    _fts_replace(cursor, pk, text)
    return count


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search_visits(queryset: QuerySet, query: str) -> QuerySet:
    """Visits of `queryset` whose summary, next action or answers contain every term of `query`."""
    terms = search_terms(query)
    if not terms:
        return queryset
    long_terms = [t for t in terms if len(t) >= FTS_MIN_CHARS and '"' not in t]
    if long_terms and fts_available():
        match = " AND ".join(_fts_phrase(t) for t in long_terms)
        # Parameterised; FTS5 MATCH has no ORM lookup.
        matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
        queryset = queryset.filter(pk__in=matching)
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset
