"""The hearing manual on paper: one version as an A4 PDF with Japanese text, help and boxes to tick.

Font (docs/decisions/007-hearing-manual-versions-and-pdf.md): the IPAex Gothic TrueType font is embedded (subset)
when it can be found — shipped by the `JapaneseMatplotlib` wheel (installed by `make install` without its
dependencies), or Debian's `fonts-ipaexfont-gothic` / `fonts-ipafont-gothic`. Otherwise reportlab's built-in CID
font HeiseiKakuGo-W5 is used: not embedded, so the reader's PDF viewer supplies the glyphs.
"""

import functools
import importlib.util
import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .choices import QuestionKind
from .manuals import _code_items, code_lists_of, option_labels, question_map, scale_choices, sections_of
from .models import HearingManualVersion

FONT_NAME = "KakehashiJP"
CID_FALLBACK = "HeiseiKakuGo-W5"
SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)


def _package_font() -> Path | None:
    """ipaexg.ttf inside the JapaneseMatplotlib wheel, found without importing the package (it imports
    matplotlib, which is not installed)."""
    spec = importlib.util.find_spec("JapaneseMatplotlib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            return path
    return None


def font_candidates() -> list[Path]:
    found = [_package_font()] + [Path(p) for p in SYSTEM_FONTS]
    return [p for p in found if p is not None and p.is_file()]


@functools.cache
def japanese_font() -> tuple[str, bool]:
    """(font name registered with reportlab, embedded?)."""
    for path in font_candidates():
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
        except Exception:  # noqa: S112 — a font reportlab cannot read: try the next one
            continue
        return FONT_NAME, True
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK, False


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK", alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#4d4d4d")),
        "section": ParagraphStyle(
            "section",
            parent=base,
            fontSize=13,
            leading=18,
            spaceBefore=10,
            spaceAfter=2,
            textColor=colors.HexColor("#0017c1"),
        ),
        "section_help": ParagraphStyle("section_help", parent=base, fontSize=9, leading=13, spaceAfter=4),
        "question": ParagraphStyle("question", parent=base, fontSize=11, leading=16, spaceBefore=6),
        "help": ParagraphStyle(
            "help", parent=base, fontSize=8.5, leading=12.5, leftIndent=4 * mm, textColor=colors.HexColor("#333333")
        ),
        "choice": ParagraphStyle("choice", parent=base, fontSize=10, leading=14),
        "note": ParagraphStyle(
            "note", parent=base, fontSize=8.5, leading=12, leftIndent=4 * mm, textColor=colors.HexColor("#666666")
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _choices_table(labels: list[str], style: ParagraphStyle, multi: bool, columns: int = 2) -> Table:
    box = "□" if multi else "○"
    cells = [_p(f"{box} {label}", style) for label in labels]
    rows = [
        cells[i : i + columns] + [""] * (columns - len(cells[i : i + columns])) for i in range(0, len(cells), columns)
    ]
    table = Table(rows, colWidths=[(170 * mm) / columns] * columns, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _answer_area(question: dict, styles, code_items) -> list:
    kind = question.get("kind")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        labels = option_labels(question, code_items)
        if question.get("options"):
            values = [str(o["value"]) for o in question["options"]]
        else:
            values = [i.code for i in code_items.get(question.get("code_list", ""), []) if i.active]
        names = [labels.get(v, v) for v in values]
        if not names:
            return [_p(_("（選択肢がありません）"), styles["note"])]
        columns = 1 if max((len(n) for n in names), default=0) > 16 else 2
        note = _("（複数選択可）") if kind == QuestionKind.MULTI else _("（1つ選択）")
        return [_choices_table(names, styles["choice"], kind == QuestionKind.MULTI, columns), _p(note, styles["note"])]
    if kind == QuestionKind.SCALE:
        labels = [label for _value, label in scale_choices(question)]
        table = Table(
            [[_p(f"○ {label}", styles["choice"]) for label in labels]],
            hAlign="LEFT",
            colWidths=[(170 * mm) / max(len(labels), 1)] * len(labels),
        )
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 4 * mm)]))
        return [table]
    if kind == QuestionKind.NUMBER:
        unit = (question.get("number") or {}).get("unit", "")
        return [_p(f"＿＿＿＿＿＿ {unit}", ParagraphStyle("n", parent=styles["choice"], leftIndent=4 * mm))]
    table = Table([[""]], colWidths=[166 * mm], rowHeights=[22 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999"))]))
    return [table]


def _condition_text(question: dict, questions: dict, code_items) -> str:
    show_if = question.get("show_if") or {}
    target = questions.get(show_if.get("question", ""))
    if target is None:
        return ""
    labels = option_labels(target, code_items)
    values = "・".join(labels.get(str(v), str(v)) for v in show_if.get("in") or [])
    return _("「%(question)s」が %(values)s のときだけ聞きます。") % {
        "question": target.get("label", ""),
        "values": values,
    }


def render_manual_pdf(version: HearingManualVersion) -> bytes:
    """The version as an A4 PDF (bytes): title, sections, numbered questions with help, choices and conditions."""
    font, _embedded = japanese_font()
    styles = _styles(font)
    definition = version.definition
    code_items = _code_items(code_lists_of(definition), active_only=False)
    questions = question_map(definition)
    buffer = io.BytesIO()
    title = f"{version.manual.name} 第{version.number}版"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=str(version.manual.programme),
        subject=_("ヒアリングマニュアル"),
    )
    story: list = [_p(title, styles["title"])]
    meta = _("適用開始日 %(date)s　／　%(programme)s") % {
        "date": version.valid_from.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月"),
        "programme": version.manual.programme,
    }
    story.append(_p(meta, styles["meta"]))
    if version.change_note:
        story.append(_p(_("改訂内容：%(note)s") % {"note": version.change_note}, styles["meta"]))
    if version.manual.description:
        story.append(_p(version.manual.description, styles["meta"]))
    story.append(Spacer(1, 4 * mm))
    number = 0
    for section in sections_of(definition):
        story.append(_p(section.get("title", ""), styles["section"]))
        if section.get("help"):
            story.append(_p(section["help"], styles["section_help"]))
        for question in section.get("questions") or []:
            number += 1
            required = _("【必須】") if question.get("required") else ""
            block = [_p(f"Q{number}. {question.get('label', '')} {required}", styles["question"])]
            condition = _condition_text(question, questions, code_items)
            if condition:
                block.append(_p("▶ " + condition, styles["note"]))
            if question.get("help"):
                block.append(_p(_("聞き方：%(help)s") % {"help": question["help"]}, styles["help"]))
            block += _answer_area(question, styles, code_items)
            story.append(KeepTogether(block))

    def _footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(20 * mm, 10 * mm, title)
        canvas.drawRightString(190 * mm, 10 * mm, f"{document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def pdf_filename(version: HearingManualVersion) -> str:
    return f"hearing-manual-v{version.number}-{timezone.localdate():%Y%m%d}.pdf"
