"""A season of believable visit reports for the demo programme, so the dashboard tells a story.

About 3 hearings per working day plus monthly seminars from the programme's start to today (≈520 visits to
≈380 companies by late November), weighted to weekdays and away from holidays, by comm1–comm6
at different paces (comm6 joins in July). Mostly 訪問, some オンライン, and monthly seminars where
the hearings happen at the venue. Summaries are assembled from sentence templates chosen by the
company's business form and the challenges heard, so the coded fields (challenges, barriers,
interest, introductions, outcomes) agree with the text. A few drafts and one returned report.

Idempotent (nothing happens when the programme already has visits) and deterministic (one seed).
Everything is inserted with bulk_create, M2M rows through their `through` models; the search
index is brought in step afterwards with `visit_search_reindex`, as bulk writers must.
"""

import datetime
import random
from collections import defaultdict

import jpholiday
from django.utils import timezone

from kakehashi.accounts.models import User
from kakehashi.companies.models import Company
from kakehashi.outreach.choices import VisitStatus
from kakehashi.outreach.models import DesignatedCompany, Programme, Visit
from kakehashi.outreach.search import build_search_text, visit_search_reindex
from kakehashi.reference.models import CodeItem

SEED = 2026_04
VISITS_PER_WORKDAY = 3.0
NEW_COMPANY_SHARE = 0.73  # ≈380 distinct companies for ≈520 visits
DESIGNATED_SHARE = 0.6  # designated companies reached so far
DRAFTS = 6

# username → (relative pace, first working day as (month, day) or None)
COMMUNICATORS = {
    "comm1": (1.5, None),
    "comm2": (1.3, None),
    "comm3": (1.1, None),
    "comm4": (0.9, None),
    "comm5": (0.7, None),
    "comm6": (0.8, (7, 1)),
}

