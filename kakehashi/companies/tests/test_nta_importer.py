"""The set-based upsert of corporate-number files into the company registry."""

import pytest
from django.db import IntegrityError, connection

from kakehashi.companies.models import Company, ImportBatch
from kakehashi.companies.normalise import company_name_key
from kakehashi.companies.nta import layout
from kakehashi.companies.nta.generator import Generator, generate_file
from kakehashi.companies.nta.importer import CorporateNumberImporter, NtaStrictError, import_file
from kakehashi.core.choices import ChangeAction
from kakehashi.core.models import ChangeLogEntry

from .factories import CompanyFactory
from .nta_support import make_row, number, reference_data, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(db):
    return reference_data()


def run(path, **options):
    options.setdefault("reindex", False)
    return import_file(path, **options)


def company(i: int) -> Company:
    return Company.objects.get(corporate_number=number(i))


# --- inserting ----------------------------------------------------------------------------------------


def test_inserts_new_companies_with_every_field(tmp_path, ref):
    row = make_row(1, name="株式会社　月山精工", furigana="ガッサンセイコウ", postCode="9900047")
    path = write_csv(tmp_path, [row])

    summary = run(path)

    assert (summary.inserted, summary.updated, summary.unchanged, summary.rejected) == (1, 0, 0, 0)
    c = company(1)
    assert c.name == "株式会社　月山精工"
    assert c.name_kana == "ガッサンセイコウ"
    assert c.name_key == company_name_key("株式会社　月山精工")
    assert c.legal_form == ref["legal_forms"]["301"]
    assert c.municipality == ref["municipalities"]["06201"]
    assert c.municipality.code == "062014"
    assert c.postal_code == "9900047"
    assert c.address == "山形県山形市旅篭町２丁目1－１"
    assert c.status == "active"
    assert c.closed_on is None
    assert c.sources == ["nta"]
    assert str(c.nta_updated_on) == "2026-03-01"


def test_generated_file_imports_and_rerun_changes_nothing(tmp_path, ref):
    path = tmp_path / "full.csv"
    generate_file(path, rows=300, prefecture="06", seed=7)

    first = run(path)
    stamps = dict(Company.objects.values_list("id", "updated_at"))
    second = run(path)

    assert first.inserted == Company.objects.count() == 300 - first.skipped_hidden
    assert first.closed > 0
    assert first.merged > 0
    assert (second.inserted, second.updated, second.duplicates) == (0, 0, 0)
    assert second.unchanged == first.inserted
    assert dict(Company.objects.values_list("id", "updated_at")) == stamps


def test_unknown_legal_form_and_municipality_are_left_empty_and_counted(tmp_path, ref):
    path = write_csv(tmp_path, [make_row(1, kind="401", cityCode="999")])

    summary = run(path)

    c = company(1)
    assert c.legal_form is None
    assert c.municipality is None
    assert summary.legal_form_unknown == {"401": 1}
    assert summary.municipality_unknown == 1


def test_overseas_address_is_used_when_there_is_no_domestic_one(tmp_path, ref):
    row = make_row(1, prefectureName="", cityName="", streetNumber="", prefectureCode="", cityCode="", postCode="",
                   addressOutside="アメリカ合衆国カリフォルニア州", process="13")  # fmt: skip
    run(write_csv(tmp_path, [row]))

    assert company(1).address == "アメリカ合衆国カリフォルニア州"


# --- updating by process code -------------------------------------------------------------------------


@pytest.fixture
def existing(tmp_path, ref):
    run(write_csv(tmp_path, [make_row(i, updateDate="2026-01-10") for i in range(1, 7)], name="base.csv"))
    return {i: company(i) for i in range(1, 7)}


def test_name_change_updates_name_key_and_kana(tmp_path, existing):
    row = make_row(1, process="11", name="株式会社蔵王デジタル", furigana="ザオウデジタル", updateDate="2026-04-01")

    summary = run(write_csv(tmp_path, [row]))

    c = company(1)
    assert (summary.updated, summary.unchanged) == (1, 0)
    assert c.name == "株式会社蔵王デジタル"
    assert c.name_key == company_name_key("株式会社蔵王デジタル")
    assert c.name_kana == "ザオウデジタル"


