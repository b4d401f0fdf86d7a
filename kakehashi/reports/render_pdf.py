"""The report as an A4 PDF: cover, figures, charts and tables, Japanese font embedded.

The font is the one the hearing-manual PDF uses (`outreach.manual_pdf.japanese_font`: IPAex Gothic,
embedded as a subset, so every viewer renders the Japanese text the same). Tables repeat their
header row on every page they run over; the visit list is set on landscape pages. Charts are
reportlab graphics (vector, drawn from the same figures as the tables). Every page carries the
programme, the period and "page n / N".
"""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kakehashi.core.japanese_dates import format_japanese, format_wareki
from kakehashi.outreach.manual_pdf import japanese_font

from .figures import VISIT_COLUMNS, summary_rows

PRIMARY = colors.HexColor("#0017c1")
SECONDARY = colors.HexColor("#00a3bf")
PLAN = colors.HexColor("#e25100")
HEADER_BG = colors.HexColor("#e8f1fe")
GRID = colors.HexColor("#b3b3b3")
MUTED = colors.HexColor("#4d4d4d")
MARGIN = 15 * mm
PORTRAIT_WIDTH = A4[0] - 2 * MARGIN
LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN
# The visit list on landscape pages: these columns, with relative widths.
PDF_VISIT_COLUMNS = (
    ("visit_date", 1.7),
    ("company", 3.6),
    ("municipality", 1.6),
    ("industry", 2.6),
    ("business_form", 2.0),
    ("size", 1.8),
    ("format", 1.4),
    ("communicators", 2.3),
    ("challenges", 4.4),
    ("interest", 1.1),
    ("outcomes", 3.4),
)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "cover_title": ParagraphStyle("cover_title", parent=base, fontSize=26, leading=34, textColor=PRIMARY),
        "cover_name": ParagraphStyle("cover_name", parent=base, fontSize=15, leading=22, spaceAfter=8),
        "cover_meta": ParagraphStyle("cover_meta", parent=base, fontSize=11, leading=18),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=15, leading=21, spaceBefore=4, spaceAfter=6, textColor=PRIMARY
        ),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=11.5, textColor=MUTED, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=7, leading=9),
        "kpi_value": ParagraphStyle("kpi_value", parent=base, fontSize=15, leading=19, textColor=PRIMARY),
        "kpi_label": ParagraphStyle("kpi_label", parent=base, fontSize=8, leading=11, textColor=MUTED),
        "warning": ParagraphStyle(
            "warning", parent=base, fontSize=9.5, leading=14, textColor=colors.HexColor("#c00000")
        ),
    }