# What a company of each business form typically says, and the challenges most often heard.
SITUATIONS: dict[str, tuple[list[str], list[str]]] = {
    "manufacturing_own": (
        [
            "自社ブランドの{product}を製造し、県内の道の駅と首都圏の百貨店に卸している。",
            "製造から出荷まで家族を中心に{people}名で回しており、注文はFAXと電話が中心。",
            "お中元・お歳暮の時期に注文が集中し、繁忙期は出荷作業で残業が続く。",
        ],
        ["sales_customer", "payment_receivables", "procurement_logistics", "production", "new_business"],
    ),
    "manufacturing_contract": (
        [
            "自動車・電子部品の受託加工が中心で、取引先は県内外の{people}社ほど。",
            "多品種少量の注文が増え、段取り替えの回数が数年前の倍になっている。",
            "熟練の職人が高齢化しており、技能の引き継ぎが課題と話していた。",
        ],
        ["production", "iot_equipment", "procurement_logistics", "automation_analytics", "digital_talent"],
    ),
    "construction": (
        [
            "公共工事と住宅リフォームが半々で、現場は常時{people}か所ほど動いている。",
            "現場ごとの日報と写真を紙とデジカメで管理しており、事務所に戻ってからの整理が負担。",
            "若手の入職が少なく、現場監督が書類作成に追われている。",
        ],
        ["production", "paperless_telework", "staffing_attendance", "digital_talent", "accounting_finance"],
    ),
    "wholesale": (
        [
            "県内のスーパーと飲食店{people}件ほどに食材を卸している。",
            "受発注をFAXと電話で受けており、月末の請求書作成に{days}日かかっている。",
            "取引先ごとに単価と締め日が違い、請求業務がベテラン事務員に頼り切りになっている。",
        ],
        ["payment_receivables", "procurement_logistics", "accounting_finance", "automation_analytics"],
    ),
    "retail_store": (
        [
            "駅前と郊外に{people}店舗を構える小売店で、地元の常連客が多い。",
            "POSレジは入れているが、売上の集計は手作業で表計算ソフトに転記している。",
            "郊外の大型店やネット通販に客足を取られていると感じている。",
        ],
        ["sales_customer", "automation_analytics", "procurement_logistics", "staffing_attendance"],
    ),
    "retail_ec": (
        [
            "県産品を扱うネットショップを運営しており、売上の{percent}割がモール経由。",
            "複数のモールと自社サイトで在庫を別々に管理しており、売り越しが時々起きる。",
            "出荷はパート{people}名で回しており、繁忙期は発送が追いつかない。",
        ],
        ["procurement_logistics", "sales_customer", "automation_analytics", "payment_receivables"],
    ),
    "food_service": (
        [
            "地元の食材を使った飲食店を営んでおり、席数は{people}席ほど。",
            "予約は電話のみで、営業中に電話対応で手が止まることが多い。",
            "仕入れは毎朝の市場と電話注文で、原価の把握は月末にまとめて行っている。",
        ],
        ["sales_customer", "staffing_attendance", "payment_receivables", "procurement_logistics"],
    ),
    "hospitality_tourism": (
        [
            "温泉地で客室{people}室の旅館を営んでおり、インバウンドの予約が戻りつつある。",
            "予約は電話と複数の予約サイトで受けており、台帳への転記で二重予約が起きたことがある。",
            "繁忙期と閑散期の差が大きく、従業員の確保とシフト作成に苦労している。",
        ],
        ["sales_customer", "staffing_attendance", "new_business", "paperless_telework"],
    ),
    "business_services": (
        [
            "県内の事業所を顧客に、ビル管理や設計などのサービスを提供している。",
            "顧客との書類のやり取りは紙と郵送が中心で、押印のための訪問も多い。",
            "社員は{people}名で、案件ごとの工数管理ができていない。",
        ],
        ["paperless_telework", "security", "accounting_finance", "automation_analytics"],
    ),
    "personal_services": (
        [
            "地域密着で個人のお客様向けのサービスを提供しており、常連客が中心。",
            "予約と顧客カルテは紙の台帳で管理している。",
            "スタッフ{people}名のシフトを店主が手書きで作っている。",
        ],
        ["sales_customer", "staffing_attendance", "payment_receivables"],
    ),
    "transport_logistics": (
        [
            "トラック{people}台で県内外の配送を請け負っている。",
            "配車は配車担当者の経験と勘に頼っており、担当者が休むと回らない。",
            "ドライバーの時間外労働の上限規制への対応が急務になっている。",
        ],
        ["procurement_logistics", "staffing_attendance", "iot_equipment", "automation_analytics"],
    ),
    "agriculture_forestry_fisheries": (
        [
            "さくらんぼとラ・フランスを中心に、約{people}ヘクタールで果樹を栽培している。",
            "直売所とふるさと納税の注文を電話とFAXで受けている。",
            "作業記録は手帳に書いており、農薬の散布記録の提出に手間がかかる。",
        ],
        ["sales_customer", "iot_equipment", "new_business", "payment_receivables"],
    ),
    "medical_welfare": (
        [
            "介護事業所を運営しており、職員は{people}名ほど。",
            "介護記録は手書きで、月末の請求業務の前に転記作業が集中する。",
            "職員の夜勤を含むシフト作成に毎月丸1日かかっている。",
        ],
        ["paperless_telework", "staffing_attendance", "admin_hr_payroll", "security"],
    ),
    "ict": (
        [
            "地元企業向けにシステム開発と保守を行っており、社員は{people}名。",
            "受託開発が中心で、自社サービスを持ちたいと考えている。",
            "エンジニアの採用が難しく、案件を断ることもある。",
        ],
        ["new_business", "digital_talent", "security", "sales_customer"],
    ),
    "other": (
        [
            "地域で長く事業を続けており、従業員は{people}名ほど。",
            "事務作業は紙と表計算ソフトが中心。",
        ],
        ["paperless_telework", "accounting_finance", "sales_customer"],
    ),
}
PRODUCTS = ["漬物", "日本酒", "玉こんにゃく", "味噌", "家具", "ワイン", "和菓子", "米菓"]