def test_address_change_moves_the_municipality(tmp_path, existing, ref):
    row = make_row(2, process="12", cityName="米沢市", cityCode="202", streetNumber="金池３丁目１－５５",
                   postCode="9928501", updateDate="2026-04-01")  # fmt: skip

    run(write_csv(tmp_path, [row]))

    c = company(2)
    assert c.address == "山形県米沢市金池３丁目１－５５"
    assert c.postal_code == "9928501"
    assert c.municipality == ref["municipalities"]["06202"]


def test_close_and_reopen(tmp_path, existing):
    closing = make_row(3, process="21", closeDate="2026-03-31", closeCause="01", updateDate="2026-04-01")
    summary = run(write_csv(tmp_path, [closing], name="close.csv"))
    c = company(3)
    assert (c.status, str(c.closed_on)) == ("closed", "2026-03-31")
    assert summary.closed == 1

    reopening = make_row(3, process="22", updateDate="2026-04-02")
    summary = run(write_csv(tmp_path, [reopening], name="reopen.csv"))
    c.refresh_from_db()
    assert (c.status, c.closed_on) == ("active", None)
    assert summary.reopened == 1


def test_merger_links_a_successor_that_comes_later_in_the_file(tmp_path, existing):
    merged = make_row(4, process="71", closeDate="2026-03-31", closeCause="11", successorCorporateNumber=number(50),
                      updateDate="2026-04-01", sequenceNumber="1")  # fmt: skip
    successor = make_row(50, sequenceNumber="2", updateDate="2026-04-01")

    summary = run(write_csv(tmp_path, [merged, successor]), chunk_size=1)  # successor in a later chunk

    c = company(4)
    assert c.status == "merged"
    assert str(c.closed_on) == "2026-03-31"
    assert c.successor == company(50)
    assert summary.merged == 1
    assert summary.successors_linked == 1

    # the merger is voided: active again and no successor
    void = make_row(4, process="72", updateDate="2026-04-05")
    run(write_csv(tmp_path, [void], name="void.csv"))
    c.refresh_from_db()
    assert (c.status, c.successor) == ("active", None)


def test_merger_with_an_unknown_successor_is_reported(tmp_path, existing):
    merged = make_row(4, process="71", closeDate="2026-03-31", closeCause="11", successorCorporateNumber=number(99),
                      updateDate="2026-04-01")  # fmt: skip

    summary = run(write_csv(tmp_path, [merged]))

    assert company(4).status == "merged"
    assert company(4).successor is None
    assert summary.successors_missing == 1
    assert number(99) in summary.warnings[0]


def test_delete_closes_with_a_change_log_note_and_never_deletes(tmp_path, existing):
    rows = [make_row(5, process="99", updateDate="2026-04-01"), make_row(77, process="99", updateDate="2026-04-01")]

    summary = run(write_csv(tmp_path, rows))

    c = company(5)
    assert c.status == "closed"
    assert str(c.closed_on) == "2026-04-01"
    assert summary.deleted == 1
    assert summary.skipped_deleted_unknown == 1
    assert not Company.objects.filter(corporate_number=number(77)).exists()
    entry = ChangeLogEntry.objects.get(object_id=str(c.pk))
    assert entry.action == ChangeAction.STATUS
    assert "99" in entry.note
    assert entry.changes == {"status": ["active", "closed"]}


def test_trade_name_erasure_is_applied_as_an_update(tmp_path, existing):
    row = make_row(6, process="81", closeDate="2026-03-20", updateDate="2026-04-01", name="月山テスト商店")

    run(write_csv(tmp_path, [row]))

    c = company(6)
    assert (c.name, c.status, str(c.closed_on)) == ("月山テスト商店", "closed", "2026-03-20")


def test_an_older_row_never_overwrites_newer_data(tmp_path, existing):
    row = make_row(1, name="株式会社古い名前", updateDate="2025-01-01")

    summary = run(write_csv(tmp_path, [row]))

    assert company(1).name == existing[1].name
    assert summary.stale == 1


def test_duplicate_rows_across_chunks_apply_the_later_one(tmp_path, existing):
    rows = [
        make_row(1, sequenceNumber="1", process="11", name="株式会社一度目", updateDate="2026-04-01", latest="0"),
        make_row(2, sequenceNumber="2", updateDate="2026-04-01"),
        make_row(1, sequenceNumber="3", process="12", name="株式会社一度目", streetNumber="七日町１－１",
                 updateDate="2026-04-01"),
    ]  # fmt: skip

    summary = run(write_csv(tmp_path, rows), chunk_size=1)

    c = company(1)
    assert (c.name, c.address) == ("株式会社一度目", "山形県山形市七日町１－１")
    assert summary.duplicates == 1
    assert summary.updated == 2  # numbers 1 and 2; the second row of number 1 is the duplicate