def _p(text, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


def _n(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def _table(
    header: list[str], rows: list[list], styles, *, widths: list[float], small: bool = False, total: bool = False
):
    """A table whose header row repeats on every page; numbers right-aligned."""
    cell = styles["cell_small"] if small else styles["cell"]
    numeric = ParagraphStyle("numeric", parent=cell, alignment=2)
    data = [[_p(h, cell) for h in header]]
    for row in rows:
        data.append(
            [_p(_n(v), numeric) if isinstance(v, int | float) and not isinstance(v, bool) else _p(v, cell) for v in row]
        )
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f2f2f2")))
    table.setStyle(TableStyle(style))
    return table


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hbar_chart(
    font: str, labels: list[str], series: list[tuple[str, list[int], colors.Color]], *, width: float
) -> Drawing:
    """Horizontal bars, one group per label (top to bottom in table order), with a legend."""
    row_height = 9 + 5 * len(series)
    plot_height = max(len(labels) * row_height, 40)
    height = plot_height + 52
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 42 * mm
    chart.y = 40
    chart.width = width - chart.x - 10 * mm
    chart.height = plot_height
    drawn = list(reversed(series))  # reportlab stacks a group's bars bottom-up: the first series on top
    chart.data = [list(reversed(values)) for _name, values, _colour in drawn]
    chart.categoryAxis.categoryNames = [_short(label) for label in reversed(labels)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((max(values) if values else 0) for _name, values, _colour in series) if series else 0
    chart.valueAxis.valueMax = max(top * 1.1, 5)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6e6e6")
    chart.barSpacing = 1
    chart.groupSpacing = 4
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    for index, (_name, _values, colour) in enumerate(drawn):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(font, [(name, colour) for name, _values, colour in series], x=chart.x, y=8))
    return drawing


def _legend(font: str, items: list[tuple[str, colors.Color]], *, x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = font
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "w"
    legend.dx = legend.dy = 7
    legend.deltax = 90
    legend.colorNamePairs = [(colour, name) for name, colour in items]
    return legend


def _vbar_chart(font: str, labels: list[str], series, *, width: float, height: float = 170) -> Drawing:
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 45
    chart.width, chart.height = width - 45, height - 65
    chart.data = [values for _name, values, _colour in series]
    chart.categoryAxis.categoryNames = [_short(label, 12) for label in labels]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((max(values) if values else 0) for _name, values, _colour in series) if series else 0
    chart.valueAxis.valueMax = max(top * 1.15, 5)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6e6e6")
    for index, (_name, _values, colour) in enumerate(series):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(font, [(name, colour) for name, _values, colour in series], x=30, y=height - 8))
    return drawing


def _line_chart(font: str, labels: list[str], series, *, width: float, height: float = 190) -> Drawing:
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 35, 40
    chart.width, chart.height = width - 50, height - 62
    # Missing actuals (future buckets) are None: reportlab skips them.
    chart.data = [values for _name, values, _colour, _dash in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((max((v for v in values if v is not None), default=0)) for _n1, values, _c, _d in series)
    chart.valueAxis.valueMax = max(top * 1.1, 5)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6e6e6")
    chart.joinedLines = 1
    for index, (_name, _values, colour, dash) in enumerate(series):
        chart.lines[index].strokeColor = colour
        chart.lines[index].strokeWidth = 1.6
        if dash:
            chart.lines[index].strokeDashArray = [4, 3]
    drawing.add(chart)
    drawing.add(_legend(font, [(name, colour) for name, _v, colour, _d in series], x=35, y=height - 8))
    return drawing


class _NumberedCanvas(pdf_canvas.Canvas):
    """Draws "page n / N" and the running title once the page count is known."""

    running_title = ""
    font_name = "Helvetica"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):  # reportlab API name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(self.font_name, 7.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, 8 * mm, self.running_title)
        self.drawRightString(width - MARGIN, 8 * mm, f"{self._pageNumber} / {total}")
        self.restoreState()


def render_pdf(figures: dict) -> bytes:
    """The report as PDF bytes."""
    font, _embedded = japanese_font()
    styles = _styles(font)
    programme, period = figures["programme"], figures["period"]
    title = f"{programme['name']} 定期報告 {period['label']}"
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=15 * mm,
        title=title,
        author="Kakehashi",
        subject=_("定期報告"),
    )
    portrait = Frame(MARGIN, 15 * mm, PORTRAIT_WIDTH, A4[1] - MARGIN - 15 * mm, id="portrait")
    wide = Frame(MARGIN, 15 * mm, LANDSCAPE_WIDTH, A4[0] - MARGIN - 15 * mm, id="landscape")
    doc.addPageTemplates(
        [
            PageTemplate(id="portrait", frames=[portrait], pagesize=A4),
            PageTemplate(id="landscape", frames=[wide], pagesize=landscape(A4)),
        ]
    )
    story: list = []
    story += _cover(figures, styles)
    story += _summary(figures, styles, font)
    story += _trend(figures, styles, font)
    story += _breakdowns(figures, styles, font)
    story += _formats(figures, styles, font)
    story += _referrals(figures, styles, font)
    story += _hearing(figures, styles, font)
    story += _visits(figures, styles)

    canvas_class = type(
        "ReportCanvas", (_NumberedCanvas,), {"running_title": f"{title}（{period['range_label']}）", "font_name": font}
    )
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()


def _cover(figures: dict, styles) -> list:
    programme, period, s = figures["programme"], figures["period"], figures["summary"]
    story: list = [Spacer(1, 30 * mm), _p(_("定期報告"), styles["cover_title"]), Spacer(1, 4 * mm)]
    story.append(_p(programme["name"], styles["cover_name"]))
    meta = [
        (_("対象期間"), f"{period['label']}（{period['wareki_label']}）"),
        (_("期間"), period["range_label"]),
        (_("和暦"), period["wareki_range_label"]),
        (_("集計基準日"), f"{format_japanese(figures['as_of'])}（{format_wareki(figures['as_of'])}）"),
        (_("作成日時"), f"{figures['generated_at']:%Y年%m月%d日 %H:%M}"),
        (_("事業期間"), f"{format_japanese(programme['start_date'])}〜{format_japanese(programme['end_date'])}"),
        (_("都道府県"), programme["prefecture"]),
    ]
    table = Table(
        [[_p(k, styles["cover_meta"]), _p(v, styles["cover_meta"])] for k, v in meta], colWidths=[32 * mm, 140 * mm]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID)]))
    story += [table, Spacer(1, 6 * mm)]
    if not period["complete"]:
        story.append(_p(_("※期間の途中で作成した報告です（集計基準日までの実績）。"), styles["warning"]))
    kpis = [
        (_("ヒアリング済み企業数（この期間）"), f"{s['companies']:,}社"),
        (_("期末累計／目標"), f"{s['cumulative_companies']:,}/{s['target']:,}社"),
        (_("達成率（期末累計）"), f"{s['progress_percent']}%" if s["progress_percent"] is not None else "—"),
        (_("指定訪問先のカバー"), f"{s['designated_covered']:,}/{s['designated_total']:,}社"),
    ]
    cells = [
        [_p(value, styles["kpi_value"]) for _label, value in kpis],
        [_p(label, styles["kpi_label"]) for label, _v in kpis],
    ]
    box = Table(cells, colWidths=[PORTRAIT_WIDTH / 4] * 4)
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, PRIMARY),
                ("INNERGRID", (0, 0), (-1, 0), 0, colors.white),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    story += [Spacer(1, 6 * mm), box, Spacer(1, 10 * mm)]
    story.append(
        _p(
            _(
                "四半期は年度（4月始まり）の四半期です。第1四半期＝4〜6月、第2＝7〜9月、第3＝10〜12月、第4＝翌年1〜3月。"
            ),
            styles["note"],
        )
    )
    story.append(_p(figures["definitions"]["privacy"], styles["note"]))
    story.append(PageBreak())
    return story