# (sentence, what they are interested in) per challenge; "" when no tool is named.
CHALLENGE_SENTENCES: dict[str, list[tuple[str, str]]] = {
    "sales_customer": [
        ("ホームページは10年以上前に作ったまま更新できておらず、問い合わせはほとんど電話。", "ホームページの改修"),
        ("SNSで発信したいが、誰が担当するか決まっていない。", "SNS運用"),
        ("顧客情報が担当者ごとの表計算ファイルと名刺に分散している。", "顧客管理（CRM）"),
        ("ネット予約を入れたいが、電話予約との二重管理になるのが心配。", "予約システム"),
    ],
    "payment_receivables": [
        ("受発注をFAXと電話で受けており、月末の請求書作成に{days}日かかっている。", "クラウド会計"),
        ("入金の消込を通帳と照らし合わせて手作業で行っている。", "請求・入金管理の自動化"),
        ("インボイス制度に合わせて請求書の様式を見直したが、発行は手書きのまま。", "請求書の電子発行"),
        ("キャッシュレス決済を求めるお客様が増えている。", "キャッシュレス決済"),
    ],
    "procurement_logistics": [
        ("在庫は月末の棚卸しで把握しており、欠品と過剰在庫が繰り返し起きている。", "在庫管理システム"),
        ("仕入先への発注はFAXで、発注残を把握できていない。", "受発注システム"),
        ("配送ルートをドライバーの経験に頼っている。", "配送計画の仕組み"),
    ],
    "staffing_attendance": [
        ("勤怠はタイムカードで、月末に事務員が半日かけて集計している。", "勤怠管理アプリ"),
        ("シフト作成に毎月半日以上かかり、急な欠勤の調整も電話で行っている。", "シフト管理アプリ"),
    ],
    "production": [
        ("生産計画はホワイトボードで管理しており、急な注文が入ると段取りが崩れる。", "生産管理システム"),
        ("図面と作業指示書を紙で回しており、版の違いによる手戻りが年に数回ある。", "図面・指示書の電子化"),
        ("現場写真と日報の整理に、現場監督が毎日1時間ほど使っている。", "施工管理アプリ"),
    ],
    "accounting_finance": [
        ("会計は税理士に任せきりで、月次の数字が分かるのは2か月後。", "クラウド会計"),
        ("帳簿は手書きの出納帳で、経理担当の退職後に引き継げるか不安がある。", "クラウド会計"),
    ],
    "admin_hr_payroll": [
        ("給与計算を経理担当1名が表計算ソフトで行っており、法改正のたびに作り直している。", "給与計算ソフト"),
        ("年末調整の書類を紙で配って回収している。", "労務手続きの電子化"),
    ],
    "automation_analytics": [
        ("売上データはあるが、商品別・顧客別の分析には使えていない。", "売上データの見える化（BI）"),
        ("毎日同じ転記作業を2時間ほど行っており、自動化できないか相談があった。", "RPA"),
        ("生成AIに関心はあるが、業務のどこで使えるか分からない。", "生成AIの活用"),
    ],
    "paperless_telework": [
        ("社内の連絡は紙の回覧と電話で、外出中の社員に情報が届きにくい。", "グループウェア"),
        ("稟議と申請書が紙で、社長の押印待ちで止まることが多い。", "電子申請・電子契約"),
    ],
    "security": [
        ("パソコンのパスワードを共有しており、データのバックアップも取っていない。", ""),
        ("取引先からセキュリティ対策の状況を確認され、対応に困っている。", "セキュリティ診断"),
    ],
    "iot_equipment": [
        ("設備の稼働状況を把握できておらず、故障してから対応している。", "設備の稼働監視（IoT）"),
        ("冷蔵庫やハウスの温度を1日数回、手書きで記録している。", "温度センサー"),
    ],
    "digital_talent": [
        ("ITに詳しい社員がおらず、パソコンのトラブルは社長が対応している。", "社員向けIT研修"),
        ("若手を採用しても、デジタル化を任せられる体制がない。", "デジタル人材の育成"),
    ],
    "new_business": [
        ("後継者がネット販売で新しい販路を作りたいと考えている。", "EC・新販路"),
        ("観光客向けの体験型の商品を企画しており、予約と決済の仕組みを探している。", "体験予約サイト"),
    ],
}

BARRIER_SENTENCES = {
    "where_to_start": "何から手を付ければよいか分からないとのこと。",
    "unclear_purpose": "デジタル化で何を目指すかは、社内でまだ話し合えていない。",
    "analogue_culture": "紙での運用に慣れたベテラン社員が多く、やり方を変えることへの抵抗がある。",
    "it_literacy": "パソコンやスマートフォンの操作に不安のある社員が多い。",
    "it_staff": "社内にITを担当できる人がいない。",
    "budget": "設備投資を優先しており、ITに回せる予算は限られている。",
    "unclear_roi": "費用に見合う効果があるのか判断できないという声があった。",
    "trade_practices": "主要な取引先がFAXでの発注を続けており、自社だけでは変えにくい。",
    "system_choice": "製品が多すぎて、どれが自社に合うのか分からないとのこと。",
}

