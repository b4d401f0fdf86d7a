"""Spreadsheet exports any app may use: CSV that Excel opens as UTF-8, and XLSX, both formula-safe.

A cell whose text starts with = + - @, a tab or a carriage return would be run as a formula by
Excel ("CSV injection"); `safe_cell` prefixes such text with a single quote. Both writers pass every
cell through it, so callers hand over plain values.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_SET = frozenset(FORMULA_TRIGGERS)
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """A value fit for a spreadsheet cell: text that Excel would run as a formula gets a leading quote.

    None becomes "", aware datetimes are shown in local time without the zone, numbers and dates
    stay as they are (they cannot carry a formula), everything else becomes text.
    """
    if type(value) is str:  # the common case first
        return "'" + value if value[:1] in _TRIGGER_SET else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, int | float | datetime.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def iter_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> Iterator[bytes]:
    """CSV as UTF-8 bytes with a BOM (so Excel reads the Japanese right), CRLF line ends, one row a chunk."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield (BOM + writer.writerow([safe_cell(h) for h in header])).encode("utf-8")
    for row in rows:
        yield writer.writerow([_csv_text(safe_cell(v)) for v in row]).encode("utf-8")


def _csv_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> bytes:
    """The whole CSV file as bytes (see `iter_csv`)."""
    return b"".join(iter_csv(rows, header))


def write_xlsx(rows: Iterable[Sequence[Any]], header: Sequence[str], *, sheet_title: str = "data") -> bytes:
    """An XLSX workbook (one sheet, header row frozen) as bytes, written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
    from openpyxl.styles import Font

    def clean(value: Any) -> Any:
        value = safe_cell(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "data")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=clean(title))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([clean(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(rows: Iterable[Sequence[Any]], header: Sequence[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download (rows are written as they are read, so large lists stay cheap)."""
    response = StreamingHttpResponse(iter_csv(rows, header), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(
    rows: Iterable[Sequence[Any]], header: Sequence[str], *, filename: str, sheet_title: str
) -> HttpResponse:
    response = HttpResponse(write_xlsx(rows, header, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
