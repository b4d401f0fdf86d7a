"""Helpers for the corporate-number import tests: rows in the exact 30-column layout, files, reference data."""

from pathlib import Path

from kakehashi.companies.nta import layout
from kakehashi.companies.nta.generator import format_row, write_rows
from kakehashi.reference.jiscode import municipality_code_with_check_digit


def number(i: int, office: str = "3900") -> str:
    """A valid, unique corporate number for test company `i`."""
    return layout.with_check_digit(f"{office}01{i:06d}")


def make_row(i: int = 1, **fields: str) -> list[str]:
    """A well-formed row for company `i` (株式会社 in 山形市 by default); override columns by name."""
    row = [""] * layout.COLUMN_COUNT
    defaults = {
        "sequenceNumber": str(i),
        "corporateNumber": number(i),
        "process": "01",
        "correct": "0",
        "updateDate": "2026-03-01",
        "changeDate": "2015-10-05",
        "name": f"株式会社月山テスト精工{i}",
        "kind": "301",
        "prefectureName": "山形県",
        "cityName": "山形市",
        "streetNumber": f"旅篭町２丁目{i}－１",
        "prefectureCode": "06",
        "cityCode": "201",
        "postCode": "9900047",
        "assignmentDate": "2015-10-05",
        "latest": "1",
        "furigana": f"ガッサンテストセイコウ{i}",
        "hihyoji": "0",
    }
    for name, value in {**defaults, **fields}.items():
        row[layout.COLUMNS.index(name)] = value
    return row


def write_csv(directory: Path, rows: list[list[str]], name: str = "nta.csv", **options) -> Path:
    path = Path(directory) / name
    write_rows(path, rows, **options)
    return path


def raw_line(row: list[str]) -> str:
    return format_row(row)


MUNICIPALITIES = {
    "06201": ("山形市", "06"),
    "06202": ("米沢市", "06"),
    "06203": ("鶴岡市", "06"),
    "04101": ("仙台市青葉区", "04"),
}
LEGAL_FORMS = {"301": "株式会社", "302": "有限会社", "305": "合同会社", "399": "その他の設立登記法人"}


def reference_data() -> dict:
    """Prefectures 山形県/宮城県, a few municipalities and the legal-form codes the tests use."""
    from kakehashi.outreach.tests.factories import PrefectureFactory
    from kakehashi.reference.choices import CodeList
    from kakehashi.reference.models import CodeItem, Municipality

    prefectures = {
        "06": PrefectureFactory(code="06", name="山形県"),
        "04": PrefectureFactory(code="04", name="宮城県", kana="みやぎけん", name_en="Miyagi"),
    }
    municipalities = {}
    for five, (name, pref) in MUNICIPALITIES.items():
        municipalities[five] = Municipality.objects.create(
            code=municipality_code_with_check_digit(five), prefecture=prefectures[pref], name=name, kind="city"
        )
    legal_forms = {
        code: CodeItem.objects.get_or_create(list=CodeList.LEGAL_FORM, code=code, defaults={"label_ja": label})[0]
        for code, label in LEGAL_FORMS.items()
    }
    return {"prefectures": prefectures, "municipalities": municipalities, "legal_forms": legal_forms}
