"""Japanese-aware normalisation of company names and their readings (フリガナ).

`company_name_key` is the key two spellings of one company's name share: 「(株)山形精密」「株式会社 山形精密」
「山形精密㈱」「山形精密 株式會社」 all give 「山形精密」. The steps, in order:

1. enclosed legal-form signs that NFKC would mangle (㊑ → (株)) are expanded; variation selectors dropped;
2. NFKC: full-width letters and digits to ASCII, half-width kana to full-width, ㈱ → (株), ㍿ → 株式会社;
3. old and variant kanji to their common form (髙 → 高, 﨑 → 崎, 齋 → 斎 …; `VARIANT_KANJI`), BEFORE legal
   forms are stripped so that 「株式會社」 is recognised too;
4. Latin lower-cased; whitespace, dashes and the long-vowel mark ー removed (ｺ-ﾋ- = コーヒー = コヒ);
5. kana unified: hiragana → katakana, small → large (キャノン = キヤノン), ヴァ → バ, ヂ → ジ, ヅ → ズ,
   ヰ/ヱ/ヲ → イ/エ/オ;
6. legal forms removed from the start and the end in every common spelling (株式会社, (株), 有限会社, 合同会社,
   一般社団法人, 特定非営利活動法人, NPO法人, 協同組合 …, the bank-style kana カ) (カ ユ) ド) …, and their
   readings カブシキガイシャ …);
7. punctuation, spaces and middle dots removed (letters, digits, marks and pictographic symbols are kept).

`kana_key` applies the same rules to a reading, so 「ﾔﾏｶﾞﾀｾｲﾐﾂ」「やまがたせいみつ」「ヤマガタセイミツ」 agree. A
reading is not a name: 「ﾔﾏｶﾞﾀｾｲﾐﾂ」 matches 山形精密 through the company's フリガナ, never through its name key.
The tables here are maintained data: add a variant or a spelling with a test, never remove one silently
(stored keys change; run `reindex_all()` after changing them).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

MAX_KEY_LENGTH = 200


class LegalFormCode:
    """Legal-form codes: the corporate-number `kind` (国税庁 法人番号 法人種別) plus the product's own codes."""

    KABUSHIKI = "301"  # 株式会社
    YUGEN = "302"  # 有限会社 (特例有限会社)
    GOMEI = "303"  # 合名会社
    GOSHI = "304"  # 合資会社
    GODO = "305"  # 合同会社
    OTHER_REGISTERED = "399"  # その他の設立登記法人 (一般社団法人, 医療法人, 学校法人 …)
    NPO = "npo"  # 特定非営利活動法人
    KUMIAI = "kumiai"  # 組合 (協同組合, 企業組合, 有限責任事業組合 …)


