#!/usr/bin/env python
"""Corporate-number bulk import at national scale: rows/s of our importer against a raw baseline.

Generates N rows (default 1,000,000) in the exact 法人番号公表サイト layout (`generate_corporate_numbers`,
cached under var/bench/), then for SQLite — and for PostgreSQL when DATABASE_URL points to one — measures
in the same run:

* baseline: the same file read with `csv` and loaded into a plain 30-column text table in one transaction
  (SQLite `executemany`; PostgreSQL `COPY … FROM STDIN` through psycopg 3);
* ceiling: the same rows, mapped without any checks, inserted into a copy of the real `companies_company`
  table (its 11 indexes and check constraints) — what no importer can beat;
* importer: `CorporateNumberImporter` into an empty registry (insert path), then the same file again
  (every row unchanged), then the matching index rebuild (`matching.reindex_all()`), timed separately.
  The first run's importing process is split into its parts: writing rows, looking numbers up, waiting for
  the reader process, the index rebuild after a first load;
* bound (`--bound`): the reader's work (read, validate, prepare, name keys) alone in this process, and from
  it and the parts above the best the two-process importer could do if the two overlapped perfectly:
  max(reader, writing + look-ups) + rebuild per row.

Target: importer ≥ 0.7 × baseline. Each backend runs in its own process (fresh settings).

    .venv/bin/python bench/bench_import.py                         # 1,000,000 rows on SQLite
    .venv/bin/python bench/bench_import.py --rows 200000 --no-ceiling
    DATABASE_URL=postgres://…/bench .venv/bin/python bench/bench_import.py   # SQLite and PostgreSQL
"""

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DIR = BASE_DIR / "var" / "bench"
TARGET = 0.7


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--encoding", choices=["utf-8", "cp932"], default="utf-8")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the raw insert into the real table")
    parser.add_argument("--reset", action="store_true", help="PostgreSQL: empty companies_company first")
    parser.add_argument("--no-index", action="store_true", help="skip the matching index rebuild (timed apart)")
    parser.add_argument("--bound", action="store_true", help="also time the reader alone and print the best case")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- parent: the file, one child per backend, the table ----------------------------------------------------


def main() -> None:
    args = _arguments()
    if args.child:
        _child(args)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"nta_{args.rows}_{args.seed}_{args.encoding}.csv"
    if not path.exists():
        from kakehashi.companies.nta.generator import generate_file

        started = time.perf_counter()
        partial = path.with_suffix(".part")
        generate_file(partial, rows=args.rows, seed=args.seed, encoding=args.encoding)
        partial.rename(path)
        print(f"generated {path.name}: {args.rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB, {args.encoding}), {os.cpu_count()} CPUs", flush=True)

    backends = ["sqlite"]
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        backends.append("postgresql")
    results = []
    for backend in backends:
        env = dict(os.environ)
        if backend == "sqlite":
            db = BENCH_DIR / "nta_import.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{db}"
        command = [sys.executable, __file__, "--child", backend, "--file", str(path)]
        command += ["--no-ceiling"] if args.no_ceiling else []
        command += ["--reset"] if args.reset else []
        command += ["--no-index"] if args.no_index else []
        command += ["--bound"] if args.bound else []
        print(f"\n== {backend} ==", flush=True)
        completed = subprocess.run(command, env=env, capture_output=False, stdout=subprocess.PIPE, text=True)
        for line in completed.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append(json.loads(line[len("RESULT ") :]))
            else:
                print(line, flush=True)
        if completed.returncode:
            print(f"{backend}: the benchmark failed (exit {completed.returncode})", flush=True)
    _table(results, args.rows)


def _table(results: list[dict], rows: int) -> None:
    print(f"\nrows/s, {rows:,} rows (higher is better)")
    header = f"{'backend':<11}{'baseline':>10}{'ceiling':>10}{'importer':>10}{'ratio':>7}{'re-run':>10}{'index s':>9}"
    print(header)
    for r in results:
        ceiling = f"{r['ceiling']:>10,.0f}" if r.get("ceiling") else f"{'—':>10}"
        index = f"{r['index_seconds']:>9.1f}" if r.get("index_seconds") is not None else f"{'—':>9}"
        print(
            f"{r['backend']:<11}{r['baseline']:>10,.0f}{ceiling}{r['importer']:>10,.0f}"
            f"{r['importer'] / r['baseline']:>7.2f}{r['rerun']:>10,.0f}{index}"
        )
    for r in results:
        ratio = r["importer"] / r["baseline"]
        verdict = "meets" if ratio >= TARGET else "misses"
        line = f"{r['backend']}: importer/baseline {ratio:.2f} {verdict} the {TARGET} target"
        if r.get("ceiling"):
            line += (
                f"; ceiling/baseline {r['ceiling'] / r['baseline']:.2f} (the real table alone), "
                f"importer/ceiling {r['importer'] / r['ceiling']:.2f}"
            )
        print(line)


