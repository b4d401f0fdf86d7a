"""The report as an Excel workbook: one sheet per part, native charts, frozen headers.

Every cell goes through `core.exports.safe_cell` (text that Excel would run as a formula gets a
leading quote) and openpyxl's illegal-character filter; numbers and dates stay typed so the
prefecture can sort and sum them. Charts are openpyxl's native BarChart/LineChart, drawn from the
cells on the same sheet, so they stay live when someone edits a figure.
"""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kakehashi.core.exports import safe_cell
from kakehashi.core.japanese_dates import format_japanese, format_wareki

from .figures import VISIT_COLUMNS, summary_rows

HEADER_FILL = PatternFill("solid", fgColor="E8F1FE")
TITLE_FONT = Font(bold=True, size=14, color="0017C1")
BOLD = Font(bold=True)
THIN = Side(style="thin", color="B3B3B3")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy/mm/dd"


def _clean(value: Any) -> Any:
    value = safe_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _text_width(value: Any) -> int:
    """Display width: full-width characters count twice."""
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


class _Sheet:
    """A sheet written top to bottom: a title block, then tables with a header row each."""

    def __init__(self, workbook: Workbook, title: str, heading: str, figures: dict):
        self.ws: Worksheet = workbook.create_sheet(title=title[:31])
        self.row = 1
        self.widths: dict[int, int] = {}
        self.put(1, heading, font=TITLE_FONT)
        self.row += 1
        period = figures["period"]
        self.put(1, f"{figures['programme']['name']}　{period['label']}（{period['range_label']}）")
        self.row += 2

    def put(self, column: int, value: Any, *, font=None, fill=None, border=None, fmt=None, wrap=False):
        cell = self.ws.cell(row=self.row, column=column, value=_clean(value))
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if border:
            cell.border = border
        if fmt:
            cell.number_format = fmt
        elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            cell.number_format = NUMBER_FORMAT
        if wrap:
            cell.alignment = WRAP
        return cell

    def note(self, text: str) -> None:
        self.put(1, text, font=Font(size=9, color="4D4D4D"))
        self.row += 1

    def table(self, header: list[str], rows: list[list[Any]], *, widths: list[int] | None = None) -> tuple[int, int]:
        """Write a bordered table; returns (header row, last row)."""
        header_row = self.row
        for column, title in enumerate(header, start=1):
            self.put(column, title, font=BOLD, fill=HEADER_FILL, border=GRID, wrap=True)
            self._width(column, title)
        self.row += 1
        for values in rows:
            for column, value in enumerate(values, start=1):
                fmt = DATE_FORMAT if hasattr(value, "isoformat") and not isinstance(value, str) else None
                self.put(column, value, border=GRID, fmt=fmt)
                self._width(column, value)
            self.row += 1
        last_row = self.row - 1
        self.row += 1
        if widths:
            for column, width in enumerate(widths, start=1):
                self.widths[column] = max(self.widths.get(column, 0), width)
        return header_row, last_row

    def _width(self, column: int, value: Any) -> None:
        self.widths[column] = max(self.widths.get(column, 0), min(_text_width(value) + 2, 60))

    def finish(self, freeze: str | None = None) -> None:
        for column, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = max(width, 8)
        if freeze:
            self.ws.freeze_panes = freeze


def _bar_chart(ws: Worksheet, title: str, *, cats, data, anchor: str, horizontal: bool = True, height: float = 9):
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.style = 10
    chart.height = height
    chart.width = 18
    for series in data if isinstance(data, list) else [data]:
        chart.add_data(series, titles_from_data=True)
    chart.set_categories(cats)
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    ws.add_chart(chart, anchor)
    return chart