# --- Old and variant kanji --------------------------------------------------------------------------------------
# Variant → common form. Applied before legal forms are stripped (株式會社 → 株式会社). CJK compatibility
# ideographs that NFKC already folds (神, 祐, 隆 …) need no entry; the twelve "unified" ones in that block (﨑 …)
# do. Pairs that are distinct surnames in law and in practice (斉/斎, 藤/籐) are deliberately not folded.
VARIANT_KANJI: dict[str, str] = {
    "髙": "高",
    "﨑": "崎",
    "嵜": "崎",
    "碕": "崎",
    "齋": "斎",
    "齊": "斎",
    "邊": "辺",
    "邉": "辺",
    "澤": "沢",
    "濱": "浜",
    "國": "国",
    "會": "会",
    "櫻": "桜",
    "廣": "広",
    "德": "徳",
    "眞": "真",
    "冨": "富",
    "槇": "槙",
    "藏": "蔵",
    "龍": "竜",
    "舘": "館",
    "嶋": "島",
    "嶌": "島",
    "峯": "峰",
    "淵": "渕",
    "惠": "恵",
    "榮": "栄",
    "圓": "円",
    "學": "学",
    "實": "実",
    "與": "与",
    "萬": "万",
    "壽": "寿",
    "傳": "伝",
    "條": "条",
    "穗": "穂",
    "鐵": "鉄",
    "鑛": "鉱",
    "驛": "駅",
    "鹽": "塩",
    "醫": "医",
    "藝": "芸",
    "縣": "県",
    "證": "証",
    "亞": "亜",
    "壹": "壱",
    "氣": "気",
    "靜": "静",
    "戶": "戸",
    "淺": "浅",
    "來": "来",
    "黑": "黒",
    "增": "増",
    "豐": "豊",
    "禮": "礼",
    "經": "経",
    "勞": "労",
    "樂": "楽",
    "發": "発",
    "變": "変",
    "兩": "両",
    "總": "総",
    "關": "関",
    "瀨": "瀬",
    "曾": "曽",
    "黃": "黄",
    "礦": "鉱",
    "辨": "弁",
    "辯": "弁",
    "瓣": "弁",
    "寳": "宝",
    "寶": "宝",
    "硏": "研",
    "舩": "船",
    "濵": "浜",
    "桒": "桑",
    "髪": "髪",
    "𠮷": "吉",
    "塚": "塚",
    "﨔": "欅",
    "鷗": "鴎",
    "蘆": "芦",
    "莊": "荘",
    "燒": "焼",
    "晉": "晋",
    "乘": "乗",
    "雙": "双",
    "數": "数",
    "擴": "拡",
    "齒": "歯",
    "螢": "蛍",
    "盡": "尽",
    "獨": "独",
    "團": "団",
    "體": "体",
    "聯": "連",
}

# Enclosed signs that NFKC turns into a bare character (㊑ → 株): expand them to the parenthesised form first.
_ENCLOSED = {
    "㊑": "(株)",
    "㊒": "(有)",
    "㊓": "(社)",
    "㊔": "(名)",
    "㊖": "(財)",
    "㊩": "(医)",
    "㊪": "(宗)",
    "㊫": "(学)",
    "㊭": "(企)",
    "㊮": "(資)",
    "㊯": "(協)",
}
_PRE_NFKC = str.maketrans(_ENCLOSED)
_VARIANTS = str.maketrans(VARIANT_KANJI)
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")

# --- Kana ---------------------------------------------------------------------------------------------------------
_HIRAGANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)} | {"ゝ": "ヽ", "ゞ": "ヾ"})
_VU = [
    ("ヴァ", "バ"),
    ("ヴィ", "ビ"),
    ("ヴェ", "ベ"),
    ("ヴォ", "ボ"),
    ("ヴュ", "ビュ"),
    ("ヴ", "ブ"),
    ("ヷ", "バ"),
    ("ヸ", "ビ"),
]
_SMALL = "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
_LARGE = "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ"
_KANA = str.maketrans(
    dict(zip(_SMALL, _LARGE, strict=True)) | {"ヰ": "イ", "ヱ": "エ", "ヲ": "オ", "ヂ": "ジ", "ヅ": "ズ"}
)
# Long-vowel marks and every dash (a hyphen typed for ー in bank-style kana, or a separator) carry no identity:
# 「コーヒー」「ｺ-ﾋ-」「コヒ」 agree, and so do 「テクノ-サービス」「テクノ・サービス」「テクノサービス」.
_DASHES = re.compile(r"[ー\-‐‑‒–—―−~〜～]+")
_WHITESPACE = re.compile(r"\s+")
_WHITESPACE_AND_DASHES = re.compile(r"[\sー\-‐‑‒–—―−~〜～]+")  # both removed: one pass

