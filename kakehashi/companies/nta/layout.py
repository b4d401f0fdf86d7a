"""The layout of the 法人番号公表サイト bulk files (全件・差分): 30 columns, no header row.

Column order, code values and the check-digit rule follow the National Tax Agency's
「法人番号公表サイト Web-API / 基本3情報ダウンロード データ仕様書」. Indexes are 0-based.
"""

import re

COLUMNS: tuple[str, ...] = (
    "sequenceNumber",
    "corporateNumber",
    "process",
    "correct",
    "updateDate",
    "changeDate",
    "name",
    "nameImageId",
    "kind",
    "prefectureName",
    "cityName",
    "streetNumber",
    "addressImageId",
    "prefectureCode",
    "cityCode",
    "postCode",
    "addressOutside",
    "addressOutsideImageId",
    "closeDate",
    "closeCause",
    "successorCorporateNumber",
    "changeCause",
    "assignmentDate",
    "latest",
    "enName",
    "enPrefectureName",
    "enCityName",
    "enAddressOutside",
    "furigana",
    "hihyoji",
)
COLUMN_COUNT = len(COLUMNS)

# Column indexes, named after the specification.
SEQUENCE_NUMBER = 0
CORPORATE_NUMBER = 1
PROCESS = 2
CORRECT = 3
UPDATE_DATE = 4
CHANGE_DATE = 5
NAME = 6
NAME_IMAGE_ID = 7
KIND = 8
PREFECTURE_NAME = 9
CITY_NAME = 10
STREET_NUMBER = 11
ADDRESS_IMAGE_ID = 12
PREFECTURE_CODE = 13
CITY_CODE = 14
POST_CODE = 15
ADDRESS_OUTSIDE = 16
ADDRESS_OUTSIDE_IMAGE_ID = 17
CLOSE_DATE = 18
CLOSE_CAUSE = 19
SUCCESSOR_CORPORATE_NUMBER = 20
CHANGE_CAUSE = 21
ASSIGNMENT_DATE = 22
LATEST = 23
EN_NAME = 24
EN_PREFECTURE_NAME = 25
EN_CITY_NAME = 26
EN_ADDRESS_OUTSIDE = 27
FURIGANA = 28
HIHYOJI = 29

# 処理区分
PROCESS_NEW = "01"
PROCESS_NAME_CHANGE = "11"
PROCESS_ADDRESS_CHANGE = "12"
PROCESS_OVERSEAS_ADDRESS_CHANGE = "13"
PROCESS_CLOSE = "21"
PROCESS_REOPEN = "22"
PROCESS_MERGER = "71"
PROCESS_MERGER_VOID = "72"
PROCESS_TRADE_NAME_ERASED = "81"
PROCESS_DELETE = "99"

PROCESS_LABELS: dict[str, str] = {
    PROCESS_NEW: "新規",
    PROCESS_NAME_CHANGE: "商号又は名称の変更",
    PROCESS_ADDRESS_CHANGE: "国内所在地の変更",
    PROCESS_OVERSEAS_ADDRESS_CHANGE: "国外所在地の変更",
    PROCESS_CLOSE: "登記記録の閉鎖等",
    PROCESS_REOPEN: "登記記録の復活等",
    PROCESS_MERGER: "吸収合併",
    PROCESS_MERGER_VOID: "吸収合併無効",
    PROCESS_TRADE_NAME_ERASED: "商号の登記の抹消",
    PROCESS_DELETE: "削除",
}

# 登記記録の閉鎖等の事由
CLOSE_CAUSE_LIQUIDATED = "01"
CLOSE_CAUSE_MERGED = "11"
CLOSE_CAUSE_CLOSED_BY_REGISTRAR = "21"
CLOSE_CAUSE_OTHER_LIQUIDATION = "31"

CLOSE_CAUSE_LABELS: dict[str, str] = {
    CLOSE_CAUSE_LIQUIDATED: "清算の結了等",
    CLOSE_CAUSE_MERGED: "合併による解散等",
    CLOSE_CAUSE_CLOSED_BY_REGISTRAR: "登記官による閉鎖",
    CLOSE_CAUSE_OTHER_LIQUIDATION: "その他の清算の結了等",
}

# 法人種別 (the same codes as the "legal_form" code list)
KIND_LABELS: dict[str, str] = {
    "101": "国の機関",
    "201": "地方公共団体",
    "301": "株式会社",
    "302": "有限会社",
    "303": "合名会社",
    "304": "合資会社",
    "305": "合同会社",
    "399": "その他の設立登記法人",
    "401": "外国会社等",
    "499": "その他",
}

