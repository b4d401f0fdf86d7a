"""The demo's public portal: articles, a directory of 62 fictional Miyagi IT companies, a few consultation requests,
mail-magazine subscribers and three months of page views.

Deterministic (one seed) and idempotent: a database that already has portal articles or IT companies keeps them.
Every company, person and address here is fictional (addresses use example.jp).
"""

import datetime
import random
import zlib

from django.utils import timezone

from kakehashi.accounts.models import User
from kakehashi.companies.models import Company
from kakehashi.outreach.models import Programme
from kakehashi.portal import services
from kakehashi.portal.choices import ArticleKind, ArticleStatus, SubscriberStatus
from kakehashi.portal.models import Article, ConsultationRequest, ITCompany, PageView, Subscriber
from kakehashi.reference.models import CodeItem, Industry, Municipality, Region

SEED = 2026 + 8
IT_COMPANY_COUNT = 62

ARTICLES = [
    (
        ArticleKind.SUBSIDY,
        "IT導入補助金2026の公募が始まりました",
        "会計・受発注・決済ソフトやクラウドの導入費用の最大3/4を補助します。申請の流れと注意点をまとめました。",
        """## どんな補助金か

中小企業・小規模事業者が、**業務の効率化や売上アップ**のためにITツールを導入する費用の一部を補助します。

| 枠 | 補助率 | 補助額 |
|---|---|---|
| 通常枠 | 1/2以内 | 5万円〜450万円 |
| インボイス枠 | 3/4以内 | 〜350万円 |

## 申請までの流れ

1. 「gBizIDプライム」のアカウントを取得する（2〜3週間かかります）
2. IT導入支援事業者と相談し、導入するツールを決める
3. 「SECURITY ACTION」を宣言する
4. 支援事業者と共同で申請する

## 相談窓口

何を導入すればよいか決まっていない段階でも、コーディネータが一緒に整理します。
このポータルの「相談」から気軽にお申し込みください。
""",
        ["補助金", "IT導入"],
        ["accounting_finance", "payment_receivables"],
    ),
    (
        ArticleKind.CASE_STUDY,
        "紙の在庫台帳をタブレットに：従業員12名の水産加工会社の挑戦",
        "石巻の水産加工会社が、バーコードと共有スプレッドシートで在庫の「見える化」を3か月で実現した事例です。",
        """## 課題

冷凍庫の在庫を紙の台帳で管理していたため、欠品に気づくのが遅れ、**月に数回の緊急仕入れ**が発生していました。

## 取り組み

- 市販のバーコードラベルとタブレット2台で入出庫を記録
- 集計はクラウドの表計算ソフトで自動化
- 地元のIT企業が初期設定と操作説明を担当（費用は約40万円）

## 効果

> 「冷凍庫の前で台帳をめくる時間がなくなった。欠品はこの半年で一度だけです」（工場長）

緊急仕入れは月4回から0〜1回に減りました。次は出荷記録とつないで、請求書の作成も自動化する計画です。
""",
        ["事例", "水産加工", "在庫"],
        ["procurement_logistics", "paperless_telework"],
    ),
    (
        ArticleKind.POLICY,
        "県のDX推進計画（第2期）を公表しました",
        "2030年度までに県内中小企業の半数がデータ活用の段階へ。計画の3つの柱と、企業向けの支援をご紹介します。",
        """## 3つの柱

1. **気づく**：DXコミュニケータの訪問とセミナーで、身近な課題から始める
2. **つながる**：IT企業と地域企業の交流会、オンラインコミュニティ
3. **変わる**：伴走支援と補助制度で、新しい事業づくりまで支える

## 企業の皆さまへ

訪問ヒアリング（無料）、専門家の派遣、IT企業の紹介をご利用いただけます。
""",
        ["DX推進計画", "施策"],
        ["new_business", "digital_talent"],
    ),
    (
        ArticleKind.DX_INFO,
        "はじめての生成AI：見積書と議事録から試してみる",
        "生成AIを業務で使うときの始め方と、情報漏えいを防ぐための社内ルールの例です。",
        """## 小さく試す

いきなり全社導入ではなく、**見積書の下書き**や**会議メモの要約**など、失敗しても困らない業務から試しましょう。

## 社内ルールの例

- 顧客名・個人名・価格などの機密情報は入力しない
- 出力は必ず人が確認してから使う
- 使ってよいサービスを会社で決める

## セキュリティ

情報セキュリティの基本は「SECURITY ACTION」の自己宣言から始められます。
""",
        ["生成AI", "AI", "セキュリティ"],
        ["automation_analytics", "security"],
    ),
    (
        ArticleKind.DX_INFO,
        "インボイス制度とデジタル化：請求書の受け取りを楽にする3つの方法",
        "適格請求書の確認と保存に追われていませんか。電子取引の保存要件と、負担を減らすツールの選び方です。",
        """## 3つの方法

1. 請求書受領サービスで、紙もPDFもまとめてデータ化する
2. 会計ソフトと銀行口座を連携し、入金の消し込みを自動化する
3. 取引先とEDIや電子請求書（Peppol）でやりとりする

まずは月に何枚の請求書を受け取っているか、数えてみることから始めましょう。
""",
        ["インボイス", "会計"],
        ["accounting_finance", "payment_receivables"],
    ),
    (
        ArticleKind.SUBSIDY,
        "県の「中小企業デジタル化応援補助金」二次募集のお知らせ",
        "県内に事業所がある中小企業を対象に、デジタル化の計画づくりと機器導入を最大100万円補助します。",
        """## 概要

- 補助率：2/3以内（上限100万円）
- 対象：クラウドサービス利用料（1年分）、機器購入費、専門家への委託費
- 締切：募集要項をご確認ください

## ご注意

交付決定の前に契約・発注した経費は対象になりません。
""",
        ["補助金", "県事業"],
        ["paperless_telework", "iot_equipment"],
    ),
    (
        ArticleKind.CASE_STUDY,
        "旅館の予約台帳をクラウドへ：鳴子温泉の老舗旅館の事例",
        "電話とFAXの予約を一元管理し、スタッフの残業を月20時間減らした取り組みです。",
        """## 取り組み

予約サイト・電話・FAXの予約を、クラウドの予約管理システムに集約しました。
清掃と食事の準備表も自動で作られるようになり、**朝の打ち合わせが15分短く**なりました。

## 支援

県内のIT企業が、既存の予約サイトとの連携設定と、スタッフ向けの説明会を行いました。
""",
        ["事例", "宿泊", "観光"],
        ["sales_customer", "staffing_attendance"],
    ),
    (
        ArticleKind.DX_INFO,
        "情報セキュリティ対策、まずはこの5つ",
        "ランサムウェアの被害は中小企業にも広がっています。今日からできる基本の対策です。",
        """## 5つの基本

1. OSやソフトを最新の状態に保つ
2. ウイルス対策ソフトを入れる
3. パスワードを強くし、使い回さない（多要素認証も）
4. 共有設定を見直す
5. バックアップを取り、戻せることを確かめる

相談窓口では、セキュリティに強いIT企業の紹介もしています。
""",
        ["セキュリティ", "ランサムウェア"],
        ["security"],
    ),
]