# --- Legal forms --------------------------------------------------------------------------------------------------
# (spelling, code). Spellings are written naturally and folded with the same rules as names when compiled.
_WORDS: list[tuple[str, str | None]] = [
    ("株式会社", LegalFormCode.KABUSHIKI),
    ("有限会社", LegalFormCode.YUGEN),
    ("特例有限会社", LegalFormCode.YUGEN),
    ("合名会社", LegalFormCode.GOMEI),
    ("合資会社", LegalFormCode.GOSHI),
    ("合同会社", LegalFormCode.GODO),
    ("相互会社", None),
    ("一般社団法人", LegalFormCode.OTHER_REGISTERED),
    ("一般財団法人", LegalFormCode.OTHER_REGISTERED),
    ("公益社団法人", LegalFormCode.OTHER_REGISTERED),
    ("公益財団法人", LegalFormCode.OTHER_REGISTERED),
    ("社団法人", LegalFormCode.OTHER_REGISTERED),
    ("財団法人", LegalFormCode.OTHER_REGISTERED),
    ("社会福祉法人", LegalFormCode.OTHER_REGISTERED),
    ("医療法人社団", LegalFormCode.OTHER_REGISTERED),
    ("医療法人財団", LegalFormCode.OTHER_REGISTERED),
    ("社会医療法人", LegalFormCode.OTHER_REGISTERED),
    ("医療法人", LegalFormCode.OTHER_REGISTERED),
    ("学校法人", LegalFormCode.OTHER_REGISTERED),
    ("宗教法人", LegalFormCode.OTHER_REGISTERED),
    ("地方独立行政法人", LegalFormCode.OTHER_REGISTERED),
    ("独立行政法人", LegalFormCode.OTHER_REGISTERED),
    ("国立大学法人", LegalFormCode.OTHER_REGISTERED),
    ("公立大学法人", LegalFormCode.OTHER_REGISTERED),
    ("弁護士法人", LegalFormCode.OTHER_REGISTERED),
    ("税理士法人", LegalFormCode.OTHER_REGISTERED),
    ("司法書士法人", LegalFormCode.OTHER_REGISTERED),
    ("行政書士法人", LegalFormCode.OTHER_REGISTERED),
    ("社会保険労務士法人", LegalFormCode.OTHER_REGISTERED),
    ("監査法人", LegalFormCode.OTHER_REGISTERED),
    ("特許業務法人", LegalFormCode.OTHER_REGISTERED),
    ("農事組合法人", LegalFormCode.KUMIAI),
    ("認定特定非営利活動法人", LegalFormCode.NPO),
    ("特定非営利活動法人", LegalFormCode.NPO),
    ("認定NPO法人", LegalFormCode.NPO),
    ("NPO法人", LegalFormCode.NPO),
    ("事業協同組合", LegalFormCode.KUMIAI),
    ("協同組合連合会", LegalFormCode.KUMIAI),
    ("農業協同組合", LegalFormCode.KUMIAI),
    ("漁業協同組合", LegalFormCode.KUMIAI),
    ("森林組合", LegalFormCode.KUMIAI),
    ("生活協同組合", LegalFormCode.KUMIAI),
    ("協同組合", LegalFormCode.KUMIAI),
    ("企業組合", LegalFormCode.KUMIAI),
    ("協業組合", LegalFormCode.KUMIAI),
    ("商工組合", LegalFormCode.KUMIAI),
    ("有限責任事業組合", LegalFormCode.KUMIAI),
    # readings, as found in furigana columns and bank-account names
    ("カブシキガイシャ", LegalFormCode.KABUSHIKI),
    ("カブシキカイシャ", LegalFormCode.KABUSHIKI),
    ("ユウゲンガイシャ", LegalFormCode.YUGEN),
    ("ユウゲンカイシャ", LegalFormCode.YUGEN),
    ("ゴウメイガイシャ", LegalFormCode.GOMEI),
    ("ゴウシガイシャ", LegalFormCode.GOSHI),
    ("ゴウドウガイシャ", LegalFormCode.GODO),
    ("ゴウドウカイシャ", LegalFormCode.GODO),
    ("イッパンシャダンホウジン", LegalFormCode.OTHER_REGISTERED),
    ("イッパンザイダンホウジン", LegalFormCode.OTHER_REGISTERED),
    ("トクテイヒエイリカツドウホウジン", LegalFormCode.NPO),
    ("エヌピーオーホウジン", LegalFormCode.NPO),
    ("コウエキシャダンホウジン", LegalFormCode.OTHER_REGISTERED),
    ("コウエキザイダンホウジン", LegalFormCode.OTHER_REGISTERED),
    ("シャカイフクシホウジン", LegalFormCode.OTHER_REGISTERED),
    ("イリョウホウジンシャダン", LegalFormCode.OTHER_REGISTERED),
    ("イリョウホウジン", LegalFormCode.OTHER_REGISTERED),
    ("ガッコウホウジン", LegalFormCode.OTHER_REGISTERED),
    ("ジギョウキョウドウクミアイ", LegalFormCode.KUMIAI),
    ("ノウギョウキョウドウクミアイ", LegalFormCode.KUMIAI),
    ("キョウドウクミアイ", LegalFormCode.KUMIAI),
]
# Abbreviations, only recognised in parentheses: (株) ㈱ （株） (一社) (NPO) …
_ABBREVIATIONS: list[tuple[str, str | None]] = [
    ("株", LegalFormCode.KABUSHIKI),
    ("有", LegalFormCode.YUGEN),
    ("名", LegalFormCode.GOMEI),
    ("資", LegalFormCode.GOSHI),
    ("同", LegalFormCode.GODO),
    ("合", None),
    ("一社", LegalFormCode.OTHER_REGISTERED),
    ("一財", LegalFormCode.OTHER_REGISTERED),
    ("公社", LegalFormCode.OTHER_REGISTERED),
    ("公財", LegalFormCode.OTHER_REGISTERED),
    ("社", LegalFormCode.OTHER_REGISTERED),
    ("財", LegalFormCode.OTHER_REGISTERED),
    ("医", LegalFormCode.OTHER_REGISTERED),
    ("医社", LegalFormCode.OTHER_REGISTERED),
    ("医財", LegalFormCode.OTHER_REGISTERED),
    ("学", LegalFormCode.OTHER_REGISTERED),
    ("福", LegalFormCode.OTHER_REGISTERED),
    ("社福", LegalFormCode.OTHER_REGISTERED),
    ("宗", LegalFormCode.OTHER_REGISTERED),
    ("独", LegalFormCode.OTHER_REGISTERED),
    ("特非", LegalFormCode.NPO),
    ("NPO", LegalFormCode.NPO),
    ("協", LegalFormCode.KUMIAI),
    ("組", LegalFormCode.KUMIAI),
    ("企", LegalFormCode.KUMIAI),
    ("農", LegalFormCode.KUMIAI),
]
# Bank-style kana abbreviations (全銀協 法人略語): 「ｶ)ﾔﾏｶﾞﾀｾｲﾐﾂ」 before the name, 「ﾔﾏｶﾞﾀｾｲﾐﾂ(ｶ」 after it.
# Japan Post's business-office readings write 「(カブ)」「(ユウ)」 the same way.
_BANK_KANA: list[tuple[str, str | None]] = [
    ("カ", LegalFormCode.KABUSHIKI),
    ("カブ", LegalFormCode.KABUSHIKI),
    ("ユウ", LegalFormCode.YUGEN),
    ("ユ", LegalFormCode.YUGEN),
    ("メ", LegalFormCode.GOMEI),
    ("シ", LegalFormCode.GOSHI),
    ("ド", LegalFormCode.GODO),
    ("イ", LegalFormCode.OTHER_REGISTERED),
    ("ザイ", LegalFormCode.OTHER_REGISTERED),
    ("シャ", LegalFormCode.OTHER_REGISTERED),
    ("ガク", LegalFormCode.OTHER_REGISTERED),
    ("フク", LegalFormCode.OTHER_REGISTERED),
    ("シュウ", LegalFormCode.OTHER_REGISTERED),
    ("ドク", LegalFormCode.OTHER_REGISTERED),
    ("トクヒ", LegalFormCode.NPO),
    ("ノウ", LegalFormCode.KUMIAI),
    ("キョウ", LegalFormCode.KUMIAI),
    ("セイキョウ", LegalFormCode.KUMIAI),
    ("ギョキョウ", LegalFormCode.KUMIAI),
]


