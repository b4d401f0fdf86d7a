"""The files: the XLSX opens (openpyxl, LibreOffice), the PDF is A4 with Japanese text and an embedded font."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from kakehashi.reports.periods import parse_period
from kakehashi.reports.render_xlsx import SHEET_NAMES
from kakehashi.reports.services import render_report

from .conftest import TODAY

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
NO_SOFFICE = "LibreOffice is not installed (Debian package libreoffice-calc-nogui)"
NO_POPPLER = "pdftotext/pdfinfo/pdffonts are not installed (Debian package poppler-utils)"


@pytest.fixture
def tricky_world(kpi_world):
    """A company whose name Excel would run as a formula, and a contact person who must never appear."""
    from kakehashi.companies.tests.factories import CodeItemFactory, ContactFactory
    from kakehashi.reference.choices import CodeList

    c1 = kpi_world["companies"][0]
    c1.name = '=HYPERLINK("http://evil.example","x")'
    c1.save()
    visit = kpi_world["programme"].visits.filter(company=c1, status="submitted").first()
    visit.contact = ContactFactory(company=c1, name="秘密 花子", email="secret@example.jp", phone="090-1234-5678")
    visit.save()
    visit.challenges.set([CodeItemFactory(list=CodeList.CHALLENGE, code="security", label_ja="情報セキュリティ")])
    visit.barriers.set([CodeItemFactory(list=CodeList.BARRIER, code="budget", label_ja="予算不足")])
    return kpi_world


def _build(world, period: str, fmt: str) -> bytes:
    content, _figures = render_report(programme=world["programme"], period=parse_period(period), fmt=fmt, today=TODAY)
    return content


def test_xlsx_sheets_charts_and_values(tricky_world):
    content = _build(tricky_world, "2026", "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert tuple(workbook.sheetnames) == SHEET_NAMES
    charted = {ws.title for ws in workbook.worksheets if ws._charts}
    assert {"概要", "推移", "地域別", "業種別", "業態別", "規模別", "外訪形態・担当別", "紹介・連携", "課題"} <= charted
    summary = workbook["概要"]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=1, values_only=True) if row[0]}
    assert values["ヒアリング済み企業数（期末累計）"] == 4
    assert values["達成目標件数"] == 10
    assert values["訪問報告件数（この期間）"] == 7
    assert summary.freeze_panes is not None
    cover = "\n".join(str(c.value) for c in workbook["表紙"]["A"] if c.value)
    assert "2026年4月1日〜2027年3月31日" in cover
    assert "令和8年度" in cover
    visits = workbook["訪問一覧"]
    header_row = next(r for r in visits.iter_rows(values_only=True) if r and r[0] == "訪問日")
    assert header_row[:3] == ("訪問日", "企業等", "法人番号")
    names = [c.value for c in visits["B"] if c.value]
    assert '\'=HYPERLINK("http://evil.example","x")' in names  # quoted: Excel shows text, runs nothing
    assert all(c.data_type != "f" for row in visits.iter_rows() for c in row)
    raw = b"".join(
        zipfile.ZipFile(io.BytesIO(content)).read(n) for n in zipfile.ZipFile(io.BytesIO(content)).namelist()
    )
    for secret in ("秘密".encode(), b"secret@example.jp", b"090-1234-5678"):
        assert secret not in raw


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(not PDFTOTEXT, reason=NO_POPPLER)
def test_pdf_has_japanese_text_a4_and_embedded_font(tricky_world, tmp_path):
    content = _build(tricky_world, "2026-Q1", "pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content, tmp_path)
    for expected in (
        "定期報告",
        tricky_world["programme"].name,
        "2026年度 第1四半期",
        "令和8年度 第1四半期",
        "2026年4月1日〜2026年6月30日",
        "地域別",
        "村山",
        "訪問一覧",
        "株式会社二番",
    ):
        assert expected in text, expected
    for secret in ("秘密", "secret@example.jp", "090-1234-5678"):
        assert secret not in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert re.search(rf"\b{pages}\s*/\s*{pages}\b", text)  # page numbers with the total
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "report.pdf")], check=True, capture_output=True, text=True
    ).stdout
    japanese = [line for line in fonts.splitlines() if "Kakehashi" in line or "IPA" in line]
    assert japanese, fonts
    assert all(" yes " in line for line in japanese), fonts  # embedded (subset)


@pytest.mark.skipif(not PDFTOTEXT, reason=NO_POPPLER)
def test_pdf_long_visit_list_repeats_its_header(kpi_world, tmp_path):
    """Enough visits to run over several landscape pages: each page starts with the table's header."""
    import datetime

    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.outreach.models import Visit

    user = kpi_world["users"]["u1"]
    Visit.objects.bulk_create(
        Visit(
            programme=kpi_world["programme"],
            company=CompanyFactory(name=f"株式会社テスト{i:03d}", search_index=False),
            visit_date=datetime.date(2026, 4, 1) + datetime.timedelta(days=i % 30),
            status="accepted",
            visit_format=kpi_world["formats"]["visit"],
            recorded_by=user,
        )
        for i in range(120)
    )
    text = _pdf_text(_build(kpi_world, "2026-04", "pdf"), tmp_path)
    list_pages = [page for page in text.split("\f") if "株式会社テスト" in page]
    assert len(list_pages) >= 3
    assert all("訪問日" in page and "課題カテゴリ" in page for page in list_pages)


@pytest.mark.skipif(not SOFFICE, reason=NO_SOFFICE)
def test_xlsx_converts_with_libreoffice(kpi_world, tmp_path):
    source = tmp_path / "report.xlsx"
    source.write_bytes(_build(kpi_world, "2026-05", "xlsx"))
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = tmp_path / "report.pdf"
    assert converted.exists(), result.stdout + result.stderr
    if PDFTOTEXT:
        text = subprocess.run([PDFTOTEXT, str(converted), "-"], check=True, capture_output=True, text=True).stdout
        assert "定期報告" in text
        assert "2026年5月" in text