def _summary(figures: dict, styles, font: str) -> list:
    s = figures["summary"]

    rows = summary_rows(s)
    story: list = [_p(_("1. 概要（目標・計画との比較）"), styles["h1"])]
    story.append(_table([_("項目"), _("値"), _("単位")], rows, styles, widths=[95 * mm, 45 * mm, 20 * mm]))
    story.append(Spacer(1, 4 * mm))
    chart = _hbar_chart(
        font,
        [_("期末累計"), _("計画上の累計"), _("達成目標件数")],
        [(_("企業数"), [s["cumulative_companies"], s["planned_cumulative"] or 0, s["target"]], PRIMARY)],
        width=PORTRAIT_WIDTH,
    )
    story.append(chart)
    for key in ("period", "distinct_companies", "designated", "plan"):
        story.append(_p(figures["definitions"][key], styles["note"]))
    return story


def _trend(figures: dict, styles, font: str) -> list:
    trend = figures["trend"]
    unit = _("週") if trend["unit"] == "week" else _("月")
    rows = trend["rows"]
    story: list = [CondPageBreak(90 * mm), _p(_("2. %(unit)sごとの推移") % {"unit": unit}, styles["h1"])]
    labels = [r["label"] if trend["unit"] == "week" else f"{r['start'].month}月" for r in rows]
    story.append(
        _line_chart(
            font,
            labels,
            [
                (_("累計企業数"), [r["cumulative"] for r in rows], PRIMARY, False),
                (_("計画上の累計"), [r["planned"] for r in rows], PLAN, True),
            ],
            width=PORTRAIT_WIDTH,
        )
    )
    story.append(
        _table(
            [unit, _("新規企業数"), _("訪問報告件数"), _("累計企業数"), _("計画上の累計")],
            [[r["label"], r["new_companies"], r["visits"], r["cumulative"], r["planned"]] for r in rows],
            styles,
            widths=[50 * mm, 28 * mm, 28 * mm, 28 * mm, 28 * mm],
        )
    )
    return story