# A cell a spreadsheet would run as a formula (CSV injection). Checked on every cell of a row.
FORMULA_PREFIXES = ("=", "+", "-", "@")
SEPARATOR = "\x1f"  # rows are validated as one string: "\x1f" + "\x1f".join(cells)

_TEXT = "(?![=+\\-@])[^\x1f]*"
_DATE = "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_COLUMN_PATTERNS = {
    "sequenceNumber": "[0-9]{1,18}",
    "corporateNumber": "[1-9][0-9]{12}",
    "process": "(?:01|11|12|13|21|22|71|72|81|99)",
    "correct": "[01]?",
    "updateDate": _DATE,
    "changeDate": f"(?:{_DATE})?",
    # not blank, at most 200 characters, no formula
    "name": "(?=[^\x1f]{1,200}(?:\x1f|$))(?![=+\\-@])[^\x1f]*[^\x1f\\s][^\x1f]*",
    "kind": "(?:[0-9]{3})?",
    "prefectureCode": "(?:0[1-9]|[1-3][0-9]|4[0-7])?",
    "cityCode": "(?:[0-9]{3})?",
    "postCode": "(?:[0-9]{7})?",
    "closeDate": f"(?:{_DATE})?",
    "closeCause": "(?:01|11|21|31)?",
    "successorCorporateNumber": "(?:[1-9][0-9]{12})?",
    "assignmentDate": f"(?:{_DATE})?",
    "latest": "[01]?",
    "furigana": "(?![=+\\-@])[^\x1f]{0,200}",
    "hihyoji": "[01]?",
}
# One regular expression that accepts a well-formed row (formats, lengths, no formula). Rows it
# refuses go through the detailed checks that name the column and the reason.
WELL_FORMED_ROW = re.compile("".join(f"\x1f{_COLUMN_PATTERNS.get(name, _TEXT)}" for name in COLUMNS))


def corporate_number_check_digit(base: str) -> int:
    """The check digit of a 12-digit base: 9 − (Σ Pn×Qn mod 9), Qn = 1, 2, 1, 2 … from the right.

    Digit sums are congruent to the number itself modulo 9, so Σ Pn×Qn ≡ base + (digits taking
    weight 2, which are the even positions from the left) — two `int()` calls instead of a loop.
    """
    return 9 - (int(base) + int(base[0::2])) % 9


def is_valid_corporate_number(value: str) -> bool:
    """13 ASCII digits whose first digit is the check digit of the following twelve."""
    return (
        len(value) == 13
        and value.isascii()
        and value.isdigit()
        and int(value[0]) == corporate_number_check_digit(value[1:])
    )


def with_check_digit(base: str) -> str:
    """'700110005901' → '8700110005901' (国税庁)."""
    return f"{corporate_number_check_digit(base)}{base}"


# Japanese labels of the columns, as the specification names them (for rejection reports).
COLUMN_LABELS: dict[str, str] = {
    "sequenceNumber": "一連番号",
    "corporateNumber": "法人番号",
    "process": "処理区分",
    "correct": "訂正区分",
    "updateDate": "更新年月日",
    "changeDate": "変更年月日",
    "name": "商号又は名称",
    "nameImageId": "商号又は名称イメージID",
    "kind": "法人種別",
    "prefectureName": "国内所在地（都道府県）",
    "cityName": "国内所在地（市区町村）",
    "streetNumber": "国内所在地（丁目番地等）",
    "addressImageId": "国内所在地イメージID",
    "prefectureCode": "都道府県コード",
    "cityCode": "市区町村コード",
    "postCode": "郵便番号",
    "addressOutside": "国外所在地",
    "addressOutsideImageId": "国外所在地イメージID",
    "closeDate": "登記記録の閉鎖等年月日",
    "closeCause": "登記記録の閉鎖等の事由",
    "successorCorporateNumber": "承継先法人番号",
    "changeCause": "変更事由の詳細",
    "assignmentDate": "法人番号指定年月日",
    "latest": "最新履歴",
    "enName": "商号又は名称（英語表記）",
    "enPrefectureName": "国内所在地（都道府県）（英語表記）",
    "enCityName": "国内所在地（市区町村丁目番地等）（英語表記）",
    "enAddressOutside": "国外所在地（英語表記）",
    "furigana": "フリガナ",
    "hihyoji": "検索対象除外",
    # Not columns: whole-row problems.
    "row": "行",
    "encoding": "文字コード",
}