# --- child: one backend ------------------------------------------------------------------------------------


def _child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kakehashi.companies.models import Company

    path = Path(args.file)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    print(f"migrate + load_reference: {time.perf_counter() - started:.0f} s", flush=True)
    if Company.objects.exists():
        if not args.reset:
            sys.exit("companies_company is not empty: use a throwaway database, or --reset to empty it")
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE companies_company CASCADE")
    result = {"backend": args.child}

    result["baseline"] = _baseline_sqlite(path) if args.child == "sqlite" else _baseline_postgresql(path)
    print(f"baseline (csv → plain table, one transaction): {result['baseline']:,.0f} rows/s", flush=True)

    if not args.no_ceiling:
        result["ceiling"] = _ceiling(path)
        print(f"ceiling (rows → real companies table, no checks): {result['ceiling']:,.0f} rows/s", flush=True)

    from kakehashi.companies.nta.importer import CorporateNumberImporter

    started, cpu = time.perf_counter(), os.times()
    with _timed_parts() as parts:
        first = CorporateNumberImporter(path, reindex=False).run()
    elapsed = time.perf_counter() - started
    result["importer"] = first.rows / elapsed
    after = os.times()
    print(
        f"importer CPU: this process {after.user + after.system - cpu.user - cpu.system:.1f} s, reader process "
        f"{after.children_user + after.children_system - cpu.children_user - cpu.children_system:.1f} s; "
        f"indexes set aside and rebuilt: {'yes' if getattr(first, 'bulk_load', False) else 'no'}",
        flush=True,
    )
    print(
        f"importer: {first.rows:,} rows in {elapsed:.1f} s = {result['importer']:,.0f} rows/s "
        f"(inserted {first.inserted:,}, closed {first.closed:,}, merged {first.merged:,}, "
        f"hidden {first.skipped_hidden:,}, rejected {first.rejected:,}; reader process: "
        f"{'yes' if CorporateNumberImporter(path).parallel else 'no'})",
        flush=True,
    )
    per_row = {name: 1e6 * seconds / first.rows for name, seconds in parts.items()}
    rest = 1e6 * elapsed / first.rows - sum(per_row.values())
    print(
        "importing process, wall µs per row: "
        + ", ".join(f"{name} {value:.1f}" for name, value in per_row.items())
        + f", the rest {rest:.1f} (rebuild {parts['index rebuild']:.1f} s)",
        flush=True,
    )
    if args.bound:
        _print_bound(path, per_row, result["baseline"])

    started = time.perf_counter()
    second = CorporateNumberImporter(path, reindex=False).run()
    elapsed = time.perf_counter() - started
    result["rerun"] = second.rows / elapsed
    print(f"re-run: {second.unchanged:,} unchanged, {second.updated:,} updated in {elapsed:.1f} s", flush=True)
    if second.updated or second.inserted or second.unchanged != first.inserted:
        sys.exit("re-running the same file changed something")

    from kakehashi.companies import matching

    if hasattr(matching, "reindex_all") and not args.no_index:
        started = time.perf_counter()
        try:
            indexed = matching.reindex_all()
        except Exception as error:  # the matching module's problem: report it, keep the import figures
            print(f"matching.reindex_all() failed: {type(error).__name__}: {error}", flush=True)
        else:
            result["index_seconds"] = time.perf_counter() - started
            print(f"matching.reindex_all(): {indexed:,} companies in {result['index_seconds']:.1f} s", flush=True)
    print("RESULT " + json.dumps(result), flush=True)


