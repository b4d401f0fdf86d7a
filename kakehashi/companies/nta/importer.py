"""The set-based upsert engine for 法人番号公表サイト files.

Per chunk of validated rows (see `reader.py`) it looks the numbers up in one query, inserts the new
companies with multi-row INSERTs (PostgreSQL: `COPY`), updates only the rows that changed, and
commits. No per-row `full_clean()`: the reader validated every field, and the database's own
constraints still apply.

Choices (see docs/decisions/003-bulk-import-audit.md):

* **One transaction per chunk**, not per file (a first load: per BULK_LOAD_ROWS_PER_TRANSACTION
  rows, several chunks). A national file takes minutes; on SQLite one transaction would hold the
  database's only write lock that long and every visit report saved meanwhile would fail. Input
  problems never half-import: file-level problems are found before the first chunk, row-level
  problems reject that row only (reported with line, column, reason).
  `strict=True` validates the whole file first and imports nothing if any row is rejected. A
  system failure midway leaves the committed chunks in place; re-running the same file is
  idempotent and completes the import.
* **Later row wins.** Rows for one number in one file are applied in sequence order; a second row
  is counted as a duplicate (in the reader within a chunk; here across chunks, recognised by the
  import's own `updated_at` stamp — so across chunks only when the earlier row wrote something,
  otherwise the later row is counted as unchanged or updated; no set of 5 million numbers is kept).
* **Never older over newer.** A row whose 更新年月日 is older than what a company already holds
  is skipped (counted as stale), so an old 全件 file cannot undo newer 差分 files.
* **Never a hard delete.** 99 削除 closes the record and writes a change-log entry saying why.
* **Successors** (71 吸収合併) are linked when the successor is known; the rest once the whole
  file is in, since the successor may come later in the file.
* **A first load sets the table's secondary indexes aside** (PostgreSQL: and its foreign keys) and
  rebuilds each once after the load, crash-safely (`bulkload.py`, docs/decisions/016-…).
"""

import contextlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

from kakehashi.companies.choices import CompanySource, CompanyStatus
from kakehashi.companies.models import Company
from kakehashi.companies.normalise import company_name_key
from kakehashi.core.plain_sql import server_bound_rows

from . import bulkload, layout
from .pipeline import (
    P_ADDRESS,
    P_CLOSED_ON,
    P_KANA,
    P_LEGAL_FORM,
    P_MUNICIPALITY,
    P_NAME,
    P_NAME_KEY,
    P_NUMBER,
    P_POSTAL,
    P_PROCESS,
    P_STATUS,
    P_SUCCESSOR,
    P_UPDATED_ON,
    Batch,
    Finished,
    prepared_batches,
    prepared_batches_in_worker,
)
from .reader import DEFAULT_CHUNK_SIZE, NtaReader, ReadCounts, Rejection, count_lines

logger = logging.getLogger(__name__)

NTA = CompanySource.NTA.value
ACTIVE, CLOSED, MERGED = CompanyStatus.ACTIVE.value, CompanyStatus.CLOSED.value, CompanyStatus.MERGED.value
DELETE_NOTE = "国税庁の法人番号公表サイトで削除された番号（処理区分99）"
WARNING_LIMIT = 1000
# Above this many changed companies the matching index is rebuilt in bulk instead of per company.
REINDEX_ALL_THRESHOLD = 20_000
# Files from this size on are read and prepared in a second process (see pipeline.py).
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
# SQLite page cache for the import connection (KiB, negative = size): random index inserts need it.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024
# A first load of at least this many rows sets the registry table's secondary indexes (and on PostgreSQL its
# foreign keys) aside and rebuilds them after the load (see bulkload.py).
BULK_LOAD_MIN_ROWS = 50_000
# Rows per transaction on a first load (the reader's chunks stay small so that reading and writing overlap).
# Every commit writes each page the transaction touched in the unique corporate-number index (random keys)
# to the WAL again, so fewer, larger transactions write far less.
BULK_LOAD_ROWS_PER_TRANSACTION = 100_000
# …but a transaction is closed after the chunk that passes this many seconds: on SQLite it holds the database's only
# write lock, and other writers give up after the 5-second busy timeout.
BULK_LOAD_TRANSACTION_SECONDS = 2.0
# SQLite: rows per multi-row INSERT (16 values each, within SQLite's default limit of 32,766 variables).
# One statement per row (`executemany`) pays the statement's per-execution cost — AUTOINCREMENT's
# sqlite_sequence update among it — once per row.
SQLITE_INSERT_ROWS = 2_000

