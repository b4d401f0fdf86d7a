"""A believable, clearly fictional demo: a Yamagata DX programme for the current fiscal year.

Every step is idempotent (`seed_demo` may run on every `make run`) and deterministic (one seed),
so screenshots and tests see the same data. Later issues add their own steps to `STEPS`.
"""

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from kakehashi.accounts.models import User
from kakehashi.accounts.services import user_create
from kakehashi.companies.choices import CompanySource
from kakehashi.companies.corporate_number import corporate_number_check_digit
from kakehashi.companies.models import Company
from kakehashi.companies.normalise import company_name_key
from kakehashi.core.japanese_dates import fiscal_year_of, format_fiscal_year
from kakehashi.outreach.models import DesignatedCompany, Programme
from kakehashi.outreach.services import designation_add, membership_add, programme_create
from kakehashi.reference.models import CodeItem, Industry, Municipality, Prefecture

from .community import seed_community
from .events import seed_events
from .library import seed_library, seed_library_usage
from .planning import seed_planning
from .portal import seed_portal
from .privacy import seed_privacy
from .reports import seed_reports
from .sharing import seed_sharing
from .users import DEMO_PASSWORD, DEMO_USERS
from .visits import seed_visits

SEED = 2026
DEMO_COMPANY_COUNT = 1200
DEMO_DESIGNATED_COUNT = 80
DEMO_SOURCE = "県指定リスト（デモ）"

# Rough weights so the demo looks like Yamagata: most firms in the cities.
CITY_WEIGHTS = {
    "山形市": 22,
    "米沢市": 9,
    "鶴岡市": 11,
    "酒田市": 10,
    "新庄市": 4,
    "寒河江市": 4,
    "上山市": 3,
    "村山市": 2,
    "長井市": 3,
    "天童市": 6,
    "東根市": 5,
    "尾花沢市": 2,
    "南陽市": 3,
}

PLACE_STEMS = [
    "蔵王",
    "月山",
    "最上川",
    "紅花",
    "羽州",
    "出羽",
    "鳥海",
    "朝日",
    "吾妻",
    "置賜",
    "庄内",
    "村山",
    "葉山",
    "寒河江",
    "みちのく",
    "花笠",
    "樹氷",
    "千歳",
    "霞城",
    "馬見ヶ崎",
    "白鷹",
    "飯豊",
    "湯殿",
    "摩耶",
    "大沼",
    "高瀬",
    "立谷川",
    "須川",
    "鮭川",
    "日向",
    "北辰",
    "東雲",
    "若葉",
    "緑町",
    "旭",
]
FAMILY_STEMS = [
    "佐藤",
    "鈴木",
    "高橋",
    "渡部",
    "斎藤",
    "伊藤",
    "菅原",
    "阿部",
    "髙橋",
    "齋藤",
    "五十嵐",
    "結城",
    "遠藤",
    "丹野",
    "奥山",
]
LEGAL_FORMS = [
    ("株式会社", "prefix", "301"),
    ("株式会社", "suffix", "301"),
    ("有限会社", "prefix", "302"),
    ("合同会社", "suffix", "305"),
    ("", "none", None),
]