def _group_rows(rows: list[dict], has_quotas: bool) -> tuple[list[str], list[list], list[float]]:
    header = [_("企業数（この期間）"), _("訪問報告件数（この期間）"), _("企業数（期末累計）")]
    widths = [68 * mm, 32 * mm, 32 * mm, 32 * mm]
    if has_quotas:
        header.append(_("計画の割当"))
        widths = [56 * mm, 27 * mm, 27 * mm, 27 * mm, 27 * mm]
    data = []
    for row in rows:
        line = [row["label"], row["companies"], row["visits"], row["cumulative_companies"]]
        if has_quotas:
            line.append(row.get("quota"))
        data.append(line)
    total = [_("合計"), sum(r["companies"] for r in rows), sum(r["visits"] for r in rows)]
    total.append(sum(r["cumulative_companies"] for r in rows))
    if has_quotas:
        total.append(None)
    return header, [*data, total], widths


def _breakdowns(figures: dict, styles, font: str) -> list:
    story: list = [PageBreak(), _p(_("3. 地域・業種・業態・規模別"), styles["h1"])]
    story.append(_p(figures["definitions"]["breakdowns"], styles["note"]))
    for key, title in figures["breakdown_titles"].items():
        rows = figures["breakdowns"][key]
        header, data, widths = _group_rows(rows, figures["has_quotas"])
        shown = [r for r in rows if r["companies"] or r["cumulative_companies"]] if key == "industry" else rows
        chart = _hbar_chart(
            font,
            [r["label"] for r in shown],
            [
                (_("企業数（この期間）"), [r["companies"] for r in shown], PRIMARY),
                (_("企業数（期末累計）"), [r["cumulative_companies"] for r in shown], SECONDARY),
            ],
            width=PORTRAIT_WIDTH,
        )
        story.append(CondPageBreak(80 * mm))
        story.append(KeepTogether([_p(title, styles["h2"]), chart]))
        story.append(_table([title.removesuffix("別"), *header], data, styles, widths=widths, total=True))
    return story


def _formats(figures: dict, styles, font: str) -> list:
    rows = figures["formats"]
    header, data, widths = _group_rows(rows, False)
    story: list = [CondPageBreak(100 * mm), _p(_("4. 外訪形態別・担当コミュニケータ別"), styles["h1"])]
    story.append(
        _vbar_chart(
            font,
            [r["label"] for r in rows],
            [
                (_("企業数（この期間）"), [r["companies"] for r in rows], PRIMARY),
                (_("訪問報告件数（この期間）"), [r["visits"] for r in rows], SECONDARY),
            ],
            width=PORTRAIT_WIDTH,
            height=150,
        )
    )
    story.append(_table([_("外訪形態"), *header], data, styles, widths=widths, total=True))
    story.append(_p(_("担当コミュニケータ別（この期間）"), styles["h2"]))
    story.append(
        _table(
            [_("担当"), _("企業数"), _("訪問報告件数")],
            [[r["name"], r["companies"], r["visits"]] for r in figures["communicators"]],
            styles,
            widths=[90 * mm, 35 * mm, 35 * mm],
        )
    )
    story.append(_p(_("複数人で担当した訪問はそれぞれに数えます。"), styles["note"]))
    return story