# (summary, description, challenge codes, JSIC majors served)
SPECIALTIES = [
    (
        "製造業向けの生産管理システムとIoTによる設備の見える化",
        "工場の稼働データを集め、段取り替えや不良の原因をグラフで示します。小さく始められる月額プランがあります。",
        ["production", "iot_equipment", "automation_analytics"],
        ["E"],
    ),
    (
        "中小企業の会計・給与のクラウド移行支援",
        "会計ソフトと給与計算のクラウド化、インボイス対応、銀行連携の設定まで伴走します。",
        ["accounting_finance", "admin_hr_payroll", "payment_receivables"],
        ["I", "R", "D"],
    ),
    (
        "ECサイト構築とSNS運用の支援",
        "ネットショップの立ち上げから、SNS広告、受注と在庫の連携まで。県産品の販売実績多数。",
        ["sales_customer"],
        ["I", "E", "A"],
    ),
    (
        "建設業向けの施工管理アプリと現場のペーパーレス化",
        "写真管理、日報、工程表をスマートフォンで。元請・協力会社との共有も簡単です。",
        ["production", "paperless_telework"],
        ["D"],
    ),
    (
        "AI・データ分析による需要予測と業務自動化（RPA）",
        "売上や天候のデータから需要を予測し、発注量を提案します。定型作業はRPAで自動化します。",
        ["automation_analytics", "procurement_logistics"],
        ["I", "M", "E"],
    ),
    (
        "情報セキュリティ診断と社員研修",
        "ネットワークの診断、ランサムウェア対策、SECURITY ACTIONの宣言支援、標的型メール訓練。",
        ["security"],
        ["E", "P", "D", "I"],
    ),
    (
        "宿泊・飲食店向けの予約・顧客管理システム",
        "予約サイトとの在庫連携、顧客台帳、口コミ対応まで。温泉旅館への導入実績があります。",
        ["sales_customer", "staffing_attendance"],
        ["M"],
    ),
    (
        "物流・倉庫の在庫管理とハンディ端末の導入",
        "バーコード・RFIDで入出庫を記録し、在庫と出荷をリアルタイムに把握します。",
        ["procurement_logistics", "iot_equipment"],
        ["H", "I", "E"],
    ),
    (
        "グループウェア導入とテレワーク環境づくり",
        "社内の情報共有、電子申請・ワークフロー、Web会議の環境を整えます。",
        ["paperless_telework", "admin_hr_payroll"],
        ["P", "R", "D"],
    ),
    (
        "介護・福祉の記録システムと勤怠管理",
        "介護記録のタブレット入力、シフト作成、勤怠管理で職員の事務負担を減らします。",
        ["staffing_attendance", "paperless_telework"],
        ["P"],
    ),
    (
        "農業・水産業のスマート化（センサーと遠隔監視）",
        "ハウスの温湿度や生け簀の水温をセンサーで監視し、スマートフォンに通知します。",
        ["iot_equipment", "automation_analytics"],
        ["A", "B"],
    ),
    (
        "DX人材の育成研修と新規事業の伴走支援",
        "社内のデジタル人材を育てる研修と、データを使った新しいサービスづくりを支援します。",
        ["digital_talent", "new_business"],
        ["E", "I", "M"],
    ),
    (
        "業務システムの受託開発（Web・スマートフォン）",
        "販売管理、受発注、顧客管理など、業務に合わせたシステムを開発します。既存のExcel業務からの移行も得意です。",
        ["sales_customer", "procurement_logistics", "production"],
        ["E", "I", "D"],
    ),
]