def _char_class(chars: Iterable[str]) -> re.Pattern:
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(set(chars))) + "]")


# `str.translate` with a dict table looks every character up in Python; most names need none of the tables, and a
# character-class search (in C) says so first. The result is the same with or without these checks.
_HAS_ENCLOSED = _char_class(_ENCLOSED)
_HAS_VARIANT = _char_class(VARIANT_KANJI)
_HAS_HIRAGANA = re.compile("[\u3041-\u3096ゝゞ]")
_HAS_KANA_FOLD = _char_class(chr(c) for c in _KANA)


def _fold(text: str) -> str:
    """Steps 1–5: the character-level folding shared by names, readings and the legal-form tables."""
    text = text or ""
    if _HAS_ENCLOSED.search(text):
        text = text.translate(_PRE_NFKC)
    text = unicodedata.normalize("NFKC", _VARIATION_SELECTORS.sub("", text))
    if _HAS_VARIANT.search(text):
        text = text.translate(_VARIANTS)
    text = _WHITESPACE_AND_DASHES.sub("", text.lower())
    if _HAS_HIRAGANA.search(text):
        text = text.translate(_HIRAGANA)
    if "ヴ" in text or "ヷ" in text or "ヸ" in text:
        for old, new in _VU:
            text = text.replace(old, new)
    if _HAS_KANA_FOLD.search(text):
        text = text.translate(_KANA)
    return text