def test_known_company_keeps_its_own_fields_and_gains_the_source(tmp_path, ref):
    manual = CompanyFactory(
        corporate_number=number(1), name="月山テスト精工", name_kana="ガッサン", website="https://example.jp/"
    )
    row = make_row(1, furigana="")

    summary = run(write_csv(tmp_path, [row]))

    manual.refresh_from_db()
    assert summary.updated == 1
    assert manual.name == "株式会社月山テスト精工1"
    assert manual.name_kana == "ガッサン"  # a blank フリガナ does not erase the one staff entered
    assert manual.website == "https://example.jp/"
    assert manual.sources == ["manual", "nta"]


def test_a_record_merged_as_a_duplicate_keeps_its_status(tmp_path, ref):
    survivor = CompanyFactory()
    duplicate = CompanyFactory(corporate_number=number(1), status="merged", merged_into=survivor)

    run(write_csv(tmp_path, [make_row(1)]))

    duplicate.refresh_from_db()
    assert duplicate.status == "merged"
    assert duplicate.merged_into == survivor


# --- filters and failure modes --------------------------------------------------------------------------


def test_prefecture_filter_imports_only_that_prefecture(tmp_path, ref):
    miyagi = {"prefectureCode": "04", "prefectureName": "宮城県", "cityCode": "101", "cityName": "仙台市青葉区"}
    rows = [make_row(1), make_row(2, **miyagi), make_row(3)]

    summary = run(write_csv(tmp_path, rows), prefecture="06")

    assert set(Company.objects.values_list("corporate_number", flat=True)) == {number(1), number(3)}
    assert summary.skipped_prefecture == 1


def test_good_rows_are_imported_and_every_bad_row_reported(tmp_path, ref):
    rows = [make_row(1), make_row(2, name="=cmd|' /C calc'!A0"), make_row(3, postCode="99-0047"), make_row(4)]
    rejected = []

    summary = run(write_csv(tmp_path, rows), on_reject=rejected.append)

    assert Company.objects.count() == 2
    assert summary.rejected == 2
    assert [(r.line, r.field) for r in rejected] == [(2, "name"), (3, "postCode")]


def test_strict_mode_imports_nothing_when_a_row_is_bad(tmp_path, ref):
    rows = [make_row(1), make_row(2, updateDate="2026-13-01"), make_row(3)]

    with pytest.raises(NtaStrictError) as raised:
        run(write_csv(tmp_path, rows), strict=True)

    assert Company.objects.count() == 0
    assert raised.value.summary.rejected == 1
    assert not raised.value.summary.applied


def test_dry_run_counts_but_changes_nothing(tmp_path, ref):
    summary = run(write_csv(tmp_path, [make_row(i) for i in range(1, 4)]), dry_run=True)

    assert summary.inserted == 3
    assert Company.objects.count() == 0


def test_file_with_another_layout_fails_before_writing(tmp_path, ref):
    path = tmp_path / "list.csv"
    path.write_text("会社名,住所\r\n" + "山形精密,山形市\r\n" * 10, encoding="utf-8")

    from kakehashi.companies.nta.reader import NtaFileError

    with pytest.raises(NtaFileError):
        run(path)
    assert Company.objects.count() == 0


def test_parallel_reader_process_gives_the_same_result(tmp_path, ref):
    path = tmp_path / "full.csv"
    generate_file(path, rows=120, prefecture="06", seed=3)
    rejected = []

    summary = run(path, parallel=True, chunk_size=50, on_reject=rejected.append)

    generator = Generator(seed=3, prefecture="06", count=120)
    expected = {
        row[layout.CORPORATE_NUMBER]: row[layout.NAME].strip()
        for row in generator.full_rows(120)
        if row[layout.HIHYOJI] != "1"
    }
    assert dict(Company.objects.values_list("corporate_number", "name")) == expected
    assert summary.inserted == len(expected)
    assert rejected == []