STEMS = [
    "杜の都",
    "青葉",
    "広瀬",
    "定禅寺",
    "宮城野",
    "榴岡",
    "若林",
    "長町",
    "泉",
    "秋保",
    "作並",
    "松島",
    "塩竈",
    "多賀城",
    "名取",
    "岩沼",
    "蔵王",
    "白石",
    "大崎",
    "鳴子",
    "栗駒",
    "登米",
    "北上",
    "石巻",
    "牡鹿",
    "気仙沼",
    "南三陸",
    "七ヶ浜",
    "利府",
    "富谷",
    "大河原",
    "角田",
    "亘理",
    "七ヶ宿",
    "伊達",
    "仙南",
]
STEM_KANA = {
    "杜の都": "モリノミヤコ",
    "青葉": "アオバ",
    "広瀬": "ヒロセ",
    "定禅寺": "ジョウゼンジ",
    "宮城野": "ミヤギノ",
    "榴岡": "ツツジガオカ",
    "若林": "ワカバヤシ",
    "長町": "ナガマチ",
    "泉": "イズミ",
    "秋保": "アキウ",
    "作並": "サクナミ",
    "松島": "マツシマ",
    "塩竈": "シオガマ",
    "多賀城": "タガジョウ",
    "名取": "ナトリ",
    "岩沼": "イワヌマ",
    "蔵王": "ザオウ",
    "白石": "シロイシ",
    "大崎": "オオサキ",
    "鳴子": "ナルコ",
    "栗駒": "クリコマ",
    "登米": "トメ",
    "北上": "キタカミ",
    "石巻": "イシノマキ",
    "牡鹿": "オシカ",
    "気仙沼": "ケセンヌマ",
    "南三陸": "ミナミサンリク",
    "七ヶ浜": "シチガハマ",
    "利府": "リフ",
    "富谷": "トミヤ",
    "大河原": "オオガワラ",
    "角田": "カクダ",
    "亘理": "ワタリ",
    "七ヶ宿": "シチカシュク",
    "伊達": "ダテ",
    "仙南": "センナン",
}
SUFFIXES = [
    ("システムズ", "システムズ"),
    ("ソフトウェア", "ソフトウェア"),
    ("テクノロジー", "テクノロジー"),
    ("データラボ", "データラボ"),
    ("ネットワークス", "ネットワークス"),
    ("クラウド", "クラウド"),
    ("デジタル", "デジタル"),
    ("ソリューションズ", "ソリューションズ"),
    ("情報システム", "ジョウホウシステム"),
    ("ウェブデザイン", "ウェブデザイン"),
    ("AIラボ", "エーアイラボ"),
    ("IT企画", "アイティーキカク"),
]
FORMS = [("株式会社", "", 7), ("合同会社", "", 2), ("有限会社", "", 1)]
# Where in Miyagi (by municipality name), weighted: most IT companies are in Sendai.
PLACES = [
    ("仙台市青葉区", 30),
    ("仙台市宮城野区", 8),
    ("仙台市若林区", 5),
    ("仙台市太白区", 4),
    ("仙台市泉区", 5),
    ("名取市", 2),
    ("多賀城市", 1),
    ("石巻市", 3),
    ("大崎市", 3),
    ("気仙沼市", 1),
    ("登米市", 1),
    ("白石市", 1),
    ("富谷市", 1),
    ("栗原市", 1),
]
SIZE_WEIGHTS = [
    ("0_5", 18),
    ("6_20", 30),
    ("21_50", 22),
    ("51_100", 14),
    ("101_300", 10),
    ("301_1000", 4),
    ("1001_plus", 2),
]

