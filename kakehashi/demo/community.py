"""The demo community: members of Miyagi IT companies and local companies (the same organisations as the demo
exchange workshops, so "met at an event" shows up as a reason), topics and threads with a mention, introductions
in every state, a reported post, a meetup proposal, and co-creation projects at each stage — one launched.

Everything goes through the community services. Idempotent (nothing happens once members exist) and
deterministic. The demo users `company` and `itco` get profiles too, so a visitor who signs in as them sees
suggestions, a pending introduction and notifications at once.
"""

import datetime

from kakehashi.accounts.services import user_create
from kakehashi.community import services
from kakehashi.community.choices import NotifyFrequency, OrganisationKind
from kakehashi.community.models import Member, Topic
from kakehashi.reference.models import CodeItem

from .users import DEMO_PASSWORD

TOPICS = [
    ("zaiko-butsuryu", "在庫・物流", "受発注、在庫管理、配送のデジタル化"),
    ("seisan-iot", "生産管理・IoT", "製造現場のデータ活用、設備の見える化"),
    ("hanro-ec", "販路・EC・SNS", "ネット販売、SNS発信、顧客管理"),
    ("hojokin", "補助金・支援制度", "IT導入補助金、県・機構の支援メニュー"),
    ("kouryu", "交流会のあとで", "イベントで出会った方との続きの話"),
]

# (username, name, organisation, kind, title, needs codes, needs text, offers codes, offers text)
PEOPLE = [
    (
        "miyagi_cloud",
        "千葉 拓也",
        "みやぎクラウド株式会社",
        "it",
        "営業部",
        [],
        "",
        ["procurement_logistics", "paperless_telework"],
        "クラウド型の在庫管理・受発注システムの導入支援。紙の伝票からの移行を小さく始めます。",
    ),
    (
        "morinomiyako",
        "佐々木 恵",
        "杜の都ソフトウェア合同会社",
        "it",
        "代表",
        [],
        "",
        ["production", "iot_equipment"],
        "生産管理システムの開発、設備の稼働データを集めるIoTの試作。",
    ),
    (
        "aoba_data",
        "阿部 大輔",
        "青葉データラボ株式会社",
        "it",
        "データ分析チーム",
        [],
        "",
        ["automation_analytics", "sales_customer"],
        "売上・顧客データの分析、BIダッシュボード、需要予測。",
    ),
    (
        "sendai_ai",
        "菅原 真理子",
        "仙台AIソリューションズ株式会社",
        "it",
        "事業開発",
        ["new_business"],
        "地域の食品メーカーと新しいサービスを一緒に作りたい。",
        ["automation_analytics", "new_business"],
        "画像認識やAIによる検品の自動化、需要予測。",
    ),
    (
        "izumi_web",
        "遠藤 彩",
        "泉ウェブ制作室",
        "it",
        "",
        [],
        "",
        ["sales_customer"],
        "ホームページ制作、ECサイト立ち上げ、SNS運用の伴走。",
    ),
    (
        "ishinomaki",
        "木村 健一",
        "株式会社石巻水産加工",
        "local",
        "製造課長",
        ["procurement_logistics", "production"],
        "在庫管理が紙とExcelで、棚卸しに丸一日かかる。出荷の手配も電話とFAX。",
        [],
        "",
    ),
    (
        "kesennuma",
        "小野寺 由紀",
        "気仙沼冷凍食品株式会社",
        "local",
        "総務",
        ["sales_customer", "paperless_telework"],
        "ネット販売を始めたいが何から手を付ければよいか分からない。",
        [],
        "",
    ),
    (
        "natori",
        "高橋 誠",
        "株式会社名取精機",
        "local",
        "生産技術",
        ["iot_equipment", "production"],
        "古い工作機械の稼働状況を見える化したい。段取り替えの時間を減らしたい。",
        ["production"],
        "精密加工の試作を短納期で請け負えます。",
    ),
    (
        "shiogama",
        "渡辺 亮",
        "塩竈かまぼこ本舗株式会社",
        "local",
        "専務",
        ["new_business", "automation_analytics"],
        "売れ筋の予測と、新商品の企画にデータを使いたい。",
        [],
        "",
    ),
    (
        "iwanuma",
        "加藤 千尋",
        "岩沼物流株式会社",
        "local",
        "配車担当",
        ["procurement_logistics"],
        "配車表をホワイトボードで作っている。荷主との在庫の共有もしたい。",
        ["procurement_logistics"],
        "県南の共同配送の経験があります。",
    ),
]


def _codes(codes: list[str]) -> list[CodeItem]:
    return list(CodeItem.objects.filter(list="challenge", code__in=codes))


def _it_company(name: str):
    try:
        from kakehashi.portal.selectors import directory_for_public
    except ImportError:
        return None
    return directory_for_public().filter(name=name).first()


def _member(username, name, organisation, kind, title, needs, needs_text, offers, offers_text, *, existing=None):
    it_company = _it_company(organisation) if kind == OrganisationKind.IT else None
    org = services.organisation_resolve(actor=None, kind=kind, name=organisation, it_company=it_company)
    user = existing or user_create(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        roles=["it_company_member" if kind == OrganisationKind.IT else "company_member"],
        email=f"{username}@example.jp",
        display_name=name,
        organisation=organisation,
    )
    member = services.member_create(actor=None, user=user, organisation=org)
    return services.member_update(
        actor=user,
        member=member,
        title=title,
        offers_text=offers_text,
        needs_text=needs_text,
        offer_challenges=_codes(offers),
        need_challenges=_codes(needs),
        notify_frequency=NotifyFrequency.DAILY,
    )