def _referrals(figures: dict, styles, font: str) -> list:
    referrals = figures["referrals"]
    story: list = [CondPageBreak(90 * mm), _p(_("5. 機構・工業技術センターへの紹介と支援の進み具合"), styles["h1"])]
    if not referrals["available"]:
        story.append(
            _p(_("紹介・連携の記録機能がまだ有効になっていないため、この項目は集計していません。"), styles["base"])
        )
        return story
    funnel = referrals["funnel"]
    story.append(
        _hbar_chart(
            font,
            [s["label"] for s in funnel],
            [(_("件数"), [s["count"] for s in funnel], PRIMARY)],
            width=PORTRAIT_WIDTH,
        )
    )
    story.append(
        _table(
            [_("段階"), _("件数"), _("紹介に対する割合")],
            [[s["label"], s["count"], f"{s['rate']}%" if s["rate"] is not None else "—"] for s in funnel],
            styles,
            widths=[90 * mm, 35 * mm, 35 * mm],
        )
    )
    story.append(_p(_("期間内に紹介した件数：%(n)s 件") % {"n": referrals["in_period"]}, styles["note"]))
    return story


def _hearing(figures: dict, styles, font: str) -> list:
    story: list = [PageBreak(), _p(_("6. ヒアリングした課題・障壁・紹介・成果"), styles["h1"])]
    story.append(_p(figures["definitions"]["hearing"], styles["note"]))
    for key, title in figures["hearing_titles"].items():
        rows = figures["hearing"][key]
        block = [_p(title, styles["h2"])]
        if key in {"challenge", "barrier"}:
            block.append(
                _hbar_chart(
                    font,
                    [r["label"] for r in rows],
                    [(_("訪問報告件数"), [r["visits"] for r in rows], PRIMARY)],
                    width=PORTRAIT_WIDTH,
                )
            )
        story.append(CondPageBreak(60 * mm))
        story.append(KeepTogether(block))
        story.append(
            _table(
                [title, _("訪問報告件数"), _("企業数"), _("割合（件数比）")],
                [
                    [r["label"], r["visits"], r["companies"], f"{r['share']}%" if r["share"] is not None else "—"]
                    for r in rows
                ],
                styles,
                widths=[85 * mm, 28 * mm, 25 * mm, 27 * mm],
            )
        )
    return story


def _visits(figures: dict, styles) -> list:
    labels = dict(VISIT_COLUMNS)
    total = sum(weight for _key, weight in PDF_VISIT_COLUMNS)
    widths = [LANDSCAPE_WIDTH * weight / total for _key, weight in PDF_VISIT_COLUMNS]
    story: list = [NextPageTemplate("landscape"), PageBreak(), _p(_("7. 訪問一覧（この期間）"), styles["h1"])]
    story.append(_p(figures["definitions"]["privacy"], styles["note"]))
    visits = figures["visits"]
    if not visits:
        story.append(_p(_("この期間の訪問報告はありません。"), styles["base"]))
        return story
    rows = []
    for visit in visits:
        row = []
        for key, _weight in PDF_VISIT_COLUMNS:
            value = visit[key]
            if key == "visit_date":
                value = f"{value:%Y/%m/%d}"
            elif key == "company" and visit["designated"]:
                value = f"{value}（{_('指定')}）"
            row.append(value)
        rows.append(row)
    story.append(_table([str(labels[key]) for key, _w in PDF_VISIT_COLUMNS], rows, styles, widths=widths, small=True))
    story.append(Spacer(1, 2 * mm))
    story.append(_p(_("全 %(n)s 件") % {"n": f"{len(visits):,}"}, styles["note"]))
    return story
