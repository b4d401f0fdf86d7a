import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.companies.normalise import (
    VARIANT_KANJI,
    LegalFormCode,
    company_name_key,
    detect_legal_form,
    is_kana_only,
    kana_key,
    name_grams,
    normalise_text,
)

YAMAGATA_SEIMITSU = [
    "(株)山形精密",
    "株式会社 山形精密",
    "山形精密㈱",
    "山形精密 株式會社",
    "（株）山形精密",
    "山形精密(株)",
]


@pytest.mark.parametrize("spelling", YAMAGATA_SEIMITSU)
def test_spellings_of_one_company_share_a_key(spelling):
    assert company_name_key(spelling) == "山形精密"


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("有限会社 髙橋工業", "高橋工業"),
        ("髙橋工業（有）", "高橋工業"),
        ("㈲高橋工業", "高橋工業"),
        ("山﨑建設合同会社", "山崎建設"),
        ("(同)山嵜建設", "山崎建設"),
        ("齋藤商店", "斎藤商店"),
        ("渡邉・渡邊設備", "渡辺渡辺設備"),
        ("ＡＢＣソフト 株式会社", "abcソフト"),
        ("ABCｿﾌﾄ(株)", "abcソフト"),
        ("一般社団法人 山形県観光協会", "山形県観光協会"),
        ("公益財団法人やまがた産業支援機構", "ヤマガタ産業支援機構"),
        ("特定非営利活動法人 さくら", "サクラ"),
        ("NPO法人さくら", "サクラ"),
        ("ＮＰＯ法人 さくら", "サクラ"),
        ("山形精機事業協同組合", "山形精機"),
        ("医療法人社団 清明会", "清明会"),
        ("合資会社 佐藤酒造店", "佐藤酒造店"),
        ("㍿山形", "山形"),
        ("㊑山形", "山形"),
        ("キャノン", "キヤノン"),
        ("ヴィーナス", "ビナス"),
        ("ｺ-ﾋ-ｼｮｯﾌﾟ", "コヒシヨツプ"),
        ("コーヒーショップ", "コヒシヨツプ"),
        ("株式会社 テクノ-サービス", "テクノサビス"),
        ("テクノ・サービス㈱", "テクノサビス"),
        ("葛\U000e0100飾商会", "葛飾商会"),  # an ideographic variation selector
        ("株式会社", "株式会社"),  # nothing but a legal form: kept rather than emptied
        ("", ""),
    ],
)
def test_company_name_key(spelling, key):
    assert company_name_key(spelling) == key


@pytest.mark.parametrize(
    "spelling",
    [
        "ｶ)ﾔﾏｶﾞﾀｾｲﾐﾂ",
        "ﾔﾏｶﾞﾀｾｲﾐﾂ(ｶ",
        "ｶ) ﾔﾏｶﾞﾀｾｲﾐﾂ",
        "(ｶ)ﾔﾏｶﾞﾀｾｲﾐﾂ",
        "やまがたせいみつ",
        "ヤマガタセイミツ",
        "カブシキガイシャ ヤマガタセイミツ",
        "(カブ) ヤマガタセイミツ",
        "ヤマガタセイミツ カブシキガイシヤ",
    ],
)
def test_readings_share_a_kana_key(spelling):
    assert kana_key(spelling) == "ヤマガタセイミツ"


def test_a_reading_is_not_the_name():
    # 「ﾔﾏｶﾞﾀｾｲﾐﾂ」 is how 山形精密 is read, not how it is written: equal only through the company's フリガナ
    assert company_name_key("ﾔﾏｶﾞﾀｾｲﾐﾂ") != company_name_key("山形精密")
    assert company_name_key("ﾔﾏｶﾞﾀｾｲﾐﾂ") == kana_key("ヤマガタセイミツ")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("(株)山形精密", LegalFormCode.KABUSHIKI),
        ("山形精密㈱", LegalFormCode.KABUSHIKI),
        ("ｶ)ﾔﾏｶﾞﾀｾｲﾐﾂ", LegalFormCode.KABUSHIKI),
        ("山形精密 株式會社", LegalFormCode.KABUSHIKI),
        ("有限会社 高橋工業", LegalFormCode.YUGEN),
        ("ﾀｶﾊｼｺｳｷﾞｮｳ(ﾕ", LegalFormCode.YUGEN),
        ("合名会社 山形", LegalFormCode.GOMEI),
        ("山形(資)", LegalFormCode.GOSHI),
        ("ﾄﾞ)ﾔﾏｶﾞﾀ", LegalFormCode.GODO),
        ("山形テック合同会社", LegalFormCode.GODO),
        ("NPO法人 さくら", LegalFormCode.NPO),
        ("(特非)さくら", LegalFormCode.NPO),
        ("山形県鉄工協同組合", LegalFormCode.KUMIAI),
        ("一般社団法人 山形", LegalFormCode.OTHER_REGISTERED),
        ("(一社)山形", LegalFormCode.OTHER_REGISTERED),
        ("山形精密", None),
        ("佐藤商店", None),
        ("株式会社", None),
    ],
)
def test_detect_legal_form(name, code):
    assert detect_legal_form(name) == code


