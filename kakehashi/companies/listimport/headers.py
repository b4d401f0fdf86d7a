"""Recognising column headers: the Japanese and English names lists commonly use for each field.

Headers are normalised (NFKC, lower case, no spaces, brackets and marks) before matching, so
「会社名」「 会社名 」「【会社名】」「会社名※」 all read as the company name. A unit written in the header
(「売上高（千円）」) is kept as a hint for reading the values of that column.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

IGNORE = "ignore"
REQUIRED_FIELDS = ("name",)

# field key → (label, synonyms). Synonyms are written normalised (see `normalise_header`).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "corporate_number": (
        _("法人番号"),
        ("法人番号", "法人番号13桁", "法人no", "corporatenumber", "corporateno", "houjinbangou"),
    ),
    "name": (
        _("名称"),
        (
            "会社名",
            "企業名",
            "名称",
            "商号",
            "事業者名",
            "法人名",
            "企業等名",
            "事業所名",
            "屋号",
            "商号又は名称",
            "商号または名称",
            "会社名称",
            "企業名称",
            "事業者名称",
            "訪問先名",
            "訪問先",
            "団体名",
            "companyname",
            "company",
            "name",
            "organisation",
            "organization",
            "businessname",
        ),
    ),
    "name_kana": (
        _("フリガナ"),
        (
            "フリガナ",
            "ふりがな",
            "カナ",
            "かな",
            "よみがな",
            "ヨミガナ",
            "読み",
            "会社名フリガナ",
            "会社名カナ",
            "企業名フリガナ",
            "企業名カナ",
            "商号フリガナ",
            "名称フリガナ",
            "名称カナ",
            "kana",
            "furigana",
            "namekana",
        ),
    ),
    "postal_code": (_("郵便番号"), ("郵便番号", "〒", "郵便", "postalcode", "zipcode", "zip", "postcode")),
    "address": (
        _("所在地"),
        ("住所", "所在地", "本社所在地", "本店所在地", "所在地住所", "事業所所在地", "本社住所", "address"),
    ),
    "municipality": (
        _("市区町村"),
        (
            "市区町村",
            "市町村",
            "市区町村名",
            "市町村名",
            "所在市町村",
            "市区町村コード",
            "市町村コード",
            "団体コード",
            "municipality",
            "city",
        ),
    ),
    "industry": (
        _("業種（日本標準産業分類）"),
        ("業種", "業種名", "業種コード", "業種分類", "産業分類", "日本標準産業分類", "industry", "jsic"),
    ),
    "business_form": (_("業態"), ("業態", "業態区分", "businessform")),
    "employees": (
        _("従業員数"),
        (
            "従業員数",
            "従業員",
            "社員数",
            "従業者数",
            "従業員規模",
            "常用従業員数",
            "employees",
            "numberofemployees",
            "staff",
        ),
    ),
    "revenue": (
        _("売上高"),
        ("売上", "売上高", "年商", "売上規模", "年間売上", "年間売上高", "revenue", "sales", "annualsales"),
    ),
    "representative": (
        _("代表者"),
        ("代表者", "代表者名", "代表者氏名", "代表", "representative", "ceo"),
    ),
    "phone": (_("電話番号"), ("電話", "電話番号", "代表電話", "tel", "telephone", "phone", "phonenumber")),
    "website": (
        _("ウェブサイト"),
        ("url", "ホームページ", "ホームページurl", "hp", "ウェブサイト", "webサイト", "website", "homepage", "web"),
    ),
    "note": (_("備考"), ("備考", "メモ", "摘要", "note", "notes", "remarks", "memo")),
    "designated_on": (
        _("指定日"),
        ("指定日", "登録日", "指定年月日", "登録年月日", "designatedon", "designateddate", "registeredon"),
    ),
}

_BRACKETS = "()（）[]［］【】「」『』<>〈〉《》{}｛｝"
_BRACKET_CONTENT = re.compile(r"[(（\[［【「『<〈《{｛][^)）\]］】」』>〉》}｝]*[)）\]］】」』>〉》}｝]")
_NOISE = re.compile(r"[\s\u3000※*＊:：・_\-‐－―.。,、/／#＃]+")
_UNIT_SUFFIX = re.compile(r"(百万円|千万円|千円|万円|億円|円|人|名|yen|jpy)$")
UNITS = {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "千万円": 10_000_000, "億円": 100_000_000}


@dataclass(frozen=True)
class Recognised:
    field: str | None
    unit: str = ""


def normalise_header(text: object) -> str:
    """NFKC, lower case, without spaces, brackets and marks: the form synonyms are written in."""
    value = unicodedata.normalize("NFKC", str(text or "")).lower()
    value = _NOISE.sub("", value)
    return "".join(ch for ch in value if ch not in _BRACKETS)


def _unit_of(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).replace(" ", "")
    for unit in sorted(UNITS, key=len, reverse=True):
        if unit in value:
            return unit
    return ""


_SYNONYMS = {synonym: key for key, (_label, synonyms) in FIELDS.items() for synonym in synonyms}


def recognise(header: object) -> Recognised:
    """The field a header names, or `Recognised(None)`."""
    text = str(header or "")
    unit = _unit_of(text)
    plain = normalise_header(text)
    if not plain:
        return Recognised(None)
    without_content = normalise_header(_BRACKET_CONTENT.sub("", unicodedata.normalize("NFKC", text)))
    for candidate in (plain, without_content, _UNIT_SUFFIX.sub("", plain), _UNIT_SUFFIX.sub("", without_content)):
        if candidate in _SYNONYMS:
            return Recognised(_SYNONYMS[candidate], unit)
    if plain.endswith(("フリガナ", "ふりがな", "カナ", "kana")):
        return Recognised("name_kana")
    return Recognised(None)


def field_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _synonyms) in FIELDS.items()]


def field_label(key: str) -> str:
    if key == IGNORE:
        return str(_("使わない"))
    return str(FIELDS[key][0]) if key in FIELDS else key


def header_signature(headers: list[object]) -> str:
    """A short fingerprint of a header row: the default name a mapping is remembered under."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return "headers-" + hashlib.sha256(joined.encode()).hexdigest()[:16]