INTEREST_SENTENCES = {
    "high": [
        "{tool}に関心あり。社長自ら具体的な相談を希望しており、機構の専門家派遣を案内した。",
        "{tool}を年度内に導入したい意向で、補助金の活用も含めて検討したいとのこと。",
        "{tool}について、見積りの取り方から相談に乗ってほしいとの依頼があった。",
    ],
    "medium": [
        "{tool}に関心あり。繁忙期が落ち着いてから検討したいとのこと。",
        "まずは同業の事例を知りたいとのことで、{tool}の事例とセミナーを案内した。",
        "{tool}に関心はあるが、社内で相談してから連絡するとのこと。",
    ],
    "low": [
        "現時点では必要性を強く感じていないが、情報は受け取りたいとのことでメルマガを案内した。",
        "{tool}の話には頷いていたが、具体的な検討はまだ先とのこと。",
    ],
    "none": [
        "今は本業が忙しく、デジタル化の話は難しいとのこと。資料のみお渡しした。",
        "後継者が決まっておらず、新しい投資は考えていないとのこと。",
    ],
}
FOLLOW_UP_SENTENCES = [
    "前回ご案内した{tool}のその後を伺った。",
    "前回の訪問で話題になった{tool}について、進み具合を確認した。",
]
PROGRESS_SENTENCES = [
    "見積りを2社から取り寄せ、比較している段階。",
    "機構の専門家と初回の面談を終え、次は現場を見てもらう予定。",
    "無料体験版を使い始めたが、社員への説明に苦労している。",
    "社内で担当者を決め、来月から試行するとのこと。",
    "補助金の公募要領を読んだが、申請書の書き方が分からないとのこと。",
]
SEMINAR_TITLES = ["はじめてのDX", "バックオフィスのデジタル化", "生成AIで変わる中小企業の仕事", "現場のDX事例紹介"]
NEXT_ACTIONS = {
    "high": [
        "機構コーディネータとの面談日程を調整する",
        "導入事例と補助金の資料を送付する",
        "IT企業との面談を設定する",
    ],
    "medium": ["次回セミナーの案内を送る", "事例集を送付し、1か月後に電話で状況を確認する"],
}

INTEREST_WEIGHTS = {"high": 22, "medium": 43, "low": 25, "none": 10}
STAGE_WEIGHTS = {"1": 30, "2": 45, "3": 20, "4": 5}
# What an interest level leads to: (outcome codes to pick from, how many at most)
OUTCOME_CHOICES = {
    "high": (["foundation_consultation", "coordinator_support", "subsidies", "it_vendor", "mail_magazine"], 3),
    "medium": (["seminar", "mail_magazine", "subsidies"], 2),
    "low": (["mail_magazine"], 1),
    "none": (["none"], 1),
}
TECH_FORMS = {"manufacturing_own", "manufacturing_contract", "agriculture_forestry_fisheries"}


def seed_visits(*, programme: Programme, users: dict[str, User], today: datetime.date) -> int:
    """Add the demo season of visits to the programme (once); return how many were created."""
    if Visit.objects.filter(programme=programme).exists():
        return 0
    rng = random.Random(SEED)
    codes = _codes()
    if not codes.get("visit_format"):
        return 0
    end = min(today, programme.end_date)
    days = _working_days(programme.start_date, end)
    if not days:
        return 0
    companies = list(
        Company.objects.filter(municipality__prefecture_id=programme.prefecture_id)
        .select_related("business_form")
        .order_by("pk")
    )
    if not companies:
        return 0
    designated = set(DesignatedCompany.objects.filter(programme=programme).values_list("company_id", flat=True))
    communicators = [users[name] for name in COMMUNICATORS if name in users]
    manager = users.get("manager")
    if not communicators:
        return 0

    plan = _plan(rng, programme, days, companies, designated, communicators, today)
    now = timezone.now()
    visits = []
    topics: dict[int, list[str]] = {}  # company → challenges heard at the first visit
    for item in plan:
        visits.append(_visit(rng, programme, item, codes, manager, now, topics))
    for visit, _extra in visits:
        visit.search_text = build_search_text(visit)
    created = Visit.objects.bulk_create([v for v, _extra in visits], batch_size=500)
    _bulk_m2m(created, [extra for _v, extra in visits])
    visit_search_reindex()  # the search index, as the services would keep it (one bulk rebuild)
    return len(created)


