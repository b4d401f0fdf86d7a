"""Streaming reader for 法人番号公表サイト files: zip or CSV, UTF-8 or Shift_JIS (CP932).

The reader never holds the file in memory: it decodes line by line and hands out chunks of
validated rows (lists of 30 strings). A bad row is not raised but reported as a `Rejection` with
its line number, column and reason, so one bad line never stops — or silently drops — the rest.
Whole-file problems (not a CSV of 30 columns, undecodable, an archive with several CSVs) raise
`NtaFileError` before anything is imported.

Within one chunk, rows for the same corporate number are collapsed: the row with the higher
sequence number wins and the other is counted as a duplicate. (Across chunks the importer does
the same, see `importer.py`.)
"""

import codecs
import contextlib
import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from . import layout

SAMPLE_BYTES = 256 * 1024
DEFAULT_CHUNK_SIZE = 20_000
# A file whose first rows are all rejected is not a corporate-number file (or is in another
# encoding than its beginning suggested); stop instead of reporting a million rejections.
GIVE_UP_AFTER_REJECTED = 200

UTF8 = "utf-8"
CP932 = "cp932"
ENCODING_LABELS = {UTF8: "UTF-8", CP932: "Shift_JIS（CP932）"}

MAX_NAME = 200
MAX_ADDRESS = 300
MAX_KANA = 200


