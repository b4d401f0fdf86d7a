"""The streaming reader of 法人番号公表サイト files: encodings, zip, validation, rejections."""

import codecs
import tracemalloc
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kakehashi.companies import corporate_number as reference_rule
from kakehashi.companies.nta import layout
from kakehashi.companies.nta.reader import NtaFileError, NtaReader, count_lines, detect_encoding

from .nta_support import make_row, number, raw_line, write_csv


def read(path, **options) -> tuple[NtaReader, list[list[str]]]:
    reader = NtaReader(path, **options)
    rows = [row for chunk in reader for row in chunk]
    return reader, rows


# --- check digit ------------------------------------------------------------------------------------


def test_check_digit_of_real_numbers():
    assert layout.is_valid_corporate_number("7000012050002")  # 国税庁
    assert layout.is_valid_corporate_number("1000011000005")  # 国立国会図書館
    assert not layout.is_valid_corporate_number("8000012050002")
    assert not layout.is_valid_corporate_number("７000012050002")  # full-width digit
    assert not layout.is_valid_corporate_number("700001205000")


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_fast_check_digit_agrees_with_the_digit_by_digit_rule(value):
    # layout uses "digit sums are congruent mod 9"; the registry module sums digit by digit.
    assert layout.is_valid_corporate_number(value) == reference_rule.is_valid_corporate_number(value)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_with_check_digit_always_gives_a_valid_number(base):
    assert layout.is_valid_corporate_number(layout.with_check_digit(base))


# --- encodings and containers -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
@pytest.mark.parametrize("zipped", [False, True])
def test_reads_both_encodings_plain_and_zipped(tmp_path, encoding, zipped):
    rows = [make_row(i, name=f"有限会社紅花ソフトウェア{i}", furigana="ベニバナソフトウェア") for i in range(1, 6)]
    path = write_csv(tmp_path, rows, name="f.zip" if zipped else "f.csv", encoding=encoding, zipped=zipped)

    reader, read_rows = read(path)

    assert reader.encoding == encoding
    assert read_rows == rows
    assert reader.counts.accepted == 5
    assert count_lines(path) == 5


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + raw_line(make_row(1)).encode("utf-8"))

    reader, rows = read(path)

    assert reader.encoding == "utf-8"
    assert rows[0][layout.SEQUENCE_NUMBER] == "1"


def test_utf16_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(raw_line(make_row(1)).encode("utf-16"))

    with pytest.raises(NtaFileError, match="UTF-16"):
        read(path)


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(128, 256)) * 20)

    with pytest.raises(NtaFileError, match="文字コード"):
        read(path)


def test_detect_encoding_prefers_utf8_for_ascii():
    assert detect_encoding(b"1,2,3\r\n") == "utf-8"
    assert detect_encoding("株式会社".encode("cp932")) == "cp932"


def test_a_bad_byte_in_one_line_rejects_that_row_only(tmp_path):
    good = [raw_line(make_row(i)).encode("cp932") for i in (1, 2, 3)]
    broken = good[1].replace("株式会社".encode("cp932"), b"\x81\x20\xff\xfe")
    path = tmp_path / "broken.csv"
    path.write_bytes(good[0] + broken + good[2])

    reader, rows = read(path)

    assert [row[layout.SEQUENCE_NUMBER] for row in rows] == ["1", "3"]
    assert [(r.line, r.field) for r in reader.rejections] == [(2, "encoding")]
    assert "Shift_JIS" in reader.rejections[0].reason


