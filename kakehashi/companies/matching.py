"""Finding the registry record a typed, imported or spoken company name refers to.

`company_match` ranks candidates for one description of a company (name, place, corporate number, reading);
`company_search` narrows a queryset for search-as-you-type. Both read the candidate index
(`models.search`: an inverted table of name and reading bigrams) and never scan every name; see
docs/decisions/002-company-matching-index.md. `index_companies` / `reindex_all` keep the index in step: services
call the first, bulk importers the second.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from rapidfuzz import fuzz

from kakehashi.core.plain_sql import server_bound_rows
from kakehashi.reference.models import Municipality

from .choices import CompanyStatus
from .corporate_number import is_valid_corporate_number, normalise_corporate_number
from .models import Company, CompanyGram, CompanyGramStat, CompanySearchKey
from .normalise import (
    EXACT_MARK,
    PREFIX_MARK,
    SUFFIX_MARK,
    company_name_key,
    detect_legal_form,
    is_kana_only,
    kana_key,
    name_grams,
)

# The stat row holding the number of indexed companies ("#" never occurs in a key).
TOTAL_GRAM = "#"
# Candidate retrieval budgets: postings read nationwide per query (rarest grams first; less when the query's
# municipality is known, as the local pass has already read every gram there) and in the query's municipality,
# and how many candidates of each pass are scored.
GLOBAL_POSTINGS_BUDGET = 6000
GLOBAL_POSTINGS_BUDGET_PLACED = 1000
POSTINGS_HARD_LIMIT = 20000
LOCAL_POSTINGS_LIMIT = 5000
GLOBAL_CANDIDATES = 30
LOCAL_CANDIDATES = 30
# Below this similarity a candidate is noise and is not offered.
MIN_SIMILARITY = 50
# Search-as-you-type reads at most this many postings of its most selective gram.
SEARCH_POSTINGS_LIMIT = 5000
INDEX_CHUNK = 500
# A rebuild larger than this drops the look-up index and builds it again afterwards (much faster in bulk).
BULK_REBUILD_THRESHOLD = 50_000
# SQLite page cache for a rebuild (KiB), instead of the 2 MiB default; restored afterwards.
REBUILD_CACHE_KIB = 256 * 1024

_POSTAL = re.compile(r"[^0-9]")


@dataclass
class MatchCandidate:
    """One registry record that may be the company described, its score (0–100) and why."""

    company: Company
    score: int
    reasons: list[str] = field(default_factory=list)


# --- Keeping the index in step -------------------------------------------------------------------------------------


def _company_grams(name_key: str, kana: str) -> set[str]:
    return name_grams(name_key) | name_grams(kana)


def _indexable(queryset: QuerySet[Company]) -> QuerySet[Company]:
    return queryset.filter(merged_into__isnull=True).exclude(status=CompanyStatus.MERGED)


def _chunks(values: Iterable, size: int) -> Iterator[list]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _apply_stat_deltas(cursor, deltas: Counter) -> None:
    rows = [(gram, delta) for gram, delta in deltas.items() if delta]
    if not rows:
        return
    stat = _table(CompanyGramStat)
    cursor.executemany(
        f"INSERT INTO {stat} (gram, companies) VALUES (%s, %s) "  # noqa: S608 - table names only
        f"ON CONFLICT (gram) DO UPDATE SET companies = {stat}.companies + excluded.companies",
        rows,
    )
    negative = [gram for gram, delta in rows if delta < 0]
    for chunk in _chunks(negative, INDEX_CHUNK):
        CompanyGramStat.objects.filter(gram__in=chunk, companies__lte=0).delete()


@transaction.atomic
def index_companies(ids: Iterable[int]) -> None:
    """(Re)index these companies: after a create, an update, a merge or a small import. Missing or merged
    companies are removed from the index."""
    gram_table = _table(CompanyGram)
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted({int(pk) for pk in ids}), INDEX_CHUNK):
            deltas: Counter = Counter()
            for gram in CompanyGram.objects.filter(company_id__in=chunk).values_list("gram", flat=True):
                if not gram.startswith(EXACT_MARK):
                    deltas[gram] -= 1
            deltas[TOTAL_GRAM] -= CompanySearchKey.objects.filter(company_id__in=chunk).count()
            CompanyGram.objects.filter(company_id__in=chunk).delete()
            CompanySearchKey.objects.filter(company_id__in=chunk).delete()

            keys, postings = [], []
            rows = _indexable(Company.objects.filter(pk__in=chunk)).values_list(
                "pk", "name", "name_kana", "municipality_id"
            )
            for pk, name, name_kana, municipality_id in rows:
                name_key, reading = company_name_key(name), kana_key(name_kana)
                keys.append(CompanySearchKey(company_id=pk, name_key=name_key, kana_key=reading))
                for gram in _company_grams(name_key, reading):
                    postings.append((pk, gram, municipality_id))
                    if not gram.startswith(EXACT_MARK):
                        deltas[gram] += 1
            deltas[TOTAL_GRAM] += len(keys)
            CompanySearchKey.objects.bulk_create(keys)
            cursor.executemany(
                f"INSERT INTO {gram_table} (company_id, gram, municipality_id) VALUES (%s, %s, %s)",  # noqa: S608
                postings,
            )
            _apply_stat_deltas(cursor, deltas)


def _rebuild_keys(cursor, batch_size: int) -> int:
    """Compute every key in Python (the normaliser lives here) and insert them with executemany."""
    keys_table = _table(CompanySearchKey)
    count = 0
    rows = _indexable(Company.objects.order_by()).values_list("pk", "name", "name_kana").iterator(chunk_size=batch_size)
    for chunk in _chunks(rows, batch_size):
        cursor.executemany(
            f"INSERT INTO {keys_table} (company_id, name_key, kana_key) VALUES (%s, %s, %s)",  # noqa: S608
            [(pk, company_name_key(name), kana_key(kana)) for pk, name, kana in chunk],
        )
        count += len(chunk)
    company_name_key.cache_clear()
    kana_key.cache_clear()
    return count


_LOOKUP_INDEX = "companygram_lookup_idx"


def _rebuild_grams(cursor) -> None:
    """Generate every posting in one set-based statement (portable: SQLite ≥ 3.24 and PostgreSQL): bigrams by
    joining the keys with a series of positions, plus the prefix, suffix and exact grams. Rows go in primary-key
    order, so the key index is appended to rather than updated at random; duplicates fall to the primary key."""
    grams, keys, companies = _table(CompanyGram), _table(CompanySearchKey), _table(Company)
    parts = " UNION ALL ".join(
        [
            "SELECT k.company_id, substr(k.k, n.i, 2) AS gram, k.municipality_id "
            "FROM keyed k JOIN n ON n.i < length(k.k)",
            # the marks are constants of normalise.py, never input
            f"SELECT company_id, '{PREFIX_MARK}' || substr(k, 1, 1), municipality_id FROM keyed",  # noqa: S608
            f"SELECT company_id, '{SUFFIX_MARK}' || substr(k, length(k), 1), municipality_id FROM keyed",  # noqa: S608
            f"SELECT company_id, '{EXACT_MARK}' || k, municipality_id FROM keyed",  # noqa: S608
        ]
    )
    cursor.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200), "  # noqa: S608
        "keyed(company_id, k, municipality_id) AS ("
        f" SELECT s.company_id, s.name_key, c.municipality_id FROM {keys} s"
        f" JOIN {companies} c ON c.id = s.company_id WHERE s.name_key <> ''"
        " UNION ALL"
        f" SELECT s.company_id, s.kana_key, c.municipality_id FROM {keys} s"
        f" JOIN {companies} c ON c.id = s.company_id WHERE s.kana_key <> '' AND s.kana_key <> s.name_key) "
        f"INSERT INTO {grams} (company_id, gram, municipality_id) "
        f"SELECT * FROM ({parts}) AS p WHERE true ORDER BY 1, 2 ON CONFLICT DO NOTHING"
    )


def _rebuild_stats(cursor) -> None:
    stat, grams, keys = _table(CompanyGramStat), _table(CompanyGram), _table(CompanySearchKey)
    cursor.execute(
        f"INSERT INTO {stat} (gram, companies) SELECT gram, COUNT(*) FROM {grams} "  # noqa: S608
        f"WHERE substr(gram, 1, 1) <> '{EXACT_MARK}' GROUP BY gram"
    )
    cursor.execute(f"INSERT INTO {stat} (gram, companies) SELECT '{TOTAL_GRAM}', COUNT(*) FROM {keys}")  # noqa: S608


@transaction.atomic
def reindex_all(*, batch_size: int = 10_000) -> int:
    """Rebuild the whole index from the registry (after a bulk import, or when the normaliser's tables change).

    Keys are computed in Python in batches; postings and statistics are generated set-based in SQL. Large
    rebuilds drop the look-up index first and build it in one pass afterwards. Returns the companies indexed.
    """
    grams = _table(CompanyGram)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-REBUILD_CACHE_KIB:d}")  # back to `cache_size` at the end
        tables = [_table(model) for model in (CompanyGram, CompanyGramStat, CompanySearchKey)]
        if connection.vendor == "postgresql":
            # TRUNCATE refuses while deferred foreign-key checks of this transaction are pending (an import that
            # inserted companies just before): run them now, then defer again as Django expects.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names only
        count = _rebuild_keys(cursor, batch_size)
        bulk = count > BULK_REBUILD_THRESHOLD
        if bulk:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(_LOOKUP_INDEX)}")
        _rebuild_grams(cursor)
        if bulk:
            index = connection.ops.quote_name(_LOOKUP_INDEX)
            cursor.execute(f"CREATE INDEX {index} ON {grams} (gram, municipality_id, company_id)")
        _rebuild_stats(cursor)
        if bulk:
            cursor.execute(f"ANALYZE {grams}")
            cursor.execute(f"ANALYZE {_table(CompanyGramStat)}")
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = {int(cache_size):d}")
    if connection.vendor == "postgresql":
        transaction.on_commit(_vacuum_index)
    return count


def _vacuum_index() -> None:
    """PostgreSQL, after a rebuild has committed: VACUUM sets the visibility map, without which an index-only scan
    of the look-up index still visits the table for every posting (random reads: most of a query's time until
    autovacuum comes round). Not possible inside a transaction (a caller's atomic block, tests): skipped there."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (CompanyGram, CompanySearchKey, CompanyGramStat):
            cursor.execute(f"VACUUM (ANALYZE) {_table(model)}")


# --- Matching --------------------------------------------------------------------------------------------------------


@dataclass
class _Query:
    name_key: str
    kana: str  # the reading to compare with companies' readings ("" when none)
    municipality_id: int | None
    municipality_code: str
    postal_code: str
    corporate_number: str
    legal_form: str | None


def _municipality(value) -> tuple[int | None, str]:
    """(id, code) of a `Municipality`, or (None, code) for a code: the index query looks the id up itself."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, Municipality):
        return value.pk, value.code
    return None, unicodedata.normalize("NFKC", str(value)).strip()


def _postal(value: str | None) -> str:
    digits = _POSTAL.sub("", unicodedata.normalize("NFKC", value or ""))
    return digits if len(digits) == 7 else ""


def _stats(grams: Iterable[str]) -> dict[str, int]:
    wanted = [*grams, TOTAL_GRAM]
    placeholders = ", ".join(["%s"] * len(wanted))
    sql = f"SELECT gram, companies FROM {_table(CompanyGramStat)} WHERE gram IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted)
        return dict(cursor.fetchall())


def _best_sharing(cte: str, grams: dict[str, float], *, place: tuple[str, list], limit: int, scan: int) -> tuple:
    """SQL (and its parameters) for the company ids sharing the most idf-weighted grams with the query: at most
    `scan` postings read from the covering look-up index, `limit` ids kept. `cte` names the (gram, w) table."""
    place_sql, place_params = place
    sql = (
        "SELECT company_id FROM (SELECT company_id, SUM(w) AS weight FROM ("  # noqa: S608 - no input in the text
        f"SELECT g.company_id AS company_id, q.w AS w FROM {cte} q JOIN {_table(CompanyGram)} g "
        f"ON g.gram = q.gram{place_sql} LIMIT %s) AS postings "
        f"GROUP BY company_id ORDER BY weight DESC, company_id LIMIT %s) AS best_{cte}"
    )
    return sql, [*place_params, scan, limit]


def _values(grams: dict[str, float]) -> tuple[str, list]:
    """The (gram, weight) rows of a query as SQL. PostgreSQL: two arrays, so the statement's text does not depend on
    how many grams a name has and one prepared statement serves every query (see `_fetch`)."""
    if connection.vendor == "postgresql":
        return "SELECT * FROM unnest(%s::text[], %s::float8[])", [list(grams), [float(w) for w in grams.values()]]
    return "VALUES " + ", ".join("(%s, %s)" for _ in grams), [value for item in grams.items() for value in item]


def _fetch(sql: str, params: list) -> list[tuple]:
    """Run the candidate query. On PostgreSQL prepared, on a server-binding cursor (`server_bound_rows`): planning
    this join took about as long as running it."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return server_bound_rows(sql, params, using=connection.alias, prepare=True)


def _candidates(query: _Query) -> list[tuple]:
    """Candidates from the index with what scoring needs of each, in one round trip: the best of the query's
    municipality (every gram: a municipality is small) and the best nationwide (exact keys, then the rarest grams
    within a budget), joined to their keys and places (merged records left out)."""
    grams: set[str] = set()
    for key in {query.name_key, query.kana} - {""}:
        grams |= name_grams(key)
    exact = {g for g in grams if g.startswith(EXACT_MARK)}
    stats = _stats(grams - exact)
    total = max(stats.get(TOTAL_GRAM, 0), 1)
    present = sorted((df, g) for g, df in stats.items() if g != TOTAL_GRAM and df > 0)
    idf = {g: round(math.log((total + 1) / (df + 0.5)), 3) for df, g in present}
    exact_grams = dict.fromkeys(sorted(exact), round(math.log(total + 1) * 2, 3))

    ctes, selects, params = [], [], []
    tail: list = []
    if query.municipality_id is not None:
        place = (" AND g.municipality_id = %s", [query.municipality_id])
    elif query.municipality_code:
        place = (
            f" AND g.municipality_id = (SELECT id FROM {_table(Municipality)} WHERE code = %s)",  # noqa: S608
            [query.municipality_code],
        )
    else:
        place = None
    if place and (local := {**exact_grams, **idf}):
        values, values_params = _values(local)
        ctes.append(f"ql(gram, w) AS ({values})")
        params += values_params
        sql, part_params = _best_sharing("ql", local, place=place, limit=LOCAL_CANDIDATES, scan=LOCAL_POSTINGS_LIMIT)
        selects.append(sql)
        tail += part_params
    budget, at_least = (GLOBAL_POSTINGS_BUDGET_PLACED, 1) if place else (GLOBAL_POSTINGS_BUDGET, 2)
    chosen: dict[str, float] = dict(exact_grams)
    spent = 0
    for df, gram in present:
        if len(chosen) >= len(exact_grams) + at_least and spent + df > budget:
            break
        chosen[gram] = idf[gram]
        spent += df
    if chosen:
        values, values_params = _values(chosen)
        ctes.append(f"qg(gram, w) AS ({values})")
        params += values_params
        sql, part_params = _best_sharing(
            "qg", chosen, place=("", []), limit=GLOBAL_CANDIDATES, scan=POSTINGS_HARD_LIMIT
        )
        selects.append(sql)
        tail += part_params
    if not selects:
        return []
    keys, companies, municipalities = _table(CompanySearchKey), _table(Company), _table(Municipality)
    sql = (
        f"WITH {', '.join(ctes)} "  # noqa: S608 - table names and placeholders only
        "SELECT c.id, c.name, k.name_key, k.kana_key, m.code, c.postal_code, c.corporate_number "
        f"FROM ({' UNION '.join(selects)}) AS found "
        f"JOIN {keys} k ON k.company_id = found.company_id JOIN {companies} c ON c.id = k.company_id "
        f"LEFT JOIN {municipalities} m ON m.id = c.municipality_id WHERE c.merged_into_id IS NULL"
    )
    return _fetch(sql, params + tail)


def _companies(ids: list[int]) -> dict[int, Company]:
    """The ranked companies with their municipalities: two plain queries, cheaper than the ORM's compiled
    select_related on the hot path (this runs on every keystroke of a duplicate check)."""
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    companies = {
        c.pk: c
        for c in Company.objects.raw(f"SELECT * FROM {_table(Company)} WHERE id IN ({placeholders})", ids)  # noqa: S608
    }
    places = {c.municipality_id for c in companies.values() if c.municipality_id}
    if places:
        placeholders = ", ".join(["%s"] * len(places))
        sql = f"SELECT * FROM {_table(Municipality)} WHERE id IN ({placeholders})"  # noqa: S608
        municipalities = {m.pk: m for m in Municipality.objects.raw(sql, list(places))}
        for company in companies.values():
            if company.municipality_id:
                company.municipality = municipalities[company.municipality_id]
    return companies


def _location(query: _Query, municipality_code: str | None, postal_code: str) -> tuple[int, str]:
    """(bonus, label) for how close the candidate is to where the query says the company is."""
    if query.municipality_code and municipality_code == query.municipality_code:
        return 9, "same"
    if query.postal_code and postal_code == query.postal_code:
        return 9, "postal"
    near_prefecture = bool(
        query.municipality_code and municipality_code and municipality_code[:2] == query.municipality_code[:2]
    )
    near_postal = bool(query.postal_code and postal_code and postal_code[:3] == query.postal_code[:3])
    if near_prefecture or near_postal:
        return 4, "near"
    return 0, ""


def _score(query: _Query, row: tuple) -> tuple[int, float, list[str]] | None:
    _, name, name_key, reading, municipality_code, postal_code, corporate_number = row
    name_similarity = fuzz.ratio(query.name_key, name_key) if query.name_key else 0.0
    kana_similarity = 0.0
    if reading:
        if query.kana:
            kana_similarity = fuzz.ratio(query.kana, reading)
        if is_kana_only(query.name_key):
            kana_similarity = max(kana_similarity, fuzz.ratio(query.name_key, reading))
    similarity = max(name_similarity, kana_similarity * 0.95)
    if similarity < MIN_SIMILARITY:
        return None
    bonus, place = _location(query, municipality_code, postal_code)
    reasons: list[str] = []
    suffix = {"same": "同じ市区町村", "postal": "同じ郵便番号", "near": "近隣"}.get(place, "")
    if name_similarity >= kana_similarity * 0.95:
        if name_similarity == 100:
            reasons.append("正規化名称が一致" + (f"（{suffix}）" if suffix else ""))
        else:
            reasons.append(f"名称が類似（{int(name_similarity)}%）" + (f"・{suffix}" if suffix else ""))
    elif suffix:
        reasons.append(suffix)
    if kana_similarity == 100:
        reasons.append("フリガナが一致")
    elif kana_similarity >= 80 and kana_similarity * 0.95 > name_similarity:
        reasons.append(f"フリガナが類似（{int(kana_similarity)}%）")
    score = similarity * 0.9 + bonus
    if query.legal_form and name_similarity == 100 and detect_legal_form(name) == query.legal_form:
        score += 1  # namesakes: the one with the same legal form first
    score = min(99, round(score))
    if query.corporate_number and corporate_number and corporate_number != query.corporate_number:
        score = min(score, 40)
        reasons.append("法人番号が異なる")
    return score, similarity, reasons


def company_match(
    name: str,
    *,
    municipality=None,
    postal_code: str | None = None,
    corporate_number: str | None = None,
    kana: str | None = None,
    limit: int = 10,
    queryset: QuerySet[Company] | None = None,
) -> list[MatchCandidate]:
    """Registry records that may be the company described, best first (score 0–100, reasons in Japanese).

    A valid corporate number held by a record wins outright (100). Other candidates come from the n-gram index
    (same municipality first, then nationwide by the rarest grams), are scored by rapidfuzz similarity of the
    normalised names or readings, plus a bonus for the same municipality or postal code (9) or a neighbouring
    one (same prefecture or postal area, 4). `municipality` is a 6-digit code or a `Municipality`; `queryset`
    narrows the records that may be returned (e.g. to what the user may see).
    """
    number = normalise_corporate_number(corporate_number)
    municipality_id, municipality_code = _municipality(municipality)
    name_key = company_name_key(name or "")
    query = _Query(
        name_key=name_key,
        kana=kana_key(kana) if kana else "",
        municipality_id=municipality_id,
        municipality_code=municipality_code,
        postal_code=_postal(postal_code),
        corporate_number=number if is_valid_corporate_number(number) else "",
        legal_form=detect_legal_form(name or ""),
    )
    results: dict[int, tuple[int, float, list[str]]] = {}

    if query.corporate_number:
        holder = Company.objects.filter(corporate_number=query.corporate_number).first()
        while holder is not None and holder.merged_into_id:
            holder = holder.merged_into
        if holder is not None and (queryset is None or queryset.filter(pk=holder.pk).exists()):
            results[holder.pk] = (100, 100.0, ["法人番号が一致"])

    if query.name_key or query.kana:
        rows = [row for row in _candidates(query) if row[0] not in results]
        if rows and queryset is not None:
            allowed = set(queryset.filter(pk__in=[row[0] for row in rows]).values_list("pk", flat=True))
            rows = [row for row in rows if row[0] in allowed]
        for row in rows:
            scored = _score(query, row)
            if scored is not None:
                results[row[0]] = scored

    ranked = sorted(results.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))[:limit]
    companies = _companies([pk for pk, _ in ranked])
    return [
        MatchCandidate(company=companies[pk], score=score, reasons=reasons)
        for pk, (score, _, reasons) in ranked
        if pk in companies
    ]


# --- Search as you type ----------------------------------------------------------------------------------------------


def company_search(query: str, *, queryset: QuerySet[Company]) -> QuerySet[Company]:
    """Companies of `queryset` whose name or reading contains `query` (normalised), exact and prefix matches first.

    One character matches names and readings that start with it; two characters match any that contain them;
    longer queries are found through their most selective bigram and checked for containment. Every path reads
    at most `SEARCH_POSTINGS_LIMIT` postings, so a query stays fast however large the registry. Merged records
    are not indexed and so not found.
    """
    key = company_name_key(query or "")
    if not key:
        return queryset
    if len(key) == 1:
        postings = CompanyGram.objects.filter(gram=PREFIX_MARK + key)
    elif len(key) == 2:
        postings = CompanyGram.objects.filter(gram=key)
    else:
        grams = {key[i : i + 2] for i in range(len(key) - 1)}
        stats = _stats(grams)
        rarest = min(grams, key=lambda g: (stats.get(g, 0), g))
        if not stats.get(rarest):
            return queryset.none()
        postings = CompanyGram.objects.filter(gram=rarest)
    ids = postings.values("company_id")[:SEARCH_POSTINGS_LIMIT]
    found = queryset.filter(pk__in=ids)
    if len(key) > 2:
        found = found.filter(Q(search_key__name_key__contains=key) | Q(search_key__kana_key__contains=key))
    rank = Case(
        When(search_key__name_key=key, then=Value(0)),
        When(search_key__kana_key=key, then=Value(0)),
        When(search_key__name_key__startswith=key, then=Value(1)),
        When(search_key__kana_key__startswith=key, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return found.annotate(search_rank=rank).order_by("search_rank", "name_key", "pk")