class _Affixes:
    """Legal-form spellings allowed at one end of a name, grouped by their two characters at that end (longest
    first): one dict look-up and a few `startswith`/`endswith` per name instead of a regular expression with
    hundreds of alternatives. One-character spellings (none today) are tried last."""

    def __init__(self, forms: Iterable[str]) -> None:
        forms = sorted(set(forms), key=lambda form: (-len(form), form))
        self._by_head: dict[str, list[str]] = {}
        self._by_tail: dict[str, list[str]] = {}
        for form in forms:
            if len(form) >= 2:
                self._by_head.setdefault(form[:2], []).append(form)
                self._by_tail.setdefault(form[-2:], []).append(form)
        self._single = frozenset(form for form in forms if len(form) == 1)

    def prefix(self, text: str) -> str | None:
        for form in self._by_head.get(text[:2], ()):
            if text.startswith(form):
                return form
        return text[:1] if text[:1] in self._single else None

    def suffix(self, text: str) -> str | None:
        for form in self._by_tail.get(text[-2:], ()):
            if text.endswith(form):
                return form
        return text[-1:] if text[-1:] in self._single else None


def _build_legal_forms() -> tuple[_Affixes, _Affixes, dict[str, str | None]]:
    codes: dict[str, str | None] = {}
    lead: list[str] = []
    trail: list[str] = []
    for spelling, code in _WORDS:
        folded = _fold(spelling)
        codes[folded] = code
        lead.append(folded)
        trail.append(folded)
    for spelling, code in _ABBREVIATIONS:
        folded = f"({_fold(spelling)})"
        codes[folded] = code
        lead.append(folded)
        trail.append(folded)
    for spelling, code in _BANK_KANA:
        kana = _fold(spelling)
        for form in (f"{kana})", f"({kana})"):
            codes[form] = code
            lead.append(form)
        for form in (f"({kana}", f"({kana})"):
            codes[form] = code
            trail.append(form)
    return _Affixes(lead), _Affixes(trail), codes


_LEAD, _TRAIL, _LEGAL_FORM_CODES = _build_legal_forms()
_KEEP_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Mn", "Mc", "Me", "So", "Sc"})