def test_zip_with_two_csvs_is_refused(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", raw_line(make_row(1)))
        archive.writestr("b.csv", raw_line(make_row(2)))

    with pytest.raises(NtaFileError, match="1つだけ"):
        read(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(NtaFileError, match="空"):
        read(path)


# --- structure --------------------------------------------------------------------------------------


def test_wrong_column_count_rejects_the_row_with_its_line(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text(raw_line(make_row(1)) + "1,2,3\r\n" + raw_line(make_row(3)), encoding="utf-8")

    reader, rows = read(path)

    assert len(rows) == 2
    (rejection,) = reader.rejections
    assert (rejection.line, rejection.field) == (2, "row")
    assert "3列" in rejection.reason


def test_a_file_that_is_not_30_columns_stops_before_anything_is_read(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("会社名,住所\r\n" + "山形精密,山形市\r\n" * 10, encoding="utf-8")

    with pytest.raises(NtaFileError, match="30列"):
        read(path)


def test_blank_lines_are_skipped_and_counted(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(raw_line(make_row(1)) + "\r\n" + "," * 29 + "\r\n" + raw_line(make_row(2)), encoding="utf-8")

    reader, rows = read(path)

    assert len(rows) == 2
    assert reader.counts.blank == 2
    assert reader.rejections == []


# --- field validation -------------------------------------------------------------------------------


def test_invalid_check_digit_is_rejected(tmp_path):
    bad = "1" + number(5)[1:] if number(5)[0] != "1" else "2" + number(5)[1:]
    path = write_csv(tmp_path, [make_row(1), make_row(5, corporateNumber=bad)])

    reader, rows = read(path)

    assert len(rows) == 1
    (rejection,) = reader.rejections
    assert (rejection.line, rejection.field, rejection.value) == (2, "corporateNumber", bad)
    assert "チェックデジット" in rejection.reason


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", '=HYPERLINK("http://example.com")'),
        ("streetNumber", "+1-2-3"),
        ("furigana", "-カブシキ"),
        ("enName", "@SUM(A1)"),
    ],
)
def test_spreadsheet_formulas_reject_the_row_naming_the_column(tmp_path, column, value):
    path = write_csv(tmp_path, [make_row(1, **{column: value}), make_row(2)])

    reader, rows = read(path)

    assert [row[layout.SEQUENCE_NUMBER] for row in rows] == ["2"]
    (rejection,) = reader.rejections
    assert (rejection.line, rejection.field) == (1, column)
    assert "数式" in rejection.reason


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("updateDate", "2026-02-30", "更新年月日"),
        ("closeDate", "2026/03/01", "登記記録の閉鎖等年月日"),
        ("process", "05", "処理区分"),
        ("postCode", "990-0047", "郵便番号"),
        ("prefectureCode", "48", "都道府県コード"),
        ("closeCause", "99", "閉鎖等の事由"),
        ("successorCorporateNumber", "1234567890123", "承継先法人番号"),
        ("name", "   ", "商号又は名称"),
        ("name", "長" * 201, "200文字"),
        ("sequenceNumber", "x1", "一連番号"),
        ("correct", "2", "訂正区分"),
    ],
)
def test_invalid_fields_are_rejected_with_column_and_reason(tmp_path, column, value, reason):
    path = write_csv(tmp_path, [make_row(1, **{column: value})])

    reader, rows = read(path)

    assert rows == []
    (rejection,) = reader.rejections
    assert rejection.field == column
    assert reason in rejection.reason
    assert rejection.field_label == layout.COLUMN_LABELS[column]


def test_hidden_rows_and_other_prefectures_are_counted_not_rejected(tmp_path):
    rows = [
        make_row(1),
        make_row(2, hihyoji="1"),
        make_row(3, prefectureCode="04", prefectureName="宮城県", cityCode="101", cityName="仙台市青葉区"),
        make_row(4, prefectureCode="", prefectureName="", cityCode="", cityName="", streetNumber="",
                 addressOutside="アメリカ合衆国"),
    ]  # fmt: skip
    path = write_csv(tmp_path, rows)

    reader, read_rows = read(path, prefecture="06")

    assert [row[layout.SEQUENCE_NUMBER] for row in read_rows] == ["1"]
    assert reader.counts.hidden == 1
    assert reader.counts.other_prefecture == 2
    assert reader.rejections == []


def test_duplicate_rows_keep_the_higher_sequence_number(tmp_path):
    first = make_row(1, sequenceNumber="10", name="株式会社旧名", latest="0")
    second = make_row(1, sequenceNumber="11", name="株式会社新名", process="11")
    older_later_in_file = make_row(2, sequenceNumber="9", name="株式会社ふたつめ")
    newer = make_row(2, sequenceNumber="8", name="株式会社ふたつめ古い")  # lower sequence, earlier in file
    path = write_csv(tmp_path, [first, newer, second, older_later_in_file])

    reader, rows = read(path)

    by_number = {row[layout.CORPORATE_NUMBER]: row[layout.NAME] for row in rows}
    assert by_number == {number(1): "株式会社新名", number(2): "株式会社ふたつめ"}
    assert reader.counts.duplicates == 2
    assert reader.counts.out_of_order == 2


def test_chunks_respect_the_chunk_size(tmp_path):
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 26)])

    chunks = list(NtaReader(path, chunk_size=10))

    assert [len(chunk) for chunk in chunks] == [10, 10, 5]


def test_a_50_mb_file_streams_in_bounded_memory(tmp_path):
    """Long rows (about 12,000 of them) keep the test quick; the reader holds a chunk, never the file."""
    path = tmp_path / "big.csv"
    other = raw_line(
        make_row(1, prefectureCode="13", prefectureName="東京都", cityName="千代田区", cityCode="101",
                 addressOutside="ア" * 1400)
    )  # fmt: skip
    ours = raw_line(make_row(2))
    block = (other * 9 + ours).encode("utf-8")
    with path.open("wb") as handle:
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(block)
    size = path.stat().st_size

    tracemalloc.start()
    try:
        reader = NtaReader(path, prefecture="06", chunk_size=5000)
        accepted = sum(len(chunk) for chunk in reader)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert size >= 50 * 1024 * 1024
    assert accepted == 1  # one number, repeated: later rows are duplicates of the first
    assert reader.counts.other_prefecture > 10_000
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"