# (JSIC 中分類, business form label, business words with kana)
SECTORS = [
    (
        "09",
        "製造(自社製品)",
        [("食品", "ショクヒン"), ("製菓", "セイカ"), ("味噌醸造", "ミソジョウゾウ"), ("漬物", "ツケモノ")],
    ),
    ("10", "製造(自社製品)", [("酒造", "シュゾウ"), ("ワイナリー", "ワイナリー")]),
    (
        "24",
        "製造(受託)",
        [("精密", "セイミツ"), ("製作所", "セイサクショ"), ("金属工業", "キンゾクコウギョウ"), ("鋳造", "チュウゾウ")],
    ),
    ("26", "製造(受託)", [("機工", "キコウ"), ("エンジニアリング", "エンジニアリング")]),
    ("28", "製造(受託)", [("電子", "デンシ"), ("電子工業", "デンシコウギョウ")]),
    ("13", "製造(自社製品)", [("木工", "モッコウ"), ("家具製作所", "カグセイサクショ")]),
    ("15", "製造(受託)", [("印刷", "インサツ")]),
    ("06", "建設", [("建設", "ケンセツ"), ("工務店", "コウムテン"), ("土木", "ドボク")]),
    ("44", "運輸・物流", [("運輸", "ウンユ"), ("物流", "ブツリュウ")]),
    ("52", "卸売", [("商事", "ショウジ"), ("青果", "セイカ")]),
    ("58", "小売(店舗)", [("ストア", "ストア"), ("商店", "ショウテン")]),
    ("60", "小売(EC)", [("オンラインショップ", "オンラインショップ"), ("物産", "ブッサン")]),
    ("76", "飲食", [("食堂", "ショクドウ"), ("そば処", "ソバドコロ"), ("ラーメン", "ラーメン")]),
    ("75", "宿泊・観光", [("温泉旅館", "オンセンリョカン"), ("観光", "カンコウ"), ("ホテル", "ホテル")]),
    ("39", "情報通信", [("ソフトウェア", "ソフトウェア"), ("システムズ", "システムズ")]),
    ("92", "対事業所サービス", [("ビルサービス", "ビルサービス"), ("設計事務所", "セッケイジムショ")]),
    ("78", "対個人サービス", [("クリーニング", "クリーニング"), ("美容室", "ビヨウシツ")]),
    ("85", "医療・福祉", [("ケアサービス", "ケアサービス"), ("福祉会", "フクシカイ")]),
    ("01", "農林水産", [("農園", "ノウエン"), ("果樹園", "カジュエン"), ("ファーム", "ファーム")]),
]
PLACE_KANA = {
    "蔵王": "ザオウ",
    "月山": "ガッサン",
    "最上川": "モガミガワ",
    "紅花": "ベニバナ",
    "羽州": "ウシュウ",
    "出羽": "デワ",
    "鳥海": "チョウカイ",
    "朝日": "アサヒ",
    "吾妻": "アズマ",
    "置賜": "オキタマ",
    "庄内": "ショウナイ",
    "村山": "ムラヤマ",
    "葉山": "ハヤマ",
    "寒河江": "サガエ",
    "みちのく": "ミチノク",
    "花笠": "ハナガサ",
    "樹氷": "ジュヒョウ",
    "千歳": "チトセ",
    "霞城": "カジョウ",
    "馬見ヶ崎": "マミガサキ",
    "白鷹": "シラタカ",
    "飯豊": "イイデ",
    "湯殿": "ユドノ",
    "摩耶": "マヤ",
    "大沼": "オオヌマ",
    "高瀬": "タカセ",
    "立谷川": "タチヤガワ",
    "須川": "スカワ",
    "鮭川": "サケガワ",
    "日向": "ヒナタ",
    "北辰": "ホクシン",
    "東雲": "シノノメ",
    "若葉": "ワカバ",
    "緑町": "ミドリチョウ",
    "旭": "アサヒ",
    "佐藤": "サトウ",
    "鈴木": "スズキ",
    "高橋": "タカハシ",
    "渡部": "ワタナベ",
    "斎藤": "サイトウ",
    "伊藤": "イトウ",
    "菅原": "スガワラ",
    "阿部": "アベ",
    "髙橋": "タカハシ",
    "齋藤": "サイトウ",
    "五十嵐": "イガラシ",
    "結城": "ユウキ",
    "遠藤": "エンドウ",
    "丹野": "タンノ",
    "奥山": "オクヤマ",
}
EMPLOYEE_WEIGHTS = [30, 30, 18, 10, 8, 3, 1]
REVENUE_WEIGHTS = [12, 25, 18, 22, 8, 6, 2, 7]


def seed_users() -> dict[str, User]:
    """Create the demo accounts (once); return them by username."""
    users = {}
    for username, display_name, organisation, roles in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                email=f"{username}@demo.kakehashi.example",
                display_name=display_name,
                organisation=organisation,
            )
        users[username] = user
    if not User.objects.filter(username="admin").exists():
        users["admin"] = user_create(
            actor=None, username="admin", password=DEMO_PASSWORD, display_name="システム管理者", is_superuser=True
        )
    return users


def seed_programmes(users: dict[str, User], today: datetime.date) -> Programme:
    """The Yamagata DX programme of the current fiscal year, plus a Miyagi cross-industry one."""
    year = fiscal_year_of(today)
    era = format_fiscal_year(year)
    yamagata = Programme.objects.filter(code=f"yamagata-dx-{year}").first()
    if yamagata is None:
        yamagata = programme_create(
            actor=None,
            code=f"yamagata-dx-{year}",
            name=f"{era} DXコミュニケート事業（山形県）",
            prefecture=Prefecture.objects.get(code="06"),
            fiscal_year=year,
            target_count=400,
            description="県内企業を訪問してDXへの関心を高め、やまがた産業支援機構の支援へつなぐ事業（デモ）。",
        )
    miyagi = Programme.objects.filter(code=f"miyagi-cross-{year}").first()
    if miyagi is None:
        miyagi = programme_create(
            actor=None,
            code=f"miyagi-cross-{year}",
            name=f"{era} 異業種連携DX推進事業（宮城県）",
            kind="cross_industry",
            prefecture=Prefecture.objects.get(code="04"),
            fiscal_year=year,
            target_count=60,
            description="IT企業と地域産業の交流イベントとコミュニティを運営する事業（デモ）。",
        )
    for username, _name, _org, roles in DEMO_USERS:
        for role in roles:
            if role in {"company_member", "it_company_member"}:
                continue
            membership_add(actor=None, programme=yamagata, user=users[username], role=role)
    for username in ("pref", "manager"):
        membership_add(actor=None, programme=miyagi, user=users[username], role=users[username].roles.first().role)
    return yamagata