@contextlib.contextmanager
def _timed_parts():
    """Wall time of the importing process's parts during one run, by wrapping the importer's methods."""
    from kakehashi.companies.nta import bulkload, importer

    parts = {"writing": 0.0, "looking up": 0.0, "waiting for the reader": 0.0, "index rebuild": 0.0}
    originals = []

    def wrap(owner, name, part):
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                parts[part] += time.perf_counter() - started

        setattr(owner, name, timed)

    def timed_batches(*args, **kwargs):
        batches = original_batches(*args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                item = next(batches)
            except StopIteration:
                return
            finally:
                parts["waiting for the reader"] += time.perf_counter() - started
            yield item

    wrap(importer.CorporateNumberImporter, "_write", "writing")
    wrap(importer.CorporateNumberImporter, "_fetch_existing", "looking up")
    wrap(bulkload, "restore", "index rebuild")
    original_batches = importer.prepared_batches_in_worker
    importer.prepared_batches_in_worker = timed_batches
    try:
        yield parts
    finally:
        importer.prepared_batches_in_worker = original_batches
        for owner, name, original in originals:
            setattr(owner, name, original)


def _print_bound(path: Path, per_row: dict[str, float], baseline: float) -> None:
    """The reader's work alone (one process, CPU time), and the best case it implies for the importer."""
    from kakehashi.companies.nta.importer import CorporateNumberImporter
    from kakehashi.companies.nta.pipeline import Batch, prepared_batches
    from kakehashi.companies.nta.reader import DEFAULT_CHUNK_SIZE

    legal_forms, municipalities = CorporateNumberImporter(path)._lookups()
    rows, cpu = 0, time.process_time()
    for item in prepared_batches(
        path, prefecture=None, chunk_size=DEFAULT_CHUNK_SIZE, legal_forms=legal_forms, municipalities=municipalities
    ):
        rows += len(item.rows) if isinstance(item, Batch) else 0
    reader = 1e6 * (time.process_time() - cpu) / rows
    importing = per_row["writing"] + per_row["looking up"]
    best = max(reader, importing) + per_row["index rebuild"]
    print(
        f"bound: reader alone {reader:.1f} µs/row CPU; importing process {importing:.1f} µs/row writing and "
        f"looking up; best case with perfect overlap {best:.1f} µs/row = {1e6 / best:,.0f} rows/s = "
        f"{1e6 / best / baseline:.2f} × baseline (target {TARGET}: ≤ {1e6 / (TARGET * baseline):.1f} µs/row)",
        flush=True,
    )


def _csv_rows(path: Path):
    """The file's rows through `csv`, decoded the way the importer decodes them."""
    from kakehashi.companies.nta.reader import SAMPLE_BYTES, detect_encoding, open_binary

    with open_binary(path) as (stream, _name):
        encoding = detect_encoding(stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES])
        yield from csv.reader(io.TextIOWrapper(stream, encoding=encoding, newline=""))


def _baseline_sqlite(path: Path) -> float:
    import sqlite3

    db = BENCH_DIR / "nta_baseline.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE raw (" + ", ".join(f"c{i} TEXT" for i in range(30)) + ")")
    started = time.perf_counter()
    connection.execute("BEGIN")
    cursor = connection.executemany("INSERT INTO raw VALUES (" + ", ".join("?" * 30) + ")", _csv_rows(path))
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    rows = connection.execute("SELECT count(*) FROM raw").fetchone()[0]
    del cursor
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return rows / elapsed


def _baseline_postgresql(path: Path) -> float:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_raw")
        connection.execute("CREATE TABLE bench_raw (" + ", ".join(f"c{i} text" for i in range(30)) + ")")
        connection.commit()
        started = time.perf_counter()
        rows = 0
        with connection.cursor() as cursor, cursor.copy("COPY bench_raw FROM STDIN") as copy:
            for row in _csv_rows(path):
                copy.write_row(row)
                rows += 1
        connection.commit()
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_raw")
        connection.commit()
    return rows / elapsed


def _ceiling(path: Path) -> float:
    """The rows (mapped to the importer's columns with no checks) into a copy of the real table."""
    from django.db import connection
    from django.utils import timezone

    from kakehashi.companies.nta import layout

    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = (
        "created_at, updated_at, corporate_number, name, name_kana, name_key, postal_code, address, website, "
        "status, closed_on, sources, nta_updated_on"
    )

    def values():
        seen = set()
        for row in _csv_rows(path):
            number = row[layout.CORPORATE_NUMBER]
            if number in seen:
                continue
            seen.add(number)
            yield (
                stamp, stamp, number, row[layout.NAME], row[layout.FURIGANA], row[layout.NAME],
                row[layout.POST_CODE], row[layout.PREFECTURE_NAME] + row[layout.CITY_NAME] + row[layout.STREET_NUMBER],
                "", "active", row[layout.CLOSE_DATE] or None, '["nta"]', row[layout.UPDATE_DATE],
            )  # fmt: skip

    if connection.vendor == "sqlite":
        import re
        import sqlite3

        source = Path(connection.settings_dict["NAME"])
        connection.close()
        copy = BENCH_DIR / "nta_ceiling.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copy(source, copy)
        db = sqlite3.connect(copy, isolation_level=None)
        db.create_function("REGEXP", 2, lambda p, s: None if s is None else bool(re.search(p, str(s))))
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-262144"):
            db.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO companies_company ({columns}) VALUES ({', '.join('?' * 13)})", values())
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
        rows = db.execute("SELECT count(*) FROM companies_company").fetchone()[0]
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        return rows / elapsed

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_ceiling")
        cursor.execute("CREATE TABLE bench_ceiling (LIKE companies_company INCLUDING ALL)")
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY bench_ceiling ({columns}) FROM STDIN") as copy:
            rows = 0
            for item in values():
                copy.write_row(item)
                rows += 1
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_ceiling")
    return rows / elapsed


if __name__ == "__main__":
    main()