def test_the_reader_process_passes_rejections_and_every_row_on(tmp_path, ref):
    rows = [make_row(i) for i in range(1, 8)]
    rows[3] = make_row(4, postCode="99-0047")  # line 4
    rejected = []

    summary = run(write_csv(tmp_path, rows), parallel=True, chunk_size=2, on_reject=rejected.append)

    assert [(r.line, r.field) for r in rejected] == [(4, "postCode")]
    assert summary.inserted == 6
    assert Company.objects.get(corporate_number=rows[6][layout.CORPORATE_NUMBER]).name == "株式会社月山テスト精工7"


def test_the_postgresql_lookup_leaves_the_planner_settings_as_they_were(tmp_path, ref):
    """The look-up switches sequential scans off for itself only (set_config(…, true) would otherwise last until
    the end of the caller's transaction — here the test's)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no planner settings")
    path = write_csv(tmp_path, [make_row(1), make_row(2)])
    run(path)

    again = run(path)

    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    assert again.unchanged == 2


def test_a_database_error_while_writing_comes_as_djangos(tmp_path, ref, monkeypatch):
    """COPY (PostgreSQL) and the multi-row INSERTs (SQLite) bypass Django's cursor; their errors must not."""
    path = write_csv(tmp_path, [make_row(1)])
    run(path)
    monkeypatch.setattr(CorporateNumberImporter, "_fetch_existing", lambda self, numbers, successors: {})

    with pytest.raises(IntegrityError):
        run(path)


def test_the_matching_index_is_refreshed_after_an_import(tmp_path, ref, monkeypatch):
    from kakehashi.companies import matching

    indexed = []
    monkeypatch.setattr(matching, "index_companies", lambda ids: indexed.extend(ids))

    summary = import_file(write_csv(tmp_path, [make_row(1), make_row(2)]))

    assert sorted(indexed) == sorted(Company.objects.values_list("id", flat=True))
    assert summary.indexed == "changed"


def test_the_service_records_one_change_log_entry_for_the_whole_import(tmp_path, ref):
    from kakehashi.companies.nta.services import corporate_number_import_run

    batch = ImportBatch.objects.create(kind="corporate_number", original_filename="full.csv")
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 21)])

    corporate_number_import_run(actor=None, batch=batch, path=path, reindex=False)

    entries = ChangeLogEntry.objects.all()
    assert entries.count() == 1
    (entry,) = entries
    assert entry.action == ChangeAction.IMPORT
    assert entry.object_id == str(batch.pk)
    assert entry.changes["inserted"] == [None, 20]
    assert "追加20件" in entry.note
    batch.refresh_from_db()
    assert batch.status == "done"
    assert batch.summary["inserted"] == 20


def test_importer_reports_progress_per_chunk(tmp_path, ref):
    calls = []
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 26)])

    CorporateNumberImporter(path, chunk_size=10, progress=lambda done, total: calls.append((done, total)),
                            reindex=False).run()  # fmt: skip

    assert calls[0] == (0, 25)
    assert calls[-1] == (25, 25)
    assert (10, 25) in calls
    assert (20, 25) in calls
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_many_updates_in_one_chunk(tmp_path, ref):
    """Above 500 changed rows PostgreSQL updates through COPY into a temporary table."""
    run(write_csv(tmp_path, [make_row(i, updateDate="2026-01-01") for i in range(1, 701)], name="base.csv"))
    renamed = [
        make_row(i, process="11", name=f"合同会社蔵王{i}", kind="305", updateDate="2026-04-01") for i in range(1, 701)
    ]

    summary = run(write_csv(tmp_path, renamed, name="diff.csv"))

    assert summary.updated == 700
    c = company(650)
    assert (c.name, c.name_key, c.legal_form.code) == ("合同会社蔵王650", company_name_key("合同会社蔵王650"), "305")
    assert str(c.nta_updated_on) == "2026-04-01"
    assert run(write_csv(tmp_path, renamed, name="diff.csv")).unchanged == 700


def test_a_failing_index_refresh_does_not_fail_the_import(tmp_path, ref, monkeypatch):
    from kakehashi.companies import matching

    def broken(ids):
        raise RuntimeError("index is broken")

    monkeypatch.setattr(matching, "index_companies", broken)

    summary = import_file(write_csv(tmp_path, [make_row(1)]))

    assert Company.objects.count() == 1
    assert summary.indexed == "failed"
    assert "索引" in summary.warnings[-1]
