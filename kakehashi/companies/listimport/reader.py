"""Reading an uploaded list: CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932, or XLSX.

The reader only turns bytes into rows of cell values; it never interprets them. Formula cells in
an XLSX are not evaluated: they come back as `Formula` values so the row can be rejected with a
reason. A file that cannot be read at all raises `ImportFileError` with a message for people.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10
ENCODINGS = ("utf-8-sig", "cp932")
ENCODING_LABELS = {"utf-8-sig": "UTF-8", "cp932": "Shift_JIS (CP932)"}


class ImportFileError(Exception):
    """The file cannot be read at all: wrong kind, too large, undecodable, empty."""


@dataclass(frozen=True)
class Formula:
    """An XLSX cell holding a formula. Its text is kept only to show what was refused."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    """The cells of one sheet or CSV file. `rows` are (row number in the file, cell values)."""

    rows: list[tuple[int, list[Any]]]
    encoding: str = ""
    file_kind: str = "csv"
    sheet_names: list[str] = field(default_factory=list)
    sheet: str = ""


def max_bytes() -> int:
    return int(getattr(settings, "KAKEHASHI_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def format_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise ImportFileError(
            _("ファイルが大きすぎます（%(size)s）。取り込めるのは %(limit)s までです。ファイルを分けてください。")
            % {"size": format_size(size), "limit": format_size(limit)}
        )


def read_table(
    source: str | Path | IO[bytes], *, filename: str = "", sheet: str = "", max_rows: int | None = None
) -> Table:
    """Read a CSV or XLSX file (path or binary file object). The kind is told by content, not name.

    `max_rows` stops after that many rows (enough to find the header row without reading everything).
    """
    data = _read_bytes(source)
    name = filename or (str(source) if isinstance(source, str | Path) else getattr(source, "name", "") or "")
    if not data.strip():
        raise ImportFileError(_("ファイルが空です。"))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, sheet=sheet, max_rows=max_rows)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.lower().endswith(".xls"):
        raise ImportFileError(
            _("古い Excel 形式（.xls）は読めません。Excel で「.xlsx」または「CSV」形式で保存し直してください。")
        )
    return _read_csv(data, max_rows=max_rows)


def _read_bytes(source: str | Path | IO[bytes]) -> bytes:
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise ImportFileError(_("ファイルが見つかりません: %(path)s") % {"path": path})
        check_size(path.stat().st_size)
        return path.read_bytes()
    size = getattr(source, "size", None)
    if size is not None:
        check_size(size)
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(max_bytes() + 1)
    check_size(len(data))
    return data


# --- CSV ------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Decode strictly as UTF-8 (BOM optional), then as CP932. Names the first bad line if neither works."""
    errors = {}
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            errors[encoding] = error
    line = _first_bad_line(data)
    raise ImportFileError(
        _(
            "文字コードを判別できません。UTF-8 としても Shift_JIS としても読めない文字が %(line)s 行目にあります。"
            "UTF-8 または Shift_JIS の CSV で保存し直してください。"
        )
        % {"line": line}
    )


def _first_bad_line(data: bytes) -> int:
    """The first line (1-based) that decodes in neither encoding."""
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        ok = False
        for encoding in ("utf-8", "cp932"):
            try:
                raw.decode(encoding)
                ok = True
                break
            except UnicodeDecodeError:
                continue
        if not ok:
            return number
    # Each line decodes on its own, but the file mixes the two encodings: name the first line
    # that does not decode in the encoding of the first non-ASCII line.
    first_encoding = None
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        if first_encoding is None:
            try:
                raw.decode("utf-8")
                first_encoding = "utf-8"
            except UnicodeDecodeError:
                first_encoding = "cp932"
            continue
        try:
            raw.decode(first_encoding)
        except UnicodeDecodeError:
            return number
    return 1


def _read_csv(data: bytes, *, max_rows: int | None = None) -> Table:
    text, encoding = decode(data)
    text = text.replace("\x00", "")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        # Row numbers are record numbers, which is what spreadsheet users see.
        for index, cells in enumerate(reader, start=1):
            if index > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise ImportFileError(
                    _("行数が多すぎます。一度に取り込めるのは %(max)s 行までです。") % {"max": MAX_ROWS}
                )
            rows.append((index, cells))
            if max_rows and index >= max_rows:
                break
    except csv.Error as error:
        raise ImportFileError(
            _("CSV の %(line)s 行目を読めません（%(error)s）。") % {"line": reader.line_num, "error": error}
        ) from error
    return Table(rows=rows, encoding=encoding, file_kind="csv")


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, *, sheet: str = "", max_rows: int | None = None) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確認してください。")
        ) from error
    try:
        names = workbook.sheetnames
        if sheet:
            if sheet not in names:
                raise ImportFileError(
                    _("シート「%(sheet)s」がありません。あるシート: %(names)s")
                    % {"sheet": sheet, "names": "、".join(names)}
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows = list(_xlsx_rows(worksheet, max_rows=max_rows))
        return Table(rows=rows, encoding="", file_kind="xlsx", sheet_names=names, sheet=worksheet.title)
    finally:
        workbook.close()


def _xlsx_rows(worksheet, *, max_rows: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(worksheet.iter_rows(max_row=max_rows), start=1):
        if number > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise ImportFileError(_("行数が多すぎます。一度に取り込めるのは %(max)s 行までです。") % {"max": MAX_ROWS})
        cells = []
        for cell in row:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or type(value).__name__ in {"ArrayFormula", "DataTableFormula"}:
                text = getattr(value, "text", value)
                value = Formula(str(text))
            elif isinstance(value, datetime.datetime) and value.time() == datetime.time(0, 0):
                value = value.date()
            cells.append(value)
        row_number = getattr(row[0], "row", None) if row else None
        yield (row_number or number, cells)