ProgressCallback = Callable[[int, int | None], None]

# Columns written, in order. `_EXISTING` are read back for the comparison.
_INSERT_COLUMNS = (
    "created_at",
    "updated_at",
    "corporate_number",
    "name",
    "name_kana",
    "name_key",
    "postal_code",
    "address",
    "website",
    "status",
    "closed_on",
    "sources",
    "nta_updated_on",
    "legal_form_id",
    "municipality_id",
    "successor_id",
)
_UPDATE_COLUMNS = (
    "updated_at",
    "name",
    "name_kana",
    "name_key",
    "postal_code",
    "address",
    "status",
    "closed_on",
    "sources",
    "nta_updated_on",
    "legal_form_id",
    "municipality_id",
    "successor_id",
)
_EXISTING = (
    "id",
    "corporate_number",
    "name",
    "name_kana",
    "name_key",
    "legal_form_id",
    "postal_code",
    "municipality_id",
    "address",
    "status",
    "closed_on",
    "successor_id",
    "nta_updated_on",
    "sources",
    "merged_into_id",
)


@dataclass
class ImportSummary:
    """What one import did. Every data row lands in exactly one of: inserted, updated, unchanged,
    duplicates (a later row for a number already applied from this file), stale, skipped_* or
    rejected. `closed`, `reopened`, `merged` and `deleted` count status changes among them."""

    file_name: str = ""
    encoding: str = ""
    prefecture: str | None = None
    dry_run: bool = False
    strict: bool = False
    applied: bool = True
    lines: int = 0
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    stale: int = 0
    closed: int = 0
    reopened: int = 0
    merged: int = 0
    deleted: int = 0
    blank: int = 0
    skipped_hidden: int = 0
    skipped_prefecture: int = 0
    skipped_deleted_unknown: int = 0
    rejected: int = 0
    rejected_by_field: dict[str, int] = field(default_factory=dict)
    out_of_order: int = 0
    successors_linked: int = 0
    successors_missing: int = 0
    legal_form_unknown: dict[str, int] = field(default_factory=dict)
    municipality_unknown: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    index_seconds: float = 0.0
    indexed: str = ""
    # The table's secondary indexes were set aside during the load and rebuilt after it (a first load).
    bulk_load: bool = False
    # `updated_at` of every company this import wrote (until it is changed again): the audit trail.
    stamp: str = ""

    @property
    def skipped(self) -> int:
        return self.skipped_hidden + self.skipped_prefecture + self.skipped_deleted_unknown + self.stale

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def warn(self, message: str) -> None:
        if len(self.warnings) < WARNING_LIMIT:
            self.warnings.append(message)

    def as_dict(self) -> dict:
        return {**asdict(self), "skipped": self.skipped, "rows_per_second": round(self.rows_per_second)}


class NtaStrictError(Exception):
    """`strict=True` and the file has rejected rows: nothing was imported."""

    def __init__(self, summary: ImportSummary):
        super().__init__(f"{summary.rejected}行に誤りがあるため、何も取り込みませんでした。")
        self.summary = summary


_PATTERNS: dict[str, Callable] = {}


def _compiled_regexp(pattern, string):
    """Django's SQLite REGEXP (`_sqlite_regexp`) without `re`'s per-call cache look-up: a dict of compiled searches."""
    if pattern is None or string is None:
        return None
    try:
        search = _PATTERNS[pattern]
    except KeyError:
        search = _PATTERNS[pattern] = re.compile(pattern).search
    return search(string if isinstance(string, str) else str(string)) is not None