def render_xlsx(figures: dict) -> bytes:
    """The whole workbook as bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _cover(workbook, figures)
    _summary_sheet(workbook, figures)
    _trend_sheet(workbook, figures)
    for key, title in figures["breakdown_titles"].items():
        _breakdown_sheet(workbook, figures, key, title)
    _formats_sheet(workbook, figures)
    _referrals_sheet(workbook, figures)
    _hearing_sheet(workbook, figures)
    _visits_sheet(workbook, figures)
    workbook.properties.title = f"{figures['programme']['name']} {figures['period']['label']}"
    workbook.properties.creator = "Kakehashi"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SHEET_NAMES = (
    "表紙",
    "概要",
    "推移",
    "地域別",
    "業種別",
    "業態別",
    "規模別",
    "外訪形態・担当別",
    "紹介・連携",
    "課題",
    "訪問一覧",
)
_BREAKDOWN_SHEETS = {"region": "地域別", "industry": "業種別", "business_form": "業態別", "size": "規模別"}


def _cover(workbook: Workbook, figures: dict) -> None:
    ws = workbook.create_sheet(title="表紙")
    programme, period = figures["programme"], figures["period"]
    rows = [
        (_("定期報告"), TITLE_FONT),
        (programme["name"], Font(bold=True, size=12)),
        ("", None),
        (f"{_('対象期間')}：{period['label']}（{period['wareki_label']}）", None),
        (f"{_('期間')}：{period['range_label']}", None),
        (f"{_('和暦')}：{period['wareki_range_label']}", None),
        (f"{_('集計基準日')}：{format_japanese(figures['as_of'])}（{format_wareki(figures['as_of'])}）", None),
        (f"{_('作成日時')}：{figures['generated_at']:%Y年%m月%d日 %H:%M}", None),
        (
            f"{_('事業期間')}：{format_japanese(programme['start_date'])}〜{format_japanese(programme['end_date'])}",
            None,
        ),
        (f"{_('都道府県')}：{programme['prefecture']}", None),
        ("", None),
        (
            _(
                "四半期は年度（4月始まり）の四半期です。第1四半期＝4〜6月、第2＝7〜9月、第3＝10〜12月、第4＝翌年1〜3月。"
            ),
            None,
        ),
        (figures["definitions"]["privacy"], None),
    ]
    if not period["complete"]:
        rows.insert(7, (_("※期間の途中で作成した報告です（集計基準日までの実績）。"), Font(color="C00000")))
    for number, (text, font) in enumerate(rows, start=1):
        cell = ws.cell(row=number, column=1, value=_clean(text))
        if font:
            cell.font = font
    ws.column_dimensions["A"].width = 100


def _summary_sheet(workbook: Workbook, figures: dict) -> None:
    s = figures["summary"]
    sheet = _Sheet(workbook, "概要", _("概要（目標・計画との比較）"), figures)

    rows = summary_rows(s)
    header_row, _last = sheet.table([_("項目"), _("値"), _("単位")], rows, widths=[40, 12, 6])
    # A native chart: this period and the cumulative figure against the plan and the target.
    chart_row = sheet.row
    sheet.put(1, _("比較"), font=BOLD)
    sheet.row += 1
    first = sheet.row
    for label, value in (
        (_("期末累計"), s["cumulative_companies"]),
        (_("計画上の累計"), s["planned_cumulative"] or 0),
        (_("達成目標件数"), s["target"]),
    ):
        sheet.put(1, label)
        sheet.put(2, value)
        sheet.row += 1
    ws = sheet.ws
    ws.cell(row=chart_row, column=2, value=_("企業数"))
    _bar_chart(
        ws,
        _("期末累計・計画・目標（企業数）"),
        cats=Reference(ws, min_col=1, min_row=first, max_row=sheet.row - 1),
        data=Reference(ws, min_col=2, min_row=chart_row, max_row=sheet.row - 1),
        anchor="E3",
        height=7,
    )
    sheet.row += 1
    for key in ("period", "distinct_companies", "designated", "plan"):
        sheet.note(figures["definitions"][key])
    sheet.finish(freeze=f"A{header_row + 1}")


def _trend_sheet(workbook: Workbook, figures: dict) -> None:
    trend = figures["trend"]
    unit = _("週") if trend["unit"] == "week" else _("月")
    sheet = _Sheet(workbook, "推移", _("%(unit)sごとの推移") % {"unit": unit}, figures)
    rows = [[r["label"], r["new_companies"], r["visits"], r["cumulative"], r["planned"]] for r in trend["rows"]]
    header = [unit, _("新規企業数"), _("訪問報告件数"), _("累計企業数"), _("計画上の累計")]
    header_row, last = sheet.table(header, rows, widths=[22, 12, 12, 12, 12])
    ws = sheet.ws
    if rows:
        chart = LineChart()
        chart.title = _("累計企業数と計画")
        chart.height, chart.width = 9, 18
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=header_row, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        ws.add_chart(chart, "H3")
        _bar_chart(
            ws,
            _("新規企業数と訪問報告件数"),
            cats=Reference(ws, min_col=1, min_row=header_row + 1, max_row=last),
            data=Reference(ws, min_col=2, max_col=3, min_row=header_row, max_row=last),
            anchor="H22",
            horizontal=False,
        )
    sheet.finish(freeze=f"A{header_row + 1}")


def _group_table(sheet: _Sheet, rows: list[dict], first_header: str, has_quotas: bool) -> tuple[int, int]:
    header = [first_header, _("企業数（この期間）"), _("訪問報告件数（この期間）"), _("企業数（期末累計）")]
    if has_quotas:
        header.append(_("計画の割当"))
    values = []
    for row in rows:
        line = [row["label"], row["companies"], row["visits"], row["cumulative_companies"]]
        if has_quotas:
            line.append(row.get("quota"))
        values.append(line)
    total = [_("合計"), sum(r["companies"] for r in rows), sum(r["visits"] for r in rows)]
    total.append(sum(r["cumulative_companies"] for r in rows))
    header_row, last = sheet.table(header, [*values, total], widths=[30, 14, 14, 14])
    for column in range(1, len(header) + 1):
        sheet.ws.cell(row=last, column=column).font = BOLD
    return header_row, last - 1  # the data rows end before the total


def _breakdown_sheet(workbook: Workbook, figures: dict, key: str, title: str) -> None:
    sheet = _Sheet(workbook, _BREAKDOWN_SHEETS[key], title, figures)
    rows = figures["breakdowns"][key]
    header_row, last = _group_table(sheet, rows, title.removesuffix("別"), figures["has_quotas"])
    sheet.note(figures["definitions"]["breakdowns"])
    ws = sheet.ws
    if last > header_row:
        _bar_chart(
            ws,
            _("%(title)s（企業数）") % {"title": title},
            cats=Reference(ws, min_col=1, min_row=header_row + 1, max_row=last),
            data=[
                Reference(ws, min_col=2, min_row=header_row, max_row=last),
                Reference(ws, min_col=4, min_row=header_row, max_row=last),
            ],
            anchor="G3",
            height=max(7, min(20, 0.6 * (last - header_row) + 3)),
        )
    sheet.finish(freeze=f"A{header_row + 1}")


def _formats_sheet(workbook: Workbook, figures: dict) -> None:
    sheet = _Sheet(workbook, "外訪形態・担当別", _("外訪形態別・担当コミュニケータ別"), figures)
    header_row, last = _group_table(sheet, figures["formats"], _("外訪形態"), False)
    ws = sheet.ws
    if last > header_row:
        _bar_chart(
            ws,
            _("外訪形態別の訪問報告件数"),
            cats=Reference(ws, min_col=1, min_row=header_row + 1, max_row=last),
            data=Reference(ws, min_col=3, min_row=header_row, max_row=last),
            anchor="G3",
            horizontal=False,
            height=7,
        )
    rows = [[r["name"], r["companies"], r["visits"]] for r in figures["communicators"]]
    sheet.put(1, _("担当コミュニケータ別（この期間）"), font=BOLD)
    sheet.row += 1
    sheet.table([_("担当"), _("企業数"), _("訪問報告件数")], rows)
    sheet.note(_("複数人で担当した訪問はそれぞれに数えます。"))
    sheet.finish(freeze=f"A{header_row + 1}")


def _referrals_sheet(workbook: Workbook, figures: dict) -> None:
    sheet = _Sheet(workbook, "紹介・連携", _("機構・工業技術センターへの紹介と支援の進み具合"), figures)
    referrals = figures["referrals"]
    if not referrals["available"]:
        sheet.note(_("紹介・連携の記録機能がまだ有効になっていないため、この項目は集計していません。"))
        sheet.finish()
        return
    rows = [
        [step["label"], step["count"], f"{step['rate']}%" if step["rate"] is not None else "—"]
        for step in referrals["funnel"]
    ]
    header_row, last = sheet.table([_("段階"), _("企業数・件数"), _("紹介に対する割合")], rows, widths=[30, 14, 16])
    sheet.note(_("期間内に紹介した件数：%(n)s 件") % {"n": referrals["in_period"]})
    ws = sheet.ws
    if last > header_row:
        _bar_chart(
            ws,
            _("紹介から伴走支援までのファネル"),
            cats=Reference(ws, min_col=1, min_row=header_row + 1, max_row=last),
            data=Reference(ws, min_col=2, min_row=header_row, max_row=last),
            anchor="F3",
            height=7,
        )
    sheet.finish(freeze=f"A{header_row + 1}")


def _hearing_sheet(workbook: Workbook, figures: dict) -> None:
    sheet = _Sheet(workbook, "課題", _("ヒアリングした課題・障壁・紹介・成果"), figures)
    freeze = None
    chart_anchor_row = 3
    for key, title in figures["hearing_titles"].items():
        rows = figures["hearing"][key]
        sheet.put(1, title, font=BOLD)
        sheet.row += 1
        values = [
            [r["label"], r["visits"], r["companies"], f"{r['share']}%" if r["share"] is not None else "—"] for r in rows
        ]
        header_row, last = sheet.table(
            [title, _("訪問報告件数"), _("企業数"), _("割合（件数比）")], values, widths=[40, 12, 10, 12]
        )
        freeze = freeze or f"A{header_row + 1}"
        if key in {"challenge", "barrier"} and last > header_row:
            _bar_chart(
                sheet.ws,
                _("%(title)s（訪問報告件数）") % {"title": title},
                cats=Reference(sheet.ws, min_col=1, min_row=header_row + 1, max_row=last),
                data=Reference(sheet.ws, min_col=2, min_row=header_row, max_row=last),
                anchor=f"G{chart_anchor_row}",
                height=max(7, min(16, 0.6 * (last - header_row) + 3)),
            )
            chart_anchor_row += 34
    sheet.note(figures["definitions"]["hearing"])
    sheet.finish()


def _visits_sheet(workbook: Workbook, figures: dict) -> None:
    sheet = _Sheet(workbook, "訪問一覧", _("訪問一覧（この期間）"), figures)
    sheet.note(figures["definitions"]["privacy"])
    header = [str(title) for _key, title in VISIT_COLUMNS]
    rows = [[visit[key] for key, _title in VISIT_COLUMNS] for visit in figures["visits"]]
    header_row, _last = sheet.table(header, rows)
    sheet.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{max(header_row, _last)}"
    sheet.finish(freeze=f"C{header_row + 1}")