class NtaFileError(Exception):
    """The file as a whole cannot be imported. The message is for the person who uploaded it."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """One row that was not imported, and why."""

    line: int
    field: str
    reason: str
    value: str = ""
    corporate_number: str = ""

    @property
    def field_label(self) -> str:
        return layout.COLUMN_LABELS.get(self.field, self.field)

    def as_dict(self) -> dict:
        return {**asdict(self), "field_label": self.field_label}


@dataclass
class ReadCounts:
    """What the reader saw. `lines` counts physical lines, the others data rows."""

    lines: int = 0
    rows: int = 0
    accepted: int = 0
    blank: int = 0
    hidden: int = 0
    other_prefecture: int = 0
    rejected: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    rejected_by_field: dict[str, int] = field(default_factory=dict)


# --- opening, encoding, counting ------------------------------------------------------------------


@contextlib.contextmanager
def open_binary(path: Path | str) -> Iterator[tuple[IO[bytes], str]]:
    """Open a CSV, or the one CSV inside a zip archive, as a binary stream. Yields (stream, name)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise NtaFileError("ファイルが空です。")
    if zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise NtaFileError(f"ZIPファイルを開けません（{error}）。") from error
        with archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and not info.filename.rsplit("/", 1)[-1].startswith(".")
            ]
            csvs = [info for info in members if info.filename.lower().endswith((".csv", ".txt"))] or members
            if len(csvs) != 1:
                raise NtaFileError(
                    f"ZIPファイルにはCSVファイルが1つだけ入っている必要があります（{len(csvs)}個ありました）。"
                )
            if csvs[0].flag_bits & 0x1:
                raise NtaFileError("パスワード付きのZIPファイルは取り込めません。")
            with archive.open(csvs[0]) as raw:
                yield io.BufferedReader(raw, buffer_size=1024 * 1024), csvs[0].filename
        return
    with path.open("rb", buffering=1024 * 1024) as raw:
        yield raw, path.name


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932, judged from the beginning of the file."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NtaFileError("UTF-16 のファイルは取り込めません。UTF-8 または Shift_JIS（CP932）で保存してください。")
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8
    # Judge line by line (the last, possibly cut, line of a full sample aside): one bad line must not
    # make a whole Shift_JIS file look undecodable. Ties (plain ASCII) go to UTF-8.
    lines = [line for line in sample.split(b"\n") if line.strip()]
    if len(sample) >= SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]
    scores = {encoding: sum(_decodes(line, encoding) for line in lines) for encoding in (UTF8, CP932)}
    best = max((UTF8, CP932), key=lambda encoding: scores[encoding])
    if lines and scores[best] * 2 >= len(lines):
        return best
    raise NtaFileError(
        "文字コードを判別できません。法人番号公表サイトのファイルを UTF-8 または Shift_JIS（CP932）のまま"
        "アップロードしてください。"
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def count_lines(path: Path | str) -> int:
    """Physical lines in the (uncompressed) CSV, for a progress total. Reads in 1 MB blocks."""
    lines = 0
    last = b"\n"
    with open_binary(path) as (stream, _name):
        while block := stream.read(1024 * 1024):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (0 if last == b"\n" else 1)


# --- the reader -----------------------------------------------------------------------------------


class NtaReader:
    """Iterate over chunks of validated rows of one file.

    `prefecture` ("06") keeps only rows of that prefecture (others are counted, not validated).
    Rows marked 検索対象除外 (hihyoji = 1) are counted and skipped. `on_reject` receives every
    `Rejection`; by default they are collected in `rejections`.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        prefecture: str | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        on_reject: Callable[[Rejection], None] | None = None,
    ):
        self.path = Path(path)
        self.prefecture = prefecture or None
        self.chunk_size = chunk_size
        self.counts = ReadCounts()
        self.rejections: list[Rejection] = []
        self._on_reject = on_reject or self.rejections.append
        self.encoding: str | None = None
        self.member_name: str = ""
        self._bad_lines: list[int] = []
        self._known_dates: set[str] = {""}  # dates already found valid ("" = an optional date left empty)

    # The physical line reached, for progress.
    @property
    def lines(self) -> int:
        return self.counts.lines

    def reject(self, line: int, column: str, reason: str, value: str = "", number: str = "") -> None:
        counts = self.counts
        counts.rejected += 1
        counts.rejected_by_field[column] = counts.rejected_by_field.get(column, 0) + 1
        self._on_reject(Rejection(line, column, reason, value[:100], number))
        if counts.accepted == 0:
            self._give_up_if_nothing_fits(line)

    def _give_up_if_nothing_fits(self, line: int) -> None:
        """Stop early, before anything is imported, when the file is plainly not what it should be."""
        counts = self.counts
        wrong_width = counts.rejected_by_field.get("row", 0)
        if wrong_width == counts.rejected >= 5:
            raise NtaFileError(
                "法人番号公表サイトの形式（見出し行なし・30列のCSV）ではありません。"
                f"先頭から{line}行目まで、列数が30の行がありません。"
            )
        if counts.rejected >= GIVE_UP_AFTER_REJECTED:
            raise NtaFileError(
                f"先頭から{counts.rejected}行がすべて不正でした。法人番号公表サイトのファイルか、"
                "文字コード（UTF-8 / Shift_JIS）を確認してください。"
            )

    def _decoded(self, stream: IO[bytes], encoding: str) -> Iterator[str]:
        """Decode line by line so an undecodable byte costs one row, not the file."""
        bad = self._bad_lines
        for number, raw in enumerate(stream, start=1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                bad.append(number)
                text = raw.decode(encoding, "replace")
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text

    def __iter__(self) -> Iterator[list[list[str]]]:
        with open_binary(self.path) as (stream, name):
            self.member_name = name
            sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if hasattr(stream, "peek") else b""
            self.encoding = detect_encoding(sample)
            yield from self._chunks(csv.reader(self._decoded(stream, self.encoding), strict=False))

    def _chunks(self, rows) -> Iterator[list[list[str]]]:
        counts = self.counts
        reject = self.reject
        bad_lines = self._bad_lines
        prefecture = self.prefecture
        well_formed = layout.WELL_FORMED_ROW.fullmatch
        separator = layout.SEPARATOR
        check_digit = layout.corporate_number_check_digit
        known_dates = self._known_dates
        n_columns = layout.COLUMN_COUNT
        hihyoji, pref_code, number_at, sequence_at = (
            layout.HIHYOJI,
            layout.PREFECTURE_CODE,
            layout.CORPORATE_NUMBER,
            layout.SEQUENCE_NUMBER,
        )
        successor_at, street_at, city_at, pref_name_at = (
            layout.SUCCESSOR_CORPORATE_NUMBER,
            layout.STREET_NUMBER,
            layout.CITY_NAME,
            layout.PREFECTURE_NAME,
        )
        update_at, change_at, close_at, assignment_at = (
            layout.UPDATE_DATE, layout.CHANGE_DATE, layout.CLOSE_DATE, layout.ASSIGNMENT_DATE,
        )  # fmt: skip
        chunk: dict[str, list[str]] = {}
        chunk_size = self.chunk_size
        previous_line = 0
        last_sequence = -1
        try:
            for row in rows:
                line = rows.line_num
                first_line = previous_line + 1
                previous_line = line
                if not row or (len(row) <= n_columns and not any(row)):
                    counts.blank += 1
                    continue
                counts.rows += 1
                if bad_lines and bad_lines[0] <= line:
                    while bad_lines and bad_lines[0] <= line:
                        bad_lines.pop(0)
                    counts.lines = line
                    encoding_label = ENCODING_LABELS[self.encoding or UTF8]
                    reject(first_line, "encoding", f"{encoding_label} として読めない文字があります")
                    continue
                if len(row) != n_columns:
                    counts.lines = line
                    reject(line, "row", f"列数が{len(row)}列です（30列である必要があります）", ",".join(row))
                    continue
                if row[hihyoji] == "1":
                    counts.hidden += 1
                    continue
                if prefecture is not None and row[pref_code] != prefecture:
                    counts.other_prefecture += 1
                    continue
                number = row[number_at]
                successor = row[successor_at]
                if (
                    well_formed(separator + separator.join(row)) is None
                    or int(number[0]) != check_digit(number[1:])
                    or (successor and int(successor[0]) != check_digit(successor[1:]))
                    or row[update_at] not in known_dates
                    or row[change_at] not in known_dates
                    or row[close_at] not in known_dates
                    or row[assignment_at] not in known_dates
                    or len(row[pref_name_at]) + len(row[city_at]) + len(row[street_at]) > MAX_ADDRESS
                ):
                    # The slow path: say which column is wrong and why (or accept new valid dates).
                    error = self._row_error(row)
                    if error is not None:
                        counts.lines = line
                        column, reason = error
                        reject(line, column, reason, row[layout.COLUMNS.index(column)], number)
                        continue
                sequence = int(row[sequence_at])
                if sequence < last_sequence:
                    counts.out_of_order += 1
                last_sequence = sequence
                counts.accepted += 1
                earlier = chunk.get(number)
                if earlier is not None:
                    counts.duplicates += 1
                    if int(earlier[sequence_at]) > sequence:
                        continue
                chunk[number] = row
                if len(chunk) >= chunk_size:
                    counts.lines = line
                    yield list(chunk.values())
                    chunk = {}
        except csv.Error as error:
            raise NtaFileError(f"{counts.lines + 1}行目付近をCSVとして読めません（{error}）。") from error
        counts.lines = previous_line
        if chunk:
            yield list(chunk.values())

    def _row_error(self, row: list[str]) -> tuple[str, str] | None:
        """The first problem of a row, naming the column; None when the row is fine after all."""
        for column, value in enumerate(row):
            if value[:1] in layout.FORMULA_PREFIXES:
                return layout.COLUMNS[column], "表計算ソフトで数式として実行される文字（= + - @）で始まっています"
        number = row[layout.CORPORATE_NUMBER]
        if not (len(number) == 13 and number.isascii() and number.isdigit()):
            return "corporateNumber", "法人番号が13桁の半角数字ではありません"
        if int(number[0]) != layout.corporate_number_check_digit(number[1:]):
            return "corporateNumber", "法人番号のチェックデジットが正しくありません"
        error = self._field_error(row, self._valid_date)
        if error is None and layout.WELL_FORMED_ROW.fullmatch(layout.SEPARATOR + layout.SEPARATOR.join(row)) is None:
            return "row", "行の形式が正しくありません（制御文字や桁数の多すぎる値がないか確認してください）"
        return error

    def _valid_date(self, value: str) -> bool:
        if value in self._known_dates:
            return True
        if len(value) != 10 or value[4] != "-" or value[7] != "-" or not value.isascii():
            return False
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
        self._known_dates.add(value)
        return True

    @staticmethod
    def _field_error(row: list[str], valid_date: Callable[[str], bool]) -> tuple[str, str] | None:
        """The first problem of a row's other columns, or None."""
        check_digit = layout.corporate_number_check_digit
        sequence = row[layout.SEQUENCE_NUMBER]
        if not (sequence.isascii() and sequence.isdigit()):
            return "sequenceNumber", "一連番号が半角数字ではありません"
        if row[layout.CORRECT] not in ("", "0", "1"):
            return "correct", "訂正区分は 0 か 1 である必要があります"
        if row[layout.PROCESS] not in layout.PROCESS_LABELS:
            return "process", f"処理区分「{row[layout.PROCESS][:10]}」は仕様にありません"
        if not valid_date(row[layout.UPDATE_DATE]):
            return "updateDate", "更新年月日が日付（YYYY-MM-DD）ではありません"
        for column, name in (
            (layout.CHANGE_DATE, "changeDate"),
            (layout.CLOSE_DATE, "closeDate"),
            (layout.ASSIGNMENT_DATE, "assignmentDate"),
        ):
            value = row[column]
            if value and not valid_date(value):
                return name, f"{layout.COLUMN_LABELS[name]}が日付（YYYY-MM-DD）ではありません"
        name = row[layout.NAME].strip()
        if not name:
            return "name", "商号又は名称が空です"
        if len(name) > MAX_NAME:
            return "name", f"商号又は名称が{MAX_NAME}文字を超えています"
        kind = row[layout.KIND]
        if kind and not (len(kind) == 3 and kind.isascii() and kind.isdigit()):
            return "kind", "法人種別が3桁の半角数字ではありません"
        pref = row[layout.PREFECTURE_CODE]
        if pref and not (len(pref) == 2 and pref.isascii() and pref.isdigit() and "01" <= pref <= "47"):
            return "prefectureCode", "都道府県コードが01〜47の2桁の数字ではありません"
        city = row[layout.CITY_CODE]
        if city and not (len(city) == 3 and city.isascii() and city.isdigit()):
            return "cityCode", "市区町村コードが3桁の半角数字ではありません"
        post = row[layout.POST_CODE]
        if post and not (len(post) == 7 and post.isascii() and post.isdigit()):
            return "postCode", "郵便番号が7桁の半角数字ではありません"
        cause = row[layout.CLOSE_CAUSE]
        if cause and cause not in layout.CLOSE_CAUSE_LABELS:
            return "closeCause", f"登記記録の閉鎖等の事由「{cause[:10]}」は仕様にありません"
        successor = row[layout.SUCCESSOR_CORPORATE_NUMBER]
        if successor and not (
            len(successor) == 13
            and successor.isascii()
            and successor.isdigit()
            and int(successor[0]) == check_digit(successor[1:])
        ):
            return "successorCorporateNumber", "承継先法人番号が正しい法人番号ではありません"
        if row[layout.LATEST] not in ("", "0", "1"):
            return "latest", "最新履歴は 0 か 1 である必要があります"
        if row[layout.HIHYOJI] not in ("", "0"):
            return "hihyoji", "検索対象除外は 0 か 1 である必要があります"
        address = row[layout.PREFECTURE_NAME] + row[layout.CITY_NAME] + row[layout.STREET_NUMBER]
        if len(address) > MAX_ADDRESS or len(row[layout.ADDRESS_OUTSIDE]) > MAX_ADDRESS:
            return "streetNumber", f"所在地が{MAX_ADDRESS}文字を超えています"
        if len(row[layout.FURIGANA]) > MAX_KANA:
            return "furigana", f"フリガナが{MAX_KANA}文字を超えています"
        return None