def _iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    return value.isoformat()


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class CorporateNumberImporter:
    """Import one file. `run()` returns an `ImportSummary`; rejected rows go to `on_reject`."""

    def __init__(
        self,
        path: Path | str,
        *,
        prefecture: str | None = None,
        strict: bool = False,
        dry_run: bool = False,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        actor=None,
        on_reject: Callable[[Rejection], None] | None = None,
        progress: ProgressCallback | None = None,
        reindex: bool = True,
        parallel: bool | None = None,
        bulk_load: bool | None = None,
        using: str = "default",
    ):
        self.path = Path(path)
        self.prefecture = prefecture or None
        self.strict = strict
        self.dry_run = dry_run
        self.chunk_size = chunk_size
        self.actor = actor
        self.on_reject = on_reject or (lambda rejection: None)
        self.progress = progress or (lambda done, total: None)
        self.reindex = reindex
        if parallel is None:
            parallel = (os.cpu_count() or 1) > 1 and self.path.stat().st_size >= PARALLEL_MIN_BYTES
        self.parallel = parallel
        # None: decided by run() (a first load of at least BULK_LOAD_MIN_ROWS rows); never in a dry run.
        self.bulk_load = bulk_load
        self.using = using
        self.connection = connections[using]
        self.summary = ImportSummary(prefecture=self.prefecture, dry_run=dry_run, strict=strict)
        self._deferred_successors: list[tuple[str, str]] = []
        self._deleted: list[tuple[int, str, str]] = []  # (id, name, status before)

    # --- the whole run ---------------------------------------------------------------------------

    def run(self) -> ImportSummary:
        started = time.perf_counter()
        summary = self.summary
        lines = total = count_lines(self.path)
        offset = 0
        if self.strict:  # two passes: validation, then the import
            total = 2 * lines
            offset = self._validate_only(total)
        self.progress(offset, total)
        legal_forms, municipalities = self._lookups()
        # First load (registry smaller than half the file): name keys for every row, in the reader, and (from
        # BULK_LOAD_MIN_ROWS rows) the table's secondary indexes rebuilt once after the load.
        first_load = Company.objects.using(self.using).filter(corporate_number__isnull=False).count() < lines / 2
        name_keys = first_load
        bulk = self.bulk_load if self.bulk_load is not None else first_load and lines >= BULK_LOAD_MIN_ROWS
        bulk = bulk and not self.dry_run
        summary.bulk_load = bulk
        rows_per_transaction = BULK_LOAD_ROWS_PER_TRANSACTION if bulk else 1  # 1: one chunk per transaction
        self._stamp = timezone.now()
        summary.stamp = self._stamp.isoformat()
        self._stamp_db = self.connection.ops.adapt_datetimefield_value(self._stamp)
        source = prepared_batches_in_worker if self.parallel else prepared_batches
        batches = source(
            self.path,
            prefecture=self.prefecture,
            chunk_size=self.chunk_size,
            legal_forms=legal_forms,
            municipalities=municipalities,
            name_keys=name_keys,
        )
        outer = transaction.atomic(using=self.using) if self.dry_run else contextlib.nullcontext()
        set_aside = contextlib.nullcontext() if self.dry_run else bulkload.set_aside(self.connection, enabled=bulk)
        with contextlib.closing(batches), self._sqlite_cache(), set_aside, outer:
            finished = None
            while finished is None:
                with transaction.atomic(using=self.using):
                    finished = self._apply_batches(batches, rows_per_transaction, offset, total)
            self._collect_counts(finished.counts, finished.encoding, finished.member_name)
            summary.legal_form_unknown = finished.prepare_counts.legal_form_unknown
            summary.municipality_unknown = finished.prepare_counts.municipality_unknown
            with transaction.atomic(using=self.using):
                self._link_successors()
                self._log_deletions()
            if self.dry_run:
                transaction.set_rollback(True, using=self.using)
        summary.seconds = time.perf_counter() - started
        self.progress(total, total)
        if self.reindex and not self.dry_run and (summary.inserted or summary.updated or summary.duplicates):
            self._reindex()
        return summary

    def _apply_batches(
        self, batches: Iterator[Batch | Finished], rows: int, offset: int, total: int
    ) -> Finished | None:
        """Apply batches, in the caller's transaction, until at least `rows` rows are written or
        BULK_LOAD_TRANSACTION_SECONDS have passed (then None), or the reader's closing `Finished` arrives (returned)."""
        applied = 0
        deadline = time.monotonic() + BULK_LOAD_TRANSACTION_SECONDS
        for item in batches:
            if isinstance(item, Finished):
                return item
            for rejection in item.rejections:
                self.on_reject(rejection)
            if item.rows:
                self._apply_chunk(item.rows)
                applied += len(item.rows)
            self.progress(offset + item.lines, total)
            if applied >= rows or time.monotonic() >= deadline:
                return None
        raise RuntimeError("法人番号データの読込が途中で終わりました。")

    def _validate_only(self, total: int) -> int:
        """Strict mode, pass one: read and validate everything without touching the database."""
        reader = NtaReader(self.path, prefecture=self.prefecture, chunk_size=self.chunk_size, on_reject=self.on_reject)
        for _rows in reader:
            self.progress(reader.lines, total)
        if reader.counts.rejected:
            self._collect_counts(reader.counts, reader.encoding or "", reader.member_name)
            self.summary.applied = False
            raise NtaStrictError(self.summary)
        return reader.lines

    def _collect_counts(self, counts: ReadCounts, encoding: str, member_name: str) -> None:
        summary = self.summary
        summary.file_name = member_name or self.path.name
        summary.encoding = encoding
        summary.lines = counts.lines
        summary.rows = counts.rows
        summary.blank = counts.blank
        summary.skipped_hidden = counts.hidden
        summary.skipped_prefecture = counts.other_prefecture
        summary.rejected = counts.rejected
        summary.rejected_by_field = dict(counts.rejected_by_field)
        summary.duplicates += counts.duplicates
        summary.out_of_order = counts.out_of_order
        if counts.out_of_order:
            summary.warn(f"一連番号が昇順でない行が{counts.out_of_order}行ありました。ファイル内の順に反映しました。")

    def _lookups(self) -> tuple[dict[str, int], dict[str, int]]:
        from kakehashi.reference.models import CodeItem, Municipality

        legal_forms = dict(CodeItem.objects.using(self.using).filter(list="legal_form").values_list("code", "id"))
        municipalities = dict(Municipality.objects.using(self.using).values_list("code", "id"))
        return legal_forms, municipalities

    @contextlib.contextmanager
    def _sqlite_cache(self):
        """SQLite only, for this connection while importing, restored afterwards: a large page cache, and a leaner
        REGEXP (same results as Django's) for the two check constraints that call it on every inserted row."""
        if self.connection.vendor != "sqlite":
            yield
            return
        from django.db.backends.sqlite3._functions import _sqlite_regexp

        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        raw = self.connection.connection  # connected by the cursor above
        raw.create_function("REGEXP", 2, _compiled_regexp, deterministic=True)
        try:
            yield
        finally:
            raw.create_function("REGEXP", 2, _sqlite_regexp, deterministic=True)
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    # --- one chunk -------------------------------------------------------------------------------

    def _apply_chunk(self, rows: list[tuple]) -> None:
        summary = self.summary
        successor_numbers = {row[P_SUCCESSOR] for row in rows}
        successor_numbers.discard("")
        existing = self._fetch_existing([row[P_NUMBER] for row in rows], successor_numbers)
        stamp = self._stamp_db
        nta_sources = json.dumps([NTA])
        inserts: list[tuple] = []
        updates: list[tuple] = []
        deferred = self._deferred_successors
        for row in rows:
            number = row[P_NUMBER]
            process = row[P_PROCESS]
            updated_on = row[P_UPDATED_ON]
            status = row[P_STATUS]
            current = existing.get(number)
            if current is not None and current[-1]:
                summary.duplicates += 1  # an earlier row of this file already wrote this company
            elif current is not None and current[12] is not None and updated_on < _iso(current[12]):
                summary.stale += 1
                continue
            if process == layout.PROCESS_DELETE and current is None:
                summary.skipped_deleted_unknown += 1
                continue
            successor_id = None
            successor_number = row[P_SUCCESSOR]
            if successor_number:
                found = existing.get(successor_number)
                if found is not None:
                    successor_id = found[0]
                else:
                    deferred.append((number, successor_number))

            if current is None:  # a new company
                name_key = row[P_NAME_KEY]
                inserts.append(
                    (
                        stamp, stamp, number, row[P_NAME], row[P_KANA],
                        name_key if name_key is not None else company_name_key(row[P_NAME]), row[P_POSTAL],
                        row[P_ADDRESS], "", status, row[P_CLOSED_ON], nta_sources, updated_on, row[P_LEGAL_FORM],
                        row[P_MUNICIPALITY], successor_id,
                    )
                )  # fmt: skip
                summary.inserted += 1
                if status != ACTIVE:
                    summary.closed += 1
                    if status == MERGED:
                        summary.merged += 1
                continue

            # A known company: compare field by field, write only when something differs.
            (pk, _n, old_name, old_kana, old_key, old_legal, old_postal, old_muni, old_address, old_status,
             old_closed, old_successor, old_updated, old_sources, merged_into, touched) = current  # fmt: skip
            name = row[P_NAME]
            kana = row[P_KANA] or old_kana  # a blank フリガナ keeps one entered by staff
            closed_on = row[P_CLOSED_ON]
            if merged_into is not None:  # merged as a duplicate in the registry: that status stays
                status, closed_on, successor_id = old_status, _iso(old_closed), old_successor
            elif successor_number and successor_id is None:
                successor_id = old_successor  # linked after the whole file, see _link_successors
            sources = old_sources if isinstance(old_sources, str) else json.dumps(old_sources)
            has_nta = f'"{NTA}"' in sources
            if (
                name == old_name
                and kana == old_kana
                and row[P_LEGAL_FORM] == old_legal
                and row[P_POSTAL] == old_postal
                and row[P_MUNICIPALITY] == old_muni
                and row[P_ADDRESS] == old_address
                and status == old_status
                and closed_on == _iso(old_closed)
                and successor_id == old_successor
                and updated_on == _iso(old_updated)
                and has_nta
            ):
                if not touched:
                    summary.unchanged += 1
                continue
            if not has_nta:
                sources = json.dumps([*json.loads(sources), NTA], ensure_ascii=False)
            updates.append(
                (
                    stamp, name, kana, old_key if name == old_name else (row[P_NAME_KEY] or company_name_key(name)),
                    row[P_POSTAL],
                    row[P_ADDRESS], status, closed_on, sources, updated_on, row[P_LEGAL_FORM], row[P_MUNICIPALITY],
                    successor_id, pk,
                )
            )  # fmt: skip
            if not touched:
                summary.updated += 1
            if status != old_status:
                if old_status == ACTIVE:
                    summary.closed += 1
                    if status == MERGED:
                        summary.merged += 1
                elif status == ACTIVE:
                    summary.reopened += 1
            if process == layout.PROCESS_DELETE:
                summary.deleted += 1
                self._deleted.append((pk, name, old_status))
        inserts.sort(key=lambda values: values[2])  # corporate-number order: the unique index likes it
        self._write(inserts, updates)

    # --- database access -------------------------------------------------------------------------

    @property
    def _table(self) -> str:
        return self.connection.ops.quote_name(Company._meta.db_table)

    def _fetch_existing(self, numbers: list[str], successors: Iterable[str]) -> dict[str, tuple]:
        """Companies for these numbers (and the successors named), with a flag: written by this import."""
        wanted = list({*numbers, *successors})
        quote = self.connection.ops.quote_name
        # Dates as text: compared with the file's ISO dates, and no per-value date parsing on SQLite.
        columns = ", ".join(
            f"CAST({quote(c)} AS TEXT)" if c in {"closed_on", "nta_updated_on"} else quote(c) for c in _EXISTING
        )
        found: dict[str, tuple] = {}
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # The planner prices a chunk's 20,000 index probes above a parallel scan of the whole table, so on a
                # growing registry every look-up became a full scan (1 M rows: ~16 µs per number, ~4 with the
                # index). This query always wants the index: scans are switched off for it alone. The numbers go
                # as one bound parameter, not 20,000 literals in the statement.
                cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
                (seqscan, _off) = cursor.fetchone()
                try:
                    rows = server_bound_rows(
                        f"SELECT {columns}, updated_at = %s FROM {self._table} WHERE corporate_number = ANY(%s)",  # noqa: S608
                        [self._stamp_db, wanted],
                        using=self.using,
                    )
                finally:
                    cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
                for values in rows:
                    found[values[1]] = values
                return found
            for part in _chunks(wanted, 30_000):
                placeholders = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT {columns}, updated_at = %s FROM {self._table} "  # noqa: S608
                    f"WHERE corporate_number IN ({placeholders})",
                    [self._stamp_db, *part],
                )
                for values in cursor.fetchall():
                    found[values[1]] = values
        return found

    def _write(self, inserts: list[tuple], updates: list[tuple]) -> None:
        if not inserts and not updates:
            return
        quote = self.connection.ops.quote_name
        # wrap_database_errors: COPY and the multi-row INSERTs go past Django's cursor; errors still come as Django's.
        with self.connection.wrap_database_errors, self.connection.cursor() as cursor:
            if inserts:
                if self.connection.vendor == "postgresql":
                    self._copy(cursor, self._table, _INSERT_COLUMNS, inserts)
                else:
                    self._insert_sqlite(inserts)
            if updates:
                if self.connection.vendor == "postgresql" and len(updates) > 500:
                    self._update_via_copy(cursor, updates)
                else:
                    assignments = ", ".join(f"{quote(c)} = %s" for c in _UPDATE_COLUMNS)
                    cursor.executemany(f"UPDATE {self._table} SET {assignments} WHERE id = %s", updates)  # noqa: S608

    def _insert_sqlite(self, inserts: list[tuple]) -> None:
        """Multi-row INSERTs of SQLITE_INSERT_ROWS rows each, straight on the DB-API connection (its
        statement cache keeps the full-size statement prepared; Django's %s → ? rewrite is not needed)."""
        quote = self.connection.ops.quote_name
        head = f"INSERT INTO {self._table} ({', '.join(quote(c) for c in _INSERT_COLUMNS)}) VALUES "  # noqa: S608
        one = "(" + ", ".join("?" * len(_INSERT_COLUMNS)) + ")"
        raw = self.connection.connection
        for part in _chunks(inserts, SQLITE_INSERT_ROWS):
            raw.execute(head + ", ".join([one] * len(part)), list(chain.from_iterable(part)))

    @staticmethod
    def _copy(cursor, table: str, columns: Iterable[str], rows: list[tuple]) -> None:
        """PostgreSQL COPY FROM STDIN through psycopg 3 (text format; psycopg quotes the values)."""
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write = copy.write_row
            for values in rows:
                write(values)

    def _update_via_copy(self, cursor, updates: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        temp = "nta_import_update"
        columns = ", ".join(quote(c) for c in ("id", *_UPDATE_COLUMNS))
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {temp} ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {columns} FROM {self._table} WITH NO DATA"
        )
        self._copy(cursor, temp, [*_UPDATE_COLUMNS, "id"], updates)
        assignments = ", ".join(f"{quote(c)} = t.{quote(c)}" for c in _UPDATE_COLUMNS)
        cursor.execute(f"UPDATE {self._table} AS c SET {assignments} FROM {temp} AS t WHERE c.id = t.id")  # noqa: S608
        cursor.execute(f"DELETE FROM {temp}")  # noqa: S608

    def _link_successors(self) -> None:
        """Link merged companies to successors that came later in the file (or were new in its chunk)."""
        pairs = self._deferred_successors
        if not pairs:
            return
        summary = self.summary
        numbers = sorted({n for pair in pairs for n in pair})
        ids: dict[str, tuple[int, int | None]] = {}
        with self.connection.cursor() as cursor:
            for part in _chunks(numbers, 20_000):
                placeholders = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT corporate_number, id, successor_id FROM {self._table} "  # noqa: S608
                    f"WHERE corporate_number IN ({placeholders})",
                    part,
                )
                for number, pk, successor_id in cursor.fetchall():
                    ids[number] = (pk, successor_id)
            changes = []
            for number, successor in pairs:
                company, target = ids.get(number), ids.get(successor)
                if company is None:
                    continue  # the merged company itself was skipped (stale or deleted)
                if target is None:
                    summary.successors_missing += 1
                    summary.warn(
                        f"法人番号 {number} の承継先 {successor} が登録されていないため、承継先を空欄にしました。"
                    )
                    continue
                if company[1] != target[0]:
                    changes.append((target[0], self._stamp_db, company[0]))
            if changes:
                cursor.executemany(
                    f"UPDATE {self._table} SET successor_id = %s, updated_at = %s WHERE id = %s",  # noqa: S608
                    changes,
                )
            summary.successors_linked += len(changes)

    def _log_deletions(self) -> None:
        """99 削除 is rare and worth a record per company: why a registry entry was closed."""
        if not self._deleted:
            return
        from django.contrib.contenttypes.models import ContentType

        from kakehashi.core.choices import ChangeAction
        from kakehashi.core.models import ChangeLogEntry

        content_type = ContentType.objects.db_manager(self.using).get_for_model(Company)
        actor = self.actor if getattr(self.actor, "pk", None) else None
        ChangeLogEntry.objects.using(self.using).bulk_create(
            [
                ChangeLogEntry(
                    actor=actor,
                    content_type=content_type,
                    object_id=str(pk),
                    object_repr=name[:200],
                    action=ChangeAction.STATUS,
                    changes={"status": [before, CLOSED]},
                    note=DELETE_NOTE,
                )
                for pk, name, before in self._deleted
            ],
            batch_size=1000,
        )

    def touched_ids(self) -> list[int]:
        """Companies this import inserted or changed (their `updated_at` is the import's stamp)."""
        return list(Company.objects.using(self.using).filter(updated_at=self._stamp).values_list("id", flat=True))

    def _reindex(self) -> None:
        """Refresh the name index of the matching module, when there is one."""
        try:
            from kakehashi.companies import matching
        except ImportError:  # pragma: no cover - the matching work is not merged yet
            return
        started = time.perf_counter()
        changed = self.summary.inserted + self.summary.updated + self.summary.duplicates
        try:
            if changed > REINDEX_ALL_THRESHOLD and hasattr(matching, "reindex_all"):
                matching.reindex_all()
                self.summary.indexed = "all"
            elif hasattr(matching, "index_companies"):
                matching.index_companies(self.touched_ids())
                self.summary.indexed = "changed"
        except Exception:
            # The import itself is committed; a stale index only weakens name search until the next rebuild.
            logger.exception("matching index refresh after corporate-number import failed")
            self.summary.indexed = "failed"
            self.summary.warn(
                "取込は完了しましたが、名称検索の索引を更新できませんでした。管理者に索引の再作成を依頼してください。"
            )
        self.summary.index_seconds = time.perf_counter() - started


def import_file(path: Path | str, **options) -> ImportSummary:
    """Convenience for scripts and tests: `CorporateNumberImporter(path, **options).run()`."""
    return CorporateNumberImporter(path, **options).run()