def seed_community(*, programme, users, today: datetime.date | None = None) -> dict[str, int]:
    if Member.objects.exists():
        return {"members": Member.objects.count()}
    today = today or datetime.date.today()
    for order, (slug, name, description) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "order": order})
    m = {row[0]: _member(*row) for row in PEOPLE}
    m["company"] = _member(
        "company",
        "",
        "株式会社山形精密（架空）",
        "local",
        "経営企画",
        ["procurement_logistics", "automation_analytics"],
        "部品の在庫と受発注を紙から移し、データで需要を読みたい。",
        [],
        "",
        existing=users["company"],
    )
    m["itco"] = _member(
        "itco",
        "",
        "最上ソフトウェア合同会社（架空）",
        "it",
        "営業",
        [],
        "",
        ["procurement_logistics", "automation_analytics"],
        "中小製造業向けの在庫管理・需要予測のクラウドサービス。",
        existing=users["itco"],
    )
    topics = {t.slug: t for t in Topic.objects.all()}

    def thread(topic, author, title, body, replies=()):
        t = services.thread_create(actor=m[author].user, author=m[author], topic=topics[topic], title=title, body=body)
        for who, text in replies:
            services.post_create(actor=m[who].user, author=m[who], thread=t, body=text)
        return t

    thread(
        "zaiko-butsuryu",
        "ishinomaki",
        "棚卸しに丸一日かかっています",
        "冷凍庫の在庫を紙で数えています。同じような規模でシステムを入れた方、どこから始めましたか。",
        [
            (
                "miyagi_cloud",
                "まずは出荷の多い品目だけバーコードで管理するのがおすすめです。小さく始めて広げられます。",
            ),
            ("iwanuma", "@ishinomaki さん、うちも配送側で在庫を見られると助かります。一度お話ししませんか。"),
            ("ishinomaki", "ありがとうございます。来月の交流会でも相談させてください。"),
        ],
    )
    meetup = thread(
        "kouryu",
        "natori",
        "9月のワークショップ、同じテーブルだった皆さんへ",
        "設備データの話の続きをしたいです。オンラインでも集まれたら。",
        [("morinomiyako", "ぜひ。稼働ログを取る簡単な仕組みを試作中なので、お見せできます。")],
    )
    services.thread_propose_meetup(actor=m["natori"].user, member=m["natori"], thread=meetup)
    ads = thread(
        "hanro-ec",
        "kesennuma",
        "ECを始めるときの最初の一歩",
        "自社サイトとモール、どちらが先がよいでしょうか。",
        [
            ("izumi_web", "商品数が少ないうちは自社サイト＋SNSで十分なことが多いです。"),
            ("aoba_data", "売れ筋データを最初から残しておくと後で効きます。"),
        ],
    )
    spam = services.post_create(
        actor=m["sendai_ai"].user,
        author=m["sendai_ai"],
        thread=ads,
        body="弊社サービスの期間限定キャンペーンはこちら！今すぐ申込み！",
    )
    services.post_report(actor=m["kesennuma"].user, reporter=m["kesennuma"], post=spam, reason="宣伝のみの投稿です")
    thread("hojokin", "shiogama", "IT導入補助金の締切はいつですか", "今年度の次の締切を知っている方、教えてください。")

    def intro(a, b, answer=None):
        i = services.introduction_request(
            actor=m[a].user,
            requester=m[a],
            recipient=m[b],
            message="プロフィールを拝見しました。一度お話しできればうれしいです。",
        )
        if answer is not None:
            services.introduction_respond(
                actor=m[b].user, introduction=i, accept=answer, message="よろしくお願いします。"
            )
        return i

    intro("ishinomaki", "miyagi_cloud", True)
    intro("natori", "morinomiyako", True)
    intro("shiogama", "sendai_ai", True)
    intro("kesennuma", "aoba_data", False)
    intro("company", "itco", True)
    intro("miyagi_cloud", "company")  # pending: the demo user "company" has something to answer

    def project(creator, partners, title, summary, codes, started, steps=()):
        p = services.project_create(
            actor=m[creator].user,
            creator=m[creator],
            title=title,
            summary=summary,
            participants=[m[x] for x in partners],
            challenges=_codes(codes),
            started_on=started,
        )
        for on, note in steps:
            p = services.project_advance(actor=m[creator].user, project=p, on=on, note=note)
        return p

    d = datetime.timedelta
    project(
        "shiogama",
        ["sendai_ai"],
        "かまぼこの需要予測と製造量の最適化",
        "POSと天気のデータで翌週の製造量を決める。",
        ["automation_analytics", "new_business"],
        today - d(days=200),
        [(today - d(days=150), "2店舗で3か月の実証"), (today - d(days=30), "県内全店で本格運用、外販も開始")],
    )
    project(
        "natori",
        ["morinomiyako"],
        "旧型工作機械の稼働見える化",
        "後付けセンサーで稼働率を取り、段取り替えを短縮する。",
        ["iot_equipment", "production"],
        today - d(days=90),
        [(today - d(days=40), "1ラインでPoC中")],
    )
    project(
        "ishinomaki",
        ["miyagi_cloud", "iwanuma"],
        "水産加工と物流の在庫共有",
        "加工場と倉庫の在庫を一つの画面で。",
        ["procurement_logistics"],
        today - d(days=20),
    )
    return {"members": Member.objects.count(), "topics": len(topics)}
