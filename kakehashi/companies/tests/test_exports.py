import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kakehashi.companies.exports import company_rows, export_header
from kakehashi.companies.models import Company
from kakehashi.companies.selectors import with_designation
from kakehashi.companies.tests.factories import CodeItemFactory, CompanyFactory, MunicipalityFactory
from kakehashi.core.exports import safe_cell, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+81-23-000", "'+81-23-000"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("株式会社=テスト", "株式会社=テスト"),
        ("", ""),
        (None, ""),
        (42, 42),
        (-3, -3),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@given(st.text())
def test_safe_cell_never_leaves_a_formula_trigger_first(text):
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)


def test_csv_has_a_bom_crlf_and_round_trips_japanese():
    data = write_csv([["株式会社山形", "=1+1"]], ["名称", "備考"])

    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "備考"], ["株式会社山形", "'=1+1"]]


def test_xlsx_cells_are_text_not_formulas():
    data = write_xlsx([['=HYPERLINK("http://evil")', 3, "普通\x01の文字"]], ["a", "b", "c"], sheet_title="企業等")

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "企業等"
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3
    assert sheet["C2"].value == "普通の文字"  # control characters Excel rejects are dropped


@pytest.mark.django_db
def test_company_rows_have_codes_and_labels_and_no_contacts(programme):
    city = MunicipalityFactory(code="062014", name="山形市", prefecture=programme.prefecture)
    form = CodeItemFactory(list="business_form", code="retail_store", label_ja="小売(店舗)")
    company = CompanyFactory(name="=山形商店", municipality=city, business_form=form)
    from kakehashi.companies.tests.factories import ContactFactory

    ContactFactory(company=company, name="個人情報太郎", email="taro@example.jp")

    header = export_header()
    rows = list(company_rows(with_designation(Company.objects.all(), programme)))

    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["名称"] == "=山形商店"  # the writers make it safe; rows stay plain
    assert row["市区町村コード"] == "062014"
    assert row["市区町村"] == "山形市"
    assert row["都道府県"] == "山形県"
    assert (row["業態コード"], row["業態"]) == ("retail_store", "小売(店舗)")
    assert row["指定訪問先"] == "0"
    flat = " ".join(str(v) for v in rows[0])
    assert "個人情報太郎" not in flat
    assert "taro@example.jp" not in flat