def _corporate_number(rng: random.Random) -> str:
    body = f"{rng.randrange(10**11, 10**12):012d}"
    return f"{corporate_number_check_digit(body)}{body}"


def _name(rng: random.Random, words: list[tuple[str, str]]) -> tuple[str, str, str | None]:
    stem = rng.choice(PLACE_STEMS if rng.random() < 0.7 else FAMILY_STEMS)
    word, word_kana = rng.choice(words)
    legal, position, kind = rng.choice(LEGAL_FORMS)
    base = f"{stem}{word}"
    name = {"prefix": f"{legal}{base}", "suffix": f"{base}{legal}", "none": base}[position]
    return name, PLACE_KANA[stem] + word_kana, kind


def _address(rng: random.Random, municipality: Municipality) -> str:
    town = rng.choice(["本町", "旭町", "緑町", "城南町", "駅前"])
    return f"山形県{municipality.name}{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"


def _codes(list_name: str) -> list[CodeItem]:
    return list(CodeItem.objects.filter(list=list_name, active=True).order_by("order", "code"))


def seed_companies(programme: Programme) -> int:
    """Fictional companies spread over Yamagata's 35 municipalities and many industries."""
    if DesignatedCompany.objects.filter(programme=programme, source=DEMO_SOURCE).exists():
        return 0
    rng = random.Random(SEED)
    municipalities = list(Municipality.objects.filter(prefecture__code="06", active=True).exclude(kind="ward"))
    weights = [CITY_WEIGHTS.get(m.name, 1) for m in municipalities]
    industries = {i.code: i for i in Industry.objects.filter(level="middle")}
    business_forms = {c.label_ja: c for c in _codes("business_form")}
    legal_forms = {c.code: c for c in _codes("legal_form")}
    sole = legal_forms.get("sole_proprietor")
    employees, revenues = _codes("employees"), _codes("revenue")
    seen: set[tuple[str, int]] = set()
    companies = []
    while len(companies) < DEMO_COMPANY_COUNT:
        industry_code, form_label, words = rng.choice(SECTORS)
        name, kana, kind = _name(rng, words)
        municipality = rng.choices(municipalities, weights)[0]
        if (company_name_key(name), municipality.pk) in seen:
            continue
        seen.add((company_name_key(name), municipality.pk))
        companies.append(
            Company(
                corporate_number=_corporate_number(rng) if kind else None,
                name=name,
                name_kana=kana,
                name_key=company_name_key(name),
                legal_form=legal_forms.get(kind) if kind else sole,
                municipality=municipality,
                address=_address(rng, municipality),
                industry=industries.get(industry_code),
                business_form=business_forms.get(form_label),
                employees_band=rng.choices(employees, EMPLOYEE_WEIGHTS[: len(employees)])[0] if employees else None,
                revenue_band=rng.choices(revenues, REVENUE_WEIGHTS[: len(revenues)])[0] if revenues else None,
                sources=[CompanySource.DEMO],
            )
        )
    companies = Company.objects.bulk_create(companies, batch_size=500)
    _reindex()
    for company in rng.sample(companies, DEMO_DESIGNATED_COUNT):
        designation_add(actor=None, programme=programme, company=company, source=DEMO_SOURCE)
    return len(companies)


def _reindex() -> None:
    """Keep the matching index in step after a bulk insert."""
    from kakehashi.companies import matching

    rebuild = getattr(matching, "reindex_all", None)
    if rebuild is not None:
        rebuild()


STEPS: list[Callable[..., object]] = []
STEPS.append(seed_visits)
STEPS.insert(0, seed_library)  # the manual and content exist before visits are recorded
STEPS.append(seed_library_usage)  # answers and content shown at the demo visits
STEPS.append(seed_planning)  # the approved visit plan, built around the visits already done
STEPS.append(seed_events)  # seminars and exchange workshops with attendance, surveys and table plans
STEPS.append(seed_portal)  # portal articles, the IT-company directory (before community), leads, subscribers
STEPS.append(seed_community)  # community members, threads, introductions and co-creation projects (one launched)
STEPS.append(seed_sharing)  # referrals, advice threads and the priority list from the shared visits
STEPS.append(seed_privacy)  # demo authenticators for the accounts that must use one; a deletion request
STEPS.append(seed_reports)  # last month's periodic report (after every step that records data)


@transaction.atomic
def seed_demo(today: datetime.date | None = None) -> dict[str, object]:
    today = today or timezone.localdate()
    users = seed_users()
    programme = seed_programmes(users, today)
    created = seed_companies(programme)
    results: dict[str, object] = {"programme": programme.code, "companies_created": created}
    for step in STEPS:
        results[step.__name__] = step(programme=programme, users=users, today=today)
    results["designated"] = DesignatedCompany.objects.filter(programme=programme).count()
    return results
