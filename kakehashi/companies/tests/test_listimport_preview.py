"""Preview: every row classified as matched, new, ambiguous or rejected; blanks and in-file duplicates."""

import pytest

from kakehashi.companies.choices import ImportKind, ImportStatus
from kakehashi.companies.listimport.mapping import column_mapping_save
from kakehashi.companies.listimport.preview import import_batch_create, import_preview_run, import_row_resolve
from kakehashi.companies.listimport.reader import ImportFileError
from kakehashi.companies.models import ColumnMapping

from .listimport_support import CN_A, CN_B, CN_BAD, make_reference, registry_company, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref():
    return make_reference()


def preview(path, **kwargs):
    batch = import_batch_create(actor=None, filename=path.name, **kwargs)
    return import_preview_run(batch=batch, path=path)


def rows_by_number(batch):
    return {row.row_number: row for row in batch.rows.select_related("company", "duplicate_of")}


def test_every_outcome(ref, tmp_path):
    by_number = registry_company("株式会社山形精密", corporate_number=CN_A)
    by_name = registry_company("米沢織物株式会社", municipality=ref.yonezawa)
    registry_company("有限会社 庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["法人番号", "会社名", "住所"],
            [CN_A, "(株)山形精密", "山形県山形市十日町1-1"],  # 2 matched by corporate number
            ["", "米沢織物(株)", "山形県米沢市金池1-1"],  # 3 matched by name and place
            ["", "庄内商店", ""],  # 4 two plausible candidates, no place: ambiguous
            ["", "新しい会社", "山形県山形市旅篭町1"],  # 5 new
            [CN_BAD, "番号違い", ""],  # 6 rejected
            ["", "", ""],  # 7 blank
        ],
    )

    batch = preview(path)

    rows = rows_by_number(batch)
    assert batch.status == ImportStatus.PREVIEWED
    assert rows[2].outcome == "matched"
    assert rows[2].company == by_number
    assert "法人番号が一致" in rows[2].reasons
    assert rows[3].outcome == "matched"
    assert rows[3].company == by_name
    assert rows[4].outcome == "ambiguous"
    assert len(rows[4].candidates) == 2
    assert rows[5].outcome == "new"
    assert rows[6].outcome == "rejected"
    assert rows[6].errors[0]["field"] == "corporate_number"
    assert 7 not in rows
    assert batch.summary["blank"] == 1
    assert batch.summary["unresolved"] == 1
    assert {k: batch.summary[k] for k in ("matched", "new", "ambiguous", "rejected")} == {
        "matched": 2,
        "new": 1,
        "ambiguous": 1,
        "rejected": 1,
    }
    assert batch.progress_done == batch.progress_total == 6


def test_duplicates_inside_one_file_point_to_the_first_row(ref, tmp_path):
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["法人番号", "会社名", "市区町村"],
            ["", "(株)山形精密", "山形市"],
            ["", "株式会社 山形精密", "山形市"],
            ["", "山形精密㈱", "山形市"],
            [CN_B, "米沢織物", "米沢市"],
            [CN_B, "米沢織物 本社", "米沢市"],
            ["", "山形精密", "米沢市"],  # same name elsewhere: not a duplicate
        ],
    )

    rows = rows_by_number(preview(path))

    assert rows[3].duplicate_of == rows[2]
    assert rows[4].duplicate_of == rows[2]
    assert "2 行目と同じ企業" in rows[3].reasons[0]
    assert rows[6].duplicate_of == rows[5]  # same corporate number
    assert rows[7].duplicate_of is None


def test_same_name_with_different_corporate_numbers_is_not_a_duplicate(ref, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["法人番号", "会社名"], [CN_A, "山形商事"], [CN_B, "山形商事"]])

    rows = rows_by_number(preview(path))

    assert rows[3].duplicate_of is None