def _dropped_bmp() -> list[tuple[int, int]]:
    """The ranges of Basic Multilingual Plane characters whose category is not kept (built once at import: ~65,000
    category look-ups). Characters beyond the BMP are rare in names and take the per-character path."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code)) not in _KEEP_CATEGORIES:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return ranges


_DROPPED_RANGES = _dropped_bmp()
_DROP_BMP = re.compile(
    "["
    + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _DROPPED_RANGES)
    + "]+"
)
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
# Edge noise: what is dropped, except the brackets of 「(株)」.
_EDGE_NOISE_BMP = frozenset(chr(c) for a, b in _DROPPED_RANGES for c in range(a, b + 1)) - frozenset("()")


def _is_edge_noise(ch: str) -> bool:
    """Punctuation that may stand between a legal form and the name; brackets belong to 「(株)」 and stay."""
    if ch <= "\uffff":
        return ch in _EDGE_NOISE_BMP
    return unicodedata.category(ch) not in _KEEP_CATEGORIES


def _trim(text: str) -> str:
    if not text or (
        text[0] <= "\uffff"
        and text[-1] <= "\uffff"
        and text[0] not in _EDGE_NOISE_BMP
        and text[-1] not in _EDGE_NOISE_BMP
    ):
        return text  # the common case: nothing to trim
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        end -= 1
    return text[start:end]


def _strip_legal_forms(text: str) -> tuple[str, list[str]]:
    """Remove legal forms at either end, repeatedly; returns the rest and the forms found (folded)."""
    found: list[str] = []
    while True:
        text = _trim(text)
        if (form := _LEAD.prefix(text)) and form != text:
            text = text[len(form) :]
        elif (form := _TRAIL.suffix(text)) and form != text:
            text = text[: -len(form)]
        else:
            return text, found
        found.append(form)


def _drop_punctuation(text: str) -> str:
    if _BEYOND_BMP.search(text):
        kept = "".join(ch for ch in text if unicodedata.category(ch) in _KEEP_CATEGORIES)
    else:
        kept = _DROP_BMP.sub("", text)
    return unicodedata.normalize("NFC", kept)  # marks left by a dropped space compose again (A´ → á)


def normalise_text(text: str) -> str:
    """NFKC and trimmed: for display fields that must keep their spelling."""
    return unicodedata.normalize("NFKC", text or "").strip()


def person_name_key(name: str) -> str:
    """A person's name for comparing spellings: NFKC, no spaces, case-folded (「山田　太郎」 = 「山田太郎」)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", name or "")).casefold()


@lru_cache(maxsize=65536)
def company_name_key(name: str) -> str:
    """The key every spelling of one company's name shares (see the module docstring for the rules)."""
    folded = _fold(name)
    stripped, _ = _strip_legal_forms(folded)
    key = _drop_punctuation(stripped) or _drop_punctuation(folded)
    return key[:MAX_KEY_LENGTH]


@lru_cache(maxsize=65536)
def kana_key(kana: str) -> str:
    """The key of a reading (フリガナ): hiragana, katakana and half-width kana agree; legal forms dropped."""
    return company_name_key(kana)


def detect_legal_form(name: str) -> str | None:
    """The legal-form code (`LegalFormCode`) written at either end of `name`, or None."""
    _, found = _strip_legal_forms(_fold(name))
    for form in found:
        code = _LEGAL_FORM_CODES.get(form)
        if code:
            return code
    return None


def is_kana_only(key: str) -> bool:
    """True when a key is all katakana (a reading, or a name written in katakana)."""
    return bool(key) and all("\u30a1" <= ch <= "\u30ff" for ch in key)


def name_grams(key: str) -> set[str]:
    """The n-grams a key is indexed under: its character bigrams, ``^`` + its first character (one-character
    queries find it by prefix), ``>`` + its last character (with ``^``, keeps a typo'd name close to its own
    record among namesakes) and ``=`` + the whole key (exact look-up). Keys never contain ``^``, ``>`` or ``=``."""
    if not key:
        return set()
    grams = {key[i : i + 2] for i in range(len(key) - 1)}
    grams.add(PREFIX_MARK + key[0])
    grams.add(SUFFIX_MARK + key[-1])
    grams.add(EXACT_MARK + key)
    return grams


PREFIX_MARK = "^"
SUFFIX_MARK = ">"
EXACT_MARK = "="
