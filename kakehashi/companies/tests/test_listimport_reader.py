"""Reading CSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932) and XLSX files."""

import datetime

import pytest

from kakehashi.companies.listimport.reader import Formula, ImportFileError, decode, read_table

from .listimport_support import csv_bytes, write_csv, write_xlsx

ROWS = [
    ["法人番号", "会社名", "住所"],
    ["1390001000001", "株式会社 山形精密", "山形県山形市十日町1-1"],
    ["", "髙橋商店", "米沢市"],
]


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932")]
)
def test_csv_encodings_are_detected(tmp_path, encoding, expected):
    path = write_csv(tmp_path / "list.csv", ROWS, encoding=encoding)

    table = read_table(path)

    assert table.encoding == expected
    assert table.rows[0] == (1, ["法人番号", "会社名", "住所"])  # no BOM left in the first header
    assert table.rows[1][1][1] == "株式会社 山形精密"
    assert table.rows[2][1][1] == "髙橋商店"


def test_shift_jis_file_whose_bytes_are_not_utf8_is_read_as_cp932():
    data = "会社名\n①山形商事\n".encode("cp932")  # ① only exists in CP932, not plain Shift_JIS

    text, encoding = decode(data)

    assert encoding == "cp932"
    assert "①山形商事" in text


def test_undecodable_file_names_the_first_bad_line():
    data = "会社名\n山形精密\n".encode() + b"\xff\xfe\xfd broken\n" + "米沢\n".encode()

    with pytest.raises(ImportFileError, match="3 行目"):
        decode(data)


def test_file_mixing_utf8_and_shift_jis_names_the_line_in_the_other_encoding():
    data = "会社名\n山形精密\n".encode() + "米沢織物\n".encode("cp932")

    with pytest.raises(ImportFileError, match="3 行目"):
        decode(data)


def test_tab_separated_text_is_read():
    data = "会社名\t住所\n山形精密\t山形市\n".encode()

    table = read_table(__import__("io").BytesIO(data), filename="list.txt")

    assert table.rows[1][1] == ["山形精密", "山形市"]


def test_xlsx_values_dates_and_formulas(tmp_path):
    path = write_xlsx(
        tmp_path / "list.xlsx",
        [["会社名", "指定日", "従業員数"], ["山形精密", datetime.date(2024, 4, 1), "=10*3"], ["米沢織物", None, 25]],
    )

    table = read_table(path)

    assert table.file_kind == "xlsx"
    assert table.rows[1][1][0] == "山形精密"
    assert table.rows[1][1][1] == datetime.date(2024, 4, 1)
    assert table.rows[1][1][2] == Formula("=10*3")  # not evaluated
    assert table.rows[2][1][2] == 25


def test_xlsx_sheet_can_be_chosen_and_a_missing_one_is_named(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "表紙"
    workbook.active.append(["令和6年度 指定訪問先"])
    second = workbook.create_sheet("一覧")
    second.append(["会社名"])
    second.append(["山形精密"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    assert read_table(path, sheet="一覧").rows[1][1] == ["山形精密"]
    assert read_table(path).sheet == "表紙"
    with pytest.raises(ImportFileError, match="シート「名簿」がありません"):
        read_table(path, sheet="名簿")


def test_old_excel_format_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)

    with pytest.raises(ImportFileError, match=r"\.xlsx"):
        read_table(path)


def test_broken_xlsx_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")

    with pytest.raises(ImportFileError, match="Excel"):
        read_table(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\r\n")

    with pytest.raises(ImportFileError, match="空"):
        read_table(path)


def test_a_50_mb_file_is_too_large_before_it_is_read(tmp_path, settings):
    settings.KAKEHASHI_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50 * 1024 * 1024)

    with pytest.raises(ImportFileError, match=r"大きすぎます（50 MB）.*20 MB"):
        read_table(path)


def test_max_rows_reads_only_the_top(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["会社名"], *[[f"会社{i}"] for i in range(100)]]))

    assert len(read_table(path, max_rows=5).rows) == 5