def test_legal_form_in_the_middle_is_part_of_the_name():
    assert company_name_key("山形精密株式会社東京支店") == "山形精密株式会社東京支店"


def test_name_grams():
    assert name_grams("山形精密") == {"山形", "形精", "精密", "^山", ">密", "=山形精密"}
    assert name_grams("a") == {"^a", ">a", "=a"}
    assert name_grams("") == set()


def test_is_kana_only():
    assert is_kana_only("ヤマガタ")
    assert not is_kana_only("山形")
    assert not is_kana_only("")


def test_normalise_text_keeps_the_spelling():
    assert normalise_text("  ＡＢＣ ｿﾌﾄ ") == "ABC ソフト"


# --- Properties ------------------------------------------------------------------------------------------------------
# Base names come from characters that no rule folds into one another: common kanji (no variant forms, none of the
# characters of a legal form), large katakana, lower-case Latin letters and digits.
_LEGAL_FORM_CHARS = set("株式会社有限合同資名一般団財法人公益特定非営利活動医療学校協組農業事企相互")
_KANJI = [
    c
    for c in (
        "山形精密工業建設電機食品商事製作所鉄鋼運輸印刷酒造物産技研設備化成木材米沢鶴岡酒田新庄天童"
        "上下北南東西川田村松本中島岡野原井小大佐藤鈴伊加吉高橋渡辺斎崎沢浜国桜広徳真富槙蔵竜館峰"
    )
    if c not in _LEGAL_FORM_CHARS
]
_KATAKANA = list("アイウエオカキクケコサシスセソタチテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
_LATIN = list("abcdefghijklmnopqrstuvwxyz0123456789")
_REVERSE_VARIANTS: dict[str, list[str]] = {}
for _old, _new in VARIANT_KANJI.items():
    _REVERSE_VARIANTS.setdefault(_new, []).append(_old)

base_names = st.text(alphabet=st.sampled_from(_KANJI + _KATAKANA + _LATIN), min_size=1, max_size=12)
LEADING = [
    "株式会社",
    "株式会社 ",
    "(株)",
    "（株）",
    "㈱",
    "㍿",
    "有限会社",
    "(有)",
    "㈲",
    "合同会社",
    "(同)",
    "合資会社",
    "(資)",
    "合名会社",
    "(名)",
    "一般社団法人",
    "(一社)",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "NPO法人",
    "ＮＰＯ法人 ",
    "社会福祉法人",
    "医療法人",
    "学校法人",
    "事業協同組合",
    "ｶ)",
    "ｶ) ",
    "ﾕ)",
    "ﾄﾞ)",
    "",
]
TRAILING = [
    "株式会社",
    " 株式会社",
    "(株)",
    "（株）",
    "㈱",
    "有限会社",
    "(有)",
    "㈲",
    "合同会社",
    "(同)",
    "協同組合",
    "事業協同組合",
    "農業協同組合",
    "(ｶ",
    "(ﾕ",
    "(ﾄﾞ",
    "　(株)",
    "",
]


@st.composite
def spellings(draw, base: str) -> str:
    """One way a spreadsheet might spell `base`: legal form added or moved, old kanji, widths, spaces."""
    text = "".join(draw(st.sampled_from([*_REVERSE_VARIANTS.get(ch, []), ch])) for ch in base)  # old kanji
    if draw(st.booleans()):  # half-width katakana
        text = "".join(_HALF_WIDTH.get(ch, ch) for ch in text)
    if draw(st.booleans()):  # full-width letters and digits
        text = "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)
    if draw(st.booleans()) and len(text) > 1:  # spaces inside
        cut = draw(st.integers(min_value=1, max_value=len(text) - 1))
        text = text[:cut] + draw(st.sampled_from([" ", "　", "  "])) + text[cut:]
    before = draw(st.booleans())
    return draw(st.sampled_from(LEADING)) + text if before else text + draw(st.sampled_from(TRAILING))


_HALF_WIDTH = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン",
        "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ",
        strict=True,
    )
)