# --- planning the season -------------------------------------------------------------------


def _working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and not jpholiday.is_holiday(day) and not _summer_or_new_year(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _summer_or_new_year(day: datetime.date) -> bool:
    return (
        (day.month == 8 and 13 <= day.day <= 16)
        or (day.month == 12 and day.day >= 29)
        or (day.month == 1 and day.day <= 3)
    )


def _plan(rng, programme, days, companies, designated, communicators, today) -> list[dict]:
    """Decide date, company, format, communicators and status for every visit, in date order."""
    # Visits ramp up over the first two months (training), then hold a steady rhythm.
    weights = [min(1.0, 0.35 + 0.65 * (day - programme.start_date).days / 60) for day in days]
    slots = [
        (day, "online" if rng.random() < 0.13 else "visit")
        for day in rng.choices(days, weights, k=round(len(days) * VISITS_PER_WORKDAY))
    ]
    # Monthly seminars: several participants are heard at the venue's consultation corner.
    for day in _seminar_days(days):
        slots.extend((day, "seminar") for _i in range(rng.randint(5, 10)))
    slots.sort(key=lambda slot: (slot[0], slot[1] != "seminar"))
    n_visits = len(slots)

    # Which visits hear a company for the first time: early visits mostly do, follow-ups come later.
    n_new = max(1, round(n_visits * NEW_COMPANY_SHARE))
    repeat_candidates = list(range(20, n_visits))
    n_repeat = min(n_visits - n_new, len(repeat_candidates))
    repeats = set(_weighted_sample(rng, repeat_candidates, list(repeat_candidates), n_repeat))

    designated_companies = [c for c in companies if c.pk in designated]
    others = [c for c in companies if c.pk not in designated]
    rng.shuffle(designated_companies)
    rng.shuffle(others)
    n_designated = min(len(designated_companies), round(len(designated_companies) * DESIGNATED_SHARE), n_new)
    # A few more than needed: a planned follow-up with no earlier company to return to hears a new one.
    n_others = n_new - n_designated + 40
    pool = designated_companies[:n_designated] + others[:n_others]
    rng.shuffle(pool)
    spare = others[n_others:]

    plan = []
    heard: list[tuple[Company, datetime.date]] = []
    for index, (day, fmt) in enumerate(slots):
        company = None
        if index in repeats and fmt != "seminar":
            earlier = [c for c, d in heard if (day - d).days >= 14]
            if earlier:
                company = rng.choice(earlier)
        follow_up = company is not None
        if company is None:
            if not pool:
                break
            company = pool.pop()
            heard.append((company, day))
        team = _team(rng, communicators, day)
        plan.append({"date": day, "company": company, "format": fmt, "team": team, "follow_up": follow_up})

    for item in plan:
        item["status"] = _status(rng, item["date"], today)
    # One report sent back for more detail, and a few drafts not yet submitted (on new companies).
    returned = next(
        (item for item in reversed(plan) if not item["follow_up"] and (today - item["date"]).days > 7), None
    )
    if returned is not None:
        returned["status"] = VisitStatus.RETURNED
        heard_again = [p for p in plan if p["company"].pk == returned["company"].pk and p is not returned]
        for other in heard_again:
            other["follow_up"] = False
    recent_days = [d for d in days if (today - d).days <= 6] or days[-3:]
    for _i in range(min(DRAFTS, len(spare))):
        plan.append(
            {
                "date": rng.choice(recent_days),
                "company": spare.pop(),
                "format": "visit",
                "team": _team(rng, communicators, recent_days[-1]),
                "follow_up": False,
                "status": VisitStatus.DRAFT,
            }
        )
    return plan


def _weighted_sample(rng, population: list[int], weights: list[int], k: int) -> list[int]:
    """k distinct items, each drawn with probability proportional to its weight (Efraimidis–Spirakis)."""
    keyed = sorted(zip(population, weights, strict=True), key=lambda pair: rng.random() ** (1 / max(pair[1], 1)))
    return [item for item, _weight in keyed[-k:]] if k else []


def _seminar_days(days: list[datetime.date]) -> set[datetime.date]:
    """The second Thursday (or the working day closest after it) of each month from June."""
    chosen = set()
    by_month = defaultdict(list)
    for day in days:
        by_month[(day.year, day.month)].append(day)
    for (_year, month), month_days in by_month.items():
        if month in (4, 5):
            continue
        thursdays = [d for d in month_days if d.weekday() == 3]
        if len(thursdays) >= 2:
            chosen.add(thursdays[1])
    return chosen


def _team(rng, communicators: list[User], day: datetime.date) -> list[User]:
    available = []
    weights = []
    for user in communicators:
        pace, start = COMMUNICATORS[user.username]
        if start is not None and (day.month, day.day) < start and day.month >= 4:
            continue
        available.append(user)
        weights.append(pace)
    lead = rng.choices(available, weights)[0]
    team = [lead]
    if rng.random() < 0.1 and len(available) > 1:
        team.append(rng.choice([u for u in available if u != lead]))
    return team


def _status(rng, day: datetime.date, today: datetime.date) -> str:
    age = (today - day).days
    if age > 14:
        return VisitStatus.ACCEPTED if rng.random() < 0.9 else VisitStatus.SUBMITTED
    return VisitStatus.ACCEPTED if rng.random() < 0.3 else VisitStatus.SUBMITTED


# --- one visit ----------------------------------------------------------------------------


def _codes() -> dict[str, dict[str, CodeItem]]:
    result: dict[str, dict[str, CodeItem]] = defaultdict(dict)
    for item in CodeItem.objects.filter(active=True):
        result[item.list][item.code] = item
    return result


def _pick(rng, items: list[str], k: int) -> list[str]:
    items = list(dict.fromkeys(items))
    return rng.sample(items, min(k, len(items)))


def _visit(rng, programme, item: dict, codes, manager, now, topics: dict[int, list[str]]) -> tuple[Visit, dict]:
    company: Company = item["company"]
    form = company.business_form.code if company.business_form_id else "other"
    situations, typical = SITUATIONS.get(form, SITUATIONS["other"])
    n_challenges = rng.choices([1, 2, 3], [35, 45, 20])[0]
    # Mostly the challenges typical of the business form, sometimes any other.
    challenges = list(
        dict.fromkeys(
            rng.choice(typical) if rng.random() < 0.8 else rng.choice(list(CHALLENGE_SENTENCES))
            for _i in range(n_challenges)
        )
    )
    challenges = [c for c in challenges if c in codes["challenge"]] or list(codes["challenge"])[:1]
    if item["follow_up"] and company.pk in topics:
        challenges = topics[company.pk]  # a follow-up talks about what was heard the first time
    topics.setdefault(company.pk, challenges)
    barriers = _pick(rng, list(BARRIER_SENTENCES), rng.choices([1, 2], [65, 35])[0])
    if item["follow_up"]:
        barriers = [b for b in barriers if b not in ("where_to_start", "unclear_purpose")][:1]
    barriers = [b for b in barriers if b in codes["barrier"]]
    interest = rng.choices(list(INTEREST_WEIGHTS), list(INTEREST_WEIGHTS.values()))[0]
    if item["follow_up"] and interest in ("low", "none"):
        interest = rng.choice(["high", "medium"])
    stage = rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()))[0]

    # The sentence per challenge is fixed per company, so a follow-up names the same topic.
    sentences_for_challenges = [CHALLENGE_SENTENCES[c][company.pk % len(CHALLENGE_SENTENCES[c])] for c in challenges]
    tool = next((t for _s, t in sentences_for_challenges if t), "デジタルツール")
    values = {
        "product": rng.choice(PRODUCTS),
        "people": rng.choice([3, 5, 8, 12, 15, 20, 30]),
        "days": rng.choice([2, 3, 4, 5]),
        "percent": rng.choice([3, 4, 6, 7]),
    }
    parts = []
    if item["format"] == "seminar":
        parts.append(f"セミナー「{rng.choice(SEMINAR_TITLES)}」の個別相談コーナーでヒアリング。")
    elif item["format"] == "online":
        parts.append("先方の希望によりオンラインで実施。")
    if item["follow_up"]:
        parts.append(rng.choice(FOLLOW_UP_SENTENCES).format(tool=tool))
        parts.append(rng.choice(PROGRESS_SENTENCES))
    else:
        # The opening sentence introduces the company; sometimes one more detail follows.
        parts.append(situations[0])
        if rng.random() < 0.6:
            parts.append(rng.choice(situations[1:]))
        parts.extend(sentence for sentence, _t in sentences_for_challenges)
    parts.extend(BARRIER_SENTENCES[b] for b in barriers)
    parts.append(rng.choice(INTEREST_SENTENCES[interest]).format(tool=tool))
    summary = "".join(parts).format(**values)

    outcome_pool, max_outcomes = OUTCOME_CHOICES[interest]
    if interest == "high" and form in TECH_FORMS:
        outcome_pool = [*outcome_pool, "technology_centre"]
    outcomes = _pick(rng, outcome_pool, rng.randint(1, max_outcomes))
    introductions = [o for o in outcomes if o != "none"] + ["foundation_consultation", "mail_magazine"]
    if form in TECH_FORMS:
        introductions.append("technology_centre")
    if rng.random() < 0.4:
        introductions.append("subsidies")
    introductions = list(dict.fromkeys(i for i in introductions if i in codes["introduction"]))
    outcomes = [o for o in outcomes if o in codes["outcome"]]

    day = item["date"]
    if item["format"] == "seminar":
        start = datetime.time(15, rng.choice([0, 20, 40]))
        minutes = 20
    else:
        start = datetime.time(rng.choice([9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 15, 30, 45]))
        minutes = rng.choice([45, 60, 60, 75, 90])
    end = (datetime.datetime.combine(day, start) + datetime.timedelta(minutes=minutes)).time()
    status = item["status"]
    submitted_at = reviewed_at = None
    tz = timezone.get_current_timezone()
    if status != VisitStatus.DRAFT:
        submitted = datetime.datetime.combine(day, datetime.time(17, 30), tz) + datetime.timedelta(
            days=rng.choice([0, 0, 0, 1, 2]), minutes=rng.randint(0, 120)
        )
        submitted_at = min(submitted, now)
    if status in (VisitStatus.ACCEPTED, VisitStatus.RETURNED) and submitted_at is not None:
        reviewed_at = min(submitted_at + datetime.timedelta(days=rng.choice([1, 2, 3])), now)
    next_action = ""
    follow_up_date = None
    if interest in NEXT_ACTIONS:
        next_action = rng.choice(NEXT_ACTIONS[interest])
        follow_up_date = day + datetime.timedelta(days=rng.choice([14, 21, 30]))

    visit = Visit(
        programme=programme,
        company=company,
        status=status,
        visit_date=day,
        start_time=start,
        end_time=end,
        visit_format=codes["visit_format"].get(item["format"]),
        recorded_by=item["team"][0],
        employees_band_id=company.employees_band_id,
        business_form_id=company.business_form_id,
        revenue_band_id=company.revenue_band_id,
        municipality_id=company.municipality_id,
        digital_stage=codes["digital_stage"].get(stage),
        interest_level=codes["interest_level"].get(interest),
        summary=summary,
        consent_share_foundation=rng.random() < 0.7,
        consent_contractor_use=rng.random() < 0.9,
        next_action=next_action,
        follow_up_date=follow_up_date,
        submitted_at=submitted_at,
        reviewed_at=reviewed_at,
        reviewed_by=manager if reviewed_at else None,
        review_comment=(
            "課題カテゴリと面談概要の内容が合っていません。聞き取った課題を確認して修正してください。"
            if status == VisitStatus.RETURNED
            else ""
        ),
    )
    extra = {
        "communicators": [u.pk for u in item["team"]],
        "challenges": [codes["challenge"][c].pk for c in challenges],
        "barriers": [codes["barrier"][b].pk for b in barriers],
        "introductions": [codes["introduction"][i].pk for i in introductions],
        "outcomes": [codes["outcome"][o].pk for o in outcomes],
    }
    return visit, extra


def _bulk_m2m(visits: list[Visit], extras: list[dict]) -> None:
    """Insert the M2M rows of all visits through their `through` models, one bulk insert per relation."""
    relations = {
        "communicators": ("user_id", Visit.communicators.through),
        "challenges": ("codeitem_id", Visit.challenges.through),
        "barriers": ("codeitem_id", Visit.barriers.through),
        "introductions": ("codeitem_id", Visit.introductions.through),
        "outcomes": ("codeitem_id", Visit.outcomes.through),
    }
    for name, (column, through) in relations.items():
        rows = [
            through(visit_id=visit.pk, **{column: target})
            for visit, extra in zip(visits, extras, strict=True)
            for target in extra[name]
        ]
        through.objects.bulk_create(rows, batch_size=1000)
