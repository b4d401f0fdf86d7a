"""A first load sets the registry table's secondary indexes (and PostgreSQL foreign keys) aside and rebuilds them."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from kakehashi.companies.models import Company
from kakehashi.companies.nta import bulkload, importer
from kakehashi.companies.nta.generator import generate_file
from kakehashi.companies.nta.importer import CorporateNumberImporter, import_file

from .nta_support import make_row, reference_data, write_csv

pytestmark = pytest.mark.django_db

COMPARED = (
    "corporate_number", "name", "name_kana", "name_key", "postal_code", "address", "status", "closed_on",
    "nta_updated_on", "legal_form_id", "municipality_id", "successor__corporate_number", "sources",
)  # fmt: skip


@pytest.fixture
def ref(db):
    return reference_data()


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Company._meta.db_table)
    return {name for name, info in constraints.items() if (info["index"] or info["foreign_key"])}


def _registry() -> dict[str, tuple]:
    return {values[0]: values for values in Company.objects.values_list(*COMPARED)}


def test_the_model_and_the_migrated_schema_agree():
    """What restore() would create is exactly what the migrations created: nothing is missing, every index and
    foreign key it knows is on the table under the same name."""
    expected = bulkload.expected(connection)

    assert bulkload.missing(connection) == []
    assert {item.name for item in expected if item.kind == "index"} <= _index_names()
    assert {item.kind for item in expected} == (
        {"index", "foreign_key"} if connection.vendor == "postgresql" else {"index"}
    )


def test_a_bulk_first_load_gives_the_same_registry_and_the_same_schema(tmp_path, ref, monkeypatch):
    path = tmp_path / "full.csv"
    generate_file(path, rows=400, prefecture="06", seed=11)
    schema = _index_names()
    missing_during_load = []
    apply_chunk = CorporateNumberImporter._apply_chunk

    def spy(self, rows):
        missing_during_load.append({item.name for item in bulkload.missing(connection)})
        apply_chunk(self, rows)

    monkeypatch.setattr(CorporateNumberImporter, "_apply_chunk", spy)

    bulk = import_file(path, bulk_load=True, chunk_size=70, reindex=False)
    loaded = _registry()
    during_bulk = missing_during_load[:]
    missing_during_load.clear()
    Company.objects.all().delete()
    plain = import_file(path, bulk_load=False, chunk_size=70, reindex=False)

    assert bulk.bulk_load
    assert not plain.bulk_load
    assert len(during_bulk) > 3
    assert all(names == {item.name for item in bulkload.expected(connection)} for names in during_bulk)
    assert missing_during_load
    assert all(not names for names in missing_during_load)
    assert _index_names() == schema
    assert loaded == _registry()
    assert (bulk.inserted, bulk.duplicates, bulk.closed, bulk.merged) == (
        plain.inserted, plain.duplicates, plain.closed, plain.merged,
    )  # fmt: skip
    assert bulk.inserted > 300


def test_only_a_large_first_load_is_bulk(tmp_path, ref, monkeypatch):
    monkeypatch.setattr(importer, "BULK_LOAD_MIN_ROWS", 30)
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 41)])

    first = import_file(path, reindex=False)
    again = import_file(path, reindex=False)
    dry = import_file(write_csv(tmp_path, [make_row(i) for i in range(41, 141)], name="more.csv"), dry_run=True)

    assert first.bulk_load
    assert first.inserted == 40
    assert not again.bulk_load
    assert again.unchanged == 40
    assert not dry.bulk_load
    assert bulkload.missing(connection) == []


def test_a_first_load_commits_several_chunks_per_transaction(tmp_path, ref, monkeypatch):
    """The reader's chunks stay small (reading and writing overlap); a first load writes 25+ rows per transaction."""
    monkeypatch.setattr(importer, "BULK_LOAD_MIN_ROWS", 30)
    monkeypatch.setattr(importer, "BULK_LOAD_ROWS_PER_TRANSACTION", 25)
    transactions = []
    apply_chunk = CorporateNumberImporter._apply_chunk

    def spy(self, rows):
        transactions.append((connection.savepoint_ids[-1], len(rows)))  # the enclosing atomic block
        apply_chunk(self, rows)

    monkeypatch.setattr(CorporateNumberImporter, "_apply_chunk", spy)
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 61)])

    first = import_file(path, chunk_size=10, reindex=False)
    first_transactions = transactions[:]
    transactions.clear()
    again = import_file(path, chunk_size=10, reindex=False)

    def rows_per_transaction(calls):
        sizes = {}
        for savepoint, rows in calls:
            sizes[savepoint] = sizes.get(savepoint, 0) + rows
        return list(sizes.values())

    assert first.bulk_load
    assert first.inserted == 60
    assert rows_per_transaction(first_transactions) == [30, 30]
    assert not again.bulk_load
    assert again.unchanged == 60
    assert rows_per_transaction(transactions) == [10] * 6

    transactions.clear()
    Company.objects.all().delete()
    monkeypatch.setattr(importer, "BULK_LOAD_TRANSACTION_SECONDS", 0)  # SQLite's write lock is never held long
    import_file(path, chunk_size=10, reindex=False)

    assert rows_per_transaction(transactions) == [10] * 6