def test_a_candidate_with_another_corporate_number_is_not_the_row(ref, tmp_path):
    registry_company("山形精密", corporate_number=CN_B, municipality=ref.yamagata_city)
    path = write_csv(tmp_path / "list.csv", [["法人番号", "会社名", "市区町村"], [CN_A, "山形精密", "山形市"]])

    row = preview(path).rows.get()

    assert row.outcome == "new"


def test_title_rows_above_the_header_are_skipped(ref, tmp_path):
    path = write_xlsx(
        tmp_path / "list.xlsx",
        [["No.", "企業名", "所在地"], [1, "山形精密", "山形市十日町"]],
        title_rows=[["令和6年度 指定訪問先リスト"], []],
    )

    batch = preview(path)

    row = batch.rows.get()
    assert row.row_number == 4
    assert row.values["name"] == "山形精密"
    assert batch.options["plan"]["header_row"] == 3


def test_formula_cells_in_xlsx_and_csv_are_rejected(ref, tmp_path):
    xlsx = write_xlsx(tmp_path / "list.xlsx", [["会社名", "従業員数"], ["山形精密", "=10*3"], ["米沢織物", 10]])
    csv_path = write_csv(tmp_path / "list.csv", [["会社名", "住所"], ["=cmd|'/c calc'!A0", "山形市"]])

    xlsx_rows = rows_by_number(preview(xlsx))
    csv_row = preview(csv_path).rows.get()

    assert xlsx_rows[2].outcome == "rejected"
    assert "数式が入っています" in xlsx_rows[2].errors[0]["reason"]
    assert xlsx_rows[3].outcome == "new"
    assert csv_row.outcome == "rejected"
    assert csv_row.errors[0]["field"] == "name"


def test_missing_name_column_fails_with_a_reason(ref, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["住所", "電話"], ["山形市", "023-000-0000"]])
    batch = import_batch_create(actor=None, filename=path.name)

    with pytest.raises(ImportFileError, match="名称の列"):
        import_preview_run(batch=batch, path=path)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "名称の列" in batch.error


def test_a_remembered_mapping_is_used_for_the_same_source(ref, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["訪問先企業", "ところ"], ["山形精密", "山形市十日町"]])
    column_mapping_save(actor=None, source_name="県の名簿", mapping={"訪問先企業": "name", "ところ": "address"})

    batch = preview(path, source_name="県の名簿")

    row = batch.rows.get()
    assert row.values == {
        "name": "山形精密",
        "address": "山形市十日町",
        "municipality": ref.yamagata_city.code,
        "municipality_label": "山形県山形市",
    }
    assert ColumnMapping.objects.get().source_name == "県の名簿"


def test_overrides_map_unknown_columns(ref, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["訪問先企業", "人数"], ["山形精密", "12"]])

    row = preview(path, overrides={"訪問先企業": "name", "2": "employees"}).rows.get()

    assert row.values["employees"] == "6_20"


def test_designated_batches_need_a_programme(ref):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_batch_create(actor=None, filename="list.csv", mark_designated=True)


def test_batch_kind_follows_the_designated_flag(ref, programme):
    assert import_batch_create(actor=None, filename="a.csv").kind == ImportKind.COMPANY_LIST
    assert (
        import_batch_create(actor=None, filename="a.csv", programme=programme, mark_designated=True).kind
        == ImportKind.DESIGNATED
    )


def test_resolving_an_ambiguous_row(ref, tmp_path):
    first = registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    other = registry_company("無関係", municipality=ref.yonezawa)
    batch = preview(write_csv(tmp_path / "list.csv", [["会社名"], ["庄内商店"]]))
    row = batch.rows.get()
    assert row.outcome == "ambiguous"

    import_row_resolve(actor=None, row=row, decision="company", company_id=first.pk)
    row.refresh_from_db()
    batch.refresh_from_db()
    assert row.company == first
    assert batch.summary["unresolved"] == 0

    import_row_resolve(actor=None, row=row, decision="new")
    row.refresh_from_db()
    assert row.company is None
    assert row.decision == "new"

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_row_resolve(actor=None, row=row, decision="company", company_id=other.pk)