CONSULTATIONS = [
    (
        "受注をFAXで受けて手入力しています。受発注をデジタル化したいのですが、何から始めればよいか相談したいです。",
        ["procurement_logistics"],
    ),
    ("ホームページが古く、問い合わせが来ません。ECも含めて見直したいです。", ["sales_customer"]),
    (
        "勤怠がタイムカードで、給与計算に毎月2日かかっています。補助金が使えるか知りたいです。",
        ["staffing_attendance", "admin_hr_payroll"],
    ),
    ("取引先から情報セキュリティの対策状況を聞かれました。何をすればよいでしょうか。", ["security"]),
    ("設備の稼働状況をデータで見たい。小さく試せる方法を紹介してください。", ["iot_equipment"]),
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def seed_articles(actor) -> int:
    if Article.objects.exists():
        return 0
    challenges = {c.code: c for c in CodeItem.objects.filter(list="challenge")}
    now = timezone.now()
    for index, (kind, title, summary, body, tags, codes) in enumerate(ARTICLES):
        services.article_create(
            actor=actor,
            values={
                "kind": kind,
                "title": title,
                "summary": summary,
                "body": body,
                "status": ArticleStatus.PUBLISHED,
                "published_at": now - datetime.timedelta(days=3 + index * 6, hours=index),
                "tags": tags,
                "challenges": [challenges[c] for c in codes if c in challenges],
            },
        )
    services.article_create(
        actor=actor,
        values={
            "kind": ArticleKind.DX_INFO,
            "title": "（下書き）年末年始の相談窓口について",
            "summary": "年末年始の受付日程のお知らせ（下書き）",
            "body": "12月27日から1月5日まで、相談の受付はお休みします。",
            "status": ArticleStatus.DRAFT,
            "tags": ["お知らせ"],
        },
    )
    return len(ARTICLES) + 1


def _it_company_values(rng: random.Random, used: set[str], lookups: dict) -> dict:
    while True:
        stem = rng.choice(STEMS)
        suffix, suffix_kana = rng.choice(SUFFIXES)
        form = _weighted(rng, [(f[0], f[2]) for f in FORMS])
        name = f"{form}{stem}{suffix}" if rng.random() < 0.4 else f"{stem}{suffix}{form}"
        if name not in used:
            used.add(name)
            break
    summary, description, codes, industries = rng.choice(SPECIALTIES)
    place = lookups["municipalities"].get(_weighted(rng, PLACES))
    region = lookups["region_of"].get(place.pk) if place else None
    return {
        "name": name,
        "name_kana": f"{STEM_KANA[stem]}{suffix_kana}",
        "summary": summary,
        "description": description,
        "challenges": [lookups["challenges"][c] for c in codes if c in lookups["challenges"]],
        "industries": [lookups["industries"][c] for c in industries if c in lookups["industries"]],
        "municipality": place,
        "region": region,
        "employees_band": lookups["sizes"].get(_weighted(rng, SIZE_WEIGHTS)),
        "website": f"https://www{zlib.crc32(name.encode()) % 100000:05d}.example.jp/",
        "founded_year": rng.randint(1978, 2023),
    }


def _lookups() -> dict:
    municipalities = {m.name: m for m in Municipality.objects.filter(prefecture__code="04")}
    for name in list(municipalities):
        if "区" in name and not name.startswith("仙台市"):
            municipalities[f"仙台市{name}"] = municipalities[name]  # ward rows may be stored as "青葉区"
    region_of = {}
    for region in Region.objects.filter(prefecture__code="04").prefetch_related("municipalities"):
        for municipality in region.municipalities.all():
            region_of[municipality.pk] = region
    return {
        "municipalities": municipalities,
        "region_of": region_of,
        "challenges": {c.code: c for c in CodeItem.objects.filter(list="challenge")},
        "industries": {i.code: i for i in Industry.objects.filter(level="major")},
        "sizes": {c.code: c for c in CodeItem.objects.filter(list="employees")},
    }


def seed_it_companies(actor, member: User | None) -> int:
    if ITCompany.objects.exists():
        return 0
    rng = random.Random(SEED)
    lookups = _lookups()
    used: set[str] = set()
    for _index in range(IT_COMPANY_COUNT - 1):
        services.itcompany_create(actor=actor, values=_it_company_values(rng, used, lookups), approved=True)
    # The demo IT-company account maintains one profile and has a change waiting for staff approval.
    own = services.itcompany_create(
        actor=actor,
        values={
            "name": "最上ソフトウェア合同会社（架空）",
            "name_kana": "モガミソフトウェア",
            "summary": "小さな会社の受発注・在庫をクラウドで",
            "description": "県内の製造業・卸売業向けに、受発注と在庫のクラウドシステムを提供しています。",
            "challenges": [lookups["challenges"][c] for c in ("procurement_logistics",) if c in lookups["challenges"]],
            "industries": [lookups["industries"][c] for c in ("E", "I") if c in lookups["industries"]],
            "employees_band": lookups["sizes"].get("6_20"),
        },
        members=[member] if member else [],
        approved=True,
    )
    if member is not None:
        services.itcompany_revision_submit(
            actor=member,
            it_company=own,
            values={
                "summary": "受発注・在庫・請求をひとつのクラウドで。導入から3か月の伴走つき",
                "challenges": [
                    lookups["challenges"][c]
                    for c in ("procurement_logistics", "payment_receivables")
                    if c in lookups["challenges"]
                ],
            },
        )
    return IT_COMPANY_COUNT


def seed_consultations(programme: Programme) -> int:
    if ConsultationRequest.objects.exists():
        return 0
    rng = random.Random(SEED + 1)
    registry = list(Company.objects.order_by("pk")[:400].values_list("name", flat=True))
    challenges = {c.code: c for c in CodeItem.objects.filter(list="challenge")}
    surnames = ["佐藤", "鈴木", "高橋", "阿部", "菅原", "遠藤"]
    for index, (message, codes) in enumerate(CONSULTATIONS):
        # Most requests come from companies already in the registry, typed the way people type them.
        if registry and index < 3:
            company_name = rng.choice(registry).replace("株式会社", "（株）")
        else:
            company_name = ["有限会社まるやま食品（架空）", "ささきデザイン事務所（架空）"][index % 2]
        services.consultation_submit(
            values={
                "company_name": company_name,
                "person_name": f"{surnames[index]} 様（架空）",
                "email": f"consult{index + 1}@example.jp",
                "phone": f"022-000-{1000 + index:04d}",
                "message": message,
                "consent": True,
            },
            challenges=[challenges[c] for c in codes if c in challenges],
        )
    return len(CONSULTATIONS)


def seed_subscribers() -> int:
    if Subscriber.objects.exists():
        return 0
    now = timezone.now()
    rows = []
    for index in range(24):
        status = SubscriberStatus.CONFIRMED if index < 20 else SubscriberStatus.PENDING
        if index == 23:
            status = SubscriberStatus.UNSUBSCRIBED
        joined = now - datetime.timedelta(days=90 - index * 3)
        rows.append(
            Subscriber(
                email=f"reader{index + 1:02d}@example.jp",
                status=status,
                confirmation_sent_at=joined,
                confirmed_at=joined + datetime.timedelta(minutes=7) if status != SubscriberStatus.PENDING else None,
                unsubscribed_at=now if status == SubscriberStatus.UNSUBSCRIBED else None,
            )
        )
    Subscriber.objects.bulk_create(rows)
    return len(rows)


def seed_page_views(today: datetime.date) -> int:
    """About 2,200 views a month (the Miyagi portal's figure), spread over the pages the way a portal is read."""
    if PageView.objects.exists():
        return 0
    rng = random.Random(SEED + 2)
    paths = ["/portal/", "/portal/it-companies/", "/portal/news/", "/portal/consultation/", "/portal/mail-magazine/"]
    paths += [a.get_absolute_url() for a in Article.objects.filter(status=ArticleStatus.PUBLISHED)]
    paths += [c.get_absolute_url() for c in ITCompany.objects.filter(approved=True).order_by("pk")[:30]]
    weights = [30, 18, 12, 4, 3] + [6] * (len(paths) - 5)
    month = today.replace(day=1)
    rows = []
    for back in range(3):
        total = 2200 if back else int(2200 * min(today.day, 28) / 30)
        counts: dict[str, int] = {}
        for path in rng.choices(paths, weights=weights, k=total):
            counts[path] = counts.get(path, 0) + 1
        rows += [PageView(path=p, month=month, views=n) for p, n in counts.items()]
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    PageView.objects.bulk_create(rows)
    return len(rows)


def seed_portal(*, programme: Programme, users: dict[str, User], today: datetime.date) -> dict[str, int]:
    actor = users.get("manager")
    return {
        "articles": seed_articles(actor),
        "it_companies": seed_it_companies(actor, users.get("itco")),
        "consultations": seed_consultations(programme),
        "subscribers": seed_subscribers(),
        "page_view_rows": seed_page_views(today),
    }