def test_multi_row_inserts_give_the_same_registry(tmp_path, ref, monkeypatch):
    """SQLite inserts SQLITE_INSERT_ROWS rows per statement: a chunk that is not a multiple of it loses nothing."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL inserts with COPY")
    path = tmp_path / "full.csv"
    generate_file(path, rows=300, prefecture="06", seed=5)
    whole = import_file(path, chunk_size=70, reindex=False)
    expected = _registry()
    Company.objects.all().delete()
    monkeypatch.setattr(importer, "SQLITE_INSERT_ROWS", 8)

    split = import_file(path, chunk_size=70, reindex=False)

    assert split.inserted == whole.inserted > 250
    assert _registry() == expected


def test_the_indexes_come_back_when_the_load_fails(tmp_path, ref, monkeypatch):
    calls = []

    def failing_write(self, inserts, updates):
        calls.append(len(inserts))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        write(self, inserts, updates)

    write = CorporateNumberImporter._write
    monkeypatch.setattr(CorporateNumberImporter, "_write", failing_write)
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 31)])

    monkeypatch.setattr(importer, "BULK_LOAD_ROWS_PER_TRANSACTION", 10)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(path, bulk_load=True, chunk_size=10, reindex=False)

    assert bulkload.missing(connection) == []
    assert Company.objects.count() == 10  # the first chunk was committed; a re-run completes the import
    assert import_file(path, reindex=False).inserted == 20


def test_an_import_restores_what_a_killed_first_load_left_out(tmp_path, ref):
    dropped = bulkload.drop(connection)  # as a run killed between drop and rebuild would leave the table

    summary = import_file(write_csv(tmp_path, [make_row(1)]), bulk_load=False, reindex=False)

    assert dropped
    assert summary.inserted == 1
    assert bulkload.missing(connection) == []


def test_repair_command_rebuilds_without_a_file(ref):
    bulkload.drop(connection)
    out = io.StringIO()

    call_command("import_corporate_numbers", "--repair", stdout=out)
    call_command("import_corporate_numbers", "--repair", stdout=out)

    assert bulkload.missing(connection) == []
    text = out.getvalue()
    assert "作り直しました" in text
    assert "すべてそろっています" in text


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (r"^[1-9][0-9]{12}$", "7000012050002"),
        (r"^[1-9][0-9]{12}$", "0000012050002"),
        (r"^[1-9][0-9]{12}$", "70000120500021"),
        (r"^[0-9]{7}$", "9900047"),
        (r"^[0-9]{7}$", "990-0047"),
        (r"^[0-9]{7}$", 9900047),
        (r"^[0-9]{7}$", None),
        (None, "9900047"),
    ],
)
def test_the_import_regexp_answers_as_djangos(pattern, value):
    from django.db.backends.sqlite3._functions import _sqlite_regexp

    assert importer._compiled_regexp(pattern, value) == _sqlite_regexp(pattern, value)
