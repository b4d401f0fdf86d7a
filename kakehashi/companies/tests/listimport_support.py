"""Helpers for the list-import tests: a small slice of reference data and file writers."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from kakehashi.companies.corporate_number import make_corporate_number
from kakehashi.companies.services import company_create
from kakehashi.companies.tests.factories import CodeItemFactory, IndustryFactory, MunicipalityFactory, municipality_code
from kakehashi.outreach.tests.factories import PrefectureFactory
from kakehashi.reference.choices import CodeList, IndustryLevel, MunicipalityKind

EMPLOYEES = [
    ("0_5", "0〜5人"),
    ("6_20", "6〜20人"),
    ("21_50", "21〜50人"),
    ("51_100", "51〜100人"),
    ("101_300", "101〜300人"),
    ("301_1000", "301〜1,000人"),
    ("1001_plus", "1,001人以上"),
]
REVENUE = [
    ("lt_10m", "1千万円未満"),
    ("10m_50m", "1千万〜5千万円"),
    ("50m_100m", "5千万〜1億円"),
    ("100m_500m", "1億〜5億円"),
    ("500m_1b", "5億〜10億円"),
    ("1b_5b", "10億〜50億円"),
    ("5b_plus", "50億円以上"),
    ("unknown", "不明"),
]
BUSINESS_FORMS = [
    ("manufacturing_own", "製造(自社製品)"),
    ("manufacturing_contract", "製造(受託)"),
    ("retail_store", "小売(店舗)"),
]

# Valid corporate numbers (check digit computed) and one with a wrong check digit.
CN_A = make_corporate_number("390001000001")
CN_B = make_corporate_number("390001000002")
CN_C = make_corporate_number("390001000003")
CN_BAD = ("1" if CN_A[0] != "1" else "2") + CN_A[1:]


@dataclass
class Reference:
    yamagata: object
    miyagi: object
    yamagata_city: object
    yonezawa: object
    yamanobe: object
    sendai: object
    aoba: object
    manufacturing: object
    food: object


def make_reference() -> Reference:
    yamagata = PrefectureFactory()
    miyagi = PrefectureFactory(code="04", name="宮城県", kana="みやぎけん", name_en="Miyagi")
    yamagata_city = MunicipalityFactory(code="062014", name="山形市", prefecture=yamagata)
    yonezawa = MunicipalityFactory(code="062022", name="米沢市", prefecture=yamagata)
    yamanobe = MunicipalityFactory(
        code=municipality_code("06321"), name="山辺町", prefecture=yamagata, kind=MunicipalityKind.TOWN
    )
    sendai = MunicipalityFactory(
        code=municipality_code("04100"), name="仙台市", prefecture=miyagi, kind=MunicipalityKind.DESIGNATED_CITY
    )
    aoba = MunicipalityFactory(
        code=municipality_code("04101"),
        name="仙台市青葉区",
        prefecture=miyagi,
        kind=MunicipalityKind.WARD,
        parent=sendai,
    )
    manufacturing = IndustryFactory(code="E", name="製造業", level=IndustryLevel.MAJOR)
    food = IndustryFactory(code="09", name="食料品製造業", level=IndustryLevel.MIDDLE, parent=manufacturing)
    IndustryFactory(code="I", name="卸売業，小売業", level=IndustryLevel.MAJOR)
    for code_list, items in ((CodeList.EMPLOYEES, EMPLOYEES), (CodeList.REVENUE, REVENUE)):
        for order, (code, label) in enumerate(items):
            CodeItemFactory(list=code_list, code=code, label_ja=label, order=order)
    for order, (code, label) in enumerate(BUSINESS_FORMS):
        CodeItemFactory(list=CodeList.BUSINESS_FORM, code=code, label_ja=label, order=order)
    return Reference(yamagata, miyagi, yamagata_city, yonezawa, yamanobe, sendai, aoba, manufacturing, food)


def registry_company(name: str, **fields):
    """A registry company created the way the product creates them (so the matcher's index knows it)."""
    return company_create(actor=None, name=name, source="manual", **fields)


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def xlsx_bytes(rows: list[list[object]], *, title_rows: list[list[object]] | None = None, sheet: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    if sheet:
        worksheet.title = sheet
    for row in [*(title_rows or []), *rows]:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: list[list[object]], **kwargs) -> Path:
    path.write_bytes(xlsx_bytes(rows, **kwargs))
    return path