@settings(max_examples=150, deadline=None)
@given(st.data(), base_names)
def test_variants_of_one_name_normalise_alike(data, base):
    first, second = data.draw(spellings(base)), data.draw(spellings(base))
    assert company_name_key(first) == company_name_key(second) == company_name_key(base)


@settings(max_examples=150, deadline=None)
@given(base_names, base_names)
def test_distinct_names_stay_distinct(a, b):
    if a.lower() == b.lower():
        return
    assert company_name_key(a) != company_name_key(b)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_keys_are_stable_and_never_contain_index_marks(text):
    key = company_name_key(text)
    assert company_name_key(key) == key or detect_legal_form(key) is not None
    assert not {"^", ">", "="} & set(key)
    assert len(key) <= 200


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(_KATAKANA), min_size=1, max_size=15))
def test_kana_key_agrees_for_hiragana_katakana_and_half_width(reading):
    hiragana = "".join(chr(ord(ch) - 0x60) for ch in reading)
    half = "".join(_HALF_WIDTH[ch] for ch in reading)
    assert kana_key(hiragana) == kana_key(reading) == kana_key(half)


# --- the fast paths give what the plain per-character rules give ---------------------------------------------------

import unicodedata  # noqa: E402

from kakehashi.companies import normalise as n  # noqa: E402

_NAME_LIKE = st.text(
    alphabet=st.one_of(
        st.sampled_from("株式会社有限合同(（)）㈱㊑・.,、 　-ー〜ぁァｧゃャヴゔヰヂヅ髙﨑齋\ufe00\u0301AＡa1１&＆"),
        st.characters(),
    ),
    max_size=30,
)


def _fold_plainly(text: str) -> str:
    text = n._VARIATION_SELECTORS.sub("", (text or "").translate(n._PRE_NFKC))
    text = unicodedata.normalize("NFKC", text).translate(n._VARIANTS).lower()
    text = n._DASHES.sub("", n._WHITESPACE.sub("", text)).translate(n._HIRAGANA)
    for old, new in n._VU:
        text = text.replace(old, new)
    return text.translate(n._KANA)


def _kept_plainly(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) in n._KEEP_CATEGORIES))


def _trimmed_plainly(text: str) -> str:
    def noise(ch):
        return ch not in "()" and unicodedata.category(ch) not in n._KEEP_CATEGORIES

    start, end = 0, len(text)
    while start < end and noise(text[start]):
        start += 1
    while end > start and noise(text[end - 1]):
        end -= 1
    return text[start:end]


@settings(max_examples=400, deadline=None)
@given(_NAME_LIKE)
def test_fast_paths_agree_with_the_plain_rules(text):
    assert n._fold(text) == _fold_plainly(text)
    assert n._drop_punctuation(text) == _kept_plainly(text)
    assert n._trim(text) == _trimmed_plainly(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(n._LEGAL_FORM_CODES)), _NAME_LIKE)
def test_legal_form_affixes_find_the_longest_spelling(form, rest):
    def longest(forms, match):
        found = [f for f in forms if match(f)]
        return max(found, key=len) if found else None

    lead = [f for f in n._LEGAL_FORM_CODES if n._LEAD.prefix(f) == f]
    trail = [f for f in n._LEGAL_FORM_CODES if n._TRAIL.suffix(f) == f]
    for text in (form + rest, rest + form, rest):
        assert n._LEAD.prefix(text) == longest(lead, text.startswith)
        assert n._TRAIL.suffix(text) == longest(trail, text.endswith)


def test_person_name_key_ignores_width_spaces_and_case():
    from kakehashi.companies.normalise import person_name_key

    assert person_name_key("山田　太郎") == person_name_key("山田太郎") == person_name_key(" 山田 太郎 ")
    assert person_name_key("ＴＡＲＯ Yamada") == "taroyamada"
    assert person_name_key("山田 花子") != person_name_key("山田太郎")
